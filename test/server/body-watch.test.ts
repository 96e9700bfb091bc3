/**
 * The request body watch (server/http/body-watch.ts) over real sockets: a body is watched only
 * while it can still idle, a keep-alive connection's next body is watched again, and pipelined
 * bodies are each stored. The first test fails on a watch that keeps a request after its answer
 * (the sweep lets go at most a second later, and by then V8 had moved the whole request into
 * its old generation: docs/benchmarks.md).
 */
import t from 'tap';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { injectApp, sdkClient, startServer } from '../helpers/server';
import { s3, signRequest, s3Http, xmlTexts } from '../helpers/s3-inject';
import { converse, head, statuses } from '../stress/raw-http';
import { until } from '../helpers/spawn-server';
import { watchedBodies } from '../../server/http/body-watch';

const BUCKET = 'watch';
const IDLE_MS = 400;

t.test('a PUT answered is no longer watched', async (t) => {
  // S3's idle time (20 s): the sweep passes once a second, so it cannot be what empties the watch.
  const server = await startServer({ config: { bodyIdleTimeoutMs: 20_000 } });
  t.teardown(() => server.close());
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: BUCKET })).statusCode, 200);

  // 64 PUTs from the SDK, 16 at a time over its keep-alive connections.
  const s3 = sdkClient(server.endpoint);
  t.teardown(() => s3.destroy());
  for (let round = 0; round < 4; round++) {
    await Promise.all(Array.from({ length: 16 }, (_, i) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `k-${round}-${i}`, Body: 'x'.repeat(4096) }))));
  }
  t.ok(await until(() => watchedBodies() === 0, 50), `no body watched once every PUT is answered (${watchedBodies()} left)`);
});

t.test('idle bodies still time out on a reused connection', async (t) => {
  const server = await startServer({ config: { bodyIdleTimeoutMs: IDLE_MS } });
  t.teardown(() => server.close());
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: BUCKET })).statusCode, 200);

  // One connection: a PUT whose body arrives whole, then one whose body stops. The second is
  // watched in the slot the first left, and times out.
  const whole = await signRequest({ method: 'PUT', bucket: BUCKET, key: 'whole', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': '2' } });
  const stuck = await signRequest({ method: 'PUT', bucket: BUCKET, key: 'stuck', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': '10' } });
  const started = Date.now();
  const res = await converse(server.port, [head('PUT', whole.url, whole.headers), 'ok', 100, head('PUT', stuck.url, stuck.headers), 'ab'], { until: (x) => statuses(x).length >= 2 && x.includes('</Error>') });
  t.same(statuses(res.text), [200, 400], 'the whole body stored, the stuck one refused on the same connection');
  t.match(res.text, '<Code>RequestTimeout</Code>');
  t.ok(Date.now() - started >= IDLE_MS, 'after the idle time');
  t.ok(await until(() => watchedBodies() === 0, 1000), 'the timed-out body is no longer watched');

  const keys = xmlTexts((await s3Http(server.endpoint, { method: 'GET', bucket: BUCKET, query: { 'list-type': '2', prefix: 's' } })).body.toString(), 'Key');
  t.same(keys, [], 'nothing stored for the stuck body');
});

t.test('pipelined PUTs on one connection: each body is stored, none left watched', async (t) => {
  const server = await startServer({ config: { bodyIdleTimeoutMs: IDLE_MS } });
  t.teardown(() => server.close());
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: BUCKET })).statusCode, 200);
  const requests: string[] = [];
  for (const key of ['p1', 'p2', 'p3']) {
    const s = await signRequest({ method: 'PUT', bucket: BUCKET, key, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': '3' } });
    requests.push(head('PUT', s.url, s.headers) + key.padEnd(3, '!'));
  }
  // All three in one write: the parser reads the second and third while the first is answered.
  const res = await converse(server.port, [requests.join('')], { until: (x) => statuses(x).length >= 3 });
  t.same(statuses(res.text), [200, 200, 200], 'three answers, in order');
  const got = await s3Http(server.endpoint, { method: 'GET', bucket: BUCKET, key: 'p3' });
  t.equal(got.body.toString(), 'p3!', 'the last body stored whole');
  t.ok(await until(() => watchedBodies() === 0, 50), 'no body watched after the answers');
});

t.test('a request made in-process (fastify.inject) is never watched: its socket is a stand-in', async (t) => {
  // The sweep once called the idle handler for such a request, which then had no socket to close.
  const h = injectApp({ bodyIdleTimeoutMs: IDLE_MS });
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: BUCKET })).statusCode, 200);
  const put = await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'injected', body: 'x'.repeat(100) });
  t.equal(put.statusCode, 200);
  t.equal(watchedBodies(), 0, 'nothing watched');
});
