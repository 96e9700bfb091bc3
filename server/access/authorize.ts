/**
 * Access: which ACL permission each operation needs, on the bucket or on the object, checked
 * against the requester (a user, or anonymous). The mapping is S3's "Mapping of ACL permissions
 * and access policy permissions": READ on a bucket lists it, WRITE on a bucket creates,
 * overwrites and deletes its objects, READ on an object reads it, READ_ACP / WRITE_ACP read and
 * write the ACL, FULL_CONTROL is all four. Everything else (CORS, DeleteBucket, location,
 * versioning...) belongs to the bucket owner alone, as S3 grants it without a bucket policy.
 */
import type { AclPermission, BucketInfo, ObjectAccess } from '../../storage';
import { ALL_USERS, AUTHENTICATED_USERS, allowed, effectiveGrants } from './acl-grants';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { parseCopySource } from '../http/copy-source';
import { isImplemented, type ImplementedOperation, type Operation } from '../operation-names';

type Need =
  | { on: 'bucket'; permission: AclPermission }
  | { on: 'object'; permission: AclPermission }
  /** The handler decides: ListBuckets and CreateBucket need a signed-in user, PostObject its policy. */
  | { on: 'handler' }
  /** The bucket owner alone (as S3 grants it without a bucket policy). */
  | { on: 'owner' };

const OWNER: Need = { on: 'owner' };

const bucket = (permission: AclPermission): Need => ({ on: 'bucket', permission });
const object = (permission: AclPermission): Need => ({ on: 'object', permission });

export const ACCESS = {
  ListBuckets: { on: 'handler' },
  CreateBucket: { on: 'handler' },
  PostObject: { on: 'handler' },
  DeleteBucket: OWNER,
  GetBucketLocation: OWNER,
  GetBucketVersioning: OWNER,
  PutBucketVersioning: OWNER,
  GetObjectLockConfiguration: OWNER,
  PutObjectLockConfiguration: OWNER,
  // UNVERIFIED(S3): no ACL permission maps onto the retention and legal-hold actions: the bucket owner's.
  GetObjectRetention: OWNER,
  PutObjectRetention: OWNER,
  GetObjectLegalHold: OWNER,
  PutObjectLegalHold: OWNER,
  PutBucketCors: OWNER,
  GetBucketCors: OWNER,
  DeleteBucketCors: OWNER,
  HeadBucket: bucket('READ'),
  ListObjects: bucket('READ'),
  ListObjectsV2: bucket('READ'),
  ListObjectVersions: bucket('READ'),
  ListMultipartUploads: bucket('READ'),
  PutObject: bucket('WRITE'),
  CopyObject: bucket('WRITE'),
  DeleteObject: bucket('WRITE'),
  DeleteObjects: bucket('WRITE'),
  CreateMultipartUpload: bucket('WRITE'),
  UploadPart: bucket('WRITE'),
  UploadPartCopy: bucket('WRITE'),
  CompleteMultipartUpload: bucket('WRITE'),
  AbortMultipartUpload: bucket('WRITE'),
  // UNVERIFIED(S3): s3:ListMultipartUploadParts goes to the bucket owner and the initiator; the
  // initiator of an upload into another's bucket holds WRITE on it.
  ListParts: bucket('WRITE'),
  GetBucketAcl: bucket('READ_ACP'),
  PutBucketAcl: bucket('WRITE_ACP'),
  GetObject: object('READ'),
  HeadObject: object('READ'),
  GetObjectAcl: object('READ_ACP'),
  PutObjectAcl: object('WRITE_ACP'),
  // docs/spec/bucket-config.md §B: configurations are the owner's. UNVERIFIED(S3): the ACL
  // mapping of object tagging (S3 grants it by policy; here READ reads it, WRITE_ACP changes it).
  PutBucketTagging: OWNER,
  GetBucketTagging: OWNER,
  DeleteBucketTagging: OWNER,
  PutObjectTagging: object('WRITE_ACP'),
  GetObjectTagging: object('READ'),
  DeleteObjectTagging: object('WRITE_ACP'),
  PutBucketEncryption: OWNER,
  GetBucketEncryption: OWNER,
  DeleteBucketEncryption: OWNER,
  PutBucketLifecycleConfiguration: OWNER,
  GetBucketLifecycleConfiguration: OWNER,
  DeleteBucketLifecycle: OWNER,
  PutBucketRequestPayment: OWNER,
  GetBucketRequestPayment: OWNER,
  PutBucketAccelerateConfiguration: OWNER,
  GetBucketAccelerateConfiguration: OWNER,
  PutBucketLogging: OWNER,
  GetBucketLogging: OWNER,
  PutBucketNotificationConfiguration: OWNER,
  GetBucketNotificationConfiguration: OWNER,
  PutBucketReplication: OWNER,
  GetBucketReplication: OWNER,
  DeleteBucketReplication: OWNER,
  GetBucketWebsite: OWNER,
  ListBucketAnalyticsConfigurations: OWNER,
  ListBucketMetricsConfigurations: OWNER,
  ListBucketInventoryConfigurations: OWNER,
  ListBucketIntelligentTieringConfigurations: OWNER,
  GetBucketAnalyticsConfiguration: OWNER,
  GetBucketMetricsConfiguration: OWNER,
  GetBucketInventoryConfiguration: OWNER,
  GetBucketIntelligentTieringConfiguration: OWNER,
  GetObjectAttributes: object('READ'),
} as const satisfies Record<ImplementedOperation, Need>;

