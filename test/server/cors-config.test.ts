/**
 * PutBucketCors / GetBucketCors / DeleteBucketCors over HTTP: docs/spec/cors.md §2.9 vectors, the §3
 * rows only the server can check (document size, integrity headers, XML well-formedness), and
 * who may use them. The value checks of §3 are the engine's (test/cors-engine/validate.test.ts).
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { AwsCrc32 } from '@aws-crypto/crc32';
import { CreateBucketCommand, DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand, S3ServiceException } from '@aws-sdk/client-s3';
import t from 'tap';
import { makeUser } from '../../server/config';
import { injectApp, sdkClient, startServer } from '../helpers/server';
import {
  MALFORMED, corsXml, createBucket, errorElements, md5Base64, putCors, send, type RuleXml,
} from './cors-fixtures';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const TOO_LARGE = 'The CORS XML document is limited to 64 KB in size.';
const RULE: RuleXml = { origins: ['*'], methods: ['GET'] };

async function crc32(data: string): Promise<string> {
  const h = new AwsCrc32();
  h.update(Buffer.from(data));
  return Buffer.from(await h.digest()).toString('base64');
}

/** [Code, Message] and any extras, without RequestId/HostId. */
function codeAndMessage(body: string): Array<[string, string]> {
  return errorElements(body).slice(0, -2);
}

/** A document just over 64 KB: many long origins in one valid rule. */
function bigDocument(): string {
  const origins: string[] = [];
  while (corsXml([{ origins, methods: ['GET'] }]).length <= 65536 + 100) origins.push(`http://${'o'.repeat(90)}${origins.length}.test`);
  return corsXml([{ origins, methods: ['GET'] }]);
}

t.test('§2.9 vectors 74-80 and 49: Get, Put, Delete', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const app = h.app;
  await createBucket(app, 'cfg');

  // #74 no configuration: 404 with BucketName.
  let res = await send(app, { bucket: 'cfg', query: 'cors' });
  t.equal(res.statusCode, 404);
  t.strictSame(codeAndMessage(res.body), [['Code', 'NoSuchCORSConfiguration'], ['Message', 'The CORS configuration does not exist'], ['BucketName', 'cfg']]);

  // #78 delete when none is set: 204, empty.
  res = await send(app, { method: 'DELETE', bucket: 'cfg', query: 'cors' });
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');

  // #75 {*; GET}: nothing invented on the way back (exact body, §4.8).
  res = await putCors(app, 'cfg', [RULE]);
  t.equal(res.statusCode, 200);
  t.equal(res.body, '');
  res = await send(app, { bucket: 'cfg', query: 'cors' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/xml');
  t.equal(res.body, `<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="${XMLNS}"><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>`);

  // #76 + #49: values echoed in order and casing, element order ID, AllowedHeader, AllowedMethod, AllowedOrigin, ExposeHeader, MaxAgeSeconds.
  res = await putCors(app, 'cfg', [{
    id: 'r&1', origins: ['https://test.com', 'https://app.test.com', 'http://test.com:80'], methods: ['GET', 'PUT', 'HEAD'],
    headers: ['x-amz-expected-bucket-owner', 'x-AMZ-server-SIDE-encryption'], expose: ['ETag', 'x-amz-meta-Foo'], maxAge: 3000,
  }, { origins: [''], methods: ['DELETE'] }]);
  t.equal(res.statusCode, 200);
  res = await send(app, { bucket: 'cfg', query: 'cors' });
  t.equal(res.body, `<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration xmlns="${XMLNS}"><CORSRule><ID>r&amp;1</ID>` +
    '<AllowedHeader>x-amz-expected-bucket-owner</AllowedHeader><AllowedHeader>x-AMZ-server-SIDE-encryption</AllowedHeader>' +
    '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
    '<AllowedOrigin>https://test.com</AllowedOrigin><AllowedOrigin>https://app.test.com</AllowedOrigin><AllowedOrigin>http://test.com:80</AllowedOrigin>' +
    '<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-meta-Foo</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>' +
    // #77: an empty AllowedOrigin is accepted and returned.
    '<CORSRule><AllowedMethod>DELETE</AllowedMethod><AllowedOrigin></AllowedOrigin></CORSRule></CORSConfiguration>');

  // #79 Put → Delete → Get.
  res = await send(app, { method: 'DELETE', bucket: 'cfg', query: 'cors' });
  t.equal(res.statusCode, 204);
  res = await send(app, { bucket: 'cfg', query: 'cors' });
  t.equal(res.statusCode, 404);
  t.equal(codeAndMessage(res.body)[0]?.[1], 'NoSuchCORSConfiguration');

  // #80 and its siblings: a missing bucket is NoSuchBucket for all three.
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const r = method === 'PUT' ? await putCors(app, 'nobucket', [RULE]) : await send(app, { method, bucket: 'nobucket', query: 'cors' });
    t.equal(r.statusCode, 404, `${method} ?cors on a missing bucket`);
    t.strictSame(codeAndMessage(r.body), [['Code', 'NoSuchBucket'], ['Message', 'The specified bucket does not exist'], ['BucketName', 'nobucket']]);
  }
});

