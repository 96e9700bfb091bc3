/**
 * CORS at the edge (docs/spec/cors.md §1B, §1C). Preflights (OPTIONS) are answered here, never
 * authenticated. For every other request with an Origin, the decision's headers are set on the
 * reply before the handler runs, so they stay on error responses too. Refusals are logged at
 * debug level with their explanation (docs/spec/cors.md §5), and every verdict on a request with an
 * Origin goes to the event bus while someone listens (server/events.ts, docs/console.md).
 */
import type { FastifyReply } from 'fastify';
import { evaluateActual, evaluatePreflight, parseRequestHeaders, type ActualDecision, type CompiledCors, type Explanation, type PreflightDecision } from '../../cors-engine';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { sendError } from '../http/reply';
import type { HeaderSink } from '../http/s3-reply';

/** Explanations are computed lazily: only build one when it will be logged. */
function debugEnabled(ctx: S3Context): boolean {
  const level = ctx.log.level;
  return level === 'debug' || level === 'trace';
}

/**
 * Explanations already built, per compiled configuration (a new configuration is a new object, so
 * nothing stale survives a PutBucketCors): browsers repeat the same requests, and a streaming
 * console should cost the server as little as possible. Read-only: events share them.
 */
const explanations = new WeakMap<CompiledCors, Map<string, Explanation>>();
const KEPT_PER_CONFIG = 256;

function explanationOf(rules: CompiledCors | undefined, key: string, decision: { explanation: Explanation }): Explanation {
  return rules === undefined ? decision.explanation : keptFor(explanations, rules, key, () => decision.explanation);
}

/**
 * Decisions already made, per compiled configuration, by everything a decision depends on
 * (preflight or actual, resource type, method, Access-Control-Request-Method and -Headers,
 * Origin): a page repeats the same few for every request it makes. Bounded and read-only as the
 * explanations are; a decision's headers are copied onto each reply, never changed.
 */
const decisions = new WeakMap<CompiledCors, Map<string, PreflightDecision | ActualDecision>>();

function remembered<T extends PreflightDecision | ActualDecision>(rules: CompiledCors, key: string, decide: () => T): T {
  return keptFor(decisions, rules, key, decide) as T;
}

/** The value `kept` holds for (rules, key), computed on first use; at most KEPT_PER_CONFIG per configuration (emptied when full). */
function keptFor<V>(kept: WeakMap<CompiledCors, Map<string, V>>, rules: CompiledCors, key: string, compute: () => V): V {
  let known = kept.get(rules);
  if (known === undefined) kept.set(rules, (known = new Map()));
  let value = known.get(key);
  if (value === undefined) {
    if (known.size >= KEPT_PER_CONFIG) known.clear();
    value = compute();
    known.set(key, value);
  }
  return value;
}

/** One key for the values a decision depends on (a header value never holds a newline). */
function decisionKey(...values: Array<string | undefined>): string {
  let key = '';
  for (const v of values) key += v === undefined ? '\u0000\n' : `${v}\n`;
  return key;
}

/**
 * The previous request's decision of one kind and what it was made from, compared value by value:
 * a page's requests repeat it, and this spares building the key and hashing it (~1 µs a request).
 * `what` is the resource type of a preflight, the method of an actual request. (lastAnswer in
 * server/auth/last-answer.ts keys by one value; a key made of these five is what this spares.)
 */
class LastDecision<T extends PreflightDecision | ActualDecision> {
  private rules: CompiledCors | undefined;
  private what: string | undefined;
  private acrm: string | undefined;
  private acrh: string | undefined;
  private origin: string | undefined;
  private decision: T | undefined;

  constructor(private readonly kind: 'preflight' | 'actual') {}

  decide(rules: CompiledCors, what: string, acrm: string | undefined, acrh: string | undefined, origin: string, evaluate: () => T): T {
    if (this.decision !== undefined && rules === this.rules && what === this.what && acrm === this.acrm && acrh === this.acrh && origin === this.origin) {
      return this.decision;
    }
    const decision = remembered(rules, decisionKey(this.kind, what, acrm, acrh, origin), evaluate);
    this.rules = rules;
    this.what = what;
    this.acrm = acrm;
    this.acrh = acrh;
    this.origin = origin;
    this.decision = decision;
    return decision;
  }
}

const lastPreflight = new LastDecision<PreflightDecision>('preflight');
const lastActual = new LastDecision<ActualDecision>('actual');

/**
 * Hands a verdict to the event bus (only called while someone listens). The explanation is
 * computed in the bus's flush, after this request's turn: it reads only the compiled rules the
 * decision was made with, which never change.
 */
function publishVerdict(
  ctx: S3Context,
  kind: 'preflight' | 'actual',
  origin: string,
  method: string,
  decision: { allowed: boolean; status?: number; code?: string; explanation: Explanation },
  rules: CompiledCors | undefined,
): void {
  const { requestId, bucket, key, operation } = ctx;
  const acrh = headerValue(ctx.headers, H.accessControlRequestHeaders);
  const acrm = headerValue(ctx.headers, H.accessControlRequestMethod);
  const requestMethod = ctx.method;
  ctx.services.events.publish(() => {
    // Everything the explanation depends on besides the rules.
    const e = explanationOf(rules, `${kind}\n${origin}\n${acrm ?? '-'}\n${requestMethod}\n${acrh ?? ''}`, decision);
    return {
      type: 'cors', kind, requestId, origin, method, operation,
      ...(bucket === undefined ? {} : { bucket }),
      ...(key === undefined ? {} : { key }),
      requestHeaders: parseRequestHeaders(acrh),
      allowed: decision.allowed,
      ...(decision.status === undefined ? {} : { status: decision.status, code: decision.code }),
      ...(e.matchedRule === undefined ? {} : { matchedRule: e.matchedRule }),
      summary: e.summary,
      rules: e.rules,
    };
  });
}

