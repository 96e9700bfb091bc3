/**
 * The compiled-rules cache (server/cors/cors-cache.ts): a preflight right after a change sees the new
 * rules, and in the steady state a preflight touches storage not at all (no SQL).
 */
import t from 'tap';
import { s3 } from '../helpers/s3-inject';
import { injectApp } from '../helpers/server';
import { createBucket, putCors, send } from './cors-fixtures';

const ORIGIN_A = 'http://a.test';
const ORIGIN_B = 'http://b.test';

t.test('cache – invalidated by Put/DeleteBucketCors, DeleteBucket, CreateBucket and reset', async (t) => {
  const h = injectApp({ adminReset: true });
  t.teardown(() => h.close());
  const app = h.app;
  const preflight = async (origin: string) => {
    const res = await app.inject({ method: 'OPTIONS', url: '/cached/k', headers: { host: 'localhost:9000', origin, 'access-control-request-method': 'GET' } });
    const message = /<Message>([^<]*)<\/Message>/.exec(res.body)?.[1];
    return res.statusCode === 200 ? `200 ${String(res.headers['access-control-allow-origin'])}` : `${res.statusCode} ${message ?? ''}`;
  };

  t.equal(await preflight(ORIGIN_A), '403 CORSResponse: Bucket not found', 'missing bucket (now cached as missing)');
  await createBucket(app, 'cached');
  t.equal(await preflight(ORIGIN_A), '403 CORSResponse: CORS is not enabled for this bucket.', 'CreateBucket invalidates');
  t.equal((await putCors(app, 'cached', [{ origins: [ORIGIN_A], methods: ['GET'] }])).statusCode, 200);
  t.equal(await preflight(ORIGIN_A), `200 ${ORIGIN_A}`, 'PutBucketCors invalidates');
  t.match(await preflight(ORIGIN_B), /^403 CORSResponse: This CORS request is not allowed/);
  await putCors(app, 'cached', [{ origins: [ORIGIN_B], methods: ['GET'] }]);
  t.equal(await preflight(ORIGIN_B), `200 ${ORIGIN_B}`, 'a second PutBucketCors replaces the rules');
  t.match(await preflight(ORIGIN_A), /^403 CORSResponse: This CORS request is not allowed/, 'the old rule is gone');
  t.equal((await send(app, { bucket: 'cached', query: 'cors' })).body.includes(ORIGIN_B), true, 'GetBucketCors from the cache shows the new rules');
  t.equal((await send(app, { method: 'DELETE', bucket: 'cached', query: 'cors' })).statusCode, 204);
  t.equal(await preflight(ORIGIN_B), '403 CORSResponse: CORS is not enabled for this bucket.', 'DeleteBucketCors invalidates');
  await putCors(app, 'cached', [{ origins: [ORIGIN_A], methods: ['GET'] }]);
  t.equal(await preflight(ORIGIN_A), `200 ${ORIGIN_A}`);
  t.equal((await send(app, { method: 'DELETE', bucket: 'cached' })).statusCode, 204);
  t.equal(await preflight(ORIGIN_A), '403 CORSResponse: Bucket not found', 'DeleteBucket invalidates');
  await createBucket(app, 'cached');
  t.equal(await preflight(ORIGIN_A), '403 CORSResponse: CORS is not enabled for this bucket.', 'a re-created bucket has no rules');
  await putCors(app, 'cached', [{ origins: [ORIGIN_A], methods: ['GET'] }]);
  t.equal(await preflight(ORIGIN_A), `200 ${ORIGIN_A}`);
  const reset = await s3(app, { method: 'POST', rawPath: '/_crossbucket/reset', query: { mode: 'all' } });
  t.equal(reset.statusCode, 200);
  t.equal(await preflight(ORIGIN_A), '403 CORSResponse: Bucket not found', 'admin reset invalidates');
});

t.test('cache – the CORS headers remembered for an actual request follow PutBucketCors and DeleteBucketCors', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const app = h.app;
  await createBucket(app, 'acted');
  // Anonymous GETs of a missing key: refused, and still answered with the CORS headers (§1C step 6).
  const allowOrigin = async (origin: string) => {
    const res = await app.inject({ method: 'GET', url: '/acted/k', headers: { host: 'localhost:9000', origin } });
    return res.headers['access-control-allow-origin'];
  };
  await putCors(app, 'acted', [{ origins: [ORIGIN_A], methods: ['GET'] }]);
  for (let i = 0; i < 3; i++) t.equal(await allowOrigin(ORIGIN_A), ORIGIN_A, `A allowed (request ${i + 1})`);
  t.equal(await allowOrigin(ORIGIN_B), undefined, 'B not');
  await putCors(app, 'acted', [{ origins: [ORIGIN_B], methods: ['GET'] }]);
  t.equal(await allowOrigin(ORIGIN_A), undefined, 'after PutBucketCors: A no longer');
  t.equal(await allowOrigin(ORIGIN_B), ORIGIN_B, 'and B is');
  t.equal((await send(app, { method: 'DELETE', bucket: 'acted', query: 'cors' })).statusCode, 204);
  t.equal(await allowOrigin(ORIGIN_B), undefined, 'after DeleteBucketCors: no CORS headers');
});

t.test('cache – 100 preflights in the steady state make no storage call (no SQL)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const app = h.app;
  await createBucket(app, 'hot');
  await putCors(app, 'hot', [{ origins: ['http://x.test'], methods: ['GET'], headers: ['*'] }, { origins: ['*'], methods: ['PUT'], headers: ['x-amz-*'] }]);
  await createBucket(app, 'cold');

  // Count every call of every storage method from here on.
  const calls = new Map<string, number>();
  const storage = h.storage as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(h.storage))) {
    const original = storage[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    storage[name] = (...args: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return (original as (...a: unknown[]) => unknown).apply(h.storage, args);
    };
  }
  const requests = [
    { url: '/hot/k', host: 'localhost:9000', origin: 'http://x.test', acrm: 'GET', status: 200 },
    { url: '/k', host: 'hot.localhost:9000', origin: 'http://y.test', acrm: 'PUT', status: 200 },
    { url: '/hot/k', host: 'localhost:9000', origin: 'http://y.test', acrm: 'GET', status: 403 },
    { url: '/cold/k', host: 'localhost:9000', origin: 'http://y.test', acrm: 'GET', status: 403 },
    { url: '/gone/k', host: 'localhost:9000', origin: 'http://y.test', acrm: 'GET', status: 403 },
  ];
  // Warm-up: the first preflight per bucket loads it once.
  for (const r of requests) await app.inject({ method: 'OPTIONS', url: r.url, headers: { host: r.host, origin: r.origin, 'access-control-request-method': r.acrm } });
  const warm = [...calls.values()].reduce((a, b) => a + b, 0);
  t.ok(warm > 0, 'the warm-up loaded the buckets from storage');
  t.ok(warm <= 6, `at most a getBucket and a getBucketCors per bucket (${warm})`);
  calls.clear();
  for (let i = 0; i < 100; i++) {
    const r = requests[i % requests.length];
    if (r === undefined) continue;
    const res = await app.inject({ method: 'OPTIONS', url: r.url, headers: { host: r.host, origin: r.origin, 'access-control-request-method': r.acrm, 'access-control-request-headers': 'x-amz-date' } });
    if (res.statusCode !== r.status) t.fail(`${r.url} ${r.origin}: ${res.statusCode}`);
  }
  t.strictSame(Object.fromEntries(calls), {}, 'no storage method was called by 100 preflights');
});