t.test('§3 rows checked by the server', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const app = h.app;
  await createBucket(app, 'val');
  const good = corsXml([RULE]);
  const put = (body: string, headers: Record<string, string>) => send(app, { method: 'PUT', bucket: 'val', query: 'cors', body, headers });
  const cases: Array<[string, string, Record<string, string>, number, Array<[string, string]>]> = [
    ['not well-formed XML', '<CORSConfiguration><CORSRule>', {}, 400, [['Code', 'MalformedXML'], ['Message', MALFORMED]]],
    ['unknown root element', '<CORSConfig><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfig>', {}, 400, [['Code', 'MalformedXML'], ['Message', MALFORMED]]],
    ['unknown element in a rule (a typo)', '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeaders>ETag</ExposeHeaders></CORSRule></CORSConfiguration>', {}, 400, [['Code', 'MalformedXML'], ['Message', MALFORMED]]],
    ['element inside a value', '<CORSConfiguration><CORSRule><AllowedOrigin><a>*</a></AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>', {}, 400, [['Code', 'MalformedXML'], ['Message', MALFORMED]]],
    ['DOCTYPE', `<?xml version="1.0"?><!DOCTYPE CORSConfiguration [<!ELEMENT CORSConfiguration ANY>]>${good.replace(/^<\?xml[^>]*>/, '')}`, {}, 400, [['Code', 'MalformedXML'], ['Message', MALFORMED]]],
    ['entity declaration', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "*">]><CORSConfiguration><CORSRule><AllowedOrigin>&e;</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`, {}, 400, [['Code', 'MalformedXML'], ['Message', MALFORMED]]],
    ['zero rules', '<CORSConfiguration/>', {}, 400, [['Code', 'MalformedXML'], ['Message', MALFORMED]]],
    ['an engine refusal keeps its code and message', corsXml([{ origins: ['*'], methods: ['MYMETHOD'] }]), {}, 400, [['Code', 'InvalidRequest'], ['Message', 'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD']]],
  ];
  for (const [name, body, headers, status, error] of cases) {
    const res = await put(body, { 'content-md5': md5Base64(body), ...headers });
    t.equal(res.statusCode, status, `${name}: status`);
    t.strictSame(codeAndMessage(res.body), error, `${name}: error`);
  }

  const integrity: Array<[string, Record<string, string>, number, Array<[string, string]>]> = [
    ['no Content-MD5 and no checksum', {}, 400, [['Code', 'InvalidRequest'], ['Message', 'Missing required header for this request: Content-MD5']]],
    ['x-amz-sdk-checksum-algorithm alone is not a checksum', { 'x-amz-sdk-checksum-algorithm': 'CRC32' }, 400, [['Code', 'InvalidRequest'], ['Message', 'Missing required header for this request: Content-MD5']]],
    ['Content-MD5 not base64 of 16 bytes', { 'content-md5': 'abc' }, 400, [['Code', 'InvalidDigest'], ['Message', 'The Content-MD5 you specified was invalid.'], ['Content-MD5', 'abc']]],
    ['Content-MD5 of other bytes', { 'content-md5': md5Base64('other') }, 400, [['Code', 'BadDigest'], ['Message', 'The Content-MD5 you specified did not match what we received.'], ['ExpectedDigest', md5Base64('other')], ['CalculatedDigest', md5Base64(good)]]],
    ['x-amz-checksum-crc32 of other bytes', { 'x-amz-checksum-crc32': await crc32('other'), 'x-amz-sdk-checksum-algorithm': 'CRC32' }, 400, [['Code', 'BadDigest'], ['Message', 'The CRC32 you specified did not match the calculated checksum.']]],
    ['x-amz-checksum-crc32 not base64', { 'x-amz-checksum-crc32': '!!!!' }, 400, [['Code', 'InvalidRequest'], ['Message', 'Value for x-amz-checksum-crc32 header is invalid.']]],
  ];
  for (const [name, headers, status, error] of integrity) {
    const res = await put(good, headers);
    t.equal(res.statusCode, status, `${name}: status`);
    t.strictSame(codeAndMessage(res.body), error, `${name}: error`);
  }
  t.equal((await send(app, { bucket: 'val', query: 'cors' })).statusCode, 404, 'nothing refused was stored');

  // Accepted: x-amz-checksum-crc32 (what current SDKs and aws-cli send), sha256, no namespace, any child order.
  const accepted: Array<[string, string, Record<string, string>]> = [
    ['x-amz-checksum-crc32', good, { 'x-amz-checksum-crc32': await crc32(good), 'x-amz-sdk-checksum-algorithm': 'CRC32' }],
    ['x-amz-checksum-sha256', good, { 'x-amz-checksum-sha256': createHash('sha256').update(good).digest('base64') }],
    ['no namespace', corsXml([RULE], { xmlns: false }), {}],
    ['children in any order', '<CORSConfiguration><CORSRule><MaxAgeSeconds>5</MaxAgeSeconds><AllowedMethod>PUT</AllowedMethod><ExposeHeader>ETag</ExposeHeader><AllowedOrigin>http://b</AllowedOrigin><ID>x</ID><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><AllowedOrigin>http://a</AllowedOrigin></CORSRule></CORSConfiguration>', {}],
  ];
  for (const [name, body, headers] of accepted) {
    const res = await put(body, Object.keys(headers).length === 0 ? { 'content-md5': md5Base64(body) } : headers);
    t.equal(res.statusCode, 200, `${name}: accepted`);
  }
  const res = await send(app, { bucket: 'val', query: 'cors' });
  t.match(res.body, '<CORSRule><ID>x</ID><AllowedHeader>*</AllowedHeader><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedOrigin>http://b</AllowedOrigin><AllowedOrigin>http://a</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>5</MaxAgeSeconds></CORSRule>', 'stored in document order per member');
});

t.test('§3 / §4.14: documents over 64 KB are MalformedXML with the 64 KB message', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await createBucket(h.app, 'big');
  const body = bigDocument();
  t.ok(body.length > 65536 && body.length < 70000, `document is ${body.length} bytes`);
  const res = await putCors(h.app, 'big', body);
  t.equal(res.statusCode, 400);
  t.strictSame(codeAndMessage(res.body), [['Code', 'MalformedXML'], ['Message', TOO_LARGE]]);
  const exactly = corsXml([RULE]).replace('<CORSRule>', `<!--${'x'.repeat(65536 - corsXml([RULE]).length - 7)}--><CORSRule>`);
  t.equal(exactly.length, 65536);
  t.equal((await putCors(h.app, 'big', exactly)).statusCode, 200, 'exactly 64 KB is accepted');
});

t.test('aws-chunked body with a trailing checksum (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await createBucket(h.app, 'chunk');
  const doc = corsXml([RULE]);
  const chunked = async (value: string) => send(h.app, {
    method: 'PUT', bucket: 'chunk', query: 'cors', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    body: `${Buffer.byteLength(doc).toString(16)}\r\n${doc}\r\n0\r\nx-amz-checksum-crc32:${value}\r\n\r\n`,
    headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(Buffer.byteLength(doc)), 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32' },
  });
  let res = await chunked(await crc32('other'));
  t.equal(res.statusCode, 400);
  t.equal(codeAndMessage(res.body)[0]?.[1], 'BadDigest');
  res = await chunked(await crc32(doc));
  t.equal(res.statusCode, 200, res.body);
  t.equal((await send(h.app, { bucket: 'chunk', query: 'cors' })).statusCode, 200);
});

t.test('real socket: an oversized document is answered, not reset (declared and chunked lengths)', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await createBucket(s.app, 'sock');
  const body = bigDocument();
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: s.credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  for (const framing of ['content-length', 'chunked'] as const) {
    const headers: Record<string, string> = { host: `127.0.0.1:${s.port}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-md5': md5Base64(body) };
    if (framing === 'content-length') headers['content-length'] = String(Buffer.byteLength(body));
    else headers['transfer-encoding'] = 'chunked';
    const signed = (await signer.sign({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: s.port, path: '/sock', query: { cors: '' }, headers } as never)) as unknown as { headers: Record<string, string> };
    const answer = await new Promise<{ status: number; text: string; connection: string | undefined }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, method: 'PUT', path: '/sock?cors', headers: signed.headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
      });
      req.on('error', reject);
      if (framing === 'chunked') for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192));
      else req.write(body);
      req.end();
    });
    t.equal(answer.status, 400, `${framing}: status`);
    t.strictSame(codeAndMessage(answer.text), [['Code', 'MalformedXML'], ['Message', TOO_LARGE]], `${framing}: error`);
  }
});

