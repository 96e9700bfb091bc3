/**
 * The version a request names (docs/spec/versioning.md §3, §5): the `versionId` parameter
 * validated, the entry it targets, and the answers S3 gives when that entry is a delete marker,
 * is gone, or never was.
 */
import type { BucketInfo, ObjectInfo } from '../../storage';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H } from '../headers';
import { httpDate } from './object-meta';

export const NULL_VERSION = 'null';

/** §3 I2: 400 InvalidArgument "Invalid version id specified". */
export function invalidVersionId(id: string, argumentName = 'versionId'): S3Error {
  return new S3Error('InvalidArgument', 'Invalid version id specified', { ArgumentName: argumentName, ArgumentValue: id });
}

/**
 * §3 I1–I2: `null`, or an id this data directory could have made in a bucket that was ever
 * versioned; the empty string and anything else are InvalidArgument.
 */
export function checkVersionId(ctx: S3Context, bucket: BucketInfo, id: string, argumentName = 'versionId'): string {
  if (id === '') throw new S3Error('InvalidArgument', 'Version id cannot be the empty string', { ArgumentName: argumentName, ArgumentValue: '' });
  if (id === NULL_VERSION) return id;
  if (bucket.versioning === undefined || !ctx.services.storage.isVersionId(id)) throw invalidVersionId(id, argumentName);
  return id;
}

/** The `versionId` query parameter, validated; undefined when absent. */
export function requestedVersionId(ctx: S3Context, bucket: BucketInfo): string | undefined {
  const id = ctx.query.get('versionId');
  return id === undefined ? undefined : checkVersionId(ctx, bucket, id);
}

/** §5 R2: `x-amz-version-id` once the bucket was ever versioned (`null` for null versions). */
export function versionHeader(bucket: BucketInfo, versionId: string): Record<string, string> {
  return bucket.versioning === undefined ? {} : { [H.amzVersionId]: versionId };
}

/**
 * §4 W2: the header a PutObject, CompleteMultipartUpload or POST Object answers: the new id when
 * Enabled, none otherwise (UNVERIFIED(S3): none for POST Object when Suspended); set on `out`.
 */
export function newVersionHeader(bucket: BucketInfo, versionId: string, out: Record<string, string | undefined> = {}): Record<string, string> {
  if (bucket.versioning === 'Enabled') out[H.amzVersionId] = versionId;
  return out as Record<string, string>;
}

/** §5 R3: the headers that say the current entry (or the one named) is a delete marker. */
export function markerHeaders(marker: ObjectInfo): Record<string, string> {
  return { [H.amzDeleteMarker]: 'true', [H.amzVersionId]: marker.versionId };
}

/** §5 R4, R7: 405 on a delete marker named by id (or, without marker headers, a current one). */
export function methodNotAllowed(method: string, marker: ObjectInfo, withMarkerHeaders: boolean): S3Error {
  const headers: Record<string, string> = { allow: 'DELETE' };
  if (withMarkerHeaders) Object.assign(headers, markerHeaders(marker), { [H.lastModified]: httpDate(marker.lastModified) });
  return new S3Error('MethodNotAllowed', undefined, { Method: method, ResourceType: 'DeleteMarker' }, headers);
}

export interface TargetOptions {
  /** What a current delete marker answers without an id: 404 NoSuchKey with marker headers (GET), or 405 (PutObjectAcl). */
  currentMarker: 'NoSuchKey' | 'MethodNotAllowed';
  /** The entry authorize() already read, if any. */
  entry?: ObjectInfo | undefined;
}

/** §5 R1, R3–R5, R7: the object version a request acts on. */
export function targetVersion(ctx: S3Context, bucket: BucketInfo, versionId: string | undefined, options: TargetOptions): ObjectInfo {
  const key = ctx.key ?? '';
  const info = 'entry' in options ? options.entry : ctx.services.storage.headObject(bucket.name, key, versionId);
  if (!info) {
    // UNVERIFIED(S3): a well-formed id on a key without entries is NoSuchVersion too (docs/spec/versioning.md §12);
    // a never-versioned bucket has only null versions, so `versionId=null` there is NoSuchKey.
    if (versionId === undefined || bucket.versioning === undefined) throw new S3Error('NoSuchKey', undefined, { Key: key });
    throw new S3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
  }
  if (info.deleteMarker) {
    if (versionId !== undefined) throw methodNotAllowed(ctx.method, info, true);
    if (options.currentMarker === 'MethodNotAllowed') throw methodNotAllowed(ctx.method, info, false);
    throw new S3Error('NoSuchKey', undefined, { Key: key }, markerHeaders(info));
  }
  return info;
}
