/**
 * The whole authorization of one (action, resource) pair, in the order of docs/spec/access.md §1
 * R1.5 and R1.6, combining the policy verdict ({@link evaluatePolicy}), ACL grants (§7), Object
 * Ownership (§6) and Block Public Access (§5 R5.5, R5.6).
 *
 * Outside this function (the server's): authentication (R1.1), missing bucket (R1.2), expected
 * bucket owner (R1.3), splitting an operation into pairs (R1.4, §3), the ACL-disabled and BPA write
 * checks after authorization (R1.7), and missing keys (R1.8, §9 R9.2).
 */

import type { AccessDecision, AccessInput, AclGrant, DecisionSource, ResourceKind } from './access-types';
import { aclPermissionFor, describeGrant, findAclGrant } from './acl';
import { describeRef } from './evaluate';

const POLICY_APIS = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);
/** What the bucket owner may do to objects and uploads of other accounts (§1 R1.6). */
const BUCKET_OWNER_CLEANUP = new Set(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);
const INITIATOR_ACTIONS = new Set(['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts']);

/** `policy statement 0 (Sid "x")`, `acl grant READ to AllUsers`, `block-public-access: …`, … */
export function describeSource(source: DecisionSource): string {
  switch (source.kind) {
    case 'owner':
      return `owner (${source.reason})`;
    case 'policy':
      return `policy ${describeRef(source.statement)}`;
    case 'acl':
      return `${source.acl} acl grant ${describeGrant(source.grant)}`;
    case 'block-public-access':
      return `block-public-access: ${source.setting}`;
    case 'ownership':
      return `ownership: ${source.setting}`;
    default:
      return 'default deny';
  }
}

function decision(result: AccessDecision['result'], source: DecisionSource): AccessDecision {
  const verb = result === 'allow' ? 'allowed by' : result === 'explicitDeny' ? 'explicitly denied by' : result === 'methodNotAllowed' ? 'allowed (405 MethodNotAllowed: not the owner account) by' : 'denied:';
  return { allowed: result === 'allow', result, source, detail: `${verb} ${describeSource(source)}` };
}

/** An ACL grant for the caller, or the rule that took it away (§1 R1.5 step 3c, §5 R5.5, §6 R6.3). */
function aclStep(input: AccessInput): { grant?: { acl: ResourceKind; grant: AclGrant }; suppressed?: DecisionSource } {
  const needed = aclPermissionFor(input.action);
  if (needed === undefined) return {};
  const [which, permission] = needed;
  const grants = which === 'bucket' ? input.bucketAcl : input.objectAcl;
  if (grants === undefined) return {};
  const found = findAclGrant(grants, input.principal, permission, input.blockPublicAccess.ignorePublicAcls);
  if (input.ownership === 'BucketOwnerEnforced') {
    // §6 R6.3: ACLs grant nothing (the owner's own access comes from the identity allow).
    const would = found.grant ?? found.skipped;
    return would === undefined ? {} : { suppressed: { kind: 'ownership', setting: 'BucketOwnerEnforced' } };
  }
  if (found.grant !== undefined) return { grant: { acl: which, grant: found.grant } };
  if (found.skipped !== undefined) return { suppressed: { kind: 'block-public-access', setting: 'IgnorePublicAcls' } };
  return {};
}

/**
 * Final allow/deny for one pair (§1 R1.5, R1.6):
 *  1. the bucket owner's root may always call Get/Put/DeleteBucketPolicy;
 *  2. a matching policy Deny → explicit deny (owner root and users included, other accounts' objects too);
 *  3. allows: (a) identity allow of the resource owner's account; (b) a policy Allow, on the bucket
 *     and on objects the bucket owner owns, unless RestrictPublicBuckets removes it; (c) an ACL
 *     grant, unless ACLs are disabled or IgnorePublicAcls drops it; plus the R1.6 exceptions for
 *     the bucket owner and an upload's initiator;
 *  4-5. other accounts and anonymous callers only through (b) and (c);
 *  6. nothing → implicit deny, naming the rule that removed a grant if one did.
 */
export function decideAccess(input: AccessInput): AccessDecision {
  const { principal, action, policy } = input;
  const bucketOwner = input.bucketOwnerAccountId;
  const callerAccount = principal.kind === 'signed' ? principal.accountId : undefined;
  const isOwnerAccount = callerAccount === bucketOwner;

  // Step 1: the owner root and the policy APIs. UNVERIFIED(S3): lost after a put with
  // x-amz-confirm-remove-self-bucket-access.
  const isOwnerRoot = principal.kind === 'signed' && isOwnerAccount && principal.userName === undefined;
  if (isOwnerRoot && POLICY_APIS.has(action) && policy?.removesOwnerAccess !== true) {
    return decision('allow', { kind: 'owner', reason: 'bucket-owner-root-policy-apis' });
  }

  // Step 2: explicit deny.
  const pd = policy?.decision;
  if (pd?.effect === 'Deny' && pd.statement !== undefined) return decision('explicitDeny', { kind: 'policy', statement: pd.statement });

  // §6 R6.4: under BucketOwnerEnforced every object belongs to the bucket owner.
  // UNVERIFIED(S3): s3:PutObject writes a new object (version), so it is authorized as a write
  // into the bucket owner's bucket whoever owns the object it replaces.
  const objectOwner = input.resourceKind === 'object' && input.ownership !== 'BucketOwnerEnforced' && action !== 's3:PutObject'
    ? input.objectOwnerAccountId ?? bucketOwner
    : bucketOwner;
  const foreignObject = objectOwner !== bucketOwner;

  // Step 3a: identity allow of the resource owner's account (the model's users may do anything).
  if (callerAccount !== undefined && callerAccount === objectOwner) {
    return decision('allow', { kind: 'owner', reason: foreignObject ? 'object-owner-account' : 'bucket-owner-account' });
  }
  // R1.6 exceptions: the bucket owner cleans up others' objects and uploads; an initiator its own.
  if (foreignObject && isOwnerAccount && BUCKET_OWNER_CLEANUP.has(action)) {
    return decision('allow', { kind: 'owner', reason: 'bucket-owner-cleanup' });
  }
  if (principal.kind === 'signed' && INITIATOR_ACTIONS.has(action) && input.uploadInitiatorArn === principal.arn) {
    return decision('allow', { kind: 'owner', reason: 'upload-initiator' });
  }

  let suppressed: DecisionSource | undefined;
  // Step 3b: policy Allow; not for objects of other accounts (R1.6); R5.6 RestrictPublicBuckets.
  if (pd?.effect === 'Allow' && pd.statement !== undefined && !foreignObject) {
    if (input.blockPublicAccess.restrictPublicBuckets && policy?.isPublic === true && !isOwnerAccount) {
      suppressed = { kind: 'block-public-access', setting: 'RestrictPublicBuckets' };
    } else if (POLICY_APIS.has(action) && !isOwnerAccount) {
      return decision('methodNotAllowed', { kind: 'policy', statement: pd.statement }); // §4 R4.1
    } else {
      return decision('allow', { kind: 'policy', statement: pd.statement });
    }
  }

  // Step 3c: ACL grant. UNVERIFIED(S3): RestrictPublicBuckets leaves ACL grants alone (§5 R5.6).
  const acl = aclStep(input);
  if (acl.grant !== undefined) return decision('allow', { kind: 'acl', acl: acl.grant.acl, grant: acl.grant.grant });

  // Step 6: implicit deny.
  return decision('implicitDeny', suppressed ?? acl.suppressed ?? { kind: 'default-deny' });
}
