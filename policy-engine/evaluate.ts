/**
 * Evaluating a compiled bucket policy for one (principal, action, resource, keys) request
 * (docs/spec/access.md §1 R1.5 steps 2-3b, §2). The result is the policy's own verdict:
 * `Deny` (an explicit deny), `Allow`, or `NoDecision`; {@link decideAccess} combines it with the
 * owner, ACL, Object Ownership and Block Public Access rules of §1.
 */

import { evaluateCondition } from './conditions';
import type { KeyLookup } from './conditions';
import { matchPattern } from './pattern';
import type {
  CompiledPattern,
  CompiledPolicy,
  CompiledStatement,
  ConditionValues,
  PolicyDecision,
  PolicyExplanation,
  PrincipalValue,
  RequestContext,
  RequestPrincipal,
  StatementPart,
  StatementRef,
  StatementVerdict,
  VariableLookup,
} from './types';

/**
 * The keys the engine derives from the caller (§2 R2.7): `aws:PrincipalAccount`,
 * `aws:PrincipalArn`, `aws:PrincipalType`, `aws:userid`, `aws:username`.
 */
export function principalConditionKeys(principal: RequestPrincipal): Record<string, string> {
  if (principal.kind === 'anonymous') {
    return { 'aws:PrincipalAccount': 'anonymous', 'aws:PrincipalType': 'Anonymous', 'aws:userid': 'anonymous' };
  }
  const keys: Record<string, string> = {
    'aws:PrincipalAccount': principal.accountId,
    'aws:PrincipalArn': principal.arn,
    'aws:PrincipalType': principal.userName === undefined ? 'Account' : 'User',
    'aws:userid': principal.accountId,
  };
  if (principal.userName !== undefined) {
    keys['aws:username'] = principal.userName;
    // DEVIATION(S3): IAM users have no AIDA… unique id here; aws:userid defaults to the name.
    keys['aws:userid'] = principal.userId ?? principal.userName;
  }
  return keys;
}

/** Lower-cased key → non-empty values; request keys override the derived principal keys. */
function keyTable(principal: RequestPrincipal, keys: ConditionValues | undefined): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const put = (k: string, v: string | readonly string[]): void => {
    const list = typeof v === 'string' ? [v] : [...v];
    if (list.length === 0) table.delete(k.toLowerCase());
    else table.set(k.toLowerCase(), list);
  };
  const derived = principalConditionKeys(principal);
  for (const k of Object.keys(derived)) put(k, derived[k] as string);
  if (keys !== undefined) for (const k of Object.keys(keys)) put(k, keys[k] as string | readonly string[]);
  return table;
}

export function principalMatches(p: PrincipalValue, principal: RequestPrincipal): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'account':
      return principal.kind === 'signed' && principal.accountId === p.accountId;
    case 'user':
      return principal.kind === 'signed' && principal.arn === p.arn;
    case 'canonical':
      return principal.kind === 'signed' && principal.canonicalId === p.canonicalId;
    default:
      return false; // Service, Federated, roles: never a crossbucket caller (§2 R2.2).
  }
}

function anyPattern(patterns: readonly CompiledPattern[], value: string, vars: VariableLookup, ignoreCase: boolean): CompiledPattern | undefined {
  return patterns.find((p) => matchPattern(p, value, vars, ignoreCase));
}

interface Env {
  ctx: RequestContext;
  lookup: KeyLookup;
  vars: VariableLookup;
}

/** The key table is built on the first lookup: most policies match on principal, action and resource alone. */
function environment(ctx: RequestContext): Env {
  let table: Map<string, string[]> | undefined;
  const keys = () => {
    if (table === undefined) {
      const given = ctx.conditionKeys;
      table = keyTable(ctx.principal, typeof given === 'function' ? given() : given);
    }
    return table;
  };
  const lookup: KeyLookup = (k) => keys().get(k);
  // §2 R2.6: a variable takes a single-valued key; absent or multi-valued → the element fails.
  const vars: VariableLookup = (k) => {
    const v = keys().get(k);
    return v !== undefined && v.length === 1 ? v[0] : undefined;
  };
  return { ctx, lookup, vars };
}

/** Fast path: does the statement apply? Parts in order principal, action, resource, condition. */
function statementMatches(s: CompiledStatement, env: Env): boolean {
  const { principal, action, resource } = env.ctx;
  if (s.principals.some((p) => principalMatches(p, principal)) === s.principalNegated) return false;
  if ((anyPattern(s.actions, action, env.vars, true) !== undefined) === s.actionNegated) return false;
  if ((anyPattern(s.resources, resource, env.vars, false) !== undefined) === s.resourceNegated) return false;
  return s.conditions.every((c) => evaluateCondition(c, env.lookup, env.vars).matched);
}

