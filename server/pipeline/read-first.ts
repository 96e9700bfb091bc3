/**
 * GetObject and HeadObject, answered before fastify's request pipeline
 * (server/pipeline/answer-first.ts says which requests reach here). They run the same pipeline
 * as fastify's route (serve-s3.ts: CORS, signature, access, the handler, the answer or the S3
 * error), written through a reply that does what fastify's does with the same payloads
 * (server/http/plain-reply.ts); what differs is only the cost of fastify's routing, request and
 * reply objects and hooks, ~10% of a GET (docs/benchmarks.md "Issue 19, twentieth round").
 * test/server/read-first.test.ts sends each of a list of reads both ways and compares the
 * answers, log lines and console events.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Address, Services } from '../context';
import { infoEnabled, logRequest } from '../http/logging';
import { PlainReply, type PlainReplyHooks } from '../http/plain-reply';
import { identityHeaders, sendError } from '../http/reply';
import type { S3Request } from '../http/s3-reply';
import { S3Error } from '../errors';
import { resolveOperation } from '../operations/resolve-operation';
import { earlyContext } from './early-context';
import { serveS3 } from './serve-s3';

/** What fastify's error handler does for the S3 route (server/app.ts). */
const onStreamError: PlainReplyHooks['onStreamError'] = (reply, err) => { sendError(reply, err, (reply.request as ReadRequest).s3.requestId); };

/**
 * ...and its `onResponse` hook, when there is a line to write: a request without a body has no
 * body watch to end (server/http/body-watch.ts), so the line is all that hook does for it.
 */
const LOGGED: PlainReplyHooks = {
  onStreamError,
  onFinished: (reply) => logRequest(reply.log, reply.request, reply),
};
const UNLOGGED: PlainReplyHooks = { onStreamError };

type ReadRequest = S3Request & { readonly s3: NonNullable<S3Request['s3']> };

/** Answers a GET or HEAD that resolves to GetObject or HeadObject; false: fastify's route is to take it. */
export function answeredRead(req: IncomingMessage, res: ServerResponse, services: Services, address: Address, log: FastifyBaseLogger): boolean {
  const method = req.method as string;
  const headers = req.headers;
  const operation = resolveOperation(method, address.bucket, address.key, address.query, headers);
  if (operation !== 'GetObject' && operation !== 'HeadObject') return false;
  const ctx = earlyContext(req, services, address, operation, log);
  const request: ReadRequest = { method, url: req.url as string, raw: req, headers, s3: ctx };
  // The ids fastify's onRequest hook sets first (app.ts).
  const reply = new PlainReply(res, request, ctx.log, identityHeaders(ctx.requestId), infoEnabled(log) ? LOGGED : UNLOGGED);
  try {
    void serveS3(ctx, request, reply);
  } catch (err) {
    lastResort(reply, err);
  }
  return true;
}

/**
 * serveS3 answers every failure of the operation itself; what reaches here is a failure to write
 * that answer or its error (node refusing a header). fastify would retry without the offending
 * headers; here the answer is a bare InternalError with the request's ids, or, once anything has
 * gone out, a closed connection. Nothing escapes to the `request` listener, where it would stop
 * the server.
 */
function lastResort(reply: PlainReply, err: unknown): void {
  const request = reply.request as ReadRequest;
  reply.log.error({ err }, 'internal error');
  const res = reply.raw;
  if (res.headersSent || res.writableEnded) {
    res.destroy();
    return;
  }
  try {
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    sendError(new PlainReply(res, request, reply.log, identityHeaders(request.s3.requestId), UNLOGGED), new S3Error('InternalError'), request.s3.requestId);
  } catch {
    res.destroy();
  }
}
