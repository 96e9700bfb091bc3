/**
 * The XML of the access configurations (docs/spec/access.md §5, §6): PublicAccessBlockConfiguration,
 * OwnershipControls and PolicyStatus, to and from our own types.
 */
import { isObjectOwnership, type ObjectOwnership, type PublicAccessBlock } from '../../storage';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, text, type XmlNode } from './xml';

const BPA_MEMBERS = [
  ['BlockPublicAcls', 'blockPublicAcls'],
  ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'],
  ['RestrictPublicBuckets', 'restrictPublicBuckets'],
] as const;

/**
 * PutPublicAccessBlock's document: omitted members are false (§5 R5.2).
 * UNVERIFIED(S3): a value other than true/false (any case) is MalformedXML.
 */
export function parsePublicAccessBlock(body: Buffer): PublicAccessBlock {
  const root = parseXml(body).PublicAccessBlockConfiguration;
  if (root === undefined || Array.isArray(root)) throw new S3Error('MalformedXML');
  const out: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
  for (const [element, field] of BPA_MEMBERS) {
    const value = text(root, element)?.trim().toLowerCase();
    if (value === undefined) continue;
    if (value !== 'true' && value !== 'false') throw new S3Error('MalformedXML');
    out[field] = value === 'true';
  }
  return out;
}

export function publicAccessBlockXml(block: PublicAccessBlock): string {
  const node: XmlNode = {};
  for (const [element, field] of BPA_MEMBERS) node[element] = String(block[field]);
  return buildXml('PublicAccessBlockConfiguration', node);
}

/** PutBucketOwnershipControls' document: exactly one rule with a known ObjectOwnership (§6 R6.2). */
export function parseOwnershipControls(body: Buffer): ObjectOwnership {
  const root = parseXml(body).OwnershipControls;
  if (root === undefined || Array.isArray(root)) throw new S3Error('MalformedXML');
  const rules = list(root, 'Rule');
  if (rules.length !== 1) throw new S3Error('MalformedXML');
  const values = list(rules[0], 'ObjectOwnership');
  const value = text(rules[0], 'ObjectOwnership');
  if (values.length !== 1 || value === undefined || !isObjectOwnership(value)) throw new S3Error('MalformedXML');
  return value;
}

export function ownershipControlsXml(ownership: ObjectOwnership): string {
  return buildXml('OwnershipControls', { Rule: { ObjectOwnership: ownership } });
}

/** GetBucketPolicyStatus (§5 R5.8). */
export function policyStatusXml(isPublic: boolean): string {
  return buildXml('PolicyStatus', { IsPublic: String(isPublic) });
}
