/**
 * buildApp: a configured fastify instance that never listens. One catch-all route serves S3
 * (operation resolved by a pure function, handler looked up in OPERATIONS); OPTIONS preflights
 * are answered in their own route, before and without authentication. An allowed preflight and a
 * GetObject or HeadObject that arrive over a connection are answered in front of fastify altogether
 * (server/pipeline/answer-first.ts), through the same S3 pipeline (server/pipeline/serve-s3.ts).
 */
import fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Storage } from '../storage';
import type { IncomingMessage } from 'node:http';
import { MAX_PATH_LENGTH, parseAddress, normaliseBaseDomains, originForm } from './http/addressing';
import { bodyDone, drainBody, unreadBodyPlan, watchBody } from './http/body-watch';
import { websiteAddress, websiteHost } from './http/website-host';
import { serveWebsite } from './website/website-serve';
import { defaultConfig, type ServerConfig, type User } from './config';
import { newContext, type S3Context, type Services } from './context';
import { answerPreflight } from './cors/cors-enforce';
import { CorsCache } from './cors/cors-cache';
import { PolicyCache } from './access/policy-cache';
import { S3Error } from './errors';
import { identityHeaders, newRequestId, sendError } from './http/reply';
import { resolveOperation } from './operations/resolve-operation';
import { registerAdmin } from './admin';
import { EventBus } from './events';
import { clientErrorHandler } from './http/client-error';
import { logRequest, redactUrl, requestLogger } from './http/logging';
import { answerFirst } from './pipeline/answer-first';
import { serveS3 } from './pipeline/serve-s3';
import { MAX_PUT_SIZE, declaredBodySize } from './operations/common';

export interface AppOptions {
  storage: Storage;
  config?: Partial<ServerConfig>;
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

declare module 'fastify' {
  interface FastifyRequest {
    s3: S3Context;
  }
  interface FastifyInstance {
    services: Services;
  }
}

const originalContentTypes = new WeakMap<FastifyRequest, string>();
/** Requests whose target was neither origin-form nor a usable absolute-form (server/http/addressing.ts). */
const refusedTargets = new WeakSet<IncomingMessage>();

function noSchemas(): never {
  throw new Error('crossbucket routes declare no JSON schemas');
}

export function buildApp(options: AppOptions): FastifyInstance {
  const config = defaultConfig(options.config);
  const baseDomains = normaliseBaseDomains(config.baseDomains);
  const services: Services = {
    storage: options.storage,
    config,
    cors: new CorsCache(options.storage),
    policies: new PolicyCache(options.storage),
    usersById: new Map<string, User>(config.users.map((u) => [u.id, u])),
    events: new EventBus(),
  };
  publishObjectChanges(services);
  const serverOptions: FastifyServerOptions = {
    exposeHeadRoutes: false,
    // No route declares a JSON schema: bodies are S3's bytes and XML. Without these factories
    // fastify loads Ajv and fast-json-stringify at start (~60 ms) for nothing.
    schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } },
    // Our own one-line-per-request log replaces fastify's two lines.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => newRequestId(),
    childLoggerFactory: (logger, bindings, opts) => requestLogger(logger, bindings, opts),
    bodyLimit: Number.MAX_SAFE_INTEGER,
    return503OnClosing: true,
    forceCloseConnections: false,
    // A path fastify cannot decode (`/b/%zz`) is S3's InvalidURI XML, not fastify's JSON.
    frameworkErrors: (err, request, reply) => sendError(reply as FastifyReply, toFrameworkError(err), request.id),
    // What node's parser refuses (a 64 KB header, bytes past Content-Length) is S3 XML too.
    clientErrorHandler,
    // `a/` and `a//b` are distinct keys: no slash normalisation.
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: MAX_PATH_LENGTH },
    // An absolute-form target (`PUT http://host/key`) is routed, verified and used by its path only.
    rewriteUrl: (req) => {
      const url = req.url ?? '/';
      const origin = originForm(url, req.headers.host);
      if (origin !== undefined) return origin;
      refusedTargets.add(req);
      return '/';
    },
  };
  if (options.loggerInstance) serverOptions.loggerInstance = options.loggerInstance;
  else serverOptions.logger = options.logger ?? false;
  const app = fastify(serverOptions);
  app.decorate('services', services);
  // Allowed preflights, GetObject and HeadObject are answered before fastify's pipeline (server/pipeline/answer-first.ts).
  answerFirst(app, services, baseDomains);

  // Bodies are bytes whatever their Content-Type: the handler streams `request.raw` itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));

  // `Expect: 100-continue`: a PUT declaring more than S3's 5 GiB gets its EntityTooLarge
  // (from PutObject / UploadPart) instead of `100 Continue`, so the body is never sent.
  app.server.on('checkContinue', (req: IncomingMessage, res) => {
    const size = req.method === 'PUT' ? declaredBodySize(req.headers) : undefined;
    if (size === undefined || size <= MAX_PUT_SIZE) res.writeContinue();
    app.server.emit('request', req, res);
  });

  // The hooks take `done` rather than returning a promise: fastify then goes on in the same tick,
  // where an async hook cost each request a promise and a turn of the microtask queue.
  app.addHook('onRequest', (request, reply, done) => {
    try {
      onRequest(request, reply);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });
  const onRequest = (request: FastifyRequest, reply: FastifyReply): void => {
    reply.headers(identityHeaders(request.id));
    watchBody(request.raw, config.bodyIdleTimeoutMs, () => bodyIdle(request, reply));
    if (refusedTargets.has(request.raw)) throw new S3Error('InvalidURI');
    // A website endpoint's Host (docs/spec/website.md §3) selects the website's rules, not S3's REST API.
    const site = websiteHost(request.headers.host, baseDomains);
    const address = site === undefined ? parseAddress(request.url, request.headers.host, baseDomains) : websiteAddress(request.url, site);
    const operation = site === undefined
      ? resolveOperation(request.method, address.bucket, address.key, address.query, request.headers)
      : request.method === 'HEAD' ? 'HeadObject' : request.method === 'GET' ? 'GetObject' : 'UnsupportedMethod';
    request.s3 = newContext({
      requestId: request.id, operation, method: request.method, address, headers: request.headers,
      sourceIp: request.ip, secure: request.protocol === 'https', body: request.raw, services, log: request.log,
    });
    // fastify answers 415 to a body whose Content-Type is not a media type (`foo`, `/x`), where
    // S3 stores any value: its parser (the catch-all above) is shown a neutral type, and the
    // original is back before the handler runs.
    const contentType = request.headers['content-type'];
    if (contentType !== undefined) {
      originalContentTypes.set(request, contentType);
      request.headers['content-type'] = 'application/octet-stream';
    }
  };
  app.addHook('preValidation', (request, _reply, done) => {
    const contentType = originalContentTypes.get(request);
    if (contentType !== undefined) request.headers['content-type'] = contentType;
    done();
  });

  // An answer sent before its request's body was read to the end (a refusal, a tampered
  // aws-chunked chunk) must not leave the keep-alive connection in the middle of that body.
  app.addHook('onSend', (request, reply, payload, done) => {
    const plan = unreadBodyPlan(request.raw);
    if (plan === 'close') reply.header('connection', 'close');
    else if (plan === 'drain') reply.raw.once('finish', () => drainBody(request.raw));
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    bodyDone(request.raw);
    // One line per request: method, redacted URL, op, bucket, key, status, ms (server/http/logging.ts).
    logRequest(request.log, request, reply);
    done();
  });

  app.setErrorHandler((err, request, reply) => sendError(reply, err instanceof S3Error ? err : toFrameworkError(err), request.id));
  app.setNotFoundHandler((request, reply) => {
    if (isWebsite(request)) return serveWebsite(request, reply);
    return sendError(reply, new S3Error('MethodNotAllowed'), request.id);
  });

  registerAdmin(app, services);

  app.route({ method: 'OPTIONS', url: '*', handler: (request, reply) => (isWebsite(request) ? serveWebsite(request, reply) : answerPreflight(request.s3, reply)) });
  app.route({ method: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], url: '*', handler: serve });
  return app;
}

