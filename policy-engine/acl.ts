/**
 * ACLs as access grants (docs/spec/access.md §7) and the "public ACL" test of Block Public Access
 * (§5 R5.4, R5.5).
 */

import type { AclGrant, AclPermission, ResourceKind } from './access-types';
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, PUBLIC_CANNED_ACLS } from './messages';
import type { RequestPrincipal } from './types';

/** A grant to AllUsers or AuthenticatedUsers (§5 R5.4). */
export function isPublicGrant(grant: AclGrant): boolean {
  return grant.grantee.type === 'Group' && (grant.grantee.uri === ALL_USERS_URI || grant.grantee.uri === AUTHENTICATED_USERS_URI);
}

/** An ACL is public when it grants anything to AllUsers or AuthenticatedUsers (§5 R5.4). */
export function isPublicAcl(grants: readonly AclGrant[]): boolean {
  return grants.some(isPublicGrant);
}

/** `public-read`, `public-read-write`, `authenticated-read` (§5 R5.4); other canned ACLs are not. */
export function isPublicCannedAcl(name: string): boolean {
  return PUBLIC_CANNED_ACLS.includes(name);
}

/**
 * Which ACL and permission grant an action (§7 R7.2). FULL_CONTROL grants every action of its
 * resource's ACL. Actions not listed are never granted by an ACL.
 * UNVERIFIED(S3): bucket WRITE lets a grantee overwrite others' keys but not delete (§7 R7.2).
 */
const ACL_ACTIONS: ReadonlyMap<string, [ResourceKind, AclPermission]> = new Map<string, [ResourceKind, AclPermission]>([
  ['s3:ListBucket', ['bucket', 'READ']],
  ['s3:ListBucketVersions', ['bucket', 'READ']],
  ['s3:ListBucketMultipartUploads', ['bucket', 'READ']],
  ['s3:PutObject', ['bucket', 'WRITE']],
  ['s3:GetBucketAcl', ['bucket', 'READ_ACP']],
  ['s3:PutBucketAcl', ['bucket', 'WRITE_ACP']],
  ['s3:GetObject', ['object', 'READ']],
  ['s3:GetObjectVersion', ['object', 'READ']],
  ['s3:GetObjectAcl', ['object', 'READ_ACP']],
  ['s3:GetObjectVersionAcl', ['object', 'READ_ACP']],
  ['s3:PutObjectAcl', ['object', 'WRITE_ACP']],
  ['s3:PutObjectVersionAcl', ['object', 'WRITE_ACP']],
]);

/** The ACL (bucket's or object's) and permission that can grant an action, if any. */
export function aclPermissionFor(action: string): [ResourceKind, AclPermission] | undefined {
  return ACL_ACTIONS.get(action);
}

/** Whether a grantee covers the caller (§7 R7.1): never IAM users alone, LogDelivery never. */
export function granteeMatches(grant: AclGrant, principal: RequestPrincipal): boolean {
  const g = grant.grantee;
  if (g.type === 'Group') {
    if (g.uri === ALL_USERS_URI) return true;
    return g.uri === AUTHENTICATED_USERS_URI && principal.kind === 'signed';
  }
  if (g.type === 'CanonicalUser') return principal.kind === 'signed' && principal.canonicalId === g.id;
  return false; // UNVERIFIED(S3): e-mail grantees are not resolved to accounts.
}

/**
 * The first grant of `grants` that lets the caller perform `action`, given `permission` is the one
 * the action needs (§7 R7.2). With `ignorePublic`, AllUsers / AuthenticatedUsers grants are
 * skipped (§5 R5.5); `skipped` then reports the public grant that would have allowed.
 */
export function findAclGrant(
  grants: readonly AclGrant[],
  principal: RequestPrincipal,
  permission: AclPermission,
  ignorePublic: boolean,
): { grant?: AclGrant; skipped?: AclGrant } {
  let skipped: AclGrant | undefined;
  for (const grant of grants) {
    if (grant.permission !== permission && grant.permission !== 'FULL_CONTROL') continue;
    if (!granteeMatches(grant, principal)) continue;
    if (ignorePublic && isPublicGrant(grant)) {
      skipped ??= grant;
      continue;
    }
    return { grant };
  }
  return skipped === undefined ? {} : { skipped };
}

export function describeGrant(grant: AclGrant): string {
  const g = grant.grantee;
  const who = g.type === 'Group' ? g.uri.slice(g.uri.lastIndexOf('/') + 1) : g.type === 'CanonicalUser' ? `canonical user ${g.id}` : g.email;
  return `${grant.permission} to ${who}`;
}
