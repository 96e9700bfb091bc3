/**
 * docs/spec/cors.md §2 vectors through HTTP (inject): exact status, S3 error XML element by element,
 * CORS headers on success and on error responses, in both addressing styles. The CORS decisions
 * themselves are the engine's (test/cors-engine/); here: what the server makes of them.
 */
import t from 'tap';
import { injectApp } from '../helpers/server';
import {
  BUCKET_NOT_FOUND, NOT_ALLOWED, NOT_ENABLED, ORIGIN_NEEDED, VARY3, corsHeaders, createBucket, errorElements, putCors,
  putObject, send, type Req,
} from './cors-fixtures';

const LH = 'https://localhost:4200';
const OBJ = 'test-cors-123';
const BODY = 'cors body';

interface Expect {
  status: number;
  /** Exactly these `access-control-*` and `vary` headers. */
  cors?: Record<string, string>;
  /** The `<Error>` children other than RequestId and HostId, in order. */
  error?: Array<[string, string]>;
  body?: string;
}
interface Vector { n: string; req: Req; expect: Expect; pathOnly?: boolean }

const R1_HEADERS = {
  'access-control-allow-origin': LH,
  'access-control-allow-credentials': 'true',
  'access-control-allow-methods': 'GET, PUT',
  'access-control-max-age': '3000',
  vary: VARY3,
};
const R2_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT',
  'access-control-max-age': '3000',
  vary: VARY3,
};
const STAR_GET_HEADERS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET', vary: VARY3 };
const echo = (origin: string, methods: string) => ({
  'access-control-allow-origin': origin,
  'access-control-allow-credentials': 'true',
  'access-control-allow-methods': methods,
  vary: VARY3,
});
const refused = (method: string, resourceType: string, message = NOT_ALLOWED): Array<[string, string]> => [
  ['Code', 'AccessForbidden'], ['Message', message], ['Method', method], ['ResourceType', resourceType],
];
const BAD_ORIGIN: Array<[string, string]> = [['Code', 'BadRequest'], ['Message', ORIGIN_NEEDED]];
const opt = (bucket: string, key: string | undefined, headers: Record<string, string> = {}, query?: string): Req => ({
  method: 'OPTIONS', bucket, ...(key === undefined ? {} : { key }), headers, signed: false, ...(query === undefined ? {} : { query }),
});
const anon = (method: string, bucket: string, key: string | undefined, headers: Record<string, string> = {}, query?: string): Req => ({
  method, bucket, ...(key === undefined ? {} : { key }), headers, signed: false, ...(query === undefined ? {} : { query }),
});
const PRESIGNED_GARBAGE =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=nobody%2F20000101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20000101T000000Z&X-Amz-Expires=1&X-Amz-SignedHeaders=host&X-Amz-Signature=00';

