/**
 * PutBucketCors, GetBucketCors, DeleteBucketCors in the S3 XML dialect (docs/spec/cors.md §1D).
 * Rules are validated by cors-engine, stored as normalised JSON, and the compiled cache is
 * invalidated; GetBucketCors is answered from that cache.
 */
import {
  CORS_MAX_DOCUMENT_BYTES, CORS_DOCUMENT_TOO_LARGE_MESSAGE, MISSING_CONTENT_MD5_MESSAGE, validateCorsRules,
} from '../../cors-engine';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { corsConfigurationFromXml, corsConfigurationToXml } from '../xml/cors-configuration';
import { readDocument } from '../body/small-body';
import { requireBucket } from './common';

function documentTooLarge(): S3Error {
  return new S3Error('MalformedXML', CORS_DOCUMENT_TOO_LARGE_MESSAGE);
}

/**
 * The configuration document (≤ 64 KB, docs/spec/cors.md §4.14). PutBucketCors needs Content-MD5
 * or an `x-amz-checksum-*` value (header or aws-chunked trailer), and whichever is sent must
 * match the document (docs/spec/cors.md §1D step 2, §4.9).
 */
function readCorsDocument(ctx: S3Context): Promise<Buffer> {
  // UNVERIFIED(S3): the message AWS gives today when neither header is sent (Q9); this is the historic one.
  return readDocument(ctx, { maxBytes: CORS_MAX_DOCUMENT_BYTES, tooLarge: documentTooLarge, required: () => new S3Error('InvalidRequest', MISSING_CONTENT_MD5_MESSAGE) });
}

/** PutBucketCors: the new document replaces the old one entirely; 200 with an empty body. */
export const putBucketCors: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const body = await readCorsDocument(ctx);
  const result = validateCorsRules(corsConfigurationFromXml(body));
  if (!result.ok) throw new S3Error(result.error.code, result.error.message);
  ctx.services.storage.setBucketCors(bucket.name, result.config);
  return {};
};

/** GetBucketCors: the rules as stored (order and casing kept), from the compiled cache. */
export const getBucketCors: Handler = async (ctx) => {
  const name = ctx.bucket ?? '';
  const state = ctx.services.cors.state(name);
  if (state === 'missing') throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
  if (state === 'no-cors') throw new S3Error('NoSuchCORSConfiguration', undefined, { BucketName: name });
  return { body: corsConfigurationToXml(state.config) };
};

/** DeleteBucketCors: 204 whether or not a configuration existed. */
export const deleteBucketCors: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.setBucketCors(bucket.name, undefined);
  return { status: 204 };
};
