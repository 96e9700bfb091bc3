/**
 * Validation of one statement element at a time: Principal, Action, Resource, Condition
 * (docs/spec/access.md §2 R2.2-R2.5, §4 R4.3 steps 7-11). Each returns the typed value, or
 * undefined when S3 refuses it (the caller picks the message).
 */

import { actionsMatching, conditionKeyScope, S3_ACTIONS } from './actions';
import { parseOperator } from './conditions';
import { compilePattern } from './pattern';
import type { Condition, KnownAccount, PrincipalValue } from './types';

const ACCOUNT_ID = /^[0-9]{12}$/;
const CANONICAL_ID = /^[0-9a-f]{64}$/;
const IAM_ARN = /^arn:aws:iam::([0-9]{12}):(root|user\/.+|role\/.+|group\/.+)$/;
const STS_ARN = /^arn:aws:sts::([0-9]{12}):(assumed-role|federated-user)\/.+$/;
const IAM_NAME = /^[A-Za-z0-9+=,.@_-]+$/;
const PRINCIPAL_TYPES = new Set(['AWS', 'CanonicalUser', 'Service', 'Federated']);

/** A JSON string or a non-empty array of strings; undefined otherwise. */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((v): v is string => typeof v === 'string') ? [...value] : undefined;
}

function knownAccount(accounts: readonly KnownAccount[], id: string): KnownAccount | undefined {
  return accounts.find((a) => a.accountId === id);
}

/** One `AWS` principal string (§2 R2.2, §4 R4.3 step 7). */
function awsPrincipal(source: string, accounts: readonly KnownAccount[]): PrincipalValue | undefined {
  if (source === '*') return { kind: 'any', source };
  if (source.includes('*') || source.includes('?')) return undefined; // no partial wildcards
  if (ACCOUNT_ID.test(source)) return { kind: 'account', accountId: source, source };
  const iam = IAM_ARN.exec(source);
  if (iam !== null) {
    const accountId = iam[1] ?? '';
    const resource = iam[2] ?? '';
    if (resource === 'root') return { kind: 'account', accountId, source };
    if (resource.startsWith('group/')) return undefined; // IAM groups are not principals
    const known = knownAccount(accounts, accountId);
    const segments = resource.split('/');
    const name = segments[segments.length - 1] ?? '';
    if (!IAM_NAME.test(name)) return undefined;
    if (resource.startsWith('user/')) {
      // DEVIATION(S3): users of accounts crossbucket does not know are accepted unchecked.
      if (known !== undefined && !known.userNames.includes(name)) return undefined;
      return { kind: 'user', accountId, arn: source, source };
    }
    // UNVERIFIED(S3): crossbucket has no roles, so a role of a known account is an unknown principal.
    return known === undefined ? { kind: 'other', type: 'AWS', source } : undefined;
  }
  const sts = STS_ARN.exec(source);
  if (sts !== null) return knownAccount(accounts, sts[1] ?? '') === undefined ? { kind: 'other', type: 'AWS', source } : undefined;
  return undefined;
}

/**
 * `Principal` / `NotPrincipal` (§2 R2.2): `"*"` or an object of AWS / CanonicalUser / Service /
 * Federated lists. `"*"` may not stand beside another principal (§4 R4.3 step 7).
 */
export function parsePrincipal(value: unknown, accounts: readonly KnownAccount[]): PrincipalValue[] | undefined {
  if (value === '*') return [{ kind: 'any', source: '*' }];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  const out: PrincipalValue[] = [];
  for (const [type, raw] of entries) {
    if (!PRINCIPAL_TYPES.has(type)) return undefined;
    const list = stringList(raw);
    if (list === undefined) return undefined;
    for (const source of list) {
      if (source === '') return undefined;
      let parsed: PrincipalValue | undefined;
      if (type === 'AWS') parsed = awsPrincipal(source, accounts);
      // UNVERIFIED(S3): a canonical id is 64 lower-case hex digits; existence is not checked.
      else if (type === 'CanonicalUser') parsed = CANONICAL_ID.test(source) ? { kind: 'canonical', canonicalId: source, source } : undefined;
      else parsed = source.includes('*') ? undefined : { kind: 'other', type: type as 'Service' | 'Federated', source };
      if (parsed === undefined) return undefined;
      out.push(parsed);
    }
  }
  if (out.length > 1 && out.some((p) => p.kind === 'any')) return undefined;
  return out;
}

