/**
 * Object Ownership and canned ACLs as data (docs/spec/access.md §6 R6.3, R6.4, §7 R7.3): who owns a
 * new object, which request ACLs a BucketOwnerEnforced bucket accepts, and whether an ACL grants
 * anyone but the owner (which forbids enforcing).
 */

import type { AclGrant, ObjectOwnership } from './access-types';
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI } from './messages';

export const CANNED_ACLS: readonly string[] = [
  'private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'log-delivery-write',
  'bucket-owner-read', 'bucket-owner-full-control',
];

const group = (uri: string, permission: AclGrant['permission']): AclGrant => ({ grantee: { type: 'Group', uri }, permission });
const user = (id: string, permission: AclGrant['permission']): AclGrant => ({ grantee: { type: 'CanonicalUser', id }, permission });

/**
 * The grants of a canned ACL (§7 R7.3, UG-ACL "Canned ACL"), owner first; undefined for an unknown
 * name (400 InvalidArgument). `bucket-owner-*` are ignored on buckets (owner FULL_CONTROL only).
 * UNVERIFIED(S3): `aws-exec-read` also grants READ to an AWS-internal account, not modelled.
 */
export function cannedAclGrants(name: string, ownerCanonicalId: string, bucketOwnerCanonicalId: string, target: 'bucket' | 'object'): AclGrant[] | undefined {
  const owner = user(ownerCanonicalId, 'FULL_CONTROL');
  switch (name) {
    case 'private':
    case 'aws-exec-read':
      return [owner];
    case 'public-read':
      return [owner, group(ALL_USERS_URI, 'READ')];
    case 'public-read-write':
      return [owner, group(ALL_USERS_URI, 'READ'), group(ALL_USERS_URI, 'WRITE')];
    case 'authenticated-read':
      return [owner, group(AUTHENTICATED_USERS_URI, 'READ')];
    case 'log-delivery-write':
      return [owner, group(LOG_DELIVERY_URI, 'WRITE'), group(LOG_DELIVERY_URI, 'READ_ACP')];
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
      if (target === 'bucket' || ownerCanonicalId === bucketOwnerCanonicalId) return [owner];
      return [owner, user(bucketOwnerCanonicalId, name === 'bucket-owner-read' ? 'READ' : 'FULL_CONTROL')];
    default:
      return undefined;
  }
}

/** Whether an ACL grants anything to anyone but `ownerCanonicalId` (§6 R6.3 InvalidBucketAclWithObjectOwnership). */
export function aclGrantsOthers(grants: readonly AclGrant[], ownerCanonicalId: string): boolean {
  return grants.some((g) => g.grantee.type !== 'CanonicalUser' || g.grantee.id !== ownerCanonicalId);
}

/** An ACL carried by a write request: a canned name, explicit grants (`x-amz-grant-*`), or none. */
export interface RequestAcl {
  canned?: string;
  grants?: readonly AclGrant[];
}

/**
 * Under BucketOwnerEnforced, whether an object write (PutObject, CopyObject,
 * CreateMultipartUpload, PutObjectAcl) may carry this ACL (§6 R6.3): none, canned
 * `bucket-owner-full-control`, or grants equal to FULL_CONTROL for the bucket owner only; anything
 * else is 400 AccessControlListNotSupported. PutBucketAcl is refused with any ACL (not this function).
 * UNVERIFIED(S3): canned `private` is refused, even from the owner account.
 */
export function enforcedAcceptsObjectAcl(acl: RequestAcl, bucketOwnerCanonicalId: string): boolean {
  if (acl.canned !== undefined) return acl.canned === 'bucket-owner-full-control' && acl.grants === undefined;
  if (acl.grants === undefined || acl.grants.length === 0) return true;
  return acl.grants.every((g) => g.permission === 'FULL_CONTROL' && g.grantee.type === 'CanonicalUser' && g.grantee.id === bucketOwnerCanonicalId);
}

/**
 * The owner account of a newly written object (§6 R6.4): Enforced → bucket owner; Preferred →
 * bucket owner when written with canned `bucket-owner-full-control`, else the writer's account;
 * ObjectWriter → the writer's account. An anonymous writer's objects belong to the bucket owner
 * (UNVERIFIED(S3)).
 */
export function newObjectOwner(ownership: ObjectOwnership, writerAccountId: string | undefined, bucketOwnerAccountId: string, cannedAcl?: string): string {
  if (writerAccountId === undefined || ownership === 'BucketOwnerEnforced') return bucketOwnerAccountId;
  if (ownership === 'BucketOwnerPreferred' && cannedAcl === 'bucket-owner-full-control') return bucketOwnerAccountId;
  return writerAccountId;
}
