/**
 * CORS at the edge. Preflights (OPTIONS) are answered here, never authenticated. For every
 * other request with an Origin, the decision's headers are set on the reply before the
 * handler runs, so they stay on error responses too. Refusals are logged with their reasons.
 */
import type { FastifyReply } from 'fastify';
import { evaluateActual, evaluatePreflight } from '../cors-engine';
import type { S3Context } from './context';
import { S3Error } from './errors';
import { H, headerValue } from './headers';
import { sendError } from './reply';

/** PreflightRequest (S3's "OPTIONS object"). */
export function answerPreflight(ctx: S3Context, reply: FastifyReply): FastifyReply {
  const origin = headerValue(ctx.headers, H.origin);
  const bucket = ctx.bucket;
  const decision = evaluatePreflight({
    origin,
    accessControlRequestMethod: headerValue(ctx.headers, H.accessControlRequestMethod),
    accessControlRequestHeaders: headerValue(ctx.headers, H.accessControlRequestHeaders),
    // UNVERIFIED(S3): an OPTIONS to the service endpoint is answered as a missing bucket (403).
    bucket: bucket === undefined || origin === undefined ? 'missing' : ctx.services.cors.state(bucket),
    resourceType: ctx.key === undefined ? 'BUCKET' : 'OBJECT',
  });
  if (decision.allowed) {
    for (const [name, value] of Object.entries(decision.headers)) reply.header(name, value);
    ctx.log.debug({ bucket, origin, explanation: decision.explanation }, 'CORS preflight allowed');
    return reply.code(200).send();
  }
  ctx.log.debug({ bucket, origin, explanation: decision.explanation }, 'CORS preflight refused');
  const extras: Record<string, string | undefined> = { Method: decision.method, ResourceType: decision.resourceType };
  return sendError(reply, new S3Error(decision.code, decision.message, extras), ctx.requestId);
}

/** Sets the CORS headers of an actual (non-OPTIONS) request, if a rule allows it. */
export function applyActualCors(ctx: S3Context, reply: FastifyReply): void {
  const origin = headerValue(ctx.headers, H.origin);
  // A request with no Origin, or to the service endpoint (ListBuckets), gets no CORS headers.
  if (origin === undefined || ctx.bucket === undefined) return;
  const decision = evaluateActual({
    origin,
    method: ctx.method,
    accessControlRequestMethod: headerValue(ctx.headers, H.accessControlRequestMethod),
    accessControlRequestHeaders: headerValue(ctx.headers, H.accessControlRequestHeaders),
    cors: ctx.services.cors.rules(ctx.bucket),
  });
  let any = false;
  for (const [name, value] of Object.entries(decision.headers)) { reply.header(name, value); any = true; }
  if (!any) ctx.log.debug({ bucket: ctx.bucket, origin, method: ctx.method, explanation: decision.explanation }, 'CORS: no headers for this request');
}
