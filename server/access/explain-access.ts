/**
 * `crossbucket explain` for access (docs/spec/access.md §1): the decision authorize() would take
 * for a principal, an action and a bucket or key, with the deciding source and one line per
 * policy statement. The same tables and engine calls as authorize.ts; nothing is thrown, the
 * answer is data for the admin API.
 */
import { describeSource, type RequestPrincipal, type StatementVerdict } from '../../policy-engine';
import type { S3Context } from '../context';
import { isImplemented, type ImplementedOperation } from '../operation-names';
import { ACCESS, operationForMethod, ruleForAction, type AccessRule } from './access-table';
import { bucketAccess, decidePair, type PairDecision } from './access-decision';
import { requestConditionKeys } from './condition-keys';

export interface AccessQuery {
  bucket: string;
  key?: string;
  /** `s3:GetObject`, or undefined to derive it from `method`. */
  action?: string;
  method?: string;
  principal: RequestPrincipal;
  /** Whether the caller may see the policy's statements (its account owns the bucket). */
  showStatements: boolean;
}

export interface AccessExplanation {
  bucket: string;
  key?: string;
  operation?: ImplementedOperation;
  action: string;
  principal: string;
  allowed: boolean;
  /** What S3 would answer: 200 (allowed), 403, 404 (NoSuchBucket, or NoSuchKey for a caller who may list), 405. */
  status: number;
  result: string;
  source: string;
  detail: string;
  settings?: { policy: 'none' | 'public' | 'not public'; blockPublicAccess: Record<string, boolean> | 'none'; objectOwnership: string };
  summary?: string;
  /** One line per statement; absent when the caller's account does not own the bucket. */
  statements?: string[];
}

/** `statement 0 (Sid "x") Allow: MATCHED` or `… no – the first part that failed`. */
export function statementLine(v: StatementVerdict): string {
  const name = `statement ${v.index}${v.sid === undefined ? '' : ` (Sid ${JSON.stringify(v.sid)})`} ${v.effect}`;
  if (v.matched) return `${name}: MATCHED - ${v.principal.detail}; ${v.action.detail}; ${v.resource.detail}`;
  const why = v.failed === 'condition'
    ? v.conditions.verdicts.filter((c) => !c.matched).map((c) => c.detail).join('; ')
    : v.failed === undefined ? '' : v[v.failed].detail;
  return `${name}: no - ${why}`;
}

function resolveRule(q: AccessQuery): { operation?: ImplementedOperation; rule: AccessRule } | undefined {
  if (q.action !== undefined) {
    const found = ruleForAction(q.action);
    // An action no operation uses is still explained, on the resource the query names.
    return found ?? { rule: { action: q.action as `s3:${string}`, resource: q.key === undefined ? 'bucket' : 'object' } };
  }
  const operation = operationForMethod(q.method ?? 'GET', q.key !== undefined);
  return operation === undefined || !isImplemented(operation) ? undefined : { operation, rule: ACCESS[operation] };
}

/** The explanation, or undefined when the method names no operation. `ctx` supplies the request condition keys. */
export function explainAccess(ctx: S3Context, q: AccessQuery): AccessExplanation | undefined {
  const resolved = resolveRule(q);
  if (resolved === undefined) return undefined;
  const { rule, operation } = resolved;
  const principal = q.principal.kind === 'signed' ? q.principal.arn : 'anonymous';
  const base = { bucket: q.bucket, ...(q.key === undefined ? {} : { key: q.key }), ...(operation === undefined ? {} : { operation }), action: rule.action, principal };
  const services = ctx.services;
  const b = services.storage.getBucket(q.bucket);
  if (!b) return { ...base, allowed: false, status: 404, result: 'noSuchBucket', source: 'NoSuchBucket', detail: 'the bucket does not exist (404 to anyone)' };
  if (rule.resource === 'account' || rule.resource === 'new-bucket') {
    const ok = q.principal.kind === 'signed';
    return { ...base, allowed: ok, status: ok ? 200 : 403, result: ok ? 'allow' : 'implicitDeny', source: 'identity', detail: ok ? 'any signed caller may' : 'anonymous callers may not' };
  }
  const access = bucketAccess(services, b);
  const keysCtx: S3Context = { ...ctx, operation: operation ?? ctx.operation, bucket: q.bucket, key: q.key, query: new Map() };
  const conditionKeys = () => requestConditionKeys(keysCtx, new Date());
  const key = rule.resource === 'bucket' ? undefined : q.key ?? '';
  const object = key === undefined || rule.action === 's3:PutObject' ? undefined : services.storage.objectAccess(b.name, key);
  let d: PairDecision = decidePair(services, access, { principal: q.principal, action: rule.action, ...(key === undefined ? {} : { key }), object, conditionKeys });
  let status = d.decision.allowed ? 200 : d.decision.result === 'methodNotAllowed' ? 405 : 403;
  // §9 R9.2: a missing key is 404 only to a caller who may list the bucket.
  if (key !== undefined && object === undefined && (operation === 'GetObject' || operation === 'HeadObject') && d.decision.result !== 'explicitDeny') {
    d = decidePair(services, access, { principal: q.principal, action: 's3:ListBucket', conditionKeys: () => ({ ...conditionKeys(), 's3:prefix': key }) });
    status = d.decision.allowed ? 404 : 403;
  }
  const out: AccessExplanation = {
    ...base,
    allowed: d.decision.allowed,
    status,
    result: d.decision.result,
    source: describeSource(d.decision.source),
    detail: d.decision.detail,
    settings: {
      policy: access.policy === undefined ? 'none' : access.policy.isPublic ? 'public' : 'not public',
      blockPublicAccess: b.publicAccessBlock === undefined ? 'none' : { ...b.publicAccessBlock },
      objectOwnership: b.ownership ?? 'ObjectWriter (no ownership controls)',
    },
  };
  if (d.policy !== undefined && q.showStatements) {
    out.summary = d.policy.explanation.summary;
    out.statements = d.policy.explanation.statements.map(statementLine);
  }
  return out;
}
