/**
 * Analytics, metrics, inventory and Intelligent-Tiering configurations (docs/spec/bucket-config.md
 * §B4.9): Put/Get/Delete by `?id=`, List in Id order 100 a page with continuation tokens, at most
 * 1,000 of each kind per bucket. DEVIATION(S3): they are stored and given back only; no analysis,
 * CloudWatch metric, inventory report or tiering ever results from them.
 */
import type { IdConfigKind } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { readDocument } from '../body/small-body';
import { idConfigFromXml, idConfigListXml, idConfigToXml } from '../xml/id-configurations';
import { storageCall } from '../storage-errors';
import { requireBucket } from './common';

/** Configurations of one kind a bucket may have (S3 User Guide; TooManyConfigurations beyond). */
export const MAX_CONFIGURATIONS = 1000;
/** Configurations per List page. */
export const CONFIGURATIONS_PER_PAGE = 100;

/** `?id=`: required by Put, Get and Delete (UNVERIFIED(S3): the answer when it is missing or empty). */
function queryId(ctx: S3Context): string {
  const id = ctx.query.get('id');
  if (id === undefined || id === '') throw new S3Error('InvalidArgument', 'The id parameter is required.', { ArgumentName: 'id', ArgumentValue: id ?? '' });
  return id;
}

const noSuchConfiguration = () => new S3Error('NoSuchConfiguration');

const put = (kind: IdConfigKind): Handler => async (ctx) => {
  const bucket = requireBucket(ctx);
  const id = queryId(ctx);
  const tree = idConfigFromXml(kind, await readDocument(ctx, { maxBytes: 64 * 1024, tooLarge: () => new S3Error('MalformedXML') }), id);
  const stored = await storageCall(ctx, async () => ctx.services.storage.settings.byId.put(bucket.name, kind, id, tree, MAX_CONFIGURATIONS));
  if (!stored) throw new S3Error('TooManyConfigurations');
  return {};
};

const get = (kind: IdConfigKind): Handler => async (ctx) => {
  const bucket = requireBucket(ctx);
  const tree = ctx.services.storage.settings.byId.get(bucket.name, kind, queryId(ctx));
  if (tree === undefined) throw noSuchConfiguration();
  return { body: idConfigToXml(kind, tree) };
};

const remove = (kind: IdConfigKind): Handler => async (ctx) => {
  const bucket = requireBucket(ctx);
  if (!ctx.services.storage.settings.byId.delete(bucket.name, kind, queryId(ctx))) throw noSuchConfiguration();
  return { status: 204 };
};

/** A continuation token is the last Id of the page before, base64url: opaque to clients, as S3's. */
function afterToken(token: string | undefined): string {
  if (token === undefined) return '';
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || Buffer.from(id, 'utf8').toString('base64url') !== token) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token', ArgumentValue: token });
  }
  return id;
}

const listConfigurations = (kind: IdConfigKind): Handler => async (ctx) => {
  const bucket = requireBucket(ctx);
  const token = ctx.query.get('continuation-token');
  const page = ctx.services.storage.settings.byId.list(bucket.name, kind, afterToken(token), CONFIGURATIONS_PER_PAGE);
  const last = page.items[page.items.length - 1];
  return {
    body: idConfigListXml(kind, {
      trees: page.items.map((i) => i.value),
      isTruncated: page.isTruncated,
      ...(token !== undefined ? { token } : {}),
      ...(page.isTruncated && last !== undefined ? { next: Buffer.from(last.id, 'utf8').toString('base64url') } : {}),
    }),
  };
};

export const putBucketAnalyticsConfiguration = put('analytics');
export const getBucketAnalyticsConfiguration = get('analytics');
export const deleteBucketAnalyticsConfiguration = remove('analytics');
export const listBucketAnalyticsConfigurations = listConfigurations('analytics');
export const putBucketMetricsConfiguration = put('metrics');
export const getBucketMetricsConfiguration = get('metrics');
export const deleteBucketMetricsConfiguration = remove('metrics');
export const listBucketMetricsConfigurations = listConfigurations('metrics');
export const putBucketInventoryConfiguration = put('inventory');
export const getBucketInventoryConfiguration = get('inventory');
export const deleteBucketInventoryConfiguration = remove('inventory');
export const listBucketInventoryConfigurations = listConfigurations('inventory');
export const putBucketIntelligentTieringConfiguration = put('intelligentTiering');
export const getBucketIntelligentTieringConfiguration = get('intelligentTiering');
export const deleteBucketIntelligentTieringConfiguration = remove('intelligentTiering');
export const listBucketIntelligentTieringConfigurations = listConfigurations('intelligentTiering');
