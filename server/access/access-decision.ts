/**
 * One access decision, as authorize() takes it and `crossbucket explain` reports it: the caller as
 * the engine's principal, the bucket's access settings (owner account, compiled policy, Block
 * Public Access, Object Ownership, ACLs), and the engine's decideAccess for one (action,
 * resource) pair (docs/spec/access.md §1 R1.5).
 */
import {
  decideAccess, evaluatePolicy, type AccessDecision, type AccessInput, type AclGrant, type BlockPublicAccess, type ConditionValues,
  type ObjectOwnership, type PolicyDecision, type RequestPrincipal,
} from '../../policy-engine';
import type { BucketInfo, ObjectAccess } from '../../storage';
import type { User } from '../config';
import type { BucketPolicyState, Services } from '../context';
import { effectiveGrants } from './acl-grants';

/** No public access block: every setting off (§5 R5.2). */
export const NO_BLOCK: BlockPublicAccess = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
/** A new bucket's Block Public Access, as S3 since April 2023 (§5 R5.2). */
export const ALL_BLOCKED: BlockPublicAccess = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

/** The engine's principal for a verified user (an IAM user of its account), or anonymous. */
export function principalOf(user: User | undefined): RequestPrincipal {
  if (user === undefined) return { kind: 'anonymous' };
  return { kind: 'signed', accountId: user.accountId, arn: user.arn, canonicalId: user.id, userName: user.userName };
}

/**
 * The account of a canonical ID stored as an owner. An owner no configured user belongs to (a
 * user removed from the users file) is an account nobody is in.
 */
export function accountOf(services: Services, canonicalId: string): string {
  return services.usersById.get(canonicalId)?.accountId ?? `unknown:${canonicalId}`;
}

/** What the access decision needs from a bucket. */
export interface BucketAccess {
  bucket: BucketInfo;
  ownerAccountId: string;
  policy: BucketPolicyState | undefined;
  blockPublicAccess: BlockPublicAccess;
  /** A bucket without ownership controls behaves as ObjectWriter (§6 R6.1). */
  ownership: ObjectOwnership;
  bucketAcl: readonly AclGrant[];
}

export function bucketAccess(services: Services, bucket: BucketInfo): BucketAccess {
  return {
    bucket,
    ownerAccountId: accountOf(services, bucket.owner),
    policy: services.policies.state(bucket.name),
    // DEVIATION(S3): crossbucket has no account-level Block Public Access (§5 R5.1).
    blockPublicAccess: bucket.publicAccessBlock ?? NO_BLOCK,
    ownership: bucket.ownership ?? 'ObjectWriter',
    bucketAcl: effectiveGrants(bucket),
  };
}

export function resourceArn(bucket: string, key?: string): string {
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}

export interface PairRequest {
  principal: RequestPrincipal;
  action: string;
  /** undefined: the bucket; a string: that object. */
  key?: string;
  /** The object's owner and ACL; undefined for a key that does not exist (or s3:PutObject). */
  object?: ObjectAccess | undefined;
  /** The account of a multipart upload's initiator (AbortMultipartUpload, ListParts). */
  uploadInitiatorAccountId?: string;
  conditionKeys: () => ConditionValues;
}

export interface PairDecision {
  decision: AccessDecision;
  /** The policy's verdict with its explanation, when the bucket has a policy. */
  policy?: PolicyDecision;
  resource: string;
}

/** docs/spec/access.md §1 R1.5-R1.6 for one pair; the policy is evaluated only when there is one. */
export function decidePair(services: Services, access: BucketAccess, req: PairRequest): PairDecision {
  const resource = resourceArn(access.bucket.name, req.key);
  const policy = access.policy === undefined
    ? undefined
    : evaluatePolicy(access.policy.compiled, { principal: req.principal, action: req.action, resource, conditionKeys: req.conditionKeys });
  const p = req.principal;
  // Built by assignment, not spreads: this runs on every request.
  const input: AccessInput = {
    principal: p,
    action: req.action,
    resourceKind: req.key === undefined ? 'bucket' : 'object',
    bucketOwnerAccountId: access.ownerAccountId,
    bucketAcl: access.bucketAcl,
    ownership: access.ownership,
    blockPublicAccess: access.blockPublicAccess,
  };
  if (req.object !== undefined) {
    input.objectOwnerAccountId = accountOf(services, req.object.owner);
    input.objectAcl = effectiveGrants(req.object);
  }
  // DEVIATION(S3): an upload remembers its initiator's account, not the user: every user of
  // that account counts as the initiator (§1 R1.6).
  if (req.uploadInitiatorAccountId !== undefined && p.kind === 'signed' && p.accountId === req.uploadInitiatorAccountId) input.uploadInitiatorArn = p.arn;
  if (policy !== undefined && access.policy !== undefined) input.policy = { decision: policy, isPublic: access.policy.isPublic };
  const decision = decideAccess(input);
  return policy === undefined ? { decision, resource } : { decision, policy, resource };
}
