/**
 * GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl, and the ACL a creating request asks
 * for (CreateBucket, PutObject, CopyObject): a canned `x-amz-acl`, explicit `x-amz-grant-*`
 * headers, or (Put*Acl only) an AccessControlPolicy document. The grant model is in
 * `acl-grants.ts`; who may call these is decided in `authorize.ts`.
 */
import { MultiHasher, type AclGrant, type BucketInfo, type CannedAcl } from '../storage';
import {
  CANNED_ACLS, GRANT_HEADERS, LOG_DELIVERY, cannedGrants, checkGrantee, effectiveGrants, grantsFromHeader, unresolvableEmail,
} from './acl-grants';
import type { Handler, S3Context } from './context';
import { S3Error } from './errors';
import { H, headerValue } from './headers';
import { declaredChecksums, expectedMd5, requestedChecksums, verifyIntegrity } from './integrity';
import { accessControlPolicyXml, parseAccessControlPolicy, type AclOwner } from './shapes/access-control-policy';
import { readSmallBody } from './small-body';

/** What a request sets: a canned ACL (grants derived), or explicit grants. */
export interface RequestedAcl {
  acl: CannedAcl;
  grants?: AclGrant[];
}

const BASIC_CANNED: readonly string[] = ['private', 'public-read', 'public-read-write', 'authenticated-read'];

function knownUser(ctx: S3Context): (id: string) => boolean {
  return (id) => ctx.services.usersById.has(id);
}

function hasGrantHeaders(ctx: S3Context): boolean {
  return GRANT_HEADERS.some(([name]) => headerValue(ctx.headers, name) !== undefined);
}

/** `x-amz-acl` for a bucket or an object, as S3's canned ACL table defines it. */
function cannedFromHeader(value: string, kind: 'bucket' | 'object', owner: string, bucketOwner: string): RequestedAcl {
  if (BASIC_CANNED.includes(value)) return { acl: value as CannedAcl };
  // "If you specify this canned ACL when creating a bucket, Amazon S3 ignores it."
  if (kind === 'bucket' && CANNED_ACLS.includes(value)) return { acl: 'private' };
  if (kind === 'object' && CANNED_ACLS.includes(value)) return { acl: 'private', grants: cannedGrants(value, owner, bucketOwner) };
  if (kind === 'bucket' && value === 'log-delivery-write') {
    return {
      acl: 'private',
      grants: [...cannedGrants('private', owner), { grantee: { type: 'Group', uri: LOG_DELIVERY }, permission: 'WRITE' }, { grantee: { type: 'Group', uri: LOG_DELIVERY }, permission: 'READ_ACP' }],
    };
  }
  // DEVIATION(S3): aws-exec-read (EC2's AMI bundles) has no meaning here and is refused.
  throw new S3Error('InvalidArgument', undefined, { ArgumentName: 'x-amz-acl', ArgumentValue: value });
}

/**
 * The ACL named by `x-amz-acl` or the `x-amz-grant-*` headers, or undefined when the request
 * names none. Both at once is InvalidRequest, as in S3. Explicit grants are exactly those
 * listed: S3 does not add the owner's FULL_CONTROL to them.
 */
export function aclFromHeaders(ctx: S3Context, kind: 'bucket' | 'object', owner: string, bucketOwner: string = owner): RequestedAcl | undefined {
  const canned = headerValue(ctx.headers, H.amzAcl);
  const granted = hasGrantHeaders(ctx);
  if (canned !== undefined && granted) throw new S3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  if (canned !== undefined) return cannedFromHeader(canned, kind, owner, bucketOwner);
  if (!granted) return undefined;
  const grants: AclGrant[] = [];
  for (const [name, permission] of GRANT_HEADERS) {
    const value = headerValue(ctx.headers, name);
    if (value !== undefined) grants.push(...grantsFromHeader(name, value, permission, knownUser(ctx)));
  }
  return { acl: 'private', grants };
}

/** The ACL of a bucket or object a request creates: what its headers name, else `private`. */
export function requestedAcl(ctx: S3Context, kind: 'bucket' | 'object', owner: string, bucketOwner: string = owner): RequestedAcl {
  return aclFromHeaders(ctx, kind, owner, bucketOwner) ?? { acl: 'private' };
}

function ownerOf(ctx: S3Context, id: string): AclOwner {
  return { id, displayName: ctx.services.usersById.get(id)?.displayName ?? id };
}

