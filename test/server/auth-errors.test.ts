/**
 * Every authentication refusal reaches the client as S3 XML with S3's status, code and extra
 * elements (inject, signatures made by the AWS SDK's signer), and a refused upload stores nothing.
 */
import { createHash, createHmac } from 'node:crypto';
import t, { type Test } from 'tap';
import { signingKey, signedBody, bytes } from '../auth/fixtures/chunked';
import { injectApp } from '../helpers/server';
import { OTHER, OWNER, USERS, send, signFor, snapshot, xml } from './auth-fixtures';

function amzDateOf(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

async function setup(t: Test, config = {}) {
  const h = injectApp({ users: USERS, ...config });
  t.teardown(() => h.close());
  t.equal((await send(h.app, { method: 'PUT', path: '/bkt' })).statusCode, 200);
  t.equal((await send(h.app, { method: 'PUT', path: '/bkt/k', body: 'original' })).statusCode, 200);
  return h;
}

t.test('SignatureDoesNotMatch – 403 with the canonical request and string to sign S3 computed', async (t) => {
  const h = await setup(t);
  const date = new Date();
  const signed = await signFor({ path: '/bkt', query: { prefix: 'a b' }, who: { accessKeyId: OWNER.accessKeyId, secretAccessKey: 'wrong' }, date });
  const res = await h.app.inject({ method: 'GET', url: signed.url, headers: signed.headers });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'SignatureDoesNotMatch');
  t.equal(xml(res.body, 'Message'), 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  t.equal(xml(res.body, 'AWSAccessKeyId'), OWNER.accessKeyId);
  const amzDate = amzDateOf(date);
  const canonical = [
    'GET', '/bkt', 'prefix=a%20b',
    'host:localhost:9000', 'x-amz-content-sha256:UNSIGNED-PAYLOAD', `x-amz-date:${amzDate}`, '',
    'host;x-amz-content-sha256;x-amz-date', 'UNSIGNED-PAYLOAD',
  ].join('\n');
  t.equal(xml(res.body, 'CanonicalRequest'), canonical);
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`, createHash('sha256').update(canonical).digest('hex')].join('\n');
  t.equal(xml(res.body, 'StringToSign'), stringToSign);
  t.equal(xml(res.body, 'StringToSignBytes'), Buffer.from(stringToSign).toString('hex').replace(/(..)(?!$)/g, '$1 '));
  t.equal(xml(res.body, 'CanonicalRequestBytes'), Buffer.from(canonical).toString('hex').replace(/(..)(?!$)/g, '$1 '));
  const provided = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? '')?.[1];
  t.equal(xml(res.body, 'SignatureProvided'), provided);
  t.equal(xml(res.body, 'RequestId'), res.headers['x-amz-request-id']);
  t.match(res.headers['content-type'], /application\/xml/);
});

t.test('SignatureDoesNotMatch on HEAD – 403 and no body', async (t) => {
  const h = await setup(t);
  const res = await send(h.app, { method: 'HEAD', path: '/bkt/k', who: { accessKeyId: OWNER.accessKeyId, secretAccessKey: 'wrong' } });
  t.equal(res.statusCode, 403);
  t.equal(res.body, '');
});

t.test('InvalidAccessKeyId – 403 naming the key', async (t) => {
  const h = await setup(t);
  const res = await send(h.app, { path: '/bkt/k', who: { accessKeyId: 'nobody-here', secretAccessKey: 'x' } });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'InvalidAccessKeyId');
  t.equal(xml(res.body, 'Message'), 'The AWS Access Key Id you provided does not exist in our records.');
  t.equal(xml(res.body, 'AWSAccessKeyId'), 'nobody-here');
});

t.test('presigned – expired is AccessDenied "Request has expired" with X-Amz-Expires, Expires, ServerTime', async (t) => {
  const h = await setup(t);
  const date = new Date(Date.now() - 2 * 3600_000);
  const res = await send(h.app, { path: '/bkt/k', date, presigned: { expiresIn: 3600 } });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'AccessDenied');
  t.equal(xml(res.body, 'Message'), 'Request has expired');
  t.equal(xml(res.body, 'X-Amz-Expires'), '3600');
  t.equal(xml(res.body, 'Expires'), new Date(Math.floor(date.getTime() / 1000) * 1000 + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  t.match(xml(res.body, 'ServerTime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const fresh = await send(h.app, { path: '/bkt/k', presigned: { expiresIn: 3600 } });
  t.equal(fresh.statusCode, 200);
  t.equal(fresh.body, 'original');
});

t.test('presigned – X-Amz-Expires up to 7 days: 604800 works, 604801 is AuthorizationQueryParametersError', async (t) => {
  const h = await setup(t);
  t.equal((await send(h.app, { path: '/bkt/k', presigned: { expiresIn: 604800 } })).statusCode, 200);
  // The SDK's signer refuses to make such a URL; the server checks X-Amz-Expires before the signature.
  const week = await signFor({ path: '/bkt/k', presigned: { expiresIn: 604800 } });
  const res = await h.app.inject({ method: 'GET', url: week.url.replace('X-Amz-Expires=604800', 'X-Amz-Expires=604801'), headers: week.headers });
  t.equal(res.statusCode, 400);
  t.equal(xml(res.body, 'Code'), 'AuthorizationQueryParametersError');
  t.equal(xml(res.body, 'Message'), 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
});

t.test('RequestTimeTooSkewed – a header signature 20 minutes old', async (t) => {
  const h = await setup(t);
  const date = new Date(Date.now() - 20 * 60_000);
  const res = await send(h.app, { path: '/bkt/k', date });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'RequestTimeTooSkewed');
  t.equal(xml(res.body, 'RequestTime'), amzDateOf(date));
  t.equal(xml(res.body, 'MaxAllowedSkewMilliseconds'), '900000');
  t.ok(xml(res.body, 'ServerTime'));
});

t.test('AuthorizationHeaderMalformed – missing components, wrong service', async (t) => {
  const h = await setup(t);
  const amzDate = amzDateOf(new Date());
  const base = { host: 'localhost:9000', 'x-amz-date': amzDate, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  let res = await h.app.inject({ method: 'GET', url: '/bkt/k', headers: { ...base, authorization: `AWS4-HMAC-SHA256 Credential=${OWNER.accessKeyId}/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request` } });
  t.equal(res.statusCode, 400);
  t.equal(xml(res.body, 'Code'), 'AuthorizationHeaderMalformed');
  t.equal(xml(res.body, 'Message'), 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  res = await h.app.inject({
    method: 'GET',
    url: '/bkt/k',
    headers: { ...base, authorization: `AWS4-HMAC-SHA256 Credential=${OWNER.accessKeyId}/${amzDate.slice(0, 8)}/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}` },
  });
  t.equal(res.statusCode, 400);
  t.equal(xml(res.body, 'Code'), 'AuthorizationHeaderMalformed');
  t.match(xml(res.body, 'Message'), /incorrect service "ec2"/);
});

t.test('XAmzContentSHA256Mismatch – the signed digest differs from the body: 400, nothing stored', async (t) => {
  const h = await setup(t);
  const before = snapshot(h.storage);
  const res = await send(h.app, { method: 'PUT', path: '/bkt/k', body: 'tampered', payloadHash: createHash('sha256').update('expected').digest('hex') });
  t.equal(res.statusCode, 400);
  t.equal(xml(res.body, 'Code'), 'XAmzContentSHA256Mismatch');
  t.equal(snapshot(h.storage), before);
  const fresh = await send(h.app, { method: 'PUT', path: '/bkt/new', body: 'tampered', payloadHash: createHash('sha256').update('expected').digest('hex') });
  t.equal(fresh.statusCode, 400);
  t.equal((await send(h.app, { method: 'HEAD', path: '/bkt/new' })).statusCode, 404);
});

/** A STREAMING-AWS4-HMAC-SHA256-PAYLOAD PutObject, its chunk chain seeded by the header signature. */
async function chunkedPut(key: string, chunks: Buffer[], tamper?: number, secret = OWNER.secretAccessKey) {
  const date = new Date();
  const amzDate = amzDateOf(date);
  const decoded = chunks.reduce((n, c) => n + c.length, 0);
  const headers = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decoded) };
  const signed = await signFor({ method: 'PUT', path: `/bkt/${key}`, headers, date, payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', who: { accessKeyId: OWNER.accessKeyId, secretAccessKey: secret } });
  const seedSignature = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? '')?.[1] ?? '';
  const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
  let body = signedBody({ key: signingKey(secret, amzDate.slice(0, 8), 'us-east-1'), seedSignature, amzDate, scope }, chunks);
  if (tamper !== undefined) {
    // Flip one hex digit of the chunk signature number `tamper` (0-based).
    const text = body.toString('latin1');
    let at = -1;
    for (let i = 0; i <= tamper; i++) at = text.indexOf('chunk-signature=', at + 1);
    const pos = at + 'chunk-signature='.length;
    const flipped = text[pos] === '0' ? '1' : '0';
    body = Buffer.concat([body.subarray(0, pos), Buffer.from(flipped), body.subarray(pos + 1)]);
  }
  return { signed, body };
}

t.test('aws-chunked – a tampered chunk signature mid-stream fails the upload and stores nothing', async (t) => {
  const h = await setup(t);
  const chunks = [bytes(65536, 1), bytes(65536, 2), bytes(65536, 3), bytes(100, 4)];
  const good = await chunkedPut('chunked', chunks);
  let res = await h.app.inject({ method: 'PUT', url: good.signed.url, headers: good.signed.headers, payload: good.body });
  t.equal(res.statusCode, 200, 'the untampered body is accepted');
  const stored = await send(h.app, { path: '/bkt/chunked' });
  t.ok(Buffer.from(stored.rawPayload).equals(Buffer.concat(chunks)), 'stored without framing');

  const before = snapshot(h.storage);
  for (const [key, n] of [['chunked', 2], ['absent', 1], ['absent', 4]] as const) {
    const bad = await chunkedPut(key, chunks, n);
    res = await h.app.inject({ method: 'PUT', url: bad.signed.url, headers: bad.signed.headers, payload: bad.body });
    t.equal(res.statusCode, 403, `chunk ${n} of ${key}`);
    t.equal(xml(res.body, 'Code'), 'SignatureDoesNotMatch');
  }
  t.equal(snapshot(h.storage), before, 'the old object is kept, no new object appears');
  t.equal((await send(h.app, { method: 'HEAD', path: '/bkt/absent' })).statusCode, 404);
});

t.test('presigned URLs cannot be replayed for another key, method or bucket', async (t) => {
  const h = await setup(t);
  t.equal((await send(h.app, { method: 'PUT', path: '/bkt2' })).statusCode, 200);
  t.equal((await send(h.app, { method: 'PUT', path: '/bkt2/k', body: 'second' })).statusCode, 200);
  const url = (await signFor({ path: '/bkt/k', presigned: { expiresIn: 600 } })).url;
  const query = url.slice(url.indexOf('?'));
  const ok = await h.app.inject({ method: 'GET', url, headers: { host: 'localhost:9000' } });
  t.equal(ok.statusCode, 200);
  const before = snapshot(h.storage);
  const replays: Array<[string, string, Record<string, string>]> = [
    ['GET', `/bkt/other${query}`, {}],
    ['GET', `/bkt2/k${query}`, {}],
    ['PUT', `/bkt/k${query}`, {}],
    ['DELETE', `/bkt/k${query}`, {}],
    ['HEAD', `/bkt/k${query}`, {}],
    ['GET', `/k${query}`, { host: 'bkt.localhost:9000' }],
  ];
  for (const [method, u, headers] of replays) {
    const res = await h.app.inject({ method: method as 'GET', url: u, headers: { host: 'localhost:9000', ...headers }, ...(method === 'PUT' ? { payload: 'overwrite' } : {}) });
    t.equal(res.statusCode, 403, `${method} ${u.slice(0, 8)}`);
    if (method !== 'HEAD') t.equal(xml(res.body, 'Code'), 'SignatureDoesNotMatch');
  }
  t.equal(snapshot(h.storage), before);
});

t.test('presigned PUT from @aws-sdk/s3-request-presigner: the signed x-amz-checksum-crc32 of an empty body is ignored, as by S3', async (t) => {
  const h = await setup(t);
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  const client = new S3Client({ endpoint: 'http://localhost:9000', region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: OWNER.accessKeyId, secretAccessKey: OWNER.secretAccessKey } });
  t.teardown(() => client.destroy());
  const href = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'bkt', Key: 'up load.txt' }), { expiresIn: 300 });
  const u = new URL(href);
  t.equal(u.searchParams.get('x-amz-checksum-crc32'), 'AAAAAA==', 'the SDK signs the CRC32 of an empty body');
  t.equal(u.searchParams.get('x-amz-sdk-checksum-algorithm'), 'CRC32');
  const res = await h.app.inject({ method: 'PUT', url: u.pathname + u.search, headers: { host: 'localhost:9000' }, payload: 'hello presigned' });
  t.equal(res.statusCode, 200);
  const got = await send(h.app, { path: '/bkt/up%20load.txt' });
  t.equal(got.body, 'hello presigned');
  // The parameter is still signed: changing it breaks the signature.
  const tampered = u.pathname + u.search.replace('AAAAAA%3D%3D', 'AAAAAB%3D%3D');
  const bad = await h.app.inject({ method: 'PUT', url: tampered, headers: { host: 'localhost:9000' }, payload: 'x' });
  t.equal(bad.statusCode, 403);
  t.equal(xml(bad.body, 'Code'), 'SignatureDoesNotMatch');
  t.equal((await send(h.app, { path: '/bkt/up%20load.txt' })).body, 'hello presigned');
});

function sigV2(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

t.test('SigV2 – header and query signatures work; a wrong secret or an expired URL is refused', async (t) => {
  const h = await setup(t);
  const date = new Date().toUTCString();
  let res = await h.app.inject({ method: 'GET', url: '/bkt/k', headers: { host: 'localhost:9000', date, authorization: `AWS ${OWNER.accessKeyId}:${sigV2(OWNER.secretAccessKey, `GET\n\n\n${date}\n/bkt/k`)}` } });
  t.equal(res.statusCode, 200);
  t.equal(res.body, 'original');
  res = await h.app.inject({ method: 'GET', url: '/bkt/k', headers: { host: 'localhost:9000', date, authorization: `AWS ${OWNER.accessKeyId}:${sigV2('wrong', `GET\n\n\n${date}\n/bkt/k`)}` } });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'SignatureDoesNotMatch');
  t.equal(xml(res.body, 'StringToSign'), `GET\n\n\n${date}\n/bkt/k`);

  const expires = Math.floor(Date.now() / 1000) + 300;
  const q = (secret: string, exp: number) => `?AWSAccessKeyId=${OWNER.accessKeyId}&Expires=${exp}&Signature=${encodeURIComponent(sigV2(secret, `GET\n\n\n${exp}\n/bkt/k`))}`;
  res = await h.app.inject({ method: 'GET', url: `/bkt/k${q(OWNER.secretAccessKey, expires)}`, headers: { host: 'localhost:9000' } });
  t.equal(res.statusCode, 200);
  t.equal(res.body, 'original');
  res = await h.app.inject({ method: 'GET', url: `/bkt/k${q('wrong', expires)}`, headers: { host: 'localhost:9000' } });
  t.equal(xml(res.body, 'Code'), 'SignatureDoesNotMatch');
  const past = Math.floor(Date.now() / 1000) - 10;
  res = await h.app.inject({ method: 'GET', url: `/bkt/k${q(OWNER.secretAccessKey, past)}`, headers: { host: 'localhost:9000' } });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'AccessDenied');
  t.equal(xml(res.body, 'Message'), 'Request has expired');
  // Another user's valid SigV2 signature is that user: refused by the ACL, not by the signature.
  res = await h.app.inject({ method: 'GET', url: '/bkt/k', headers: { host: 'localhost:9000', date, authorization: `AWS ${OTHER.accessKeyId}:${sigV2(OTHER.secretAccessKey, `GET\n\n\n${date}\n/bkt/k`)}` } });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'AccessDenied');
});

t.test('permissive mode – any key acts as the first user; malformed headers and anonymous requests are not let in', async (t) => {
  const h = injectApp({ users: USERS, authMode: 'permissive' });
  t.teardown(() => h.close());
  let res = await send(h.app, { method: 'PUT', path: '/loose', who: { accessKeyId: 'made-up', secretAccessKey: 'whatever' } });
  t.equal(res.statusCode, 200);
  t.equal(h.storage.getBucket('loose')?.owner, OWNER.id, 'the bucket belongs to the first user');
  res = await send(h.app, { method: 'PUT', path: '/loose/k', body: 'x', who: { accessKeyId: OWNER.accessKeyId, secretAccessKey: 'wrong' } });
  t.equal(res.statusCode, 200);
  res = await send(h.app, { path: '/loose/k', date: new Date(Date.now() - 3600_000), presigned: { expiresIn: 60 }, who: { accessKeyId: 'made-up', secretAccessKey: 'x' } });
  t.equal(res.statusCode, 200, 'an expired presigned URL is accepted too');
  // A correctly signed request by another configured user is still that user.
  res = await send(h.app, { path: '/loose/k', who: OTHER });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'AccessDenied');
  res = await send(h.app, { path: '/loose/k', who: 'anonymous' });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'AccessDenied');
  res = await h.app.inject({ method: 'GET', url: '/loose/k', headers: { host: 'localhost:9000', authorization: 'AWS4-HMAC-SHA256 Credential=x' } });
  t.equal(res.statusCode, 400);
  t.equal(xml(res.body, 'Code'), 'AuthorizationHeaderMalformed');
});

t.test('aws-chunked – a signed streaming body needs a SigV4 signature: anonymous is InvalidRequest, not a crash', async (t) => {
  const h = await setup(t);
  await send(h.app, { method: 'PUT', path: '/bkt', query: { acl: '' }, headers: { 'x-amz-acl': 'public-read-write' } });
  const { body } = await chunkedPut('anon', [bytes(10)]);
  const res = await h.app.inject({
    method: 'PUT',
    url: '/bkt/anon',
    headers: { host: 'localhost:9000', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '10' },
    payload: body,
  });
  t.equal(res.statusCode, 400);
  t.equal(xml(res.body, 'Code'), 'InvalidRequest');
  t.equal((await send(h.app, { method: 'HEAD', path: '/bkt/anon' })).statusCode, 404);
});

t.test('permissive mode – a signed aws-chunked body under a wrong secret is decoded (its chunks cannot be checked)', async (t) => {
  const h = await setup(t, { authMode: 'permissive' });
  const chunks = [bytes(9000, 7), bytes(20, 8)];
  const put = await chunkedPut('loose', chunks, undefined, 'not-the-secret');
  const res = await h.app.inject({ method: 'PUT', url: put.signed.url, headers: put.signed.headers, payload: put.body });
  t.equal(res.statusCode, 200, res.body);
  const got = await send(h.app, { path: '/bkt/loose' });
  t.ok(Buffer.from(got.rawPayload).equals(Buffer.concat(chunks)));
  // With the right secret the chunks are still checked.
  const tampered = await chunkedPut('loose', chunks, 1);
  const bad = await h.app.inject({ method: 'PUT', url: tampered.signed.url, headers: tampered.signed.headers, payload: tampered.body });
  t.equal(bad.statusCode, 403);
  t.equal(xml(bad.body, 'Code'), 'SignatureDoesNotMatch');
});

t.test('presigned and header signatures – virtual-hosted requests verify as signed, SigV4 and SigV2', async (t) => {
  const h = await setup(t);
  const host = 'bkt.localhost:9000';
  const presigned = await signFor({ path: '/k', host, presigned: { expiresIn: 300 } });
  let res = await h.app.inject({ method: 'GET', url: presigned.url, headers: presigned.headers });
  t.equal(res.statusCode, 200);
  t.equal(res.body, 'original');
  res = await h.app.inject({ method: 'GET', url: `/bkt${presigned.url}`, headers: { host: 'localhost:9000' } });
  t.equal(res.statusCode, 403, 'the same URL path-style is another request');
  t.equal(xml(res.body, 'Code'), 'SignatureDoesNotMatch');
  res = await send(h.app, { path: '/k', host });
  t.equal(res.statusCode, 200);
  const date = new Date().toUTCString();
  res = await h.app.inject({ method: 'GET', url: '/k', headers: { host, date, authorization: `AWS ${OWNER.accessKeyId}:${sigV2(OWNER.secretAccessKey, `GET\n\n\n${date}\n/bkt/k`)}` } });
  t.equal(res.statusCode, 200, 'SigV2 signs /bucket/key for a virtual-hosted request');
  t.equal(res.body, 'original');
});
