/**
 * Allowed CORS preflights, answered before fastify's request pipeline. A browser sends a preflight
 * before every cross-origin request that is not "simple" (a presigned PUT, any request with an
 * `Authorization` header), and the answer to one the bucket's rules allow is a few fixed headers
 * and no body. Through fastify's routing, request and reply objects and hooks it cost the server
 * ~38 µs; answered here, ~30 (docs/benchmarks.md "Issue 19, eighth round").
 *
 * Only the plain case is taken: an OPTIONS with no body, an origin-form target, a Host that is not
 * a website endpoint, while the server is not closing, whose preflight the rules allow. Everything
 * else (a refused preflight and its S3 XML error, anything fastify would refuse first) goes on to
 * fastify as before, undecided: the verdict is reported only by the path that answers. The answer
 * and its log line are the ones fastify's route gives (test/server/preflight-first.test.ts
 * compares the two).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { newContext, type Services } from './context';
import { decidePreflight, reportPreflight } from './cors/cors-enforce';
import { H } from './headers';
import { resolveOperation } from './operations/resolve-operation';
import { MAX_PATH_LENGTH, parseAddress } from './http/addressing';
import { infoEnabled, logRequestLine, requestLogger } from './http/logging';
import { identityHeaders, newRequestId } from './http/reply';
import { websiteHost } from './http/website-host';

/** Puts the preflight answer in front of fastify's own `request` listener on `app.server`. */
export function answerPreflightsFirst(app: FastifyInstance, services: Services, baseDomains: string[]): void {
  const server = app.server;
  const [fastifyListener] = server.listeners('request') as RequestListener[];
  if (fastifyListener === undefined) return;
  let closing = false;
  // From here fastify answers 503 to new requests (return503OnClosing): they are left to it.
  app.addHook('preClose', (done) => { closing = true; done(); });
  server.removeListener('request', fastifyListener);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'OPTIONS' || closing || !answered(req, res, services, baseDomains, app.log)) fastifyListener(req, res);
  });
}

function answered(req: IncomingMessage, res: ServerResponse, services: Services, baseDomains: string[], log: FastifyBaseLogger): boolean {
  // The log line's elapsed time, only when a line is written (not under `--log-level silent`).
  const logged = infoEnabled(log);
  const started = logged ? performance.now() : 0;
  const url = req.url;
  const headers = req.headers;
  if (url === undefined || url.charCodeAt(0) !== 0x2f || url.length > MAX_PATH_LENGTH) return false;
  // A body would be left on the keep-alive connection (fastify's path reads or drains it).
  if ((headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined) return false;
  if (websiteHost(headers.host, baseDomains) !== undefined) return false;
  // fastify refuses a path it cannot decode (InvalidURI); parseAddress would not.
  if (url.includes('%') && !decodable(url)) return false;
  const address = parseAddress(url, headers.host, baseDomains);
  const requestId = newRequestId();
  // The logger fastify's childLoggerFactory would give the request (app.ts).
  const requestLog = requestLogger(log, { reqId: requestId });
  const ctx = newContext({
    requestId, operation: resolveOperation('OPTIONS', address.bucket, address.key, address.query, headers), method: 'OPTIONS',
    address, headers, sourceIp: req.socket.remoteAddress ?? '', secure: (req.socket as TLSSocket).encrypted === true,
    body: req, services, log: requestLog,
  });
  const decided = decidePreflight(ctx);
  if (!decided.decision.allowed) return false;
  try {
    // The headers in the order fastify's path sets them (its onRequest hook, then answerPreflight),
    // added to one object: spreading identityHeaders() into a literal cost ~15 µs per preflight.
    const answer: Record<string, string> = identityHeaders(requestId);
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
  if (logged) logRequestLine(requestLog, {
    method: 'OPTIONS', url, op: ctx.operation, bucket: ctx.bucket, key: ctx.key,
    status: 200, elapsedMs: performance.now() - started, origin: headers.origin,
  });
  return true;
}

function decodable(url: string): boolean {
  const q = url.indexOf('?');
  try {
    decodeURIComponent(q < 0 ? url : url.slice(0, q));
    return true;
  } catch {
    return false;
  }
}
