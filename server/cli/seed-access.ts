/**
 * The seed file's access members (docs/access.md "The seed file"): `policy`, `publicAccessBlock`,
 * `objectOwnership`, checked as PutBucketPolicy and friends would; and what a user would have done
 * on S3 for a seed's public `acl` or `policy` (ObjectWriter, the public access block removed).
 */
import { isPublicCannedAcl, isPublicPolicy, parsePolicy } from '../../policy-engine';
import { OBJECT_OWNERSHIPS, isObjectOwnership, type ObjectOwnership } from '../../storage';
import { assertKnownMembers, isPlainObject } from './config-file';
import type { PlannedBucket } from './seed';

export const BPA_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

type Fail = (path: string, message: string) => never;

/** `policy`, `publicAccessBlock`, `objectOwnership`: checked as PutBucketPolicy and friends would. */
export function planAccess(entry: Record<string, unknown>, bucket: PlannedBucket, fail: Fail): void {
  const { policy, publicAccessBlock, objectOwnership } = entry;
  if (objectOwnership === null) bucket.objectOwnership = null;
  else if (objectOwnership !== undefined) {
    if (typeof objectOwnership !== 'string' || !isObjectOwnership(objectOwnership)) {
      fail('.objectOwnership', `${JSON.stringify(objectOwnership)} is not one of ${OBJECT_OWNERSHIPS.join(', ')}`);
    } else bucket.objectOwnership = objectOwnership;
  }
  if (publicAccessBlock === null) bucket.publicAccessBlock = null;
  else if (publicAccessBlock !== undefined) {
    if (!isPlainObject(publicAccessBlock)) return void fail('.publicAccessBlock', `expected {${BPA_FIELDS.map((f) => `"${f}": true`).join(', ')}} or null`);
    try {
      assertKnownMembers(publicAccessBlock, BPA_FIELDS, '');
    } catch (err) {
      fail('.publicAccessBlock', (err as Error).message);
    }
    for (const f of BPA_FIELDS) {
      const v = publicAccessBlock[f];
      if (v !== undefined && typeof v !== 'boolean') fail(`.publicAccessBlock.${f}`, `expected true or false, got ${JSON.stringify(v)}`);
    }
    const on = (f: (typeof BPA_FIELDS)[number]) => publicAccessBlock[f] === true;
    bucket.publicAccessBlock = { blockPublicAcls: on('BlockPublicAcls'), ignorePublicAcls: on('IgnorePublicAcls'), blockPublicPolicy: on('BlockPublicPolicy'), restrictPublicBuckets: on('RestrictPublicBuckets') };
  }
  if (policy === null) bucket.policy = null;
  else if (policy !== undefined) {
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    const parsed = parsePolicy(text, { bucket: bucket.name });
    if (!parsed.ok) return void fail('.policy', `${parsed.error.message} [${parsed.error.code}]`);
    if (isPublicPolicy(parsed.policy) && bucket.publicAccessBlock?.blockPublicPolicy === true) {
      fail('.policy', 'the policy is public and publicAccessBlock.BlockPublicPolicy is true: PutBucketPolicy would be refused (AccessDenied)');
    }
    bucket.policy = text;
  }
}

/** What a user would have done on S3 for the seed's `acl` and `policy` (see the file comment). */
export function impliedAccess(b: PlannedBucket, current: { ownership?: ObjectOwnership | undefined }): { ownership?: ObjectOwnership; removeBlock: boolean } {
  const publicPolicy = typeof b.policy === 'string' && (() => {
    const parsed = parsePolicy(b.policy, { bucket: b.name });
    return parsed.ok && isPublicPolicy(parsed.policy);
  })();
  const aclOn = b.acl !== undefined && b.acl !== 'private';
  const ownership = b.objectOwnership === undefined && aclOn && (current.ownership ?? 'BucketOwnerEnforced') === 'BucketOwnerEnforced' ? 'ObjectWriter' : undefined;
  const removeBlock = b.publicAccessBlock === undefined && ((b.acl !== undefined && isPublicCannedAcl(b.acl)) || publicPolicy);
  return ownership === undefined ? { removeBlock } : { ownership, removeBlock };
}
