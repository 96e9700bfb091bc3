/**
 * CORS at the edge (docs/spec/cors.md §1B, §1C). Preflights (OPTIONS) are answered here, never
 * authenticated. For every other request with an Origin, the decision's headers are set on the
 * reply before the handler runs, so they stay on error responses too. Refusals are logged at
 * debug level with their explanation (docs/spec/cors.md §5).
 */
import type { FastifyReply } from 'fastify';
import { evaluateActual, evaluatePreflight } from '../../cors-engine';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { sendError } from '../http/reply';

/** Explanations are computed lazily: only build one when it will be logged. */
function debugEnabled(ctx: S3Context): boolean {
  const level = ctx.log.level;
  return level === 'debug' || level === 'trace';
}

/**
 * PreflightRequest (S3's "OPTIONS object"): 200 with an empty body and the CORS headers, or
 * the S3 400/403 XML with `Method` and `ResourceType`.
 *
 * DEVIATION(S3): S3 sends its refusal bodies with `Transfer-Encoding: chunked`; crossbucket sends
 * a `Content-Length`. Only the framing differs: no client or browser sees it.
 */
export function answerPreflight(ctx: S3Context, reply: FastifyReply): FastifyReply {
  const origin = headerValue(ctx.headers, H.origin);
  const bucket = ctx.bucket;
  const decision = evaluatePreflight({
    origin,
    accessControlRequestMethod: headerValue(ctx.headers, H.accessControlRequestMethod),
    accessControlRequestHeaders: headerValue(ctx.headers, H.accessControlRequestHeaders),
    // UNVERIFIED(S3): an OPTIONS to the service endpoint is answered as a missing bucket (403),
    // which is all that is recorded (§1C step 8).
    bucket: bucket === undefined || origin === undefined ? 'missing' : ctx.services.cors.state(bucket),
    resourceType: ctx.key === undefined ? 'BUCKET' : 'OBJECT',
  });
  const debug = debugEnabled(ctx);
  if (decision.allowed) {
    for (const [name, value] of Object.entries(decision.headers)) reply.header(name, value);
    if (debug) ctx.log.debug({ bucket, key: ctx.key, origin, explanation: decision.explanation }, 'CORS preflight allowed');
    // §1B step 7: 200, empty body, Content-Length: 0, no Content-Type.
    return reply.code(200).header(H.contentLength, '0').send();
  }
  if (debug) {
    ctx.log.debug(
      { bucket, key: ctx.key, origin, status: decision.status, code: decision.code, explanation: decision.explanation },
      'CORS preflight refused',
    );
  }
  // §1B step 1 (LS-AWS opt-no-origin): S3 closes the connection after a 400 preflight answer.
  const headers: Record<string, string> = decision.status === 400 ? { connection: 'close' } : {};
  const extras: Record<string, string | undefined> = { Method: decision.method, ResourceType: decision.resourceType };
  return sendError(reply, new S3Error(decision.code, decision.message, extras, headers), ctx.requestId);
}

/**
 * Sets the CORS headers of an actual (non-OPTIONS) request when a rule allows it (§1C). CORS
 * never blocks an actual request: without a match the request goes on without CORS headers.
 */
export function applyActualCors(ctx: S3Context, reply: FastifyReply): void {
  const origin = headerValue(ctx.headers, H.origin);
  // §1C step 1 and step 8: no Origin, or the service endpoint (ListBuckets): no CORS headers.
  if (origin === undefined || ctx.bucket === undefined) return;
  const decision = evaluateActual({
    origin,
    method: ctx.method,
    accessControlRequestMethod: headerValue(ctx.headers, H.accessControlRequestMethod),
    accessControlRequestHeaders: headerValue(ctx.headers, H.accessControlRequestHeaders),
    cors: ctx.services.cors.rules(ctx.bucket),
  });
  let any = false;
  for (const [name, value] of Object.entries(decision.headers)) {
    reply.header(name, value);
    any = true;
  }
  if (!any && debugEnabled(ctx)) {
    ctx.log.debug(
      { bucket: ctx.bucket, key: ctx.key, origin, method: ctx.method, op: ctx.operation, explanation: decision.explanation },
      'CORS: no headers for this request',
    );
  }
}
