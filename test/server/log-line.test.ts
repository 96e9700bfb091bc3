/**
 * The request log line: nothing is read or built when `info` is off (an embedder's default,
 * `--log-level silent`); at `info` it is the request line (server/http/request-line.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import t from 'tap';
import { buildApp } from '../../server/app';
import { logRequest, makeLogger, requestLogger } from '../../server/http/logging';
import { openSqliteStorage } from '../../storage';
import { tempDir } from '../helpers/server';

t.test('log line – nothing built when info is off; the fields at info', async (t) => {
  const lines: string[] = [];
  const destination = { write: (s: string) => { lines.push(s); } };
  let read = 0;
  const request = (log: ReturnType<typeof makeLogger>) => {
    const r = { log, method: 'GET', s3: { operation: 'GetObject', bucket: 'b', key: 'k' }, headers: {} };
    Object.defineProperty(r, 'url', { get: () => { read++; return '/b/k?X-Amz-Signature=secret'; } });
    return r as unknown as FastifyRequest;
  };
  const reply = { statusCode: 200, elapsedTime: 1.23456 } as unknown as FastifyReply;
  // What the route's onResponse hook does (server/app.ts): the line to the request's own logger.
  const logged = (r: FastifyRequest) => logRequest(r.log, r, reply);
  logged(request(makeLogger({ level: 'warn', destination })));
  t.same(lines, []);
  t.equal(read, 0, 'the request was not even read');
  logged(request(makeLogger({ level: 'info', destination }).child({ reqId: 'r1' })));
  const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  t.match(line, { level: 30, reqId: 'r1', method: 'GET', url: '/b/k?X-Amz-Signature=REDACTED', op: 'GetObject', bucket: 'b', key: 'k', status: 200, ms: 1.23, msg: 'request' });
});

t.test('log line – a request gets a logger of its own with its reqId (no pino child), except when nothing is logged at all', async (t) => {
  for (const level of ['silent', 'info']) {
    const lines: string[] = [];
    const logger = makeLogger({ level, destination: { write: (s: string) => { lines.push(s); } } });
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof logger.child>) => { children++; return child(...args); }) as typeof logger.child;
    const dir = tempDir();
    const storage = openSqliteStorage({ dataDir: dir.dir });
    const app = buildApp({ storage, loggerInstance: logger });
    let own: boolean | undefined;
    app.addHook('onRequest', async (request) => { own = request.log === app.log; });
    await app.ready();
    const before = children;
    const res = await app.inject({ method: 'GET', url: '/' });
    t.equal(res.statusCode, 403, `${level}: anonymous ListBuckets answered`);
    t.equal(own, level === 'silent', `${level}: ${level === 'silent' ? 'the server\'s logger' : 'a logger of its own'}`);
    if (level === 'info') t.match(JSON.parse(lines.find((l) => l.includes('"msg":"request"')) ?? '{}'), { reqId: res.headers['x-amz-request-id'] }, 'its lines carry the request id');
    // fastify passes the request's logger options: none on crossbucket's routes, so no pino child.
    t.equal(children, before, `${level}: no pino child built for the request`);
    await app.close();
    storage.close();
    dir.remove();
  }
});

t.test('log line – the request logger builds no child for a line with fields, and writes the same bytes as a child would', async (t) => {
  const lines: string[] = [];
  const parent = makeLogger({ level: 'debug', destination: { write: (s: string) => { lines.push(s); } } });
  let children = 0;
  const child = parent.child.bind(parent);
  parent.child = ((...args: Parameters<typeof parent.child>) => { children++; return child(...args); }) as typeof parent.child;
  const reply = { statusCode: 200, elapsedTime: 1.23456 } as unknown as FastifyReply;
  const request = (log: unknown) => ({ log, method: 'GET', url: '/b/k', s3: { operation: 'GetObject', bucket: 'b', key: 'k' }, headers: { origin: 'https://a.example' } }) as unknown as FastifyRequest;
  const logged = (r: FastifyRequest) => logRequest(r.log, r, reply);
  const quiet = makeLogger({ level: 'info', destination: { write: () => undefined } });
  const quietChild = quiet.child.bind(quiet);
  let quietChildren = 0;
  quiet.child = ((...args: Parameters<typeof quiet.child>) => { quietChildren++; return quietChild(...args); }) as typeof quiet.child;
  requestLogger(quiet, { reqId: 'r0' }).debug({ bucket: 'b' }, 'a refusal at debug level, which is off');
  t.equal(quietChildren, 0, 'a line at a level that is off builds no child');
  const lazy = requestLogger(parent, { reqId: 'r1' });
  t.not(lazy, parent, 'not the server logger');
  logged(request(lazy));
  t.equal(children, 0, 'no child for the request line');
  logged(request(child({ reqId: 'r1' })));
  const withoutTime = (line: string | undefined) => (line ?? '').replace(/"time":\d+/, '"time":0');
  t.ok(lines[0]?.includes('"reqId":"r1"'), 'the line carries the request id');
  t.equal(withoutTime(lines[0]), withoutTime(lines[1]), 'the same bytes as a child\'s line (but the time)');
  lazy.debug({ bucket: 'b' }, 'CORS: no headers for this request');
  child({ reqId: 'r1' }).debug({ bucket: 'b' }, 'CORS: no headers for this request');
  t.equal(children, 0, 'no child for another line with fields either');
  t.match(JSON.parse(lines[2] ?? '{}'), { level: 20, reqId: 'r1', bucket: 'b', msg: 'CORS: no headers for this request' });
  t.equal(withoutTime(lines[2]), withoutTime(lines[3]), 'a debug line with fields: the same bytes as a child\'s');
  t.equal(lazy.level, 'debug', 'its level is the server logger\'s');
  lazy.warn('a bare message');
  t.equal(children, 1, 'a line without fields builds the child');
  t.match(JSON.parse(lines[4] ?? '{}'), { level: 40, reqId: 'r1', msg: 'a bare message' });
  logged(request(lazy));
  t.equal(withoutTime(lines[5]), withoutTime(lines[1]), 'the request line through the child, once built, is the same');
  lazy.error(new Error('boom'));
  t.match(JSON.parse(lines[6] ?? '{}'), { level: 50, reqId: 'r1', msg: 'boom', err: { message: 'boom' } }, 'an Error logged alone is serialized as pino does it');
  t.equal(children, 1, 'the child is built once');
  const silent = makeLogger({ level: 'silent', destination: { write: () => undefined } });
  t.equal(requestLogger(silent, { reqId: 'r2' }), silent, 'nothing logged at all: the server logger');
  t.not(requestLogger(silent, { reqId: 'r2' }, { level: 'info' }), silent, 'a route-level option: a child at once');
  const routeLevel = requestLogger(parent, { reqId: 'r3' }, { level: 'warn' });
  t.equal(children, 2, 'a route-level option: a child at once');
  t.equal(routeLevel.level, 'warn', 'with the route\'s level');
  routeLevel.info({ bucket: 'b' }, 'below the route\'s level');
  t.equal(lines.length, 7, 'a line below the route\'s level is not written');
});