function ref(s: CompiledStatement): StatementRef {
  const r: StatementRef = { index: s.statement.index };
  if (s.statement.sid !== undefined) r.sid = s.statement.sid;
  return r;
}

export function describeRef(r: StatementRef): string {
  return r.sid !== undefined ? `statement ${r.index} (Sid "${r.sid}")` : `statement ${r.index}`;
}

function part(negated: boolean, name: string, hit: string | undefined, value: string, all: readonly string[]): { matched: boolean; detail: string } {
  const listed = hit !== undefined;
  const matched = listed !== negated;
  const list = JSON.stringify(all);
  const detail = negated
    ? listed ? `${value} is excluded by Not${name} ${JSON.stringify(hit)}` : `${value} is not in Not${name} ${list}`
    : listed ? `${value} matches ${name} ${JSON.stringify(hit)}` : `${value} matches none of ${name} ${list}`;
  return { matched, detail };
}

function describePrincipal(principal: RequestPrincipal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : principal.arn;
}

/** Every part of one statement, for the explanation. */
export function explainStatement(s: CompiledStatement, env: Env): StatementVerdict {
  const { principal, action, resource } = env.ctx;
  const pHit = s.principals.find((p) => principalMatches(p, principal));
  const aHit = anyPattern(s.actions, action, env.vars, true);
  const rHit = anyPattern(s.resources, resource, env.vars, false);
  const verdicts = s.conditions.map((c) => evaluateCondition(c, env.lookup, env.vars));
  const v: StatementVerdict = {
    ...ref(s),
    effect: s.statement.effect,
    matched: false,
    principal: part(s.principalNegated, 'Principal', pHit?.source, describePrincipal(principal), s.principals.map((p) => p.source)),
    action: part(s.actionNegated, 'Action', aHit?.source, action, s.actions.map((a) => a.source)),
    resource: part(s.resourceNegated, 'Resource', rHit?.source, resource, s.resources.map((r) => r.source)),
    conditions: { matched: verdicts.every((c) => c.matched), verdicts },
  };
  const order: Array<[StatementPart, boolean]> = [
    ['principal', v.principal.matched], ['action', v.action.matched], ['resource', v.resource.matched], ['condition', v.conditions.matched],
  ];
  const failed = order.find(([, ok]) => !ok);
  if (failed === undefined) v.matched = true;
  else v.failed = failed[0];
  return v;
}

function explain(policy: CompiledPolicy, env: Env, effect: PolicyDecision['effect'], deciding: StatementRef | undefined): PolicyExplanation {
  const statements = policy.statements.map((s) => explainStatement(s, env));
  const who = `${describePrincipal(env.ctx.principal)} ${env.ctx.action} on ${env.ctx.resource}`;
  const summary = deciding === undefined
    ? `${who}: no statement applies (no decision)`
    : `${who}: ${effect === 'Deny' ? 'explicitly denied' : 'allowed'} by ${describeRef(deciding)}`;
  const out: PolicyExplanation = { statements, summary };
  if (deciding !== undefined) out.decidingStatement = deciding;
  return out;
}

/**
 * The policy's verdict (§1 R1.5 step 2: any matching Deny wins; step 3b: else a matching Allow).
 * The deciding statement is the first matching Deny, else the first matching Allow.
 */
export function evaluatePolicy(policy: CompiledPolicy, ctx: RequestContext): PolicyDecision {
  const env = environment(ctx);
  let allow: StatementRef | undefined;
  let deny: StatementRef | undefined;
  for (const s of policy.statements) {
    if (s.statement.effect === 'Allow' && allow !== undefined) continue;
    if (!statementMatches(s, env)) continue;
    if (s.statement.effect === 'Deny') {
      deny = ref(s);
      break;
    }
    allow = ref(s);
  }
  const effect = deny !== undefined ? 'Deny' : allow !== undefined ? 'Allow' : 'NoDecision';
  const deciding = deny ?? allow;
  let cached: PolicyExplanation | undefined;
  // A getter in the literal (own and enumerable, as JSON.stringify needs it): defineProperty
  // on every evaluation cost more than the evaluation itself.
  const decision: PolicyDecision = {
    effect,
    get explanation() { return (cached ??= explain(policy, env, effect, deciding)); },
  };
  if (deciding !== undefined) decision.statement = deciding;
  return decision;
}
