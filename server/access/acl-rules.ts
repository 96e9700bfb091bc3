/**
 * Object Ownership and Block Public Access applied to ACL writes and reads (docs/spec/access.md
 * §1 R1.7, §5 R5.4-R5.5, §6 R6.3-R6.4). Authorization comes first; these checks then refuse what
 * the bucket's settings forbid: `400 AccessControlListNotSupported` when ACLs are disabled, `403
 * AccessDenied` for a public ACL under BlockPublicAcls.
 */
import {
  aclGrantsOthers, enforcedAcceptsObjectAcl, isPublicAcl, isPublicCannedAcl, isPublicGrant, newObjectOwner,
} from '../../policy-engine';
import type { AclGrant, BucketInfo } from '../../storage';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { accountOf } from './access-decision';
import type { RequestedAcl } from './requested-acl';

const aclsDisabled = () => new S3Error('AccessControlListNotSupported');

function isPublic(canned: string | undefined, acl: RequestedAcl): boolean {
  return (canned !== undefined && isPublicCannedAcl(canned)) || (acl.grants !== undefined && isPublicAcl(acl.grants));
}

/**
 * An ACL carried by PutObject, CopyObject, CreateMultipartUpload, PutObjectAcl or a POST form
 * (`canned`: the name as sent, `acl`: what it resolves to). Under BucketOwnerEnforced only none,
 * `bucket-owner-full-control` or grants amounting to the bucket owner's FULL_CONTROL pass (§6
 * R6.3); under BlockPublicAcls a public one is refused (§5 R5.4; UNVERIFIED(S3) for CopyObject
 * and CreateMultipartUpload).
 */
export function checkObjectAclWrite(bucket: BucketInfo, canned: string | undefined, acl: RequestedAcl | undefined): void {
  if (acl === undefined) return;
  if (bucket.ownership === 'BucketOwnerEnforced') {
    const request = canned !== undefined ? { canned } : acl.grants !== undefined ? { grants: acl.grants } : { canned: acl.acl };
    if (!enforcedAcceptsObjectAcl(request, bucket.owner)) throw aclsDisabled();
    return;
  }
  if (bucket.publicAccessBlock?.blockPublicAcls === true && isPublic(canned ?? acl.acl, acl)) throw new S3Error('AccessDenied');
}

/** PutBucketAcl: refused outright under BucketOwnerEnforced (§6 R6.3), public ACLs under BlockPublicAcls (§5 R5.4). */
export function checkBucketAclWrite(bucket: BucketInfo, acl: RequestedAcl): void {
  if (bucket.ownership === 'BucketOwnerEnforced') throw aclsDisabled();
  if (bucket.publicAccessBlock?.blockPublicAcls === true && isPublic(acl.acl, acl)) throw new S3Error('AccessDenied');
}

/**
 * CreateBucket's ACL against the new bucket's settings (§6 R6.3): under BucketOwnerEnforced an ACL
 * granting anyone but the owner is InvalidBucketAclWithObjectOwnership (UNVERIFIED(S3): `private`
 * passes); with ACLs on, a public one meets the default Block Public Access.
 */
export function checkNewBucketAcl(ownership: string, grants: readonly AclGrant[], owner: string): void {
  if (ownership === 'BucketOwnerEnforced') {
    if (aclGrantsOthers(grants, owner)) throw new S3Error('InvalidBucketAclWithObjectOwnership');
    return;
  }
  if (isPublicAcl(grants)) throw new S3Error('InvalidBucketAclWithBlockPublicAccessError');
}

/**
 * The owner (canonical ID) of an object the caller writes (§6 R6.4): the bucket owner under
 * BucketOwnerEnforced, or BucketOwnerPreferred with `bucket-owner-full-control`; else the
 * writer's account. An anonymous writer's object belongs to the bucket owner (UNVERIFIED(S3)).
 */
export function newObjectOwnerId(ctx: S3Context, bucket: BucketInfo, canned = headerValue(ctx.headers, H.amzAcl)): string {
  const user = ctx.auth.user;
  const bucketAccount = accountOf(ctx.services, bucket.owner);
  const owner = newObjectOwner(bucket.ownership ?? 'ObjectWriter', user?.accountId, bucketAccount, canned);
  return user === undefined || owner === bucketAccount ? bucket.owner : user.id;
}

/**
 * What Get*Acl shows (§6 R6.3, §5 R5.5): under BucketOwnerEnforced the bucket owner with
 * FULL_CONTROL alone; under IgnorePublicAcls the public grants are left out.
 */
export function visibleAcl(bucket: BucketInfo, owner: string, grants: AclGrant[]): { owner: string; grants: AclGrant[] } {
  if (bucket.ownership === 'BucketOwnerEnforced') {
    return { owner: bucket.owner, grants: [{ grantee: { type: 'CanonicalUser', id: bucket.owner }, permission: 'FULL_CONTROL' }] };
  }
  if (bucket.publicAccessBlock?.ignorePublicAcls === true) return { owner, grants: grants.filter((g) => !isPublicGrant(g)) };
  return { owner, grants };
}