const VECTORS: Vector[] = [
  // §2.1 no configuration / no bucket / no Origin
  { n: '#1 OPTIONS, no headers, bucket without CORS', req: opt('nocors', OBJ), expect: { status: 400, cors: {}, error: BAD_ORIGIN } },
  { n: '#2 OPTIONS Origin + ACRM PUT, no CORS', req: opt('nocors', OBJ, { origin: 'whatever', 'access-control-request-method': 'PUT' }), expect: { status: 403, cors: {}, error: refused('PUT', 'BUCKET', NOT_ENABLED) } },
  { n: '#3 OPTIONS Origin only, no CORS', req: opt('nocors', OBJ, { origin: 'whatever' }), expect: { status: 403, cors: {}, error: refused('OPTIONS', 'BUCKET', NOT_ENABLED) } },
  { n: '#4 GET no Origin, no CORS', req: anon('GET', 'nocors', OBJ), expect: { status: 200, cors: {}, body: BODY } },
  { n: '#5 GET Origin, no CORS', req: anon('GET', 'nocors', OBJ, { origin: 'whatever' }), expect: { status: 200, cors: {}, body: BODY } },
  { n: '#6 OPTIONS no headers, missing bucket', req: opt('missingbucket', OBJ), expect: { status: 400, cors: {}, error: BAD_ORIGIN } },
  { n: '#7 OPTIONS Origin, missing bucket', req: opt('missingbucket', OBJ, { origin: 'whatever' }), expect: { status: 403, cors: {}, error: refused('OPTIONS', 'BUCKET', BUCKET_NOT_FOUND) } },
  { n: '#8 GET bucket with Origin, missing bucket', req: anon('GET', 'missingbucket', undefined, { origin: 'http://www.allowedwebsite.com' }), expect: { status: 404, cors: {}, error: [['Code', 'NoSuchBucket'], ['Message', 'The specified bucket does not exist'], ['BucketName', 'missingbucket']] } },
  { n: '#9 GET public-read bucket with Origin, no CORS', req: anon('GET', 'nocors', undefined, { origin: 'http://www.allowedwebsite.com' }), expect: { status: 200, cors: {} } },
  { n: '#9 HEAD public-read bucket with Origin, no CORS', req: anon('HEAD', 'nocors', undefined, { origin: 'http://www.allowedwebsite.com' }), expect: { status: 200, cors: {}, body: '' } },
  // §2.2 R1 exact origin
  { n: '#11 OPTIONS no headers', req: opt('rone', OBJ), expect: { status: 400, cors: {}, error: BAD_ORIGIN } },
  { n: '#12 GET no Origin', req: anon('GET', 'rone', OBJ), expect: { status: 200, cors: {}, body: BODY } },
  { n: '#13 OPTIONS Referer + ACRM', req: opt('rone', OBJ, { referer: LH, 'access-control-request-method': 'PUT' }), expect: { status: 400, cors: {}, error: BAD_ORIGIN } },
  { n: '#14 GET Referer', req: anon('GET', 'rone', OBJ, { referer: LH }), expect: { status: 200, cors: {}, body: BODY } },
  { n: '#15 OPTIONS right origin', req: opt('rone', OBJ, { origin: LH, 'access-control-request-method': 'PUT' }), expect: { status: 200, cors: R1_HEADERS, body: '' } },
  { n: '#16 GET right origin', req: anon('GET', 'rone', OBJ, { origin: LH }), expect: { status: 200, cors: R1_HEADERS, body: BODY } },
  { n: '#17 OPTIONS scheme differs', req: opt('rone', OBJ, { origin: 'http://localhost:4200', 'access-control-request-method': 'PUT' }), expect: { status: 403, cors: {}, error: refused('PUT', 'OBJECT') } },
  { n: '#18 GET scheme differs', req: anon('GET', 'rone', OBJ, { origin: 'http://localhost:4200' }), expect: { status: 200, cors: {}, body: BODY } },
  { n: '#23 OPTIONS on the bucket, refused: ResourceType BUCKET', req: opt('rone', undefined, { origin: 'http://localhost:4200', 'access-control-request-method': 'GET' }), expect: { status: 403, cors: {}, error: refused('GET', 'BUCKET') } },
  // §2.3 R2 wildcard origin
  { n: '#19 OPTIONS any origin', req: opt('rtwo', OBJ, { origin: 'http://random:1234', 'access-control-request-method': 'PUT' }), expect: { status: 200, cors: R2_HEADERS, body: '' } },
  { n: '#20 GET any origin', req: anon('GET', 'rtwo', OBJ, { origin: 'http://random:1234' }), expect: { status: 200, cors: R2_HEADERS, body: BODY } },
  // §2.5 headers on error responses (§1C step 6)
  { n: '#42 anonymous PUT, ACRM GET: 403 AccessDenied keeps CORS headers', req: anon('PUT', 'ceph', 'bar', { origin: 'foo.suffix', 'access-control-request-method': 'GET' }), expect: { status: 403, cors: echo('foo.suffix', 'GET'), error: [['Code', 'AccessDenied'], ['Message', 'Access Denied']] } },
  { n: '#43 anonymous PUT: 403 AccessDenied keeps CORS headers', req: anon('PUT', 'ceph', 'bar', { origin: 'foo.put' }), expect: { status: 403, cors: echo('foo.put', 'PUT'), error: [['Code', 'AccessDenied'], ['Message', 'Access Denied']] } },
  { n: '#68 GET missing key: 404 NoSuchKey keeps CORS headers', req: anon('GET', 'ceph', 'bar', { origin: 'foo.suffix' }), expect: { status: 404, cors: echo('foo.suffix', 'GET'), error: [['Code', 'NoSuchKey'], ['Message', 'The specified key does not exist.'], ['Key', 'bar']] } },
  { n: '412 PreconditionFailed keeps CORS headers', req: anon('GET', 'rone', OBJ, { origin: LH, 'if-match': '"0000"' }), expect: { status: 412, cors: R1_HEADERS, error: [['Code', 'PreconditionFailed'], ['Message', 'At least one of the pre-conditions you specified did not hold'], ['Condition', 'If-Match']] } },
  { n: 'HEAD missing key: 404 without body keeps CORS headers', req: anon('HEAD', 'posts', 'bar', { origin: 'http://app.test' }), expect: { status: 404, cors: echo('http://app.test', 'POST, DELETE, HEAD'), body: '' } },
  { n: 'HEAD missing key, HEAD not in the rule: 404 without CORS headers', req: anon('HEAD', 'ceph', 'bar', { origin: 'foo.suffix' }), expect: { status: 404, cors: {}, body: '' } },
  { n: 'POST DeleteObjects, anonymous: 403 keeps CORS headers (method POST)', req: anon('POST', 'posts', undefined, { origin: 'http://app.test' }, 'delete'), expect: { status: 403, cors: echo('http://app.test', 'POST, DELETE, HEAD'), error: [['Code', 'AccessDenied'], ['Message', 'Access Denied']] } },
  { n: 'DELETE object, anonymous: 403 keeps CORS headers', req: anon('DELETE', 'posts', 'k', { origin: 'http://app.test' }), expect: { status: 403, cors: echo('http://app.test', 'POST, DELETE, HEAD'), error: [['Code', 'AccessDenied'], ['Message', 'Access Denied']] } },
  // §2.7, §2.8 preflights are never authenticated
  { n: '#67 OPTIONS with a fake SigV2 Authorization', req: opt('star', OBJ, { origin: 'localhost:4566', 'access-control-request-method': 'GET', authorization: 'AWS fakeKey:fakesignature' }), expect: { status: 200, cors: STAR_GET_HEADERS, body: '' } },
  { n: '#67 OPTIONS with a Cookie and a garbage SigV4 Authorization', req: opt('star', OBJ, { origin: 'localhost:4566', 'access-control-request-method': 'GET', cookie: 'a=b', authorization: 'AWS4-HMAC-SHA256 garbage' }), expect: { status: 200, cors: STAR_GET_HEADERS, body: '' } },
  { n: '#71 OPTIONS presigned URL, no Origin', req: opt('nocors', OBJ, {}, PRESIGNED_GARBAGE), expect: { status: 400, cors: {}, error: BAD_ORIGIN } },
  { n: '#72 OPTIONS presigned GET URL, Origin example', req: opt('presign', OBJ, { origin: 'example', 'access-control-request-method': 'GET' }, PRESIGNED_GARBAGE), expect: { status: 200, cors: echo('example', 'GET'), body: '' } },
  { n: '#72 OPTIONS presigned PUT URL, Origin example', req: opt('presign', OBJ, { origin: 'example', 'access-control-request-method': 'PUT' }, PRESIGNED_GARBAGE), expect: { status: 200, cors: echo('example', 'PUT'), body: '' } },
  { n: '#72 presigned URL, ACRM DELETE not allowed', req: opt('presign', OBJ, { origin: 'example', 'access-control-request-method': 'DELETE' }, PRESIGNED_GARBAGE), expect: { status: 403, cors: {}, error: refused('DELETE', 'OBJECT') } },
  // §1C step 8, vector #10: the service endpoint
  { n: '#10 OPTIONS on the service endpoint', req: { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'GET' }, signed: false }, expect: { status: 403, cors: {}, error: refused('GET', 'BUCKET', BUCKET_NOT_FOUND) }, pathOnly: true },
  { n: '#70 ListBuckets with Origin: no CORS headers', req: { method: 'GET', headers: { origin: 'http://app.test' } }, expect: { status: 200, cors: {} }, pathOnly: true },
];


