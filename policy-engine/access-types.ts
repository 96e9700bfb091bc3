/**
 * Types of the whole access decision: ACL grants, Block Public Access, Object Ownership, and the
 * inputs and result of {@link decideAccess} (docs/spec/access.md §1, §5, §6, §7).
 */

import type { PolicyDecision, RequestPrincipal, StatementRef } from './types';

// --- ACLs (§7) ---

export type AclPermission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

/** A grantee as in the ACL XML: a canonical user (an account), a group, or an e-mail grantee. */
export type AclGrantee =
  | { type: 'CanonicalUser'; id: string }
  | { type: 'Group'; uri: string }
  | { type: 'AmazonCustomerByEmail'; email: string };

export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

// --- Block Public Access (§5) and Object Ownership (§6) ---

/** The effective settings: the bucket's ORed with the account's (§5 R5.1). */
export interface BlockPublicAccess {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** §6 R6.1; a bucket without ownership controls behaves as `ObjectWriter`. */
export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

// --- The decision of §1 ---

export type ResourceKind = 'bucket' | 'object';

export interface AccessInput {
  principal: RequestPrincipal;
  /** One (action, resource) pair of the operation (§1 R1.4, §3), e.g. `s3:GetObject`. */
  action: string;
  resourceKind: ResourceKind;
  bucketOwnerAccountId: string;
  /** The owner account of the existing object (object actions but s3:PutObject); absent = the bucket owner. */
  objectOwnerAccountId?: string;
  /** AbortMultipartUpload / ListMultipartUploadParts: the upload's initiator (§1 R1.6). */
  uploadInitiatorArn?: string;
  /** The bucket policy, if the bucket has one. */
  policy?: {
    decision: PolicyDecision;
    /** {@link isPublicPolicy} of the stored policy (§5 R5.6). */
    isPublic: boolean;
    /**
     * The policy was put with `x-amz-confirm-remove-self-bucket-access: true` (§1 R1.5 step 1).
     * UNVERIFIED(S3): the owner root then loses its standing access to the policy APIs.
     */
    removesOwnerAccess?: boolean;
  };
  /** The bucket's ACL: bucket actions and the bucket WRITE grant for PutObject (§7 R7.2). */
  bucketAcl?: readonly AclGrant[];
  /** The object's ACL: object reads and object ACL actions (§7 R7.2). */
  objectAcl?: readonly AclGrant[];
  ownership: ObjectOwnership;
  blockPublicAccess: BlockPublicAccess;
}

export type OwnerReason =
  | 'bucket-owner-root-policy-apis'
  | 'bucket-owner-account'
  | 'object-owner-account'
  | 'bucket-owner-cleanup'
  | 'upload-initiator';

/** What decided (§1 R1.5): the rule the server logs and the explain tool prints. */
export type DecisionSource =
  | { kind: 'owner'; reason: OwnerReason }
  | { kind: 'policy'; statement: StatementRef }
  | { kind: 'acl'; acl: ResourceKind; grant: AclGrant }
  | { kind: 'block-public-access'; setting: 'RestrictPublicBuckets' | 'IgnorePublicAcls' }
  | { kind: 'ownership'; setting: 'BucketOwnerEnforced' }
  | { kind: 'default-deny' };

export interface AccessDecision {
  allowed: boolean;
  /**
   * `methodNotAllowed`: another account's principal that the policy allows to call
   * Get/Put/DeleteBucketPolicy, answered 405 MethodNotAllowed (§4 R4.1).
   */
  result: 'allow' | 'explicitDeny' | 'implicitDeny' | 'methodNotAllowed';
  source: DecisionSource;
  /** One line, e.g. `allowed by policy statement 0 (Sid "PublicRead")`. */
  detail: string;
}
