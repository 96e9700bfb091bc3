/**
 * S3's definition of a public bucket policy, for GetBucketPolicyStatus, BlockPublicPolicy and
 * RestrictPublicBuckets (docs/spec/access.md §5 R5.3, R5.6, R5.7, R5.8).
 *
 * A policy is public when some `Allow` statement is. A statement is not public when every
 * principal is fixed (an account, a user, a canonical id, a role, a service), or when a condition
 * pins the callers with fixed values on one of the keys below. Deny statements never count.
 */

import { parseCidr, isNarrowCidr } from './cidr';
import { parseOperator } from './conditions';
import { hasWildcardOrVariable } from './pattern';
import type { Condition, Policy, PrincipalValue, Statement } from './types';

/** Keys whose fixed value makes a statement non-public (§5 R5.7). Lower-cased. */
const PINNING_KEYS = new Set(
  [
    'aws:SourceIp', 'aws:SourceArn', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:SourceOwner', 'aws:SourceAccount',
    'aws:PrincipalOrgID', 's3:x-amz-server-side-encryption-aws-kms-key-id', 'aws:userid',
    's3:DataAccessPointArn', 's3:DataAccessPointAccount',
    // UNVERIFIED(S3): fixed principal keys are assumed to pin like a fixed principal does.
    'aws:PrincipalAccount', 'aws:PrincipalArn',
  ].map((k) => k.toLowerCase()),
);

/** Operators that constrain a key to the listed values. */
const PINNING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

/** An access point ARN whose name may be `*` (§5 R5.7). */
const ACCESS_POINT_ARN = /^arn:aws:s3:[^:*?]+:[0-9]{12}:accesspoint\/(?:\*|[^*?]+)$/;

function isFixedPrincipal(p: PrincipalValue): boolean {
  if (p.kind === 'any') return false;
  if (p.kind === 'other') return p.type !== 'Federated';
  return true;
}

function isFixedValue(key: string, value: string): boolean {
  if (value.includes('${')) return false;
  if (key === 's3:dataaccesspointarn') return ACCESS_POINT_ARN.test(value) || !hasWildcardOrVariable(value);
  return !hasWildcardOrVariable(value);
}

/**
 * Whether a condition pins the callers (§5 R5.7). UNVERIFIED(S3): "pins" = a positive operator,
 * without `IfExists` and without `ForAllValues:` (which holds for an absent key), with at least one
 * value, every value fixed; `aws:SourceIp` with `IpAddress` and every CIDR /8 or narrower (IPv4),
 * /32 or narrower (IPv6).
 */
export function isPinningCondition(condition: Condition): boolean {
  const parts = parseOperator(condition.operator);
  const key = condition.key.toLowerCase();
  if (parts === undefined || parts.ifExists || parts.set === 'ForAllValues' || !PINNING_KEYS.has(key)) return false;
  if (condition.values.length === 0) return false;
  if (key === 'aws:sourceip') {
    return parts.base === 'IpAddress' && condition.values.every((v) => {
      const cidr = parseCidr(v);
      return cidr !== undefined && isNarrowCidr(cidr);
    });
  }
  return PINNING_OPERATORS.has(parts.base) && condition.values.every((v) => isFixedValue(key, v));
}

/** Whether one statement makes the policy public (§5 R5.7). */
export function isPublicStatement(statement: Statement): boolean {
  if (statement.effect !== 'Allow') return false;
  // Allow with NotPrincipal is refused at validation; if it is ever here it is not fixed.
  const principals = statement.principal;
  if (principals !== undefined && principals.length > 0 && principals.every(isFixedPrincipal)) return false;
  return !statement.conditions.some(isPinningCondition);
}

/** S3's "public policy" (§5 R5.7): GetBucketPolicyStatus `IsPublic`, BlockPublicPolicy, RestrictPublicBuckets. */
export function isPublicPolicy(policy: Policy): boolean {
  return policy.statements.some(isPublicStatement);
}

/** The public statements, for explanations (`BlockPublicPolicy` refusals name them in the log). */
export function publicStatements(policy: Policy): Statement[] {
  return policy.statements.filter(isPublicStatement);
}
