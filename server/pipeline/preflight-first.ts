/**
 * Allowed CORS preflights, answered before fastify's request pipeline (server/pipeline/answer-first.ts
 * says which requests reach here). A browser sends a preflight before every cross-origin request
 * that is not "simple" (a presigned PUT, any request with an `Authorization` header), and the
 * answer to one the bucket's rules allow is a few fixed headers and no body. Through fastify's
 * routing, request and reply objects and hooks it cost the server ~38 µs; answered here, ~30
 * (docs/benchmarks.md "Issue 19, eighth round").
 *
 * A refused preflight (and its S3 XML error) goes on to fastify undecided: the verdict is reported
 * only by the path that answers. The answer and its log line are the ones fastify's route gives
 * (test/server/preflight-first.test.ts compares the two).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Address, Services } from '../context';
import { decidePreflight, reportPreflight } from '../cors/cors-enforce';
import { H } from '../headers';
import { resolveOperation } from '../operations/resolve-operation';
import { infoEnabled, logRequestLine } from '../http/logging';
import { identityHeaders } from '../http/reply';
import { earlyContext } from './early-context';

/** Answers the preflight if its bucket's rules allow it; false: fastify's route is to answer it. */
export function answeredPreflight(req: IncomingMessage, res: ServerResponse, services: Services, address: Address, log: FastifyBaseLogger): boolean {
  // The log line's elapsed time, only when a line is written (not under `--log-level silent`).
  const logged = infoEnabled(log);
  const started = logged ? performance.now() : 0;
  const url = req.url as string;
  const headers = req.headers;
  const ctx = earlyContext(req, services, address, resolveOperation('OPTIONS', address.bucket, address.key, address.query, headers), log);
  const decided = decidePreflight(ctx);
  if (!decided.decision.allowed) return false;
  try {
    // The headers in the order fastify's path sets them (its onRequest hook, then answerPreflight),
    // added to one object: spreading identityHeaders() into a literal cost ~15 µs per preflight.
    const answer: Record<string, string> = identityHeaders(ctx.requestId);
    const cors = decided.decision.headers;
    for (const name in cors) answer[name] = cors[name] as string;
    answer[H.contentLength] = '0';
    res.writeHead(200, answer);
  } catch {
    // A header node refuses to send (none is expected: the echoed Origin passed node's parser):
    // nothing has gone out, and fastify's route answers and reports it instead.
    return false;
  }
  res.end();
  reportPreflight(ctx, decided);
  if (logged) logRequestLine(ctx.log, {
    method: 'OPTIONS', url, op: ctx.operation, bucket: ctx.bucket, key: ctx.key,
    status: 200, elapsedMs: performance.now() - started, origin: headers.origin,
  });
  return true;
}
