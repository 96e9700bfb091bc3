/** CopyObject: metadata directive COPY/REPLACE, copy-source conditions; bytes shared by hard link. */
import type { NewObject } from '../storage';
import { requestedAcl } from './acl';
import { requireBucket } from './bucket';
import type { Handler, S3Context } from './context';
import { S3Error } from './errors';
import { H, headerValue } from './headers';
import { etagOf } from './integrity';
import { assertKeyLength, metaFromHeaders } from './object-meta';
import { checkReadConditions } from './object-get';
import { writeConditions } from './object-put';
import { storageCall } from './storage-errors';
import { buildXml } from './xml';

/** `x-amz-copy-source: /bucket/key?versionId=...` (URL-encoded, leading slash optional). */
export function parseCopySource(ctx: S3Context): { bucket: string; key: string } {
  const raw = headerValue(ctx.headers, H.amzCopySource) ?? '';
  const q = raw.indexOf('?');
  let path = q < 0 ? raw : raw.slice(0, q);
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new S3Error('InvalidArgument', 'Invalid copy source object key', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  try {
    return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    throw new S3Error('InvalidArgument', 'Invalid copy source encoding', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  }
}

const COPY_CONDITIONS = {
  ifMatch: H.amzCopySourceIfMatch,
  ifNoneMatch: H.amzCopySourceIfNoneMatch,
  ifModifiedSince: H.amzCopySourceIfModifiedSince,
  ifUnmodifiedSince: H.amzCopySourceIfUnmodifiedSince,
};

/** The source object of a copy, its copy-source conditions checked (412 on failure, never 304). */
export function copySourceObject(ctx: S3Context) {
  const source = parseCopySource(ctx);
  const storage = ctx.services.storage;
  if (!storage.getBucket(source.bucket)) throw new S3Error('NoSuchBucket', undefined, { BucketName: source.bucket });
  const src = storage.headObject(source.bucket, source.key);
  if (!src) throw new S3Error('NoSuchKey', undefined, { Key: source.key });
  try {
    checkReadConditions(ctx.headers, src, COPY_CONDITIONS);
  } catch (err) {
    if (err instanceof S3Error && err.code === 'NotModified') throw new S3Error('PreconditionFailed');
    throw err;
  }
  return { source, src };
}

/** CopyObject */
export const copyObject: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  const { source, src } = copySourceObject(ctx);
  const directive = (headerValue(ctx.headers, H.amzMetadataDirective) ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new S3Error('InvalidArgument', 'Unknown metadata directive.', { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive });
  }
  if (source.bucket === bucket.name && source.key === key && directive === 'COPY' && headerValue(ctx.headers, H.amzStorageClass) === undefined) {
    throw new S3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const object: NewObject = {
    meta: directive === 'REPLACE' ? metaFromHeaders(ctx.headers) : src.meta,
    etag: src.etag,
    checksums: src.checksums,
    owner: ctx.auth.user?.id ?? bucket.owner,
    ...requestedAcl(ctx, 'object', ctx.auth.user?.id ?? bucket.owner, bucket.owner),
  };
  const storage = ctx.services.storage;
  const conditions = writeConditions(ctx);
  let info;
  if (src.segments.length === 1) {
    info = await storageCall(ctx, () => storage.copyObject(src, bucket.name, key, object, conditions));
  } else {
    // A multipart source becomes one single-part object, with a plain MD5 ETag.
    const algorithms = Object.keys(src.checksums) as Array<keyof typeof src.checksums>;
    const staged = await storage.stage(storage.readObject(src), { checksums: algorithms, inline: true });
    object.etag = etagOf(staged.md5);
    object.checksums = staged.checksums;
    info = await storageCall(ctx, () => storage.commitObject(bucket.name, key, staged, object, conditions));
  }
  const result: Record<string, string> = { LastModified: info.lastModified.toISOString(), ETag: info.etag };
  for (const [alg, v] of Object.entries(info.checksums)) if (v !== undefined) result[`Checksum${alg.toUpperCase()}`] = v;
  return {
    body: buildXml('CopyObjectResult', result),
  };
};
