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
import type { AccessSource } from '../events';
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
  PutBucketWebsite: OWNER,
  GetBucketWebsite: OWNER,
  DeleteBucketWebsite: OWNER,
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

/** A decision and what made it, as the event bus carries it (server/events.ts). */
export interface AccessDecision {
  allowed: boolean;
  source: AccessSource;
  /** Built only when someone listens. */
  reason: () => string;
  /** A bucket policy statement's Sid, when a policy decided. */
  statement?: string;
}

/**
 * Reports an access decision to the event bus (the console's "Access decisions", `Running.events`).
 * Costs nothing while nobody listens. Every refusal made here goes through it; a bucket policy
 * evaluation reports its own with `source: 'policy'` and the deciding statement (an explicit
 * Allow may be reported too: `allowed: true`).
 */
export function reportAccess(ctx: S3Context, decision: AccessDecision, target: { bucket?: string; key?: string } = ctx): void {
  const events = ctx.services.events;
  if (!events.active) return;
  const { requestId, operation } = ctx;
  const accessKeyId = ctx.auth.user?.accessKeyId;
  const { bucket, key } = target;
  events.publish(() => ({
    type: 'access', requestId, operation,
    ...(bucket === undefined ? {} : { bucket }),
    ...(key === undefined ? {} : { key }),
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
    allowed: decision.allowed,
    source: decision.source,
    reason: decision.reason(),
    ...(decision.statement === undefined ? {} : { statement: decision.statement }),
  }));
}

const who = (ctx: S3Context) => (ctx.auth.user ? `user ${ctx.auth.user.accessKeyId}` : 'anonymous');

/** CopyObject / UploadPartCopy also read their source: READ on the source object. */
function checkCopySource(ctx: S3Context, userId: string | undefined): void {
  const source = parseCopySource(ctx);
  const storage = ctx.services.storage;
  const b = storage.getBucket(source.bucket);
  // A missing source bucket is the handler's NoSuchBucket.
  if (!b) return;
  if (!objectAllowed(b, storage.objectAccess(b.name, source.key, wellFormed(ctx, source.versionId)), userId, 'READ')) {
    reportAccess(ctx, { allowed: false, source: 'copy-source', reason: () => `the ACL of the copy source ${source.bucket}/${source.key} grants no READ to ${who(ctx)}` }, source);
    throw new S3Error('AccessDenied');
  }
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
  let source: AccessSource;
  if (need.on === 'owner') {
    ok = userId !== undefined && userId === b.owner;
    source = 'owner';
  } else if (need.on === 'bucket') {
    ok = allowed(b, userId, need.permission);
    source = 'bucket-acl';
  } else {
    // A version named by an id that is not well-formed is the handler's InvalidArgument.
    const versionId = ctx.query.get('versionId');
    let o: ObjectAccess | undefined;
    if (ctx.operation === 'GetObject' || ctx.operation === 'HeadObject') {
      // The full row, kept on the context: the handler serves it without reading it again.
      if (versionId === undefined || wellFormed(ctx, versionId) !== undefined) ctx.object = storage.headObject(b.name, ctx.key ?? '', versionId);
      // A delete marker has no ACL of its own: the key counts as absent (docs/spec/versioning.md §5 R3).
      o = ctx.object?.deleteMarker ? undefined : ctx.object;
    } else o = storage.objectAccess(b.name, ctx.key ?? '', wellFormed(ctx, versionId));
    ok = objectAllowed(b, o, userId, need.permission);
    source = o ? 'acl' : 'bucket-acl';
  }
  // Refusals go to the event bus (allowed requests are too many to be worth their cost there).
  if (!ok && ctx.services.events.active) {
    const name = b.name;
    const reason = need.on === 'owner'
      ? () => `${ctx.operation} is for the bucket owner alone; the request is from ${who(ctx)}`
      : () => `no grant of ${need.permission} on ${source === 'acl' ? `object ${name}/${ctx.key ?? ''}` : `bucket ${name}`} for ${who(ctx)} by its ACL`;
    reportAccess(ctx, { allowed: false, source, reason });
  }
  if (!ok) throw new S3Error('AccessDenied');
  if (ctx.operation === 'CopyObject' || ctx.operation === 'UploadPartCopy') checkCopySource(ctx, userId);
}

/** A version id storage can look up (`null` or well-formed); anything else reads the current entry. */
function wellFormed(ctx: S3Context, versionId: string | undefined): string | undefined {
  return versionId !== undefined && ctx.services.storage.isVersionId(versionId) ? versionId : undefined;
}
