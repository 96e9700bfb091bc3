/**
 * What several operation handlers share: the bucket, object or upload a request names (or the
 * S3 error when it does not exist), the ACL a write gives its object, S3's size limits, checksum headers.
 */
import type { BucketInfo, UploadInfo } from '../../storage';
import { checkObjectAclWrite } from '../access/acl-rules';
import { aclFromHeaders, type RequestedAcl } from '../access/requested-acl';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, checksumHeader, headerValue } from '../headers';

/**
 * The ACL of an object a write creates (PutObject, CopyObject, CreateMultipartUpload): what the headers name, checked
 * against the bucket's Object Ownership and Block Public Access (docs/spec/access.md §6 R6.3, §5
 * R5.4); `private` when none is named or ACLs are disabled.
 */
export function objectWriteAcl(ctx: S3Context, bucket: BucketInfo, owner: string): RequestedAcl {
  const acl = aclFromHeaders(ctx, 'object', owner, bucket.owner);
  checkObjectAclWrite(bucket, headerValue(ctx.headers, H.amzAcl), acl);
  if (acl === undefined || bucket.ownership === 'BucketOwnerEnforced') return { acl: 'private' };
  return acl;
}

/** The bucket a bucket-level request names; NoSuchBucket if it does not exist. */
export function requireBucket(ctx: S3Context) {
  const name = ctx.bucket ?? '';
  const bucket = ctx.services.storage.getBucket(name);
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
  return bucket;
}

/** S3's part limits: numbers 1..10000, at most 5 GiB each, at least 5 MiB but the last. */
export const MAX_PART_NUMBER = 10000;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** The upload named by `?uploadId=` for this bucket and key; NoSuchUpload otherwise. */
export function requireUpload(ctx: S3Context, bucket: string, key: string): UploadInfo {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = ctx.services.storage.getUpload(bucket, key, uploadId);
  if (!upload) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return upload;
}

/** S3's single-request upload limit. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

/** The body size a request declares (`x-amz-decoded-content-length` of aws-chunked, else Content-Length). */
export function declaredBodySize(headers: S3Context['headers']): number | undefined {
  const v = headerValue(headers, H.amzDecodedContentLength) ?? headerValue(headers, H.contentLength);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * EntityTooLarge before any byte is read when the declared size is over `max` (with
 * `Expect: 100-continue`, instead of `100 Continue`: see server/app.ts).
 * UNVERIFIED(S3): the extra elements (those S3 gives when the body grows past the limit).
 */
export function assertDeclaredSize(ctx: S3Context, max: number): void {
  const size = declaredBodySize(ctx.headers);
  if (size !== undefined && size > max) throw new S3Error('EntityTooLarge', undefined, { ProposedSize: String(size), MaxSizeAllowed: String(max) });
}

/** Checksum response headers for a write (S3 echoes the checksums it verified), set on `out`. */
export function checksumHeaders(checksums: Record<string, string | undefined>, out: Record<string, string | undefined> = {}): Record<string, string> {
  let any = false;
  for (const [alg, v] of Object.entries(checksums)) {
    if (v === undefined) continue;
    out[checksumHeader(alg)] = v;
    any = true;
  }
  if (any) out[H.amzChecksumType] = 'FULL_OBJECT';
  return out as Record<string, string>;
}