t.test('only the bucket owner may put, get or delete its CORS configuration', async (t) => {
  const other = makeUser('otheruser', 'other-secret');
  const h = injectApp({ users: [makeUser('crossbucket', 'crossbucket-secret'), other] });
  t.teardown(() => h.close());
  await createBucket(h.app, 'owned', 'public-read-write');
  // Even FULL_CONTROL by ACL does not reach the CORS configuration: it is the owner's alone.
  const grant = await send(h.app, { method: 'PUT', bucket: 'owned', query: 'acl', headers: { 'x-amz-grant-full-control': `id="${other.id}"` } });
  t.equal(grant.statusCode, 200, grant.body);
  t.equal((await putCors(h.app, 'owned', [RULE])).statusCode, 200);
  const doc = corsXml([{ origins: ['http://evil.test'], methods: ['GET'] }]);
  const as = [
    ['another user with FULL_CONTROL', { credentials: { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey } }],
    ['anonymous (public-read-write bucket)', { signed: false }],
  ] as const;
  for (const [who, auth] of as) {
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const res = await send(h.app, { method, bucket: 'owned', query: 'cors', ...auth, ...(method === 'PUT' ? { body: doc, headers: { 'content-md5': md5Base64(doc) } } : {}) });
      t.equal(res.statusCode, 403, `${who}: ${method} ?cors`);
      t.strictSame(codeAndMessage(res.body), [['Code', 'AccessDenied'], ['Message', 'Access Denied']]);
    }
  }
  const res = await send(h.app, { bucket: 'owned', query: 'cors' });
  t.match(res.body, '<AllowedOrigin>*</AllowedOrigin>', 'the owner still sees its own rules');
});

t.test('AWS SDK v3 (default checksums): put, get, delete, get again', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket: 'sdk-cors' }));
  const CORSRules = [
    { ID: 'app', AllowedOrigins: ['http://localhost:5173'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
  ];
  await c.send(new PutBucketCorsCommand({ Bucket: 'sdk-cors', CORSConfiguration: { CORSRules } }));
  const got = await c.send(new GetBucketCorsCommand({ Bucket: 'sdk-cors' }));
  t.strictSame(got.CORSRules, CORSRules);
  await c.send(new DeleteBucketCorsCommand({ Bucket: 'sdk-cors' }));
  const err = await c.send(new GetBucketCorsCommand({ Bucket: 'sdk-cors' })).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof S3ServiceException);
  t.match(err, { name: 'NoSuchCORSConfiguration', message: 'The CORS configuration does not exist', $metadata: { httpStatusCode: 404 } });
});
