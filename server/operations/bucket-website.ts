/**
 * PutBucketWebsite, GetBucketWebsite, DeleteBucketWebsite (docs/spec/website.md §1, §2). The
 * website endpoint that serves the configuration is server/website/website-serve.ts.
 */
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { readDocument } from '../body/small-body';
import { storageCall } from '../storage-errors';
import { WEBSITE_MAX_DOCUMENT_BYTES, websiteConfigurationFromXml, websiteConfigurationToXml } from '../xml/website-configuration';
import { requireBucket } from './common';

/** PutBucketWebsite: replaces the configuration; 200, empty body (§1.1). */
export const putBucketWebsite: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  // UNVERIFIED(S3): Content-MD5 / a checksum is checked when sent, not required (docs/spec/website.md §1.1).
  const body = await readDocument(ctx, { maxBytes: WEBSITE_MAX_DOCUMENT_BYTES, tooLarge: () => new S3Error('MalformedXML') });
  const config = websiteConfigurationFromXml(body);
  await storageCall(ctx, async () => ctx.services.storage.settings.set(bucket.name, 'website', config));
  return {};
};

/** GetBucketWebsite: the stored document, or 404 NoSuchWebsiteConfiguration (§1.4). */
export const getBucketWebsite: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const config = ctx.services.storage.settings.get(bucket.name, 'website');
  if (config === undefined) throw new S3Error('NoSuchWebsiteConfiguration', undefined, { BucketName: bucket.name });
  return { body: websiteConfigurationToXml(config) };
};

/** DeleteBucketWebsite: 204, also when nothing was set (§1.5). */
export const deleteBucketWebsite: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  await storageCall(ctx, async () => ctx.services.storage.settings.set(bucket.name, 'website', undefined));
  return { status: 204 };
};
