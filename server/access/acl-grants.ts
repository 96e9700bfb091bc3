/**
 * The ACL model (S3 User Guide, "Access control list (ACL) overview"): a resource has an owner
 * and a list of grants (grantee → permission). Canned ACLs are named grant sets; explicit
 * grants come from `x-amz-grant-*` headers or an AccessControlPolicy document.
 *
 * Which grant allows which action, and when ACLs count at all (Object Ownership, Block Public
 * Access), is the policy engine's decision (server/access/authorize.ts, docs/spec/access.md §7).
 */
import { CANNED_ACLS, type AclGrant, type AclGrantee, type AclPermission, type CannedAcl } from '../../storage';
import { S3Error } from '../errors';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
/** The predefined groups S3 accepts as grantees. */
export const GROUP_URIS: readonly string[] = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];


/** Every canned ACL of S3's "Canned ACL" table: the stored ones and the two that name the bucket owner. */
export const ALL_CANNED_ACLS: readonly string[] = [...CANNED_ACLS, 'bucket-owner-read', 'bucket-owner-full-control'];

/** `x-amz-grant-*` header → the permission it grants, in the order S3 lists them. */
export const GRANT_HEADERS: ReadonlyArray<readonly [string, AclPermission]> = [
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
];

function user(id: string, permission: AclPermission): AclGrant {
  return { grantee: { type: 'CanonicalUser', id }, permission };
}

function group(uri: string, permission: AclPermission): AclGrant {
  return { grantee: { type: 'Group', uri }, permission };
}

/**
 * The grants of a canned ACL: the owner always gets FULL_CONTROL, then the table's additions.
 * `bucket-owner-read` / `bucket-owner-full-control` name the bucket's owner (on a bucket, S3
 * ignores them: that is `private`).
 */
export function cannedGrants(canned: string, owner: string, bucketOwner: string = owner): AclGrant[] {
  const grants = [user(owner, 'FULL_CONTROL')];
  switch (canned) {
    case 'public-read':
      grants.push(group(ALL_USERS, 'READ'));
      break;
    case 'public-read-write':
      grants.push(group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE'));
      break;
    case 'authenticated-read':
      grants.push(group(AUTHENTICATED_USERS, 'READ'));
      break;
    case 'bucket-owner-read':
      // UNVERIFIED(S3): when the writer owns the bucket too, the one FULL_CONTROL grant is kept.
      if (bucketOwner !== owner) grants.push(user(bucketOwner, 'READ'));
      break;
    case 'bucket-owner-full-control':
      if (bucketOwner !== owner) grants.push(user(bucketOwner, 'FULL_CONTROL'));
      break;
    default:
      break;
  }
  return grants;
}

/** A stored resource's grants: the explicit ones, or its canned ACL's. */
export function effectiveGrants(resource: { owner: string; acl: CannedAcl; grants?: AclGrant[] | undefined }): AclGrant[] {
  return resource.grants ?? cannedGrants(resource.acl, resource.owner);
}

/**
 * Checks a grantee named by a request (a known user ID or a predefined group). ArgumentName is
 * `id` / `uri` for a grant header, `CanonicalUser/ID` / `Group/URI` for a document (as S3).
 */
export function checkGrantee(grantee: AclGrantee, knownUser: (id: string) => boolean, from: 'header' | 'document'): void {
  if (grantee.type === 'CanonicalUser' && !knownUser(grantee.id)) {
    throw new S3Error('InvalidArgument', 'Invalid id', { ArgumentName: from === 'header' ? 'id' : 'CanonicalUser/ID', ArgumentValue: grantee.id });
  }
  if (grantee.type === 'Group' && !GROUP_URIS.includes(grantee.uri)) {
    throw new S3Error('InvalidArgument', 'Invalid group uri', { ArgumentName: from === 'header' ? 'uri' : 'Group/URI', ArgumentValue: grantee.uri });
  }
}

/**
 * E-mail grantees: S3 resolves an address to its account. crossbucket's users have no
 * addresses, so every one is unresolvable, S3's own error for an unknown address.
 */
export function unresolvableEmail(address: string): S3Error {
  return new S3Error('UnresolvableGrantByEmailAddress', undefined, { EmailAddress: address });
}

/** Splits a grant header value on commas outside double quotes. */
function splitGrantees(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of value) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * `x-amz-grant-read: id="…", uri="http://acs.amazonaws.com/groups/global/AllUsers"` →
 * grants. Errors follow S3 (as mirrored by LocalStack's AWS-validated parser): an unknown
 * grantee type is InvalidArgument "Argument format not recognized"; a bad ID or group URI
 * InvalidArgument "Invalid id" / "Invalid group uri"; an e-mail UnresolvableGrantByEmailAddress.
 */
export function grantsFromHeader(header: string, value: string, permission: AclPermission, knownUser: (id: string) => boolean): AclGrant[] {
  const grants: AclGrant[] = [];
  for (const item of splitGrantees(value)) {
    const eq = item.indexOf('=');
    const type = eq < 0 ? '' : item.slice(0, eq).trim();
    const raw = eq < 0 ? '' : item.slice(eq + 1).trim();
    const v = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    let grantee: AclGrantee;
    if (type === 'id') grantee = { type: 'CanonicalUser', id: v };
    else if (type === 'uri') grantee = { type: 'Group', uri: v };
    else if (type === 'emailAddress') throw unresolvableEmail(v);
    else throw new S3Error('InvalidArgument', 'Argument format not recognized', { ArgumentName: header, ArgumentValue: item });
    checkGrantee(grantee, knownUser, 'header');
    grants.push({ grantee, permission });
  }
  return grants;
}
