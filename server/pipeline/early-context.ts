/**
 * The context of a request answered in front of fastify (answer-first.ts): what fastify's
 * `onRequest` hook and `childLoggerFactory` give the same request on its route (server/app.ts),
 * a fresh request id and the request's own logger with that id, without fastify's request object.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { FastifyBaseLogger } from 'fastify';
import { newContext, type Address, type S3Context, type Services } from '../context';
import { requestLogger } from '../http/logging';
import { newRequestId } from '../http/reply';
import type { Operation } from '../operation-names';

export function earlyContext(req: IncomingMessage, services: Services, address: Address, operation: Operation, log: FastifyBaseLogger): S3Context {
  const requestId = newRequestId();
  return newContext({
    requestId, operation, method: req.method as string, address, headers: req.headers,
    sourceIp: req.socket.remoteAddress ?? '', secure: (req.socket as TLSSocket).encrypted === true,
    body: req, services, log: requestLogger(log, { reqId: requestId }),
  });
}
