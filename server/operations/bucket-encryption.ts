/**
 * PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption (docs/spec/bucket-config.md
 * §B3.1–§B3.2): every bucket has SSE-S3 (AES256) by default; Delete restores it.
 */
import type { Handler } from '../context';
import { readDocument } from '../body/small-body';
import { encryptionFromXml, encryptionToXml } from '../xml/bucket-settings';
import { requireBucket } from './common';

/** PutBucketEncryption: 200. DEVIATION(S3): nothing is encrypted at rest; objects report the setting. */
export const putBucketEncryption: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const body = await readDocument(ctx, { maxBytes: 64 * 1024 });
  ctx.services.storage.settings.set(bucket.name, 'encryption', encryptionFromXml(body));
  return {};
};

/** GetBucketEncryption: what was put, or the AES256 default (never ServerSideEncryptionConfigurationNotFoundError). */
export const getBucketEncryption: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  return { body: encryptionToXml(ctx.services.storage.settings.get(bucket.name, 'encryption') ?? { algorithm: 'AES256' }) };
};

/** DeleteBucketEncryption: 204, idempotent; the default applies again. */
export const deleteBucketEncryption: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.settings.set(bucket.name, 'encryption', undefined);
  return { status: 204 };
};