/** Object commits and deletes, from storage to the event bus (only while someone listens). */
function publishObjectChanges(services: Services): void {
  const events = services.events;
  services.storage.onObjectChange((change) => {
    if (!events.active) return;
    const { action, bucket, key } = change;
    const size = change.action === 'put' ? change.object.size : undefined;
    const etag = change.action === 'put' ? change.object.etag : undefined;
    events.publish(() => ({ type: 'object', action, bucket, key, ...(size === undefined ? {} : { size }), ...(etag === undefined ? {} : { etag }) }));
  });
}

/**
 * The request body sent nothing for `bodyIdleTimeoutMs`: 400 RequestTimeout with
 * `Connection: close` when no answer has gone out yet; otherwise (the rest of a body being
 * drained) the connection is closed.
 */
function bodyIdle(request: FastifyRequest, reply: FastifyReply): void {
  const socket = request.raw.socket;
  request.log.debug({ method: request.method, url: redactUrl(request.url) }, 'request body idle: closing the connection');
  if (reply.sent || reply.raw.headersSent) {
    socket.destroy();
    return;
  }
  reply.header('connection', 'close');
  reply.raw.once('finish', () => socket.destroy());
  sendError(reply, new S3Error('RequestTimeout'), request.id);
}

function toFrameworkError(err: unknown): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'FST_ERR_BAD_URL' || code === 'FST_ERR_ASYNC_CONSTRAINT') return new S3Error('InvalidURI');
  return err;
}

/** Whether the request came to the website endpoint (its onRequest hook ran: the context exists). */
function isWebsite(request: FastifyRequest): boolean {
  return (request.s3 as S3Context | undefined)?.address.style === 'website';
}

function serve(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> | undefined {
  if (isWebsite(request)) return serveWebsite(request, reply);
  return serveS3(request.s3, request, reply);
}
