/**
 * The admin API, outside the S3 namespace (bucket names cannot start with `_`):
 *   GET  /_crossbucket/health                    open: it reveals nothing
 *   GET  /_crossbucket/explain?bucket=B&origin=O&method=M[&header=H...][&key=K]
 *        signed by the bucket's owner (who may GetBucketCors)
 *   GET  /_crossbucket/explain?bucket=B[&key=K](&method=M|&action=s3:X)[&anonymous=1]
 *        an access decision for the signer (or anonymous); statements to the owner's account
 *   POST /_crossbucket/reset?mode=objects|all    signed by the first user, and only when the
 *        server was started with --admin-reset (start() enables it for test embedding)
 *   GET  /_crossbucket/events[?since=ID]         signed by a configured user: Server-Sent Events
 *        (CORS verdicts, access decisions, object changes; server/events.ts, docs/console.md): all
 *        of them for the first user, those of the buckets they own for the others
 *   GET  /_crossbucket/console/                   the web console's files (open: they hold no data;
 *        the page signs every request it makes); off with --console off
 * Explain, reset and events also refuse a Host that is not one of this server's names. Refusals
 * are S3 XML errors. docs/security.md describes all of it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { evaluateActual, evaluatePreflight } from '../cors-engine';
import { authenticateAdmin, checkAdminHost } from './access/admin-access';
import { authorize } from './access/authorize';
import { principalOf } from './access/access-decision';
import { explainAccess } from './access/explain-access';
import type { User } from './config';
import type { Services } from './context';
import { S3Error } from './errors';
import { normaliseBaseDomains } from './http/addressing';
import { CONSOLE_HEADERS, loadConsoleFiles } from './http/console-files';
import { EventStreams, streamEvents } from './http/event-stream';
import { sendError } from './http/reply';

export function explainCors(services: Services, q: { bucket: string; origin: string; method: string; headers: string[]; key?: string }) {
  const state = services.cors.state(q.bucket);
  const acrh = q.headers.length > 0 ? q.headers.join(', ') : undefined;
  const preflight = evaluatePreflight({
    origin: q.origin,
    accessControlRequestMethod: q.method,
    accessControlRequestHeaders: acrh,
    bucket: state,
    resourceType: q.key === undefined ? 'BUCKET' : 'OBJECT',
  });
  const actual = evaluateActual({ origin: q.origin, method: q.method, cors: typeof state === 'string' ? undefined : state });
  return {
    bucket: q.bucket,
    origin: q.origin,
    method: q.method,
    requestHeaders: q.headers,
    bucketState: typeof state === 'string' ? state : 'has-cors',
    preflight: preflight.allowed
      ? { allowed: true, status: 200, headers: preflight.headers }
      : { allowed: false, status: preflight.status, code: preflight.code, message: preflight.message },
    actualResponseHeaders: actual.headers,
    explanation: preflight.explanation,
  };
}

/**
 * `GET /_crossbucket/explain?bucket=B[&key=K](&action=s3:X|&method=M)[&anonymous=1]`: what
 * authorize() decides for the signer (or an anonymous caller). Any configured user may ask about
 * its own access; the policy's statements are shown only to the bucket owner's account.
 */
function explainAccessQuery(request: FastifyRequest, user: User, bucket: string, q: Record<string, string | string[] | undefined>) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const key = one(q.key);
  const action = one(q.action);
  const anonymous = one(q.anonymous) === '1' || one(q.anonymous) === 'true';
  const owner = request.s3.services.storage.getBucket(bucket)?.owner;
  const answer = explainAccess(request.s3, {
    bucket, ...(key === undefined ? {} : { key }), ...(action === undefined ? { method: one(q.method) ?? 'GET' } : { action }),
    principal: anonymous ? { kind: 'anonymous' } : principalOf(user),
    showStatements: owner !== undefined && request.s3.services.usersById.get(owner)?.accountId === user.accountId,
  });
  if (answer === undefined) throw new S3Error('InvalidArgument', `method ${JSON.stringify(one(q.method))} names no operation: use GET, HEAD, PUT, DELETE or POST, or action=s3:…`);
  return answer;
}

