/**
 * GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl: a canned `x-amz-acl`, explicit
 * `x-amz-grant-*` headers (read by access/requested-acl.ts), or an AccessControlPolicy
 * document. The grant model is in access/acl-grants.ts; who may call these is decided in
 * access/authorize.ts.
 */
import type { AclGrant, BucketInfo, ObjectAccess } from '../../storage';
import { checkGrantee, effectiveGrants, unresolvableEmail } from '../access/acl-grants';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { accessControlPolicyXml, parseAccessControlPolicy, type AclOwner } from '../xml/access-control-policy';
import { readDocument } from '../body/small-body';
import { requireBucket } from './common';
import { checkBucketAclWrite, checkObjectAclWrite, visibleAcl } from '../access/acl-rules';
import { aclFromHeaders, knownUser, type RequestedAcl } from '../access/requested-acl';
import { requestedVersionId, targetVersion, versionHeader } from './version-target';

function ownerOf(ctx: S3Context, id: string): AclOwner {
  return { id, displayName: ctx.services.usersById.get(id)?.displayName ?? id };
}

function displayName(ctx: S3Context): (id: string) => string {
  return (id) => ctx.services.usersById.get(id)?.displayName ?? id;
}

/**
 * The version a key-level ACL request names (docs/spec/versioning.md §5 R6–R7): a current delete
 * marker is 404 for GetObjectAcl, 405 for PutObjectAcl; one named by id is 405.
 */
function requireObjectAccess(ctx: S3Context, bucket: BucketInfo) {
  const versionId = requestedVersionId(ctx, bucket);
  const info = targetVersion(ctx, bucket, versionId, { currentMarker: ctx.method === 'GET' ? 'NoSuchKey' : 'MethodNotAllowed' });
  const access: ObjectAccess = { owner: info.owner, acl: info.acl };
  if (info.grants) access.grants = info.grants;
  return { access, versionId: info.versionId, headers: versionHeader(bucket, info.versionId) };
}

/**
 * The new ACL of a Put*Acl request: from the headers or from the body, never both
 * (UnexpectedContent), never neither (MissingSecurityHeader). A document must name the
 * resource's owner (AccessDenied otherwise: an ACL cannot give a resource away).
 */
async function aclToPut(ctx: S3Context, kind: 'bucket' | 'object', owner: string, bucketOwner: string): Promise<RequestedAcl> {
  const fromHeaders = aclFromHeaders(ctx, kind, owner, bucketOwner);
  const body = await readDocument(ctx, { maxBytes: 64 * 1024, tooLarge: () => new S3Error('MalformedACLError') });
  if (fromHeaders && body.length > 0) throw new S3Error('UnexpectedContent');
  if (fromHeaders) return fromHeaders;
  if (body.length === 0) throw new S3Error('MissingSecurityHeader', 'Your request was missing a required header', { MissingHeaderName: 'x-amz-acl' });
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

/** The ACL document of a bucket or object, as its bucket's ownership and IgnorePublicAcls show it. */
function aclXml(ctx: S3Context, bucket: BucketInfo, owner: string, grants: AclGrant[]): string {
  const shown = visibleAcl(bucket, owner, grants);
  return accessControlPolicyXml(ownerOf(ctx, shown.owner), shown.grants, displayName(ctx));
}

/** GetBucketAcl */
export const getBucketAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  return { body: aclXml(ctx, bucket, bucket.owner, effectiveGrants(bucket)) };
};

/**
 * PutBucketAcl: a canned ACL, grant headers or an AccessControlPolicy document; refused on a
 * bucket whose ACLs are disabled, and a public one under BlockPublicAcls (docs/spec/access.md §6 R6.3, §5 R5.4).
 */
export const putBucketAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const next = await aclToPut(ctx, 'bucket', bucket.owner, bucket.owner);
  checkBucketAclWrite(bucket, next);
  if (next.grants) ctx.services.storage.setBucketGrants(bucket.name, next.grants);
  else ctx.services.storage.setBucketAcl(bucket.name, next.acl);
  return {};
};

/** GetObjectAcl */
export const getObjectAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const { access: object, headers } = requireObjectAccess(ctx, bucket);
  return { headers, body: aclXml(ctx, bucket, object.owner, effectiveGrants(object)) };
};

/** PutObjectAcl */
export const putObjectAcl: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const { access: object, versionId, headers } = requireObjectAccess(ctx, bucket);
  const next = await aclToPut(ctx, 'object', object.owner, bucket.owner);
  checkObjectAclWrite(bucket, headerValue(ctx.headers, H.amzAcl), next);
  const key = ctx.key ?? '';
  // §6 R6.3: an accepted ACL changes nothing while ACLs are disabled.
  if (bucket.ownership === 'BucketOwnerEnforced') return { headers };
  const found = next.grants
    ? ctx.services.storage.setObjectGrants(bucket.name, key, next.grants, versionId)
    : ctx.services.storage.setObjectAcl(bucket.name, key, next.acl, versionId);
  if (!found) throw new S3Error('NoSuchKey', undefined, { Key: key });
  return { headers };
};