t.test('docs/spec/cors.md §2 vectors over HTTP, path-style and virtual-hosted', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const app = h.app;
  await createBucket(app, 'nocors', 'public-read');
  await putObject(app, 'nocors', OBJ, BODY, 'public-read');
  await createBucket(app, 'rone');
  await putObject(app, 'rone', OBJ, BODY, 'public-read');
  t.equal((await putCors(app, 'rone', [{ origins: [LH], methods: ['GET', 'PUT'], maxAge: 3000, headers: ['*'] }])).statusCode, 200);
  await createBucket(app, 'rtwo');
  await putObject(app, 'rtwo', OBJ, BODY, 'public-read');
  await putCors(app, 'rtwo', [{ origins: ['*'], methods: ['GET', 'PUT'], maxAge: 3000, headers: ['*'] }]);
  await createBucket(app, 'ceph', 'public-read');
  await putCors(app, 'ceph', [
    { origins: ['*suffix'], methods: ['GET'] }, { origins: ['start*end'], methods: ['GET'] },
    { origins: ['prefix*'], methods: ['GET'] }, { origins: ['*.put'], methods: ['PUT'] },
  ]);
  await createBucket(app, 'posts', 'public-read');
  await putCors(app, 'posts', [{ origins: ['http://app.test'], methods: ['POST', 'DELETE', 'HEAD'] }]);
  await createBucket(app, 'star');
  await putCors(app, 'star', [{ origins: ['*'], methods: ['GET'] }]);
  await createBucket(app, 'presign');
  await putCors(app, 'presign', [{ origins: ['example'], methods: ['GET'] }, { origins: ['example'], methods: ['PUT'] }]);

  let count = 0;
  for (const v of VECTORS) {
    for (const style of v.pathOnly ? (['path'] as const) : (['path', 'virtual'] as const)) {
      const res = await send(app, { ...v.req, style });
      const name = `${v.n} [${style}]`;
      count++;
      t.equal(res.statusCode, v.expect.status, `${name}: status`);
      if (v.expect.cors) t.strictSame(corsHeaders(res.headers), v.expect.cors, `${name}: CORS headers`);
      if (v.expect.error) {
        t.equal(res.headers['content-type'], 'application/xml', `${name}: XML error`);
        const elements = errorElements(res.body);
        t.strictSame(elements.slice(0, -2), v.expect.error, `${name}: error elements`);
        t.strictSame(elements.slice(-2), [['RequestId', String(res.headers['x-amz-request-id'])], ['HostId', String(res.headers['x-amz-id-2'])]], `${name}: RequestId, HostId last`);
        t.equal(res.headers.connection, v.expect.status === 400 && v.req.method === 'OPTIONS' ? 'close' : 'keep-alive', `${name}: connection`);
      }
      if (v.expect.body !== undefined) t.equal(res.body, v.expect.body, `${name}: body`);
      if (v.req.method === 'OPTIONS' && v.expect.status === 200) {
        t.equal(res.headers['content-length'], '0', `${name}: Content-Length 0`);
        t.equal(res.headers['content-type'], undefined, `${name}: no Content-Type`);
      }
      t.ok(res.headers['x-amz-request-id'] && res.headers['x-amz-id-2'] && res.headers.date, `${name}: std headers`);
    }
  }
  t.equal(count, VECTORS.length * 2 - VECTORS.filter((v) => v.pathOnly).length);
});

t.test('#70 ListBuckets answers without CORS headers even when every bucket allows *', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await createBucket(h.app, 'open');
  await putCors(h.app, 'open', [{ origins: ['*'], methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'], headers: ['*'] }]);
  const res = await send(h.app, { method: 'GET', headers: { origin: 'http://app.test', 'access-control-request-method': 'GET' } });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<Name>open<\/Name>/);
  t.strictSame(corsHeaders(res.headers), {});
});

t.test('virtual-hosted preflight: the bucket comes from Host (bucket.localhost:9000)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await createBucket(h.app, 'site');
  await putCors(h.app, 'site', [{ origins: ['http://localhost:5173'], methods: ['GET'] }]);
  const res = await h.app.inject({
    method: 'OPTIONS', url: '/index.html',
    headers: { host: 'site.localhost:9000', origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['access-control-allow-origin'], 'http://localhost:5173');
  // The same path on the bare endpoint names bucket "index.html", which does not exist.
  const bare = await h.app.inject({
    method: 'OPTIONS', url: '/index.html',
    headers: { host: 'localhost:9000', origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
  });
  t.equal(bare.statusCode, 403);
  t.match(bare.body, /<Message>CORSResponse: Bucket not found<\/Message>/);
});
