/**
 * The ACL a request asks for (CreateBucket, PutObject, CopyObject, Put*Acl): a canned
 * `x-amz-acl` or explicit `x-amz-grant-*` headers, as S3's ACL overview defines them.
 */
import { isCannedAcl, type AclGrant, type CannedAcl } from '../../storage';
import { ALL_CANNED_ACLS, GRANT_HEADERS, LOG_DELIVERY, cannedGrants, grantsFromHeader } from './acl-grants';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';

/** What a request sets: a canned ACL (grants derived), or explicit grants. */
export interface RequestedAcl {
  acl: CannedAcl;
  grants?: AclGrant[];
}


export function knownUser(ctx: S3Context): (id: string) => boolean {
  return (id) => ctx.services.usersById.has(id);
}

function hasGrantHeaders(ctx: S3Context): boolean {
  return GRANT_HEADERS.some(([name]) => headerValue(ctx.headers, name) !== undefined);
}

/** `x-amz-acl` for a bucket or an object, as S3's canned ACL table defines it. */
function cannedFromHeader(value: string, kind: 'bucket' | 'object', owner: string, bucketOwner: string): RequestedAcl {
  if (isCannedAcl(value)) return { acl: value };
  // "If you specify this canned ACL when creating a bucket, Amazon S3 ignores it."
  if (kind === 'bucket' && ALL_CANNED_ACLS.includes(value)) return { acl: 'private' };
  if (kind === 'object' && ALL_CANNED_ACLS.includes(value)) return { acl: 'private', grants: cannedGrants(value, owner, bucketOwner) };
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