function displayName(ctx: S3Context): (id: string) => string {
  return (id) => ctx.services.usersById.get(id)?.displayName ?? id;
}

/** The bucket an ACL request names; NoSuchBucket if absent. */
function requireBucket(ctx: S3Context): BucketInfo {
  const name = ctx.bucket ?? '';
  const bucket = ctx.services.storage.getBucket(name);
  if (!bucket) throw new S3Error('NoSuchBucket', undefined, { BucketName: name });
  return bucket;
}

/** The object a key-level ACL request names; NoSuchKey if absent. */
function requireObjectAccess(ctx: S3Context, bucket: BucketInfo) {
  const key = ctx.key ?? '';
  const access = ctx.services.storage.objectAccess(bucket.name, key);
  if (!access) throw new S3Error('NoSuchKey', undefined, { Key: key });
  return access;
}

/** Content-MD5 / x-amz-checksum-* of a document, when the client sent them. */
async function verifyBody(ctx: S3Context, body: Buffer): Promise<void> {
  const md5 = expectedMd5(ctx.headers);
  const declared = declaredChecksums(ctx.headers);
  const hasher = new MultiHasher(requestedChecksums(ctx.headers));
  hasher.update(body);
  const computed = await hasher.finish();
  verifyIntegrity({ file: '', size: body.length, md5: computed.md5, checksums: computed.checksums }, md5, declared);
}

/**
 * The new ACL of a Put*Acl request: from the headers or from the body, never both
 * (UnexpectedContent), never neither (MissingSecurityHeader). A document must name the
 * resource's owner (AccessDenied otherwise: an ACL cannot give a resource away).
 */
async function aclToPut(ctx: S3Context, kind: 'bucket' | 'object', owner: string, bucketOwner: string): Promise<RequestedAcl> {
  const fromHeaders = aclFromHeaders(ctx, kind, owner, bucketOwner);
  const body = await readSmallBody(ctx, 64 * 1024, new S3Error('MalformedACLError'));
  if (fromHeaders && body.length > 0) throw new S3Error('UnexpectedContent');
  if (fromHeaders) return fromHeaders;
  if (body.length === 0) throw new S3Error('MissingSecurityHeader', 'Your request was missing a required header', { MissingHeaderName: 'x-amz-acl' });
  await verifyBody(ctx, body);
  const policy = parseAccessControlPolicy(body);
  if (!ctx.services.usersById.has(policy.ownerId)) {
    throw new S3Error('InvalidArgument', 'Invalid id', { ArgumentName: 'CanonicalUser/ID', ArgumentValue: policy.ownerId });
  }
  if (policy.ownerId !== owner) throw new S3Error('AccessDenied');
  const grants: AclGrant[] = policy.grants.map(({ grantee, permission }) => {
    if (grantee.type === 'AmazonCustomerByEmail') throw unresolvableEmail(grantee.email);
    checkGrantee(grantee, knownUser(ctx), 'document');
    return { grantee, permission };
  });
  return { acl: 'private', grants };
}

/** GetBucketAcl */
export const getBucketAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  return { body: accessControlPolicyXml(ownerOf(ctx, bucket.owner), effectiveGrants(bucket), displayName(ctx)) };
};

/** PutBucketAcl: a canned ACL, grant headers or an AccessControlPolicy document. */
export const putBucketAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const next = await aclToPut(ctx, 'bucket', bucket.owner, bucket.owner);
  if (next.grants) ctx.services.storage.setBucketGrants(bucket.name, next.grants);
  else ctx.services.storage.setBucketAcl(bucket.name, next.acl);
  return {};
};

/** GetObjectAcl (unversioned: `versionId=null` or none). */
export const getObjectAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const object = requireObjectAccess(ctx, bucket);
  return { body: accessControlPolicyXml(ownerOf(ctx, object.owner), effectiveGrants(object), displayName(ctx)) };
};

/** PutObjectAcl */
export const putObjectAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const object = requireObjectAccess(ctx, bucket);
  const next = await aclToPut(ctx, 'object', object.owner, bucket.owner);
  const key = ctx.key ?? '';
  const found = next.grants
    ? ctx.services.storage.setObjectGrants(bucket.name, key, next.grants)
    : ctx.services.storage.setObjectAcl(bucket.name, key, next.acl);
  if (!found) throw new S3Error('NoSuchKey', undefined, { Key: key });
  return {};
};
