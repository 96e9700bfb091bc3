/**
 * server/pipeline/preflight-first.ts: an allowed preflight over a socket is answered before fastify's
 * pipeline, and every preflight gets the answer, log line and console event fastify's route
 * gives. Each request goes twice to one app: through `inject` (fastify's route, always) and
 * through a real connection (the shortcut when it applies).
 */
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import t from 'tap';
import { HOST, createBucket, putCors } from './cors-fixtures';
import { comparable, exchange, overSocket, watchedApp, type Answer } from './socket-fixtures';

const ORIGIN = 'https://app.example.com';
const ALLOW = { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type, x-amz-date' };

t.test('preflights over a socket are answered as fastify answers them', async (t) => {
  const watched = watchedApp(t);
  const { app, lines } = watched;
  await createBucket(app, 'site');
  const put = await putCors(app, 'site', [{ origins: [ORIGIN], methods: ['GET', 'PUT'], headers: ['*'], expose: ['ETag'], maxAge: 600 }]);
  t.equal(put.statusCode, 200);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const subscription = app.services.events.subscribe(() => undefined);

  const cases: Array<{ name: string; url: string; headers: Record<string, string>; body?: string; shortcut: boolean | undefined }> = [
    { name: 'allowed, object', url: '/site/photo.png', headers: { host: HOST, ...ALLOW }, shortcut: true },
    { name: 'allowed, bucket', url: '/site', headers: { host: HOST, ...ALLOW }, shortcut: true },
    { name: 'allowed, encoded key and a query', url: '/site/my%20file.txt?uploads', headers: { host: HOST, ...ALLOW }, shortcut: true },
    { name: 'allowed, virtual-hosted', url: '/dir/k', headers: { host: `site.${HOST}`, ...ALLOW }, shortcut: true },
    { name: 'origin not allowed', url: '/site/k', headers: { host: HOST, ...ALLOW, origin: 'https://evil.example' }, shortcut: false },
    { name: 'method not allowed', url: '/site/k', headers: { host: HOST, ...ALLOW, 'access-control-request-method': 'DELETE' }, shortcut: false },
    { name: 'no such bucket', url: '/nope/k', headers: { host: HOST, ...ALLOW }, shortcut: false },
    // fastify refuses it before its hooks run: the answer (InvalidURI) shows who answered.
    { name: 'undecodable path', url: '/site/%zz', headers: { host: HOST, ...ALLOW }, shortcut: undefined },
    { name: 'with a body', url: '/site/k', headers: { host: HOST, ...ALLOW, 'content-type': 'text/plain', 'content-length': '5' }, body: 'hello', shortcut: false },
    { name: 'website endpoint', url: '/k', headers: { host: 'site.s3-website-us-east-1.localhost:9000', ...ALLOW }, shortcut: false },
    { name: 'target over 2,048 characters', url: `/site/${'k'.repeat(2100)}`, headers: { host: HOST, ...ALLOW }, shortcut: false },
    // Last: a 400 preflight closes its connection.
    { name: 'no Origin', url: '/site/k', headers: { host: HOST, 'access-control-request-method': 'PUT' }, shortcut: false },
  ];
  for (const c of cases) {
    const injected = await app.inject({ method: 'OPTIONS', url: c.url, headers: c.headers, ...(c.body === undefined ? {} : { payload: c.body }) });
    const viaInject: Answer = { status: injected.statusCode, headers: injected.headers as Record<string, string>, body: injected.rawPayload };
    // The bus hands events out every 25 ms: the injected request's verdict is out of the way first.
    await new Promise((r) => setTimeout(r, 40));
    subscription.take();
    lines.length = 0;
    const before = watched.throughFastify;
    const viaSocket = await overSocket(port, 'OPTIONS', c.url, c.headers, c.body);
    t.same(comparable(viaSocket), comparable(viaInject), `${c.name}: same answer`);
    if (c.shortcut !== undefined) t.equal(watched.throughFastify === before, c.shortcut, `${c.name}: ${c.shortcut ? 'answered before' : 'left to'} fastify`);
    if (c.shortcut !== true) continue;
    t.equal(viaSocket.status, 200, `${c.name}: allowed`);
    t.match(viaSocket.headers['x-amz-request-id'], /^[0-9A-F]{16}$/);
    t.match(viaSocket.headers['x-amz-id-2'], /^[A-Za-z0-9+/]{32}$/);
    await new Promise((r) => setTimeout(r, 40));
    const events = subscription.take().events;
    t.equal(events.length, 1, `${c.name}: one verdict on the event bus`);
    t.match(events[0], { type: 'cors', kind: 'preflight', allowed: true, requestId: viaSocket.headers['x-amz-request-id'], origin: ORIGIN });
    const line = lines.find((l) => l.msg === 'request');
    t.match(line, { level: 30, reqId: viaSocket.headers['x-amz-request-id'], method: 'OPTIONS', url: c.url, op: 'PreflightRequest', status: 200, origin: ORIGIN }, `${c.name}: the request line`);
    t.type(line?.ms, 'number');
  }
  subscription.close();

  // The line a fastify-answered preflight writes has the same fields in the same order.
  lines.length = 0;
  await app.inject({ method: 'OPTIONS', url: '/site/photo.png', headers: { host: HOST, ...ALLOW } });
  const fromFastify = lines.find((l) => l.msg === 'request');
  lines.length = 0;
  await overSocket(port, 'OPTIONS', '/site/photo.png', { host: HOST, ...ALLOW });
  const fromShortcut = lines.find((l) => l.msg === 'request');
  t.same(Object.keys(fromShortcut ?? {}), Object.keys(fromFastify ?? {}), 'the same fields, in order');

  // Closing: a preflight on a connection still open once fastify has begun to close gets fastify's
  // 503 (return503OnClosing), not the shortcut's 200.
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  t.teardown(() => socket.destroy());
  const bytes = `OPTIONS /site/photo.png HTTP/1.1\r\nHost: ${HOST}\r\nOrigin: ${ORIGIN}\r\nAccess-Control-Request-Method: PUT\r\n\r\n`;
  t.match(await exchange(socket, bytes), /^HTTP\/1\.1 200 /, 'the shortcut answers on this connection');
  let duringClose = '';
  watched.whileClosing = async () => { duringClose = await exchange(socket, bytes); };
  await app.close();
  t.match(duringClose, /^HTTP\/1\.1 503 /, 'while the server closes, fastify answers 503');
});
