/**
 * policy-engine: S3 bucket policies, ACL grants, Object Ownership and Block Public Access as pure
 * functions (docs/spec/access.md).
 *
 * parsePolicy (PutBucketPolicy) → compilePolicy (once per stored policy) → evaluatePolicy (per
 * request) → decideAccess (the whole order of §1, with ACLs, ownership and BPA).
 */

export type {
  CompiledCondition,
  CompiledPattern,
  CompiledPolicy,
  CompiledStatement,
  Condition,
  ConditionValues,
  ConditionVerdict,
  Effect,
  KnownAccount,
  ParseOptions,
  PatternToken,
  Policy,
  PolicyDecision,
  PolicyEffect,
  PolicyExplanation,
  PolicyParseResult,
  PolicyValidationError,
  PolicyVersion,
  PrincipalValue,
  AnonymousPrincipal,
  RequestContext,
  RequestPrincipal,
  SignedPrincipal,
  Statement,
  StatementPart,
  StatementRef,
  StatementVerdict,
  VariableLookup,
} from './types';
export type {
  AccessDecision,
  AccessInput,
  AclGrant,
  AclGrantee,
  AclPermission,
  BlockPublicAccess,
  DecisionSource,
  ObjectOwnership,
  OwnerReason,
  ResourceKind,
} from './access-types';

export { parsePolicy, policySize } from './parse';
export { compilePolicy } from './compile';
export { evaluatePolicy, principalConditionKeys } from './evaluate';
export { isPublicPolicy, isPublicStatement, isPinningCondition, publicStatements } from './public';
export { isPublicAcl, isPublicCannedAcl, isPublicGrant, aclPermissionFor, findAclGrant } from './acl';
export { decideAccess, describeSource } from './decide';
export { parseOperator } from './conditions';
export { S3_ACTIONS } from './actions';
export {
  ACTION_RESOURCE_MISMATCH_MESSAGE,
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  CONDITION_MISMATCH_MESSAGE,
  DUPLICATE_SID_MESSAGE,
  FIRST_BYTE_MESSAGE,
  INVALID_ACTION_MESSAGE,
  INVALID_CONDITION_KEY_MESSAGE,
  INVALID_JSON_MESSAGE,
  INVALID_PRINCIPAL_MESSAGE,
  INVALID_RESOURCE_MESSAGE,
  INVALID_VERSION_MESSAGE,
  LOG_DELIVERY_URI,
  NO_SUCH_BUCKET_POLICY_MESSAGE,
  POLICY_MAX_BYTES,
  POLICY_TOO_LARGE_MESSAGE,
  PUBLIC_CANNED_ACLS,
  STATEMENT_EMPTY_MESSAGE,
  invalidConditionTypeMessage,
  invalidEffectMessage,
  missingFieldMessage,
  unknownFieldMessage,
} from './messages';
export { CANNED_ACLS, aclGrantsOthers, cannedAclGrants, enforcedAcceptsObjectAcl, newObjectOwner } from './ownership';
export type { RequestAcl } from './ownership';
