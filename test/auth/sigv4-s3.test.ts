// S3 requests signed by the AWS SDK's signer (@smithy/signature-v4 with uriEscapePath: false,
// as the S3 client uses it), header and presigned forms: server/auth must accept each.
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { verifySigV4 } from '../../server/auth/sigv4';
import { verifyRequestAuth } from '../../server/auth/verify-request';
import { AKID, lookupSecret, presign, sdkPath, signHeader, type SignOptions } from './fixtures/signers';

const date = new Date('2026-11-25T12:00:00Z');
const now = new Date('2026-11-25T12:03:00Z');

async function expectOk(t: Test, signed: { method: string; rawUrl: string; headers: Record<string, string | string[]> }): Promise<void> {
  const result = verifySigV4({ ...signed, now, lookupSecret });
  if (!result.ok) t.fail(`${result.code}: ${result.message}\n${result.extra.CanonicalRequest ?? ''}`);
  else t.pass(`${signed.method} ${signed.rawUrl.slice(0, 120)}`);
}

const keys = [
  'plain.txt',
  'a//b',
  '../x',
  './x',
  'a/',
  'dir/sub/file',
  'a+b',
  'a%2Fb',
  '100%',
  'my file.txt',
  "!'()*",
  'é/ü/ß',
  'emoji-😀',
  '~._-',
  'a=b&c',
  'semi;colon,comma:colon@at$dollar',
  '中文/日本語',
];

t.test('header auth – S3 keys, SDK-encoded paths', async (t) => {
  for (const key of keys) {
    await expectOk(t, await signHeader({ path: sdkPath('bucket', key), date }));
  }
});

t.test('presigned – S3 keys, SDK-encoded paths', async (t) => {
  for (const key of keys) {
    await expectOk(t, await presign({ path: sdkPath('bucket', key), date, method: 'PUT', query: { 'x-id': 'PutObject' } }));
  }
});

t.test('header auth – query strings: repeated keys, empty values, unicode, reserved characters', async (t) => {
  const cases: Array<SignOptions['query']> = [
    { 'list-type': '2', prefix: 'photos/2026/', delimiter: '/' },
    { uploads: '' },
    { a: ['2', '1', '10'] },
    { prefix: 'é 😀', 'start-after': "a!'()*+b" },
    { 'response-content-disposition': 'attachment; filename="x y.txt"' },
    { 'x-id': 'GetObject', versionId: 'null' },
  ];
  for (const query of cases) {
    await expectOk(t, await signHeader({ path: '/bucket', query, date }));
  }
});

t.test('header auth – `?uploads` on the wire signed as `uploads=`', async (t) => {
  const s = await signHeader({ method: 'POST', path: '/bucket/key', query: { uploads: '' }, date });
  await expectOk(t, { ...s, rawUrl: '/bucket/key?uploads' });
});

t.test('header auth – a client that sent !\'()* raw but signed them encoded', async (t) => {
  const s = await signHeader({ path: sdkPath('bucket', "a!'()*b"), date });
  t.equal(s.rawUrl, '/bucket/a%21%27%28%29%2Ab');
  await expectOk(t, { ...s, rawUrl: "/bucket/a!'()*b" });
});

t.test('header auth – lowercase percent-escapes on the wire', async (t) => {
  const s = await signHeader({ path: sdkPath('bucket', 'é'), date });
  await expectOk(t, { ...s, rawUrl: s.rawUrl.toLowerCase() });
});

t.test('header auth – a client that signed `!` unencoded is refused, as S3 does', async (t) => {
  const s = await signHeader({ path: '/bucket/a!b', date });
  const r = verifySigV4({ ...s, now, lookupSecret });
  t.equal(r.ok, false);
  if (!r.ok) {
    t.equal(r.code, 'SignatureDoesNotMatch');
    t.match(r.extra.CanonicalRequest, /^GET\n\/bucket\/a%21b\n/);
  }
});

