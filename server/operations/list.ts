/**
 * ListObjects (v1) and ListObjectsV2: keys whose current entry is an object version
 * (docs/spec/versioning.md §7 L8; ListObjectVersions: list-versions.ts). `encoding-type=url`
 * encodes keys and prefixes in the reply.
 */
import type { ListedObject, ListPage } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { ownerXml } from '../xml/owners';
import { MAX_KEYS, contents, intParam, keyEncoder } from './list-params';
import { buildXml, type XmlNode } from '../xml/xml';
import { requireBucket } from './common';



function page(ctx: S3Context, after: string): { page: ListPage; prefix: string; delimiter: string; max: number; bucket: string } {
  const bucket = requireBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const max = intParam(ctx, 'max-keys', MAX_KEYS, MAX_KEYS);
  return { page: ctx.services.storage.listObjects(bucket.name, { prefix, delimiter, after, maxKeys: max }), prefix, delimiter, max, bucket: bucket.name };
}

/** ListObjects (v1) */
export const listObjects: Handler = async (ctx) => {
  const enc = keyEncoder(ctx);
  const marker = ctx.query.get('marker') ?? '';
  const { page: p, prefix, delimiter, max, bucket } = page(ctx, marker);
  const node: XmlNode = {
    Name: bucket, Prefix: enc(prefix), Marker: enc(marker), MaxKeys: max,
    Delimiter: delimiter === '' ? undefined : enc(delimiter),
    IsTruncated: p.isTruncated,
    // S3 sends NextMarker only with a delimiter; clients use the last Key otherwise.
    NextMarker: p.isTruncated && delimiter !== '' && p.last !== undefined ? enc(p.last) : undefined,
    Contents: p.objects.map((o) => contents(ctx, o, enc, true)),
    CommonPrefixes: p.commonPrefixes.map((c) => ({ Prefix: enc(c) })),
    EncodingType: ctx.query.get('encoding-type'),
  };
  return { body: buildXml('ListBucketResult', node) };
};

/** Continuation tokens are opaque to clients: the last key or prefix returned, base64url. */
function decodeToken(token: string): string {
  const s = Buffer.from(token, 'base64url').toString('utf8');
  if (!s.startsWith('1:')) throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  return s.slice(2);
}

function encodeToken(last: string): string {
  return Buffer.from(`1:${last}`, 'utf8').toString('base64url');
}

/** ListObjectsV2 */
export const listObjectsV2: Handler = async (ctx) => {
  const enc = keyEncoder(ctx);
  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after') ?? '';
  const after = token !== undefined ? decodeToken(token) : startAfter;
  const { page: p, prefix, delimiter, max, bucket } = page(ctx, after);
  const node: XmlNode = {
    Name: bucket, Prefix: enc(prefix),
    KeyCount: p.objects.length + p.commonPrefixes.length,
    MaxKeys: max,
    Delimiter: delimiter === '' ? undefined : enc(delimiter),
    IsTruncated: p.isTruncated,
    ContinuationToken: token,
    NextContinuationToken: p.isTruncated && p.last !== undefined ? encodeToken(p.last) : undefined,
    StartAfter: startAfter === '' ? undefined : enc(startAfter),
    Contents: p.objects.map((o) => contents(ctx, o, enc, ctx.query.get('fetch-owner') === 'true')),
    CommonPrefixes: p.commonPrefixes.map((c) => ({ Prefix: enc(c) })),
    EncodingType: ctx.query.get('encoding-type'),
  };
  return { body: buildXml('ListBucketResult', node) };
};
