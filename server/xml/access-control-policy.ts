/**
 * AccessControlPolicy XML ⇄ owner + grants (GetBucketAcl, GetObjectAcl, PutBucketAcl,
 * PutObjectAcl). Grantees carry `xsi:type` (CanonicalUser, Group, AmazonCustomerByEmail); on
 * input the type is read from the grantee's children (ID, URI, EmailAddress), since the one
 * configured parser drops attributes.
 */
import type { AclGrant, AclGrantee, AclPermission } from '../../storage';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, text, type XmlNode, type XmlValue } from './xml';

const PERMISSIONS: readonly AclPermission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** A user as Owner and Grantee elements show it. */
export interface AclOwner {
  id: string;
  displayName: string;
}

/** Grantee of a parsed document: an e-mail grantee is kept so the caller can refuse it. */
export type ParsedGrantee = AclGrantee | { type: 'AmazonCustomerByEmail'; email: string };

export interface ParsedPolicy {
  ownerId: string;
  grants: Array<{ grantee: ParsedGrantee; permission: AclPermission }>;
}

function granteeXml(grantee: AclGrantee, displayName: (id: string) => string): XmlNode {
  if (grantee.type === 'Group') return { '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', URI: grantee.uri };
  return { '@_xmlns:xsi': XSI, '@_xsi:type': 'CanonicalUser', ID: grantee.id, DisplayName: displayName(grantee.id) };
}

export function accessControlPolicyXml(owner: AclOwner, grants: readonly AclGrant[], displayName: (id: string) => string): string {
  return buildXml('AccessControlPolicy', {
    Owner: { ID: owner.id, DisplayName: owner.displayName },
    AccessControlList: {
      Grant: grants.map((g) => ({ Grantee: granteeXml(g.grantee, displayName), Permission: g.permission })),
    },
  });
}

function isNode(value: XmlValue): value is XmlNode {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

function malformed(): S3Error {
  return new S3Error('MalformedACLError');
}

function parseGrantee(node: XmlValue): ParsedGrantee {
  if (!isNode(node)) throw malformed();
  const id = text(node, 'ID');
  const uri = text(node, 'URI');
  const email = text(node, 'EmailAddress');
  if ([id, uri, email].filter((v) => v !== undefined).length !== 1) throw malformed();
  if (id !== undefined) return { type: 'CanonicalUser', id };
  if (uri !== undefined) return { type: 'Group', uri };
  return { type: 'AmazonCustomerByEmail', email: email ?? '' };
}

/**
 * Parses a PutBucketAcl / PutObjectAcl body. A document without Owner or AccessControlList, a
 * Permission S3 does not know or a grantee that is none of the three kinds is MalformedACLError
 * (the checks LocalStack mirrors from S3).
 */
export function parseAccessControlPolicy(body: Buffer): ParsedPolicy {
  let doc: XmlNode;
  try {
    doc = parseXml(body);
  } catch {
    throw malformed();
  }
  const root = doc.AccessControlPolicy;
  if (!isNode(root)) throw malformed();
  const owner = root.Owner;
  const acl = root.AccessControlList;
  if (!isNode(owner) || acl === undefined || (acl !== '' && !isNode(acl))) throw malformed();
  const ownerId = text(owner, 'ID');
  if (ownerId === undefined) throw malformed();
  const grants = list(acl, 'Grant').map((grant) => {
    if (!isNode(grant)) throw malformed();
    const permission = text(grant, 'Permission');
    if (permission === undefined || !PERMISSIONS.includes(permission as AclPermission)) throw malformed();
    return { grantee: parseGrantee(grant.Grantee), permission: permission as AclPermission };
  });
  return { ownerId, grants };
}
