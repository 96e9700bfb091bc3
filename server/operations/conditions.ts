/**
 * Conditional requests: If-Match / If-None-Match on writes, the four read conditions on
 * GET/HEAD (in the order of RFC 7232 §6, as S3 applies them), and the copy-source conditions
 * of CopyObject and UploadPartCopy.
 */
import { etagMatches, type BucketInfo, type ObjectInfo, type WriteConditions } from '../../storage';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { parseCopySource, type CopySource } from '../http/copy-source';
import { httpDate } from './object-meta';
import { NULL_VERSION, invalidVersionId, markerHeaders } from './version-target';

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

function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** RFC 7232 §6 order, as S3 applies it. Throws 412 or 304 (as S3Error) when a condition decides. */
export interface ConditionHeaders { ifMatch: string; ifNoneMatch: string; ifModifiedSince: string; ifUnmodifiedSince: string }

const READ_CONDITIONS: ConditionHeaders = { ifMatch: H.ifMatch, ifNoneMatch: H.ifNoneMatch, ifModifiedSince: H.ifModifiedSince, ifUnmodifiedSince: H.ifUnmodifiedSince };

export function checkReadConditions(headers: S3Context['headers'], info: ObjectInfo, names: ConditionHeaders = READ_CONDITIONS): void {
  // Last-Modified has one-second resolution on the wire.
  const modified = Math.floor(info.lastModified.getTime() / 1000) * 1000;
  const ifMatch = headerValue(headers, names.ifMatch);
  const ifNoneMatch = headerValue(headers, names.ifNoneMatch);
  // Built only when thrown: an Error captures a stack trace, too dear for every GET.
  const notModified = () => new S3Error('NotModified', undefined, {}, { [H.etag]: info.etag, [H.lastModified]: httpDate(info.lastModified) });
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, info.etag)) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  } else {
    const since = parseHttpDate(headerValue(headers, names.ifUnmodifiedSince));
    if (since !== undefined && modified > since) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Unmodified-Since' });
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, info.etag)) throw notModified();
  } else {
    const since = parseHttpDate(headerValue(headers, names.ifModifiedSince));
    if (since !== undefined && modified <= since) throw notModified();
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
  const bucket = storage.getBucket(source.bucket);
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: source.bucket });
  const src = copySourceVersion(ctx, bucket, source);
  try {
    checkReadConditions(ctx.headers, src, COPY_CONDITIONS);
  } catch (err) {
    if (err instanceof S3Error && err.code === 'NotModified') throw new S3Error('PreconditionFailed');
    throw err;
  }
  return { source, src };
}

/**
 * The source entry of a copy (docs/spec/versioning.md §3 I3, §4 W5): its current version, or the
 * one `?versionId=` names; a delete marker is never a source.
 */
function copySourceVersion(ctx: S3Context, bucket: BucketInfo, source: CopySource): ObjectInfo {
  const partCopy = ctx.operation === 'UploadPartCopy';
  const versionId = source.versionId;
  if (versionId !== undefined) {
    if (versionId === '') {
      throw new S3Error('InvalidArgument', 'Version id cannot be the empty string', { ArgumentName: H.amzCopySource, ArgumentValue: '' });
    }
    if (versionId !== NULL_VERSION && (bucket.versioning === undefined || !ctx.services.storage.isVersionId(versionId))) {
      if (partCopy) throw invalidVersionId(versionId, H.amzCopySource);
      throw new S3Error('InvalidRequest', 'Invalid Request');
    }
  }
  const src = ctx.services.storage.headObject(bucket.name, source.key, versionId);
  if (!src) {
    // UNVERIFIED(S3): a well-formed source id naming nothing is NoSuchVersion (docs/spec/versioning.md §12).
    if (versionId !== undefined && bucket.versioning !== undefined) throw new S3Error('NoSuchVersion', undefined, { Key: source.key, VersionId: versionId });
    throw new S3Error('NoSuchKey', undefined, { Key: source.key });
  }
  if (src.deleteMarker) {
    if (versionId === undefined) throw new S3Error('NoSuchKey', undefined, { Key: source.key }, markerHeaders(src));
    throw new S3Error('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.');
  }
  return src;
}