t.test('header auth – virtual-hosted host, other regions, signed extra headers', async (t) => {
  await expectOk(t, await signHeader({ host: 'photos.localhost:9000', path: '/cat.jpg', date }));
  await expectOk(t, await signHeader({ host: 'photos.s3.localhost', path: '/', date, region: 'eu-west-3' }));
  await expectOk(
    t,
    await signHeader({
      method: 'PUT',
      path: '/bucket/k',
      date,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'x-amz-meta-note': '  spaced    out  value ',
        'x-amz-acl': 'public-read',
        'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==',
      },
    }),
  );
});

t.test('header auth – signed payload hash and session token', async (t) => {
  const body = 'hello world';
  const hash = createHash('sha256').update(body).digest('hex');
  const s = await signHeader({ method: 'PUT', path: '/bucket/k', date, headers: { 'x-amz-content-sha256': hash } });
  const r = verifySigV4({ ...s, now, lookupSecret });
  t.ok(r.ok);
  if (r.ok) t.equal(r.payloadHash, hash);
  await expectOk(t, await signHeader({ path: '/bucket/k', date, sessionToken: 'FQoGZXIvYXdzE//token+/=' }));
});

t.test('header auth – headers as arrays (req.headersDistinct)', async (t) => {
  const s = await signHeader({ path: '/bucket/k', date, headers: { 'x-amz-meta-a': 'one' } });
  const distinct = Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k, [v]]));
  await expectOk(t, { ...s, headers: distinct });
});

t.test('header auth – success result carries the chunk-signing seed', async (t) => {
  const s = await signHeader({ method: 'PUT', path: '/bucket/k', date, headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } });
  const r = verifySigV4({ ...s, now, lookupSecret });
  t.ok(r.ok);
  if (!r.ok) return;
  t.equal(r.accessKeyId, AKID);
  t.equal(r.mode, 'header');
  t.equal(r.payloadHash, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  t.equal(r.scope, '20261125/us-east-1/s3/aws4_request');
  t.equal(r.amzDate, '20261125T120000Z');
  t.equal(r.signature, /Signature=([0-9a-f]{64})/.exec(s.headers.authorization ?? '')?.[1]);
  t.equal(r.signingKey.length, 32);
});

t.test('presigned – signed query parameters, signed headers, security token', async (t) => {
  await expectOk(t, await presign({ method: 'PUT', path: '/bucket/k', date, query: { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-id': 'PutObject' } }));
  await expectOk(t, await presign({ method: 'PUT', path: '/bucket/k', date, headers: { 'content-type': 'image/png' } }));
  await expectOk(t, await presign({ path: '/bucket/k', date, sessionToken: 'IQoJb3JpZ2luX2VjE+token/==' }));
  await expectOk(t, await presign({ path: '/bucket/k', date, query: { 'response-content-type': 'text/plain', empty: '' } }));
  await expectOk(t, await presign({ host: 'photos.localhost:9000', path: '/cat.jpg', date, expiresIn: 604800 }));
});

t.test('presigned – result mode and payload hash', async (t) => {
  const s = await presign({ method: 'PUT', path: '/bucket/k', date });
  const r = verifySigV4({ ...s, now, lookupSecret });
  t.ok(r.ok);
  if (r.ok) {
    t.equal(r.mode, 'query');
    t.equal(r.payloadHash, 'UNSIGNED-PAYLOAD');
  }
});

t.test('presigned – valid until the last second of X-Amz-Expires', async (t) => {
  const s = await presign({ path: '/bucket/k', date, expiresIn: 60 });
  t.ok(verifySigV4({ ...s, now: new Date(date.getTime() + 60_000), lookupSecret }).ok);
  t.ok(verifySigV4({ ...s, now: new Date(date.getTime() - 5 * 60_000), lookupSecret }).ok, 'small clock skew backwards');
});

t.test('verifyRequestAuth – dispatches SigV4 and returns undefined for anonymous', async (t) => {
  const s = await signHeader({ path: '/bucket/k', date });
  const r = verifyRequestAuth({ ...s, now, lookupSecret });
  t.ok(r?.ok);
  t.equal(verifyRequestAuth({ method: 'GET', rawUrl: '/bucket/k?x=1', headers: { host: 'h' }, now, lookupSecret }), undefined);
});