/**
 * PreflightRequest (S3's "OPTIONS object"): 200 with an empty body and the CORS headers, or
 * the S3 400/403 XML with `Method` and `ResourceType`.
 *
 * DEVIATION(S3): S3 sends its refusal bodies with `Transfer-Encoding: chunked`; crossbucket sends
 * a `Content-Length`. Only the framing differs: no client or browser sees it.
 */
export function answerPreflight(ctx: S3Context, reply: FastifyReply): FastifyReply {
  const decision = preflightDecision(ctx);
  if (decision.allowed) {
    const headers = decision.headers;
    for (const name in headers) reply.header(name, headers[name] as string);
    // §1B step 7: 200, empty body, Content-Length: 0, no Content-Type.
    return reply.code(200).header(H.contentLength, '0').send();
  }
  // §1B step 1 (LS-AWS opt-no-origin): S3 closes the connection after a 400 preflight answer.
  const headers: Record<string, string> = decision.status === 400 ? { connection: 'close' } : {};
  const extras: Record<string, string | undefined> = { Method: decision.method, ResourceType: decision.resourceType };
  return sendError(reply, new S3Error(decision.code, decision.message, extras, headers), ctx.requestId);
}

/** The preflight's decision (§1B), logged at debug level with its explanation; the REST and website endpoints render it. */
export function preflightDecision(ctx: S3Context): PreflightDecision {
  const decided = decidePreflight(ctx);
  reportPreflight(ctx, decided);
  return decided.decision;
}

/** A preflight's decision and the rules it was made with, not yet reported. */
export interface DecidedPreflight {
  decision: PreflightDecision;
  rules: CompiledCors | undefined;
}

/** The decision alone (no event, no log line): server/pipeline/preflight-first.ts reports it only if it answers. */
export function decidePreflight(ctx: S3Context): DecidedPreflight {
  const origin = headerValue(ctx.headers, H.origin);
  const bucket = ctx.bucket;
  // UNVERIFIED(S3): an OPTIONS to the service endpoint is answered as a missing bucket (403),
  // which is all that is recorded (§1C step 8).
  const state = bucket === undefined || origin === undefined ? 'missing' : ctx.services.cors.state(bucket);
  const acrm = headerValue(ctx.headers, H.accessControlRequestMethod);
  const acrh = headerValue(ctx.headers, H.accessControlRequestHeaders);
  const resourceType = ctx.key === undefined || ctx.key === '' ? 'BUCKET' : 'OBJECT';
  const decide = () => evaluatePreflight({ origin, accessControlRequestMethod: acrm, accessControlRequestHeaders: acrh, bucket: state, resourceType });
  const decision = typeof state === 'string' || origin === undefined ? decide() : lastPreflight.decide(state, resourceType, acrm, acrh, origin, decide);
  return { decision, rules: typeof state === 'string' ? undefined : state };
}

/** The verdict to the event bus (while someone listens) and, at debug level, its explanation. */
export function reportPreflight(ctx: S3Context, { decision, rules }: DecidedPreflight): void {
  const origin = headerValue(ctx.headers, H.origin);
  const bucket = ctx.bucket;
  if (origin !== undefined && ctx.services.events.active) {
    publishVerdict(ctx, 'preflight', origin, headerValue(ctx.headers, H.accessControlRequestMethod) ?? '', decision, rules);
  }
  if (debugEnabled(ctx)) {
    if (decision.allowed) ctx.log.debug({ bucket, key: ctx.key, origin, explanation: decision.explanation }, 'CORS preflight allowed');
    else {
      ctx.log.debug(
        { bucket, key: ctx.key, origin, status: decision.status, code: decision.code, explanation: decision.explanation },
        'CORS preflight refused',
      );
    }
  }
}

/**
 * Sets the CORS headers of an actual (non-OPTIONS) request when a rule allows it (§1C). CORS
 * never blocks an actual request: without a match the request goes on without CORS headers.
 */
export function applyActualCors(ctx: S3Context, reply: HeaderSink): void {
  const origin = headerValue(ctx.headers, H.origin);
  // §1C step 1 and step 8: no Origin, or the service endpoint (ListBuckets): no CORS headers.
  if (origin === undefined || ctx.bucket === undefined) return;
  const rules = ctx.services.cors.rules(ctx.bucket);
  const acrm = headerValue(ctx.headers, H.accessControlRequestMethod);
  const acrh = headerValue(ctx.headers, H.accessControlRequestHeaders);
  const decide = () => evaluateActual({ origin, method: ctx.method, accessControlRequestMethod: acrm, accessControlRequestHeaders: acrh, cors: rules });
  const decision = rules === undefined ? decide() : lastActual.decide(rules, ctx.method, acrm, acrh, origin, decide);
  let any = false;
  const headers = decision.headers;
  for (const name in headers) {
    reply.header(name, headers[name] as string);
    any = true;
  }
  if (ctx.services.events.active) {
    const method = headerValue(ctx.headers, H.accessControlRequestMethod) ?? ctx.method;
    publishVerdict(ctx, 'actual', origin, method, { allowed: any, get explanation() { return decision.explanation; } }, rules);
  }
  if (!any && debugEnabled(ctx)) {
    ctx.log.debug(
      { bucket: ctx.bucket, key: ctx.key, origin, method: ctx.method, op: ctx.operation, explanation: decision.explanation },
      'CORS: no headers for this request',
    );
  }
}
