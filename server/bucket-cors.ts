/**
 * PutBucketCors, GetBucketCors, DeleteBucketCors in the S3 XML dialect. Rules are validated by
 * cors-engine, stored as normalised JSON, and the compiled cache is invalidated.
 */
import {
  CORS_MAX_DOCUMENT_BYTES, CORS_DOCUMENT_TOO_LARGE_MESSAGE, validateCorsRules, type CorsConfiguration,
} from '../cors-engine';
import { requireBucket } from './bucket';
import type { Handler } from './context';
import { S3Error } from './errors';
import { corsConfigurationFromXml, corsConfigurationToXml } from './shapes/cors-configuration';
import { H, headerValue } from './headers';
import { declaredChecksums, expectedMd5 } from './integrity';
import { checksumOf, type ChecksumAlgorithm } from '../storage';
import { readSmallBody } from './small-body';

/** PutBucketCors requires Content-MD5 or an x-amz-checksum-* header, and verifies it (spec §4.9). */
async function verifyDocumentIntegrity(headers: Parameters<typeof expectedMd5>[0], body: Buffer): Promise<void> {
  const md5 = expectedMd5(headers);
  const declared = declaredChecksums(headers);
  const algorithms = Object.keys(declared) as ChecksumAlgorithm[];
  if (!md5 && algorithms.length === 0 && headerValue(headers, H.amzSdkChecksumAlgorithm) === undefined) {
    throw new S3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  }
  if (md5) {
    const { createHash } = await import('node:crypto');
    if (!md5.equals(createHash('md5').update(body).digest())) throw new S3Error('BadDigest');
  }
  for (const alg of algorithms) {
    const computed = (await checksumOf(alg, body)).toString('base64');
    if (computed !== declared[alg]) throw new S3Error('BadDigest', `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`);
  }
}

/** PutBucketCors */
export const putBucketCors: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const body = await readSmallBody(ctx, CORS_MAX_DOCUMENT_BYTES, new S3Error('MalformedXML', CORS_DOCUMENT_TOO_LARGE_MESSAGE));
  await verifyDocumentIntegrity(ctx.headers, body);
  const raw = corsConfigurationFromXml(body);
  const result = validateCorsRules(raw);
  if (!result.ok) throw new S3Error(result.error.code, result.error.message);
  ctx.services.storage.setBucketCors(bucket.name, JSON.stringify(result.config));
  ctx.services.cors.invalidate(bucket.name);
  return {};
};

/** GetBucketCors */
export const getBucketCors: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const json = ctx.services.storage.getBucketCors(bucket.name);
  if (json === undefined) throw new S3Error('NoSuchCORSConfiguration', undefined, { BucketName: bucket.name });
  return { body: corsConfigurationToXml(JSON.parse(json) as CorsConfiguration) };
};

/** DeleteBucketCors: 204 whether or not a configuration existed. */
export const deleteBucketCors: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.setBucketCors(bucket.name, undefined);
  ctx.services.cors.invalidate(bucket.name);
  return { status: 204 };
};