export function registerAdmin(app: FastifyInstance, services: Services): void {
  const { config } = services;
  const prefix = config.adminPrefix;
  const baseDomains = normaliseBaseDomains(config.baseDomains);
  // A virtual-hosted request's path is a key (`site.localhost/_crossbucket/health` is the object
  // `_crossbucket/health`): the admin API answers only hosts that name no bucket.
  const bases = baseDomains.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const constraints = { host: new RegExp(`^(?!.+\\.(?:${bases})(?::\\d+)?$)`, 'i') };
  /** Host check, then the signature (docs/security.md): the user who signed. */
  const admit = (request: FastifyRequest): User => {
    checkAdminHost(request, baseDomains, config.serverAddresses);
    return authenticateAdmin(request);
  };

  app.get(`${prefix}/health`, { constraints }, async () => ({ ok: true }));

  app.get(`${prefix}/explain`, { constraints }, async (request, reply) => {
    try {
      const user = admit(request);
      const q = request.query as Record<string, string | string[] | undefined>;
      const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
      const bucket = one(q.bucket);
      const origin = one(q.origin);
      if (!bucket) throw new S3Error('InvalidArgument', 'explain needs the query parameter bucket (and origin for CORS).');
      // Without an origin: an access decision (docs/access.md), as the signer or anonymously.
      if (origin === undefined) return explainAccessQuery(request, user, bucket, q);
      // As GetBucketCors authorises: the bucket owner alone (a missing bucket is reported as such).
      authorize({ ...request.s3, operation: 'GetBucketCors', bucket, key: undefined, auth: { user, mode: 'header' } });
      const headers = ([] as string[]).concat(q.header ?? []).flatMap((h) => h.split(',')).map((h) => h.trim()).filter((h) => h !== '');
      const key = one(q.key);
      // Access-Control-Request-Method is compared case-sensitively (docs/spec/cors.md §1A): `put` is
      // not `PUT`, so the method is explained exactly as given.
      const method = one(q.method) ?? 'GET';
      return explainCors(services, { bucket, origin, method, headers, ...(key === undefined ? {} : { key }) });
    } catch (err) {
      return sendError(reply, err, request.id);
    }
  });

  const streams = new EventStreams();
  app.addHook('preClose', (done) => {
    streams.endAll();
    done();
  });
  app.get(`${prefix}/events`, { constraints }, async (request, reply) => {
    let user: User;
    try {
      user = admit(request);
    } catch (err) {
      return sendError(reply, err, request.id);
    }
    // The first user (who may reset everything) sees every event; another user, those of the
    // buckets they own (docs/security.md).
    const everything = user.accessKeyId === config.users[0]?.accessKeyId;
    const owns = (e: { bucket?: string }) => e.bucket !== undefined && services.storage.getBucket(e.bucket)?.owner === user.id;
    streamEvents(request, reply, services.events, streams, everything ? undefined : owns);
    return reply;
  });

  if (config.console) registerConsole(app, services, constraints, baseDomains);

  app.post(`${prefix}/reset`, { constraints }, async (request, reply) => {
    try {
      const user = admit(request);
      if (!config.adminReset) {
        throw new S3Error('AccessDenied', 'Reset over HTTP is off: start crossbucket with --admin-reset (CROSSBUCKET_ADMIN_RESET=1) to allow it.');
      }
      if (user.accessKeyId !== config.users[0]?.accessKeyId) {
        throw new S3Error('AccessDenied', 'Reset removes every user\'s data: only the first configured user may ask for it.');
      }
      const given = (request.query as { mode?: string }).mode;
      if (given !== undefined && given !== 'objects' && given !== 'all') throw new S3Error('InvalidArgument', 'mode must be objects or all.');
      const mode = given ?? 'objects';
      await services.storage.reset(mode);
      request.log.warn({ mode, user: user.accessKeyId }, 'admin reset');
      return { ok: true, mode };
    } catch (err) {
      return sendError(reply, err, request.id);
    }
  });
}

/** The console's files; the page itself signs every request it makes (docs/console.md). */
function registerConsole(app: FastifyInstance, services: Services, constraints: { host: RegExp }, baseDomains: string[]): void {
  const prefix = services.config.adminPrefix;
  const files = loadConsoleFiles();
  const index = files.get('index.html');
  if (index) {
    // The page signs for this server's region; neither value is a secret.
    const attr = (s: string) => s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    const html = index.body.toString('utf8').replace('%REGION%', attr(services.config.region)).replace('%ADMIN_PREFIX%', attr(prefix));
    files.set('index.html', { ...index, body: Buffer.from(html) });
  }
  app.get(`${prefix}/console`, { constraints }, async (_request, reply) => reply.redirect(`${prefix}/console/`, 302));
  app.get(`${prefix}/console/*`, { constraints }, async (request, reply) => {
    // Like the rest of the admin API: only under this server's own names (DNS rebinding).
    try {
      checkAdminHost(request, baseDomains, services.config.serverAddresses);
    } catch (err) {
      return sendError(reply, err, request.id);
    }
    const name = (request.params as { '*'?: string })['*'] || 'index.html';
    const file = files.get(name);
    if (file === undefined) return sendError(reply, new S3Error('NoSuchKey', `The console has no file ${JSON.stringify(name)}.`), request.id);
    return reply.headers(CONSOLE_HEADERS).header('content-type', file.contentType).send(file.body);
  });
}
