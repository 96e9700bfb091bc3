/**
 * Access: a bucket's owner may do anything with it; anyone else (another user, or anonymous)
 * only what the bucket's or object's canned ACL grants.
 */
import type { CannedAcl } from '../storage';
import type { S3Context } from './context';
import { S3Error } from './errors';

/** Operations that need READ on the bucket (listing). */
const BUCKET_READ = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'HeadBucket', 'GetBucketLocation', 'ListMultipartUploads']);
/** Operations that need READ on the object. */
const OBJECT_READ = new Set(['GetObject', 'HeadObject']);
/** Operations that need WRITE on the bucket. */
const BUCKET_WRITE = new Set([
  'PutObject', 'DeleteObject', 'DeleteObjects', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy',
  'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts',
]);
/** Authenticated by their own means (POST policy) or needing only a user. */
const SELF_AUTHORIZED = new Set(['PostObject', 'ListBuckets', 'CreateBucket']);

function grantsRead(acl: CannedAcl, authenticated: boolean): boolean {
  return acl === 'public-read' || acl === 'public-read-write' || (authenticated && acl === 'authenticated-read');
}

export function authorize(ctx: S3Context): void {
  const op = ctx.operation;
  if (SELF_AUTHORIZED.has(op) || ctx.bucket === undefined) return;
  const bucket = ctx.services.storage.getBucket(ctx.bucket);
  // A missing bucket is the handler's NoSuchBucket (S3 answers 404 to anyone for it).
  if (!bucket) return;
  const user = ctx.auth.user;
  if (user && user.id === bucket.owner) return;
  const authenticated = user !== undefined;
  if (BUCKET_READ.has(op) && grantsRead(bucket.acl, authenticated)) return;
  if (BUCKET_WRITE.has(op) && bucket.acl === 'public-read-write') return;
  if (OBJECT_READ.has(op)) {
    // DEVIATION(S3): a public-read bucket ACL also makes its objects readable. In S3 that takes
    // a bucket policy, which crossbucket does not implement; this is what such policies do.
    if (grantsRead(bucket.acl, authenticated)) return;
    const object = ctx.services.storage.headObject(bucket.name, ctx.key ?? '');
    if (object && grantsRead(object.acl, authenticated)) return;
  }
  throw new S3Error('AccessDenied');
}
