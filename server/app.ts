/**
 * buildApp: a configured fastify instance that never listens. One catch-all route serves S3
 * (operation resolved by a pure function, handler looked up in OPERATIONS); OPTIONS preflights
 * are answered in their own route, before and without authentication.
 */
import fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Storage } from '../storage';
import { parseAddress, normaliseBaseDomains } from './http/addressing';
import { authenticate } from './access/authenticate';
import { authorize } from './access/authorize';
import { defaultConfig, type ServerConfig, type User } from './config';
import type { S3Context, Services } from './context';
import { applyActualCors, answerPreflight } from './cors/cors-enforce';
import { CorsCache } from './cors/cors-cache';
import { S3Error } from './errors';
import { H } from './headers';
import { OPERATIONS } from './operations/operations';
import { isImplemented } from './operation-names';
import { newHostId, newRequestId, sendError, sendResult } from './http/reply';
import { resolveOperation } from './operations/resolve-operation';
import { registerAdmin } from './admin';
import { clientErrorHandler } from './http/client-error';
import { requestLogFields } from './http/logging';

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

export function buildApp(options: AppOptions): FastifyInstance {
  const config = defaultConfig(options.config);
  const baseDomains = normaliseBaseDomains(config.baseDomains);
  const services: Services = {
    storage: options.storage,
    config,
    cors: new CorsCache(options.storage),
    usersById: new Map<string, User>(config.users.map((u) => [u.id, u])),
  };
  const serverOptions: FastifyServerOptions = {
    exposeHeadRoutes: false,
    // Our own one-line-per-request log replaces fastify's two lines.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => newRequestId(),
    bodyLimit: Number.MAX_SAFE_INTEGER,
    return503OnClosing: true,
    forceCloseConnections: false,
    // A path fastify cannot decode (`/b/%zz`) is S3's InvalidURI XML, not fastify's JSON.
    frameworkErrors: (err, request, reply) => sendError(reply, toFrameworkError(err), request.id),
    // What node's parser refuses (a 64 KB header, bytes past Content-Length) is S3 XML too.
    clientErrorHandler,
    // `a/` and `a//b` are distinct keys: no slash normalisation.
    routerOptions: { ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: 2048 },
  };
  if (options.loggerInstance) serverOptions.loggerInstance = options.loggerInstance;
  else serverOptions.logger = options.logger ?? false;
  const app = fastify(serverOptions);
  app.decorate('services', services);

  // Bodies are bytes whatever their Content-Type: the handler streams `request.raw` itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));

  app.addHook('onRequest', async (request, reply) => {
    reply.header(H.amzRequestId, request.id);
    reply.header(H.amzId2, newHostId());
    reply.header('server', 'crossbucket');
    const address = parseAddress(request.url, request.headers.host, baseDomains);
    const operation = resolveOperation(request.method, address.bucket, address.key, address.query, request.headers);
    request.s3 = {
      requestId: request.id,
      operation,
      method: request.method,
      address,
      bucket: address.bucket,
      key: address.key,
      query: address.query,
      headers: request.headers,
      body: request.raw,
      auth: { user: undefined, mode: 'anonymous' },
      services,
      log: request.log,
    };
    // fastify answers 415 to a body whose Content-Type is not a media type (`foo`, `/x`), where
    // S3 stores any value: its parser (the catch-all above) is shown a neutral type, and the
    // original is back before the handler runs.
    const contentType = request.headers['content-type'];
    if (contentType !== undefined) {
      originalContentTypes.set(request, contentType);
      request.headers['content-type'] = 'application/octet-stream';
    }
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const contentType = originalContentTypes.get(request);
    if (contentType !== undefined) request.headers['content-type'] = contentType;
    done();
  });

  app.addHook('onResponse', async (request, reply) => {
    // One line per request: method, redacted URL, op, bucket, key, status, ms (server/http/logging.ts).
    request.log.info(requestLogFields(request, reply), 'request');
  });

  app.setErrorHandler((err, request, reply) => sendError(reply, err instanceof S3Error ? err : toFrameworkError(err), request.id));
  app.setNotFoundHandler((request, reply) => sendError(reply, new S3Error('MethodNotAllowed'), request.id));

  registerAdmin(app, services);

  app.route({ method: 'OPTIONS', url: '*', handler: (request, reply) => answerPreflight(request.s3, reply) });
  app.route({ method: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], url: '*', handler: serve });
  return app;
}

function toFrameworkError(err: unknown): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'FST_ERR_BAD_URL' || code === 'FST_ERR_ASYNC_CONSTRAINT') return new S3Error('InvalidURI');
  return err;
}

async function serve(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const ctx = request.s3;
  try {
    applyActualCors(ctx, reply);
    ctx.auth = authenticate(ctx, request);
    const operation = ctx.operation;
    if (!isImplemented(operation)) {
      throw new S3Error('NotImplemented', `${ctx.operation} is not implemented by crossbucket.`, { Operation: ctx.operation });
    }
    authorize(ctx);
    return sendResult(reply, await OPERATIONS[operation](ctx));
  } catch (err) {
    return sendError(reply, err, ctx.requestId);
  }
}
