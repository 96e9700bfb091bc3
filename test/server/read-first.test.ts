/**
 * server/pipeline/read-first.ts: a GetObject or HeadObject over a socket is answered before
 * fastify's pipeline, through the same S3 pipeline, and gets the answer, log line and console
 * events fastify's route gives. Each request goes twice to one app, with the same signed headers:
 * through `inject` (fastify's route, always) and through a real connection (the early answer
 * when it applies).
 */
import { once } from 'node:events';
import { readdirSync, readlinkSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import t from 'tap';
import { HOST, createBucket, putCors, send, signRequest, type Req } from './cors-fixtures';
import { comparable, exchange, overSocket, watchedApp, type Answer } from './socket-fixtures';

const ORIGIN = 'https://app.example.com';

/** Events without what differs on every request. */
function eventShapes(events: readonly unknown[]): unknown[] {
  return events.map((e) => {
    const { requestId: _r, time: _t, id: _i, ...rest } = e as Record<string, unknown>;
    return rest;
  });
}

/** What `find` finds, once it finds it (up to 2 s); undefined if it never does. */
async function logged<T>(find: () => T | undefined): Promise<T | undefined> {
  for (let waited = 0; waited < 2000; waited += 10) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  return find();
}

t.test('reads over a socket are answered as fastify answers them', async (t) => {
  const watched = watchedApp(t);
  const { app, lines } = watched;

  await createBucket(app, 'site');
  t.equal((await putCors(app, 'site', [{ origins: [ORIGIN], methods: ['GET', 'HEAD'], headers: ['*'], expose: ['ETag', 'x-amz-meta-color'], maxAge: 600 }])).statusCode, 200);
  const put = async (key: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    const res = await send(app, { method: 'PUT', bucket: 'site', key, body, headers });
    t.equal(res.statusCode, 200, `PutObject ${key}`);
    return res.headers.etag as string;
  };
  const etag = await put('small.txt', 'x'.repeat(4096), { 'content-type': 'text/plain', 'x-amz-meta-color': 'blue', 'cache-control': 'max-age=60' });
  await put('empty', '');
  await put('my file.txt', 'spaces');
  await put('odd-type', 'odd', { 'content-type': 'foo' });
  const big = Buffer.alloc(300 * 1024, 7);
  await put('big.bin', big);
  await put('public.txt', 'for all', { 'x-amz-acl': 'public-read' });
  await put('_crossbucket/health', 'an object, not the admin API');
  // A versioned bucket with a current object and a delete marker.
  await createBucket(app, 'vers');
  const versioning = '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>';
  t.equal((await send(app, { method: 'PUT', bucket: 'vers', query: 'versioning', body: versioning })).statusCode, 200);
  const v1 = await send(app, { method: 'PUT', bucket: 'vers', key: 'doc', body: 'first' });
  const versionId = v1.headers['x-amz-version-id'] as string;
  t.equal((await send(app, { method: 'PUT', bucket: 'vers', key: 'gone', body: 'soon' })).statusCode, 200);
  const marker = await send(app, { method: 'DELETE', bucket: 'vers', key: 'gone' });
  const markerId = marker.headers['x-amz-version-id'] as string;

  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const subscription = app.services.events.subscribe(() => undefined);

  const cases: Array<{ name: string; req: Req; shortcut: boolean | undefined; status: number; raw?: { url: string; headers: Record<string, string> } }> = [
    { name: 'GetObject', req: { bucket: 'site', key: 'small.txt' }, shortcut: true, status: 200 },
    { name: 'HeadObject', req: { method: 'HEAD', bucket: 'site', key: 'small.txt' }, shortcut: true, status: 200 },
    { name: 'with an allowed Origin', req: { bucket: 'site', key: 'small.txt', headers: { origin: ORIGIN } }, shortcut: true, status: 200 },
    { name: 'HEAD with an allowed Origin', req: { method: 'HEAD', bucket: 'site', key: 'small.txt', headers: { origin: ORIGIN } }, shortcut: true, status: 200 },
    { name: 'with an Origin no rule allows', req: { bucket: 'site', key: 'small.txt', headers: { origin: 'https://evil.example' } }, shortcut: true, status: 200 },
    { name: 'virtual-hosted', req: { bucket: 'site', key: 'small.txt', style: 'virtual' }, shortcut: true, status: 200 },
    { name: 'an encoded key', req: { bucket: 'site', key: 'my file.txt' }, shortcut: true, status: 200 },
    { name: 'a Range', req: { bucket: 'site', key: 'small.txt', headers: { range: 'bytes=10-19' } }, shortcut: true, status: 206 },
    { name: 'an unsatisfiable Range', req: { bucket: 'site', key: 'small.txt', headers: { range: 'bytes=99999-' } }, shortcut: true, status: 416 },
    { name: 'If-None-Match: 304', req: { bucket: 'site', key: 'small.txt', headers: { 'if-none-match': etag, origin: ORIGIN } }, shortcut: true, status: 304 },
    { name: 'If-Match: 412', req: { bucket: 'site', key: 'small.txt', headers: { 'if-match': '"0000"' } }, shortcut: true, status: 412 },
    { name: 'response-* overrides', req: { bucket: 'site', key: 'small.txt', query: 'response-content-type=image%2Fpng&response-cache-control=no-cache' }, shortcut: true, status: 200 },
    { name: 'an empty object', req: { bucket: 'site', key: 'empty' }, shortcut: true, status: 200 },
    { name: 'a stored Content-Type fastify cannot parse', req: { bucket: 'site', key: 'odd-type' }, shortcut: true, status: 200 },
    { name: 'a streamed body', req: { bucket: 'site', key: 'big.bin' }, shortcut: true, status: 200 },
    { name: 'a streamed range', req: { bucket: 'site', key: 'big.bin', headers: { range: 'bytes=1000-200000' } }, shortcut: true, status: 206 },
    { name: 'partNumber of a plain object', req: { bucket: 'site', key: 'small.txt', query: 'partNumber=1' }, shortcut: true, status: 200 },
    { name: 'no such key', req: { bucket: 'site', key: 'nope', headers: { origin: ORIGIN } }, shortcut: true, status: 404 },
    { name: 'HEAD of no such key', req: { method: 'HEAD', bucket: 'site', key: 'nope' }, shortcut: true, status: 404 },
    { name: 'no such bucket', req: { bucket: 'nobucket', key: 'k' }, shortcut: true, status: 404 },
    { name: 'anonymous, private object', req: { bucket: 'site', key: 'small.txt', signed: false }, shortcut: true, status: 403 },
    { name: 'anonymous, public-read object', req: { bucket: 'site', key: 'public.txt', signed: false, headers: { origin: ORIGIN } }, shortcut: true, status: 200 },
    { name: 'a wrong secret', req: { bucket: 'site', key: 'small.txt', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wrong' } }, shortcut: true, status: 403 },
    { name: 'SSE-C headers on a plain object', req: { bucket: 'site', key: 'small.txt', headers: { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' } }, shortcut: true, status: 501 },
    { name: 'another expected bucket owner', req: { bucket: 'site', key: 'small.txt', headers: { 'x-amz-expected-bucket-owner': '999999999999' } }, shortcut: true, status: 403 },
    { name: 'a version', req: { bucket: 'vers', key: 'doc', query: `versionId=${versionId}` }, shortcut: true, status: 200 },
    { name: 'a delete marker', req: { bucket: 'vers', key: 'gone' }, shortcut: true, status: 404 },
    { name: 'a delete marker by id', req: { bucket: 'vers', key: 'gone', query: `versionId=${markerId}` }, shortcut: true, status: 405 },
    { name: 'HEAD of a delete marker', req: { method: 'HEAD', bucket: 'vers', key: 'gone' }, shortcut: true, status: 404 },
    { name: 'a key under the admin prefix, path-style', req: { bucket: 'site', key: '_crossbucket/health' }, shortcut: true, status: 200 },
    // The admin API's prefix is fastify's to route (server/admin.ts): here, to the object.
    { name: 'a key under the admin prefix, virtual-hosted', req: { bucket: 'site', key: '_crossbucket/health', style: 'virtual' }, shortcut: false, status: 200 },
    { name: 'GetObjectAcl', req: { bucket: 'site', key: 'small.txt', query: 'acl' }, shortcut: false, status: 200 },
    { name: 'ListObjectsV2', req: { bucket: 'site', query: 'list-type=2' }, shortcut: false, status: 200 },
    { name: 'a GET with a body', req: { bucket: 'site', key: 'small.txt', body: 'hello', headers: { 'content-length': '5' } }, shortcut: false, status: 200 },
    // fastify refuses it before its hooks run.
    { name: 'an undecodable path', req: { bucket: 'site', key: 'small.txt', signed: false }, raw: { url: '/site/%zz', headers: { host: HOST } }, shortcut: undefined, status: 400 },
    { name: 'the website endpoint', req: { bucket: 'site', key: 'small.txt', signed: false }, raw: { url: '/small.txt', headers: { host: 'site.s3-website-us-east-1.localhost:9000' } }, shortcut: false, status: 404 },
  ];
  for (const c of cases) {
    const signed = c.raw ?? await signRequest(c.req);
    const method = c.req.method ?? 'GET';
    const body = typeof c.req.body === 'string' ? c.req.body : undefined;
    await new Promise((r) => setTimeout(r, 40));
    subscription.take();
    lines.length = 0;
    const injected = await app.inject({ method: method as 'GET', url: signed.url, headers: signed.headers, ...(body === undefined ? {} : { payload: body }) });
    const viaInject: Answer = { status: injected.statusCode, headers: injected.headers as Record<string, string>, body: injected.rawPayload };
    // The bus hands events out every 25 ms.
    await new Promise((r) => setTimeout(r, 40));
    const injectedEvents = eventShapes(subscription.take().events);
    const injectedLine = lines.find((l) => l.msg === 'request');
    lines.length = 0;
    const before = watched.throughFastify;
    const viaSocket = await overSocket(port, method, signed.url, signed.headers, body);
    t.same(comparable(viaSocket), comparable(viaInject), `${c.name}: same answer`);
    t.equal(viaSocket.status, c.status, `${c.name}: ${c.status}`);
    if (c.shortcut !== undefined) t.equal(watched.throughFastify === before, c.shortcut, `${c.name}: ${c.shortcut ? 'answered before' : 'left to'} fastify`);
    if (c.shortcut !== true) continue;
    t.match(viaSocket.headers['x-amz-request-id'], /^[0-9A-F]{16}$/);
    t.match(viaSocket.headers['x-amz-id-2'], /^[A-Za-z0-9+/]{32}$/);
    await new Promise((r) => setTimeout(r, 40));
    t.same(eventShapes(subscription.take().events), injectedEvents, `${c.name}: the same console events`);
    // A streamed answer's line is written at the response's `finish`, which a loaded event loop
    // may deliver after the timer above.
    const line = await logged(() => lines.find((l) => l.msg === 'request'));
    t.same(Object.keys(line ?? {}), Object.keys(injectedLine ?? {}), `${c.name}: the request line has the same fields, in order`);
    const { time: _t1, reqId, ms, ...fields } = line ?? {};
    const { time: _t2, reqId: _r2, ms: _m2, ...injectedFields } = injectedLine ?? {};
    t.same(fields, injectedFields, `${c.name}: the request line says the same`);
    t.equal(reqId, viaSocket.headers['x-amz-request-id'], `${c.name}: the line names the request`);
    t.type(ms, 'number');
  }
  subscription.close();

  // A client that stops reading a large download and hangs up: the object's file is closed and
  // nothing is logged as a server error. Two things close it: the file stream itself, whose write
  // into the response fails (storage/file-range-stream.ts), and the plain reply, which destroys a
  // source the response outlived, as fastify's does. Seen failing with both taken out.
  const LONG = 24 * 1024 * 1024;
  await put('long.bin', Buffer.alloc(LONG, 5));
  const longFile = filesOf(watched.dir).find((f) => statSync(f).size === LONG) ?? '';
  const openOn = (file: string) => readdirSync('/proc/self/fd').filter((fd) => {
    try { return readlinkSync(`/proc/self/fd/${fd}`) === file; } catch { return false; }
  }).length;
  const long = await signRequest({ bucket: 'site', key: 'long.bin' });
  const reader = connect(port, '127.0.0.1');
  await once(reader, 'connect');
  const before = watched.throughFastify;
  reader.write(`GET ${long.url} HTTP/1.1\r\n${Object.entries(long.headers).map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`);
  const [first] = await once(reader, 'data') as [Buffer];
  reader.pause();
  t.match(first.toString('latin1'), /^HTTP\/1\.1 200 /, 'a large download begins');
  t.equal(watched.throughFastify, before, 'a large download: answered before fastify');
  t.equal(openOn(longFile), 1, 'while the client is not reading, the object\'s file is open');
  lines.length = 0;
  reader.destroy();
  for (let i = 0; i < 100 && openOn(longFile) > 0; i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(openOn(longFile), 0, 'once the client has hung up, the file is closed');
  t.same(lines.filter((l) => (l.level as number) >= 50), [], 'no error logged for a client that went away');

  // A header node refuses to write (none is expected: stored values and response-* overrides are
  // made safe in server/operations/object-meta.ts). Once, the error's answer goes out instead;
  // twice (the error's own answer refused too), a bare InternalError. Either way nothing escapes
  // to the server's `request` listener, where it would stop the process.
  // node checks a header's value where it is given: `setHeader`, or `writeHead` with headers.
  app.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    let refusals = Number(req.headers['x-test-refuse'] ?? 0);
    if (refusals === 0) return;
    const refused = () => Object.assign(new TypeError('Invalid character in header content'), { code: 'ERR_INVALID_CHAR' });
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (typeof args[args.length - 1] === 'object' && refusals-- > 0) throw refused();
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    const setHeader = res.setHeader;
    // A stream's headers are set one by one: refused at Content-Type, after the ETag went in.
    res.setHeader = function (this: ServerResponse, ...args: unknown[]) {
      if (args[0] === 'content-type' && refusals-- > 0) throw refused();
      return (setHeader as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.setHeader;
  });
  for (const refusals of [1, 2]) {
    for (const key of ['small.txt', 'big.bin']) {
      const signed = await signRequest({ bucket: 'site', key, headers: { 'x-test-refuse': String(refusals) } });
      const before = watched.throughFastify;
      const answer = await overSocket(port, 'GET', signed.url, signed.headers);
      t.equal(watched.throughFastify, before, `${key}, ${refusals} refused: answered before fastify`);
      t.equal(answer.status, 500, `${key}, ${refusals} refused: 500`);
      t.match(answer.body.toString(), /<Code>InternalError<\/Code>/, `${key}, ${refusals} refused: InternalError`);
      t.match(answer.headers['x-amz-request-id'], /^[0-9A-F]{16}$/, `${key}, ${refusals} refused: the request's id`);
      t.equal(answer.headers.etag, undefined, `${key}, ${refusals} refused: no ETag of the object`);
    }
  }
  const after = await overSocket(port, 'GET', '/site/public.txt', { host: HOST });
  t.equal(after.status, 200, 'the server answers the next read');

  // A stream that fails before anything went out gets the answer fastify's path gives (its error
  // handler), without the headers the success had set: the object's file is gone from the data
  // directory. The website endpoint's read of it goes through fastify's route over the socket.
  const website = '<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>';
  t.equal((await send(app, { method: 'PUT', bucket: 'site', query: 'website', body: website })).statusCode, 200);
  await put('lost.bin', Buffer.alloc(200 * 1024, 9), { 'x-amz-acl': 'public-read' });
  const lostFile = filesOf(watched.dir).find((f) => statSync(f).size === 200 * 1024);
  t.ok(lostFile, 'the object has a file of its own');
  if (lostFile !== undefined) unlinkSync(lostFile);
  const lostReads: Array<{ name: string; url: string; headers: Record<string, string>; shortcut: boolean; status: number }> = [
    { name: 'a file gone', ...await signRequest({ bucket: 'site', key: 'lost.bin' }), shortcut: true, status: 500 },
    { name: 'a file gone, website endpoint', url: '/lost.bin', headers: { host: 'site.s3-website-us-east-1.localhost:9000' }, shortcut: false, status: 500 },
  ];
  for (const c of lostReads) {
    const injected = await app.inject({ method: 'GET', url: c.url, headers: c.headers });
    const before = watched.throughFastify;
    lines.length = 0;
    const viaSocket = await overSocket(port, 'GET', c.url, c.headers);
    t.equal(watched.throughFastify === before, c.shortcut, `${c.name}: ${c.shortcut ? 'answered before' : 'left to'} fastify`);
    // The error's answer ends the response, and the stream's own `finish` watch must not write a
    // second line for it.
    await logged(() => lines.find((l) => l.msg === 'request'));
    await new Promise((r) => setTimeout(r, 40));
    t.same(lines.filter((l) => l.msg === 'request').map((l) => l.status), [c.status], `${c.name}: one request line, ${c.status}`);
    t.same(comparable(viaSocket), comparable({ status: injected.statusCode, headers: injected.headers as Record<string, string>, body: injected.rawPayload }), `${c.name}: same answer`);
    t.equal(viaSocket.status, c.status, `${c.name}: ${c.status}`);
    t.equal(viaSocket.headers.etag, undefined, `${c.name}: no ETag of the object on the error`);
  }

  // Closing: a read on a connection still open once fastify has begun to close gets fastify's 503
  // (return503OnClosing), not the early answer.
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  t.teardown(() => socket.destroy());
  const bytes = `GET /site/public.txt HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`;
  t.match(await exchange(socket, bytes), /^HTTP\/1\.1 200 /, 'the early answer on this connection');
  let duringClose = '';
  watched.whileClosing = async () => { duringClose = await exchange(socket, bytes); };
  await app.close();
  t.match(duringClose, /^HTTP\/1\.1 503 /, 'while the server closes, fastify answers 503');
});

function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesOf(join(dir, e.name)) : [join(dir, e.name)]));
}