/** The need of an operation; an unimplemented one (answered 501 after authentication) is the owner's. */
export function accessNeed(operation: Operation): Need {
  return isImplemented(operation) ? ACCESS[operation] : OWNER;
}

/**
 * DEVIATION(S3): a bucket whose ACL lets a group (AllUsers, AuthenticatedUsers) READ also lets
 * that group read its objects. In S3 an object's ACL alone decides and a public bucket of
 * public objects takes a bucket policy, which crossbucket does not implement; this is what
 * such policies do. Grants to single users on the bucket do not extend to its objects.
 */
function bucketGroupReads(b: BucketInfo, userId: string | undefined): boolean {
  return effectiveGrants(b).some((g) => g.grantee.type === 'Group'
    && (g.permission === 'READ' || g.permission === 'FULL_CONTROL')
    && (g.grantee.uri === ALL_USERS || (userId !== undefined && g.grantee.uri === AUTHENTICATED_USERS)));
}

/**
 * Whether a user may use an object: its own ACL, the deviation above, and for a key that does
 * not exist, READ on the bucket (S3 answers 404 only to those who may list the bucket, 403 to
 * everyone else).
 */
export function objectAllowed(b: BucketInfo, o: ObjectAccess | undefined, userId: string | undefined, permission: AclPermission): boolean {
  if (!o) return allowed(b, userId, 'READ');
  if (allowed(o, userId, permission)) return true;
  return permission === 'READ' && bucketGroupReads(b, userId);
}

/** CopyObject / UploadPartCopy also read their source: READ on the source object. */
function checkCopySource(ctx: S3Context, userId: string | undefined): void {
  const source = parseCopySource(ctx);
  const storage = ctx.services.storage;
  const b = storage.getBucket(source.bucket);
  // A missing source bucket is the handler's NoSuchBucket.
  if (!b) return;
  if (!objectAllowed(b, storage.objectAccess(b.name, source.key, wellFormed(ctx, source.versionId)), userId, 'READ')) throw new S3Error('AccessDenied');
}

export function authorize(ctx: S3Context): void {
  const need = accessNeed(ctx.operation);
  if (need.on === 'handler' || ctx.bucket === undefined) return;
  const storage = ctx.services.storage;
  const b = storage.getBucket(ctx.bucket);
  // A missing bucket is the handler's NoSuchBucket (S3 answers 404 to anyone for it).
  if (!b) return;
  const userId = ctx.auth.user?.id;
  let ok: boolean;
  if (need.on === 'owner') ok = userId !== undefined && userId === b.owner;
  else if (need.on === 'bucket') ok = allowed(b, userId, need.permission);
  else if (ctx.operation === 'GetObject' || ctx.operation === 'HeadObject') {
    // The full row, kept on the context: the handler serves it without reading it again.
    // A version named by an id that is not well-formed is the handler's InvalidArgument.
    const versionId = ctx.query.get('versionId');
    if (versionId === undefined || wellFormed(ctx, versionId) !== undefined) ctx.object = storage.headObject(b.name, ctx.key ?? '', versionId);
    // A delete marker has no ACL of its own: the key counts as absent (docs/spec/versioning.md §5 R3).
    ok = objectAllowed(b, ctx.object?.deleteMarker ? undefined : ctx.object, userId, need.permission);
  } else ok = objectAllowed(b, storage.objectAccess(b.name, ctx.key ?? '', wellFormed(ctx, ctx.query.get('versionId'))), userId, need.permission);
  if (!ok) throw new S3Error('AccessDenied');
  if (ctx.operation === 'CopyObject' || ctx.operation === 'UploadPartCopy') checkCopySource(ctx, userId);
}

/** A version id storage can look up (`null` or well-formed); anything else reads the current entry. */
function wellFormed(ctx: S3Context, versionId: string | undefined): string | undefined {
  return versionId !== undefined && ctx.services.storage.isVersionId(versionId) ? versionId : undefined;
}
