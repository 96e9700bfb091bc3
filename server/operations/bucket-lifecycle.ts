/**
 * PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration, DeleteBucketLifecycle
 * (docs/spec/bucket-config.md §B2.1). The rules are applied by the sweep in storage/lifecycle.ts
 * (§B2.5) and announced in `x-amz-expiration` (§B2.4, server/operations/object-settings.ts).
 */
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { readDocument } from '../body/small-body';
import { MINIMUM_SIZE_VALUES, lifecycleFromXml, lifecycleToXml } from '../xml/lifecycle-configuration';
import { requireBucket } from './common';

const MAX_DOCUMENT = 1024 * 1024;

/** PutBucketLifecycleConfiguration: 200 + x-amz-transition-default-minimum-object-size. */
export const putBucketLifecycleConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const minimum = headerValue(ctx.headers, H.amzTransitionDefaultMinimumObjectSize) ?? 'all_storage_classes_128K';
  if (!MINIMUM_SIZE_VALUES.includes(minimum)) throw new S3Error('InvalidRequest', `Invalid TransitionDefaultMinimumObjectSize found: ${minimum}`);
  const body = await readDocument(ctx, { maxBytes: MAX_DOCUMENT });
  const config = lifecycleFromXml(body, minimum);
  ctx.services.storage.settings.set(bucket.name, 'lifecycle', config);
  return { headers: { [H.amzTransitionDefaultMinimumObjectSize]: minimum } };
};

/** GetBucketLifecycleConfiguration: the rules as stored; none → NoSuchLifecycleConfiguration. */
export const getBucketLifecycleConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const config = ctx.services.storage.settings.get(bucket.name, 'lifecycle');
  if (config === undefined) throw new S3Error('NoSuchLifecycleConfiguration', undefined, { BucketName: bucket.name });
  return { headers: { [H.amzTransitionDefaultMinimumObjectSize]: config.minimumObjectSize }, body: lifecycleToXml(config) };
};

/** DeleteBucketLifecycle: 204, idempotent. */
export const deleteBucketLifecycle: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.settings.set(bucket.name, 'lifecycle', undefined);
  return { status: 204 };
};
