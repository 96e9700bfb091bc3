/** PutObject: the body streams into storage while hashed; integrity and conditions decide the commit. */
import type { NewObject, WriteConditions } from '../storage';
import { requestedAcl } from './acl';
import { requireBucket } from './bucket';
import type { Handler, S3Context } from './context';
import { S3Error } from './errors';
import { H, headerValue } from './headers';
import { declaredChecksums, etagOf, expectedMd5, requestedChecksums, verifyIntegrity } from './integrity';
import { assertKeyLength, metaFromHeaders } from './object-meta';
import { decodedBody } from './payload';
import { storageCall } from './storage-errors';

/** S3's single-request upload limit. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

/** `If-None-Match: *` and `If-Match` on a write (conditional writes). */
export function writeConditions(ctx: S3Context): WriteConditions {
  const conditions: WriteConditions = {};
  const noneMatch = headerValue(ctx.headers, H.ifNoneMatch);
  if (noneMatch !== undefined) {
    if (noneMatch.trim() !== '*') throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
    conditions.ifNoneMatchAny = true;
  }
  const match = headerValue(ctx.headers, H.ifMatch);
  if (match !== undefined) conditions.ifMatch = match;
  return conditions;
}

/** Checksum response headers for a write (S3 echoes the checksums it verified). */
export function checksumHeaders(checksums: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [alg, v] of Object.entries(checksums)) if (v !== undefined) out[H.amzChecksumPrefix + alg] = v;
  if (Object.keys(out).length > 0) out[H.amzChecksumType] = 'FULL_OBJECT';
  return out;
}

/** PutObject */
export const putObject: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  const meta = metaFromHeaders(ctx.headers);
  const acl = requestedAcl(ctx, 'object', ctx.auth.user?.id ?? bucket.owner, bucket.owner);
  const md5 = expectedMd5(ctx.headers);
  const conditions = writeConditions(ctx);
  const algorithms = requestedChecksums(ctx.headers);
  const body = decodedBody(ctx);
  const staged = await storageCall(ctx, () => ctx.services.storage.stage(body.stream, { checksums: algorithms, maxSize: MAX_PUT_SIZE, inline: true }));
  try {
    await body.finished();
    verifyIntegrity(staged, md5, declaredChecksums(ctx.headers, body.trailers()));
  } catch (err) {
    await ctx.services.storage.discard(staged);
    throw err;
  }
  const object: NewObject = {
    meta,
    etag: etagOf(staged.md5),
    checksums: staged.checksums,
    owner: ctx.auth.user?.id ?? bucket.owner,
    ...acl,
  };
  const info = await storageCall(ctx, () => ctx.services.storage.commitObject(bucket.name, key, staged, object, conditions));
  return { headers: { [H.etag]: info.etag, ...checksumHeaders(info.checksums) } };
};