const ACTION_FORM = /^s3:[A-Za-z0-9*?]+$/i;

/** `Action` / `NotAction` (§2 R2.3, §4 R4.3 step 8): each names at least one S3 action. */
export function parseActions(value: unknown): string[] | undefined {
  const list = stringList(value);
  if (list === undefined) return undefined;
  for (const action of list) {
    if (action === '*') continue;
    if (!ACTION_FORM.test(action)) return undefined;
    const pattern = compilePattern(action, { ignoreCase: true, variables: false });
    if (actionsMatching((a) => pattern.regex?.test(a) === true).length === 0) return undefined;
  }
  return list;
}

/** The known S3 actions a statement's Action list names. */
export function expandActions(actions: readonly string[]): string[] {
  const patterns = actions.map((a) => compilePattern(a, { ignoreCase: true, variables: false }));
  return actionsMatching((a) => patterns.some((p) => p.regex?.test(a) === true));
}

/**
 * `Resource` / `NotResource` (§2 R2.4, §4 R4.3 step 9): `arn:aws:s3:::BUCKET` or
 * `arn:aws:s3:::BUCKET/KEYPATTERN` of this very bucket.
 * UNVERIFIED(S3): a wildcard in the bucket part (`arn:aws:s3:::*`) is refused.
 */
export function parseResources(value: unknown, bucket: string): string[] | undefined {
  const list = stringList(value);
  if (list === undefined) return undefined;
  const prefix = 'arn:aws:s3:::';
  for (const resource of list) {
    if (!resource.startsWith(prefix)) return undefined;
    const rest = resource.slice(prefix.length);
    const slash = rest.indexOf('/');
    if ((slash === -1 ? rest : rest.slice(0, slash)) !== bucket) return undefined;
  }
  return list;
}

/** Whether some action of the statement applies to some of its resources (§4 R4.3 step 10). */
export function actionsApply(actions: readonly string[], resources: readonly string[]): boolean {
  const kinds = new Set<string>(resources.map((r) => (r.slice('arn:aws:s3:::'.length).includes('/') ? 'object' : 'bucket')));
  return expandActions(actions).some((a) => kinds.has(S3_ACTIONS.get(a) ?? 'account'));
}

export type ConditionFault =
  | { fault: 'operator'; operator: string }
  | { fault: 'key' }
  | { fault: 'scope' };

/**
 * `Condition` (§2 R2.5, §4 R4.3 step 11): known operators, known keys, keys that apply to the
 * statement's actions (not checked for `NotAction` statements).
 * UNVERIFIED(S3): a Condition that is not an object of objects, or a value that is not a string,
 * number, boolean or list of them, is refused as an invalid condition key.
 */
export function parseConditions(value: unknown, actions: readonly string[] | undefined): Condition[] | ConditionFault {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { fault: 'key' };
  const out: Condition[] = [];
  const expanded = actions === undefined ? undefined : expandActions(actions);
  for (const [operator, block] of Object.entries(value as Record<string, unknown>)) {
    if (parseOperator(operator) === undefined) return { fault: 'operator', operator };
    if (typeof block !== 'object' || block === null || Array.isArray(block)) return { fault: 'key' };
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      const scope = conditionKeyScope(key);
      if (scope === undefined) return { fault: 'key' };
      const items = Array.isArray(raw) ? (raw as unknown[]) : [raw];
      if (!items.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return { fault: 'key' };
      if (expanded !== undefined && scope !== 'all') {
        const applies = scope === 'object' ? expanded.some((a) => S3_ACTIONS.get(a) === 'object') : expanded.some((a) => scope.includes(a));
        if (!applies) return { fault: 'scope' };
      }
      out.push({ operator, key, values: items.map(String) });
    }
  }
  return out;
}
