/**
 * The bucket settings that are stored and given back but change nothing else here
 * (docs/spec/bucket-config.md §B4): request payment, transfer acceleration, server access
 * logging, event notifications, replication; and the answers of unconfigured state the
 * Terraform refresh reads (§B7). Analytics, metrics, inventory and Intelligent-Tiering: bucket-id-configs.ts.
 */
import type { BucketInfo, DocumentTree } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { readDocument } from '../body/small-body';
import {
  EMPTY, accelerateFromXml, accelerateToXml, requestPaymentFromXml, requestPaymentToXml, rootOf, toTree, treeNode, treeToXml,
} from '../xml/bucket-settings';
import { list, text, type XmlValue } from '../xml/xml';
import { requireBucket } from './common';

async function document(ctx: S3Context): Promise<Buffer> {
  const body = await readDocument(ctx, { maxBytes: 256 * 1024 });
  return body;
}

/** PutBucketRequestPayment (§B4.1). DEVIATION(S3): requesters are not charged nor refused; the setting is only kept. */
export const putBucketRequestPayment: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const payer = requestPaymentFromXml(await document(ctx));
  ctx.services.storage.settings.set(bucket.name, 'requestPayment', payer === 'Requester' ? 'Requester' : undefined);
  return {};
};

/** GetBucketRequestPayment: BucketOwner unless set. */
export const getBucketRequestPayment: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  return { body: requestPaymentToXml(ctx.services.storage.settings.get(bucket.name, 'requestPayment') ?? 'BucketOwner') };
};

/** PutBucketAccelerateConfiguration (§B4.2): a bucket name with a period is refused first. */
export const putBucketAccelerateConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  if (bucket.name.includes('.')) throw new S3Error('InvalidRequest', 'S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
  ctx.services.storage.settings.set(bucket.name, 'accelerate', accelerateFromXml(await document(ctx)));
  return {};
};

/** GetBucketAccelerateConfiguration: `<AccelerateConfiguration/>` when never set. */
export const getBucketAccelerateConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  return { body: accelerateToXml(ctx.services.storage.settings.get(bucket.name, 'accelerate')) };
};

/** The target of a LoggingEnabled element must exist, be in the same region, have the same owner (§B4.3). */
function checkLoggingTarget(ctx: S3Context, bucket: BucketInfo, enabled: XmlValue): void {
  const target = text(enabled, 'TargetBucket');
  if (target === undefined || text(enabled, 'TargetPrefix') === undefined) throw new S3Error('MalformedXML');
  const t = ctx.services.storage.getBucket(target);
  if (!t) throw new S3Error('InvalidTargetBucketForLogging', undefined, { TargetBucket: target });
  if (t.region !== bucket.region) throw new S3Error('CrossLocationLoggingProhibitted', undefined, { TargetBucketLocation: t.region });
  // UNVERIFIED(S3): the message for another owner's target.
  if (t.owner !== bucket.owner) throw new S3Error('InvalidTargetBucketForLogging', 'The owner for the bucket to be logged and the target bucket must be the same.', { TargetBucket: target });
}

/** PutBucketLogging: stored; an empty status disables. DEVIATION(S3): no log objects are written. */
export const putBucketLogging: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const root = rootOf(await document(ctx), 'BucketLoggingStatus');
  const enabled = list(root, 'LoggingEnabled')[0];
  if (enabled !== undefined) checkLoggingTarget(ctx, bucket, enabled);
  ctx.services.storage.settings.set(bucket.name, 'logging', enabled === undefined ? undefined : treeNode(toTree(root)));
  return {};
};

/** GetBucketLogging: `<BucketLoggingStatus/>` when disabled. */
export const getBucketLogging: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const tree = ctx.services.storage.settings.get(bucket.name, 'logging');
  return { body: tree === undefined ? EMPTY.logging() : treeToXml('BucketLoggingStatus', tree) };
};

const ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;
const DESTINATIONS: Array<[string, string]> = [['TopicConfiguration', 'Topic'], ['QueueConfiguration', 'Queue'], ['CloudFunctionConfiguration', 'CloudFunction']];

/** Each destination: a parsable ARN, at least one Event, filter rules named prefix or suffix (§B4.4). */
function checkNotification(root: XmlValue): void {
  for (const [element, arnName] of DESTINATIONS) {
    for (const c of list(root, element)) {
      const arn = text(c, arnName);
      if (arn === undefined || list(c, 'Event').length === 0) throw new S3Error('MalformedXML');
      if (!ARN.test(arn)) throw new S3Error('InvalidArgument', 'The ARN could not be parsed', { ArgumentName: arnName, ArgumentValue: arn });
      for (const filter of list(c, 'Filter')) {
        for (const key of list(filter, 'S3Key')) {
          for (const rule of list(key, 'FilterRule')) {
            const name = text(rule, 'Name');
            if (name === undefined || text(rule, 'Value') === undefined) throw new S3Error('MalformedXML');
            if (name.toLowerCase() !== 'prefix' && name.toLowerCase() !== 'suffix') {
              throw new S3Error('InvalidArgument', 'filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule.Name', ArgumentValue: name });
            }
          }
        }
      }
    }
  }
}

/**
 * PutBucketNotificationConfiguration: validated and stored; an empty document clears it.
 * DEVIATION(S3): destinations are not checked for existence and no event is delivered.
 */
export const putBucketNotificationConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const root = rootOf(await document(ctx), 'NotificationConfiguration');
  checkNotification(root);
  const tree = treeNode(toTree(root));
  ctx.services.storage.settings.set(bucket.name, 'notification', Object.keys(tree).length === 0 ? undefined : tree);
  return {};
};

/** GetBucketNotificationConfiguration: `<NotificationConfiguration/>` when none. */
export const getBucketNotificationConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const tree = ctx.services.storage.settings.get(bucket.name, 'notification');
  return { body: tree === undefined ? EMPTY.notification() : treeToXml('NotificationConfiguration', tree) };
};

/** Replication needs versioning Enabled (docs/spec/versioning.md §2; docs/spec/bucket-config.md §B4.5). */
function versioningEnabled(bucket: BucketInfo): boolean {
  return bucket.versioning === 'Enabled';
}

/** PutBucketReplication (§B4.5): needs versioning Enabled. DEVIATION(S3): stored only, nothing is replicated. */
export const putBucketReplication: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const root = rootOf(await document(ctx), 'ReplicationConfiguration');
  if (text(root, 'Role') === undefined || list(root, 'Rule').length === 0) throw new S3Error('MalformedXML');
  if (!versioningEnabled(bucket)) throw new S3Error('InvalidRequest', "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  ctx.services.storage.settings.set(bucket.name, 'replication', treeNode(toTree(root)) as DocumentTree);
  return {};
};

/** GetBucketReplication: none → ReplicationConfigurationNotFoundError. */
export const getBucketReplication: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const tree = ctx.services.storage.settings.get(bucket.name, 'replication');
  if (tree === undefined) throw new S3Error('ReplicationConfigurationNotFoundError', undefined, { BucketName: bucket.name });
  return { body: treeToXml('ReplicationConfiguration', tree) };
};

/** DeleteBucketReplication: 204. */
export const deleteBucketReplication: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.settings.set(bucket.name, 'replication', undefined);
  return { status: 204 };
};
