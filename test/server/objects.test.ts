/**
 * Object operations over signed inject requests: PutObject, GetObject, HeadObject (ranges,
 * conditions, overrides, metadata), integrity (Content-MD5, x-amz-checksum-*, payload hash),
 * conditional writes, DeleteObject(s), CopyObject.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import { injectApp } from '../helpers/server';
import { settledBodies } from '../helpers/stored-bodies';
import { md5Base64, s3, sha256Hex, xmlText, xmlTexts, type S3Request } from '../helpers/s3-inject';

const BUCKET = 'objects';

async function setup(t: { teardown(fn: () => unknown): void }) {
  const h = injectApp();
  t.teardown(() => h.close());
  const res = await s3(h.app, { method: 'PUT', bucket: BUCKET });
  if (res.statusCode !== 200) throw new Error(`CreateBucket: ${res.statusCode} ${res.body}`);
  const send = (r: Omit<S3Request, 'bucket'> & { bucket?: string }) => s3(h.app, { bucket: BUCKET, ...r });
  const put = (key: string, body: string | Buffer, headers: Record<string, string> = {}) => send({ method: 'PUT', key, body, headers });
  return { h, send, put };
}

function etagOf(body: string | Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

const BODY = 'Hello, S3 world! 0123456789';

t.test('PutObject + GetObject – bytes, ETag, default content type, length, Last-Modified', async (t) => {
  const { send, put } = await setup(t);
  const res = await put('hello.txt', BODY);
  t.equal(res.statusCode, 200);
  t.equal(res.headers.etag, etagOf(BODY));
  t.equal(res.body, '');
  const got = await send({ key: 'hello.txt' });
  t.equal(got.statusCode, 200);
  t.equal(got.body, BODY);
  t.equal(got.headers.etag, etagOf(BODY));
  t.equal(got.headers['content-length'], String(Buffer.byteLength(BODY)));
  t.equal(got.headers['content-type'], 'binary/octet-stream');
  t.equal(got.headers['accept-ranges'], 'bytes');
  const lm = Date.parse(String(got.headers['last-modified']));
  t.ok(Math.abs(lm - Date.now()) < 60_000, 'Last-Modified is now');
  t.match(String(got.headers['last-modified']), /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
  t.ok(got.headers['x-amz-request-id']);
});

t.test('PutObject – overwriting replaces body and ETag; binary bytes exact', async (t) => {
  const { send, put } = await setup(t);
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) % 256));
  t.equal((await put('bin', 'first')).statusCode, 200);
  t.equal((await put('bin', binary)).headers.etag, etagOf(binary));
  const got = await send({ key: 'bin' });
  t.same(got.rawPayload, binary);
  t.equal(got.headers.etag, etagOf(binary));
});

t.test('PutObject – a JSON content type is still just bytes', async (t) => {
  const { send, put } = await setup(t);
  const body = '{"not": "parsed"';
  t.equal((await put('data.json', body, { 'content-type': 'application/json' })).statusCode, 200);
  const got = await send({ key: 'data.json' });
  t.equal(got.body, body);
  t.equal(got.headers['content-type'], 'application/json');
});

t.test('PutObject – zero bytes', async (t) => {
  const { send, put } = await setup(t);
  const res = await put('empty', '');
  t.equal(res.statusCode, 200);
  t.equal(res.headers.etag, '"d41d8cd98f00b204e9800998ecf8427e"');
  const got = await send({ key: 'empty' });
  t.equal(got.statusCode, 200);
  t.equal(got.headers['content-length'], '0');
  t.equal(got.body, '');
  const head = await send({ method: 'HEAD', key: 'empty' });
  t.equal(head.headers['content-length'], '0');
});

t.test('PutObject – NoSuchBucket; GetObject – NoSuchKey names the key', async (t) => {
  const { h, send } = await setup(t);
  const put = await s3(h.app, { method: 'PUT', bucket: 'missing-bucket', key: 'k', body: 'x' });
  t.equal(put.statusCode, 404);
  t.equal(xmlText(put.body, 'Code'), 'NoSuchBucket');
  t.equal(xmlText(put.body, 'BucketName'), 'missing-bucket');
  const get = await send({ key: 'no/such key' });
  t.equal(get.statusCode, 404);
  t.equal(xmlText(get.body, 'Code'), 'NoSuchKey');
  t.equal(xmlText(get.body, 'Key'), 'no/such key');
});

t.test('content headers and x-amz-meta-* round-trip on GET and HEAD', async (t) => {
  const { send, put } = await setup(t);
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-encoding': 'gzip',
    'content-disposition': 'attachment; filename="report 1.html"',
    'content-language': 'de-CH',
    'cache-control': 'max-age=3600, public',
    expires: 'Thu, 01 Dec 2044 16:00:00 GMT',
    'x-amz-meta-Author': 'Jane Doe',
    'x-amz-meta-empty': '',
    'x-amz-meta-multi-word': 'a, b; c=d',
  };
  t.equal((await put('page.html', 'zzz', headers)).statusCode, 200);
  for (const method of ['GET', 'HEAD']) {
    const res = await send({ method, key: 'page.html' });
    t.equal(res.statusCode, 200, method);
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    t.equal(res.headers['content-encoding'], 'gzip');
    t.equal(res.headers['content-disposition'], 'attachment; filename="report 1.html"');
    t.equal(res.headers['content-language'], 'de-CH');
    t.equal(res.headers['cache-control'], 'max-age=3600, public');
    t.equal(res.headers.expires, 'Thu, 01 Dec 2044 16:00:00 GMT');
    t.equal(res.headers['x-amz-meta-author'], 'Jane Doe', 'metadata names come back lower-case');
    t.equal(res.headers['x-amz-meta-empty'], '');
    t.equal(res.headers['x-amz-meta-multi-word'], 'a, b; c=d');
    t.equal(res.headers['content-length'], '3');
    t.equal(res.body, method === 'GET' ? 'zzz' : '');
  }
});

t.test('response-* query parameters override the stored headers on GET', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('o.bin', 'abc', { 'content-type': 'application/octet-stream', 'cache-control': 'no-cache' })).statusCode, 200);
  const res = await send({
    key: 'o.bin',
    query: {
      'response-content-type': 'text/plain',
      'response-content-disposition': 'attachment; filename="x.txt"',
      'response-cache-control': 'max-age=5',
      'response-content-language': 'fr',
      'response-content-encoding': 'identity',
      'response-expires': 'Wed, 21 Oct 2065 07:28:00 GMT',
    },
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/plain');
  t.equal(res.headers['content-disposition'], 'attachment; filename="x.txt"');
  t.equal(res.headers['cache-control'], 'max-age=5');
  t.equal(res.headers['content-language'], 'fr');
  t.equal(res.headers['content-encoding'], 'identity');
  t.equal(res.headers.expires, 'Wed, 21 Oct 2065 07:28:00 GMT');
  t.equal(res.body, 'abc');
  const plain = await send({ key: 'o.bin' });
  t.equal(plain.headers['content-type'], 'application/octet-stream', 'nothing was stored');
});

t.test('MetadataTooLarge over 2 KB of user metadata; nothing stored', async (t) => {
  const { send, put } = await setup(t);
  const ok = await put('meta-ok', 'x', { 'x-amz-meta-a': 'v'.repeat(2047) });
  t.equal(ok.statusCode, 200, '2048 bytes (name + value) is allowed');
  const res = await put('meta-big', 'x', { 'x-amz-meta-a': 'v'.repeat(1500), 'x-amz-meta-b': 'w'.repeat(600) });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'MetadataTooLarge');
  t.equal((await send({ method: 'HEAD', key: 'meta-big' })).statusCode, 404);
});

t.test('KeyTooLongError above 1024 UTF-8 bytes; exactly 1024 works (encoded longer than 2048 chars)', async (t) => {
  const { send, put } = await setup(t);
  const key1024 = '€'.repeat(341) + 'x'; // 341 * 3 + 1 = 1024 bytes, 3070 characters once encoded
  t.equal(Buffer.byteLength(key1024), 1024);
  const ok = await put(key1024, 'long');
  t.equal(ok.statusCode, 200, xmlText(ok.body, 'Code') ?? '');
  t.equal((await send({ key: key1024 })).body, 'long');
  const res = await put(key1024 + 'y', 'x');
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'KeyTooLongError');
  const list = await send({ query: { 'list-type': '2' } });
  t.same(xmlTexts(list.body, 'Key'), [key1024]);
});

t.test('Range – a-b, a-, -n, clamped, invalid, ignored', async (t) => {
  const { send, put } = await setup(t);
  const body = '0123456789abcdefghij'; // 20 bytes
  t.equal((await put('r', body)).statusCode, 200);
  const cases: Array<[string, number, string, string | undefined]> = [
    ['bytes=0-4', 206, '01234', 'bytes 0-4/20'],
    ['bytes=5-', 206, '56789abcdefghij', 'bytes 5-19/20'],
    ['bytes=-3', 206, 'hij', 'bytes 17-19/20'],
    ['bytes=-50', 206, body, 'bytes 0-19/20'],
    ['bytes=18-100', 206, 'ij', 'bytes 18-19/20'],
    ['bytes=19-19', 206, 'j', 'bytes 19-19/20'],
    ['bytes=5-2', 200, body, undefined],
    ['bytes=0-1,4-5', 200, body, undefined],
    ['pages=1-2', 200, body, undefined],
  ];
  for (const [range, status, expected, contentRange] of cases) {
    const res = await send({ key: 'r', headers: { range } });
    t.equal(res.statusCode, status, range);
    t.equal(res.body, expected, range);
    t.equal(res.headers['content-range'], contentRange, range);
    t.equal(res.headers['content-length'], String(expected.length), range);
    t.equal(res.headers.etag, etagOf(body));
  }
  for (const range of ['bytes=20-', 'bytes=25-30', 'bytes=-0']) {
    const res = await send({ key: 'r', headers: { range } });
    t.equal(res.statusCode, 416, range);
    t.equal(xmlText(res.body, 'Code'), 'InvalidRange');
    t.equal(xmlText(res.body, 'RangeRequested'), range);
    t.equal(xmlText(res.body, 'ActualObjectSize'), '20');
    t.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)), 'the length is the error body’s');
  }
  const head = await send({ method: 'HEAD', key: 'r', headers: { range: 'bytes=2-5' } });
  t.equal(head.statusCode, 206);
  t.equal(head.headers['content-length'], '4');
  t.equal(head.headers['content-range'], 'bytes 2-5/20');
  t.equal(head.body, '');
});

t.test('Range – on an empty object every range is InvalidRange', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('e', '')).statusCode, 200);
  for (const range of ['bytes=0-', 'bytes=0-0', 'bytes=-1']) {
    const res = await send({ key: 'e', headers: { range } });
    t.equal(res.statusCode, 416, range);
    t.equal(xmlText(res.body, 'Code'), 'InvalidRange', range);
  }
});

t.test('partNumber – part 1 of a single-part object is the object; part 2 is InvalidPartNumber', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('p', 'parts')).statusCode, 200);
  const one = await send({ key: 'p', query: { partNumber: '1' } });
  t.equal(one.statusCode, 200);
  t.equal(one.body, 'parts');
  const two = await send({ key: 'p', query: { partNumber: '2' } });
  t.equal(two.statusCode, 416);
  t.equal(xmlText(two.body, 'Code'), 'InvalidPartNumber');
  const both = await send({ key: 'p', query: { partNumber: '1' }, headers: { range: 'bytes=0-1' } });
  t.equal(both.statusCode, 400);
  t.equal(xmlText(both.body, 'Code'), 'InvalidRequest');
  t.match(xmlText(both.body, 'Message'), /both Range header and partNumber/);
  const bad = await send({ key: 'p', query: { partNumber: 'x' } });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
});

t.test('conditional reads – If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('c', BODY)).statusCode, 200);
  const etag = etagOf(BODY);
  const past = 'Sat, 01 Jan 2000 00:00:00 GMT';
  const future = new Date(Date.now() + 86_400_000).toUTCString();
  const cases: Array<[string, Record<string, string>, number]> = [
    ['If-Match same', { 'if-match': etag }, 200],
    ['If-Match unquoted', { 'if-match': etag.replace(/"/g, '') }, 200],
    ['If-Match *', { 'if-match': '*' }, 200],
    ['If-Match list', { 'if-match': `"nope", ${etag}` }, 200],
    ['If-Match other', { 'if-match': '"0123"' }, 412],
    ['If-None-Match same', { 'if-none-match': etag }, 304],
    ['If-None-Match *', { 'if-none-match': '*' }, 304],
    ['If-None-Match other', { 'if-none-match': '"0123"' }, 200],
    ['If-Modified-Since past', { 'if-modified-since': past }, 200],
    ['If-Modified-Since future', { 'if-modified-since': future }, 304],
    ['If-Modified-Since garbage', { 'if-modified-since': 'yesterday' }, 200],
    ['If-Unmodified-Since future', { 'if-unmodified-since': future }, 200],
    ['If-Unmodified-Since past', { 'if-unmodified-since': past }, 412],
    // RFC 7232 §6 as S3 documents it: If-Match true wins over If-Unmodified-Since false...
    ['If-Match true + If-Unmodified-Since false', { 'if-match': etag, 'if-unmodified-since': past }, 200],
    // ...and If-None-Match false wins over If-Modified-Since true.
    ['If-None-Match false + If-Modified-Since true', { 'if-none-match': '"0123"', 'if-modified-since': future }, 200],
    ['If-Match false + If-None-Match false', { 'if-match': '"0123"', 'if-none-match': '"0123"' }, 412],
  ];
  for (const method of ['GET', 'HEAD']) {
    for (const [name, headers, status] of cases) {
      const res = await send({ method, key: 'c', headers });
      t.equal(res.statusCode, status, `${method} ${name}`);
      if (status === 304) {
        t.equal(res.body, '', `${name}: no body`);
        t.equal(res.headers.etag, etag, `${name}: 304 keeps ETag`);
        t.ok(res.headers['last-modified'], `${name}: 304 keeps Last-Modified`);
      }
      if (status === 412 && method === 'GET') t.equal(xmlText(res.body, 'Code'), 'PreconditionFailed', name);
      if (status === 412 && method === 'HEAD') t.equal(res.body, '');
      if (status === 200 && method === 'GET') t.equal(res.body, BODY, name);
    }
  }
});

t.test('conditional writes – If-None-Match: * and If-Match on PutObject', async (t) => {
  const { send, put } = await setup(t);
  const first = await put('cw', 'one', { 'if-none-match': '*' });
  t.equal(first.statusCode, 200);
  const again = await put('cw', 'two', { 'if-none-match': '*' });
  t.equal(again.statusCode, 412);
  t.equal(xmlText(again.body, 'Code'), 'PreconditionFailed');
  t.equal((await send({ key: 'cw' })).body, 'one', 'the object is unchanged');

  const wrong = await put('cw', 'two', { 'if-match': '"00000000000000000000000000000000"' });
  t.equal(wrong.statusCode, 412);
  t.equal((await send({ key: 'cw' })).body, 'one');
  const right = await put('cw', 'two', { 'if-match': etagOf('one') });
  t.equal(right.statusCode, 200);
  t.equal((await send({ key: 'cw' })).body, 'two');

  const missing = await put('never', 'x', { 'if-match': etagOf('x') });
  t.equal(missing.statusCode, 404);
  t.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
  t.equal((await send({ method: 'HEAD', key: 'never' })).statusCode, 404);

  const etagNoneMatch = await put('cw', 'x', { 'if-none-match': etagOf('two') });
  t.equal(etagNoneMatch.statusCode, 501);
  t.equal(xmlText(etagNoneMatch.body, 'Code'), 'NotImplemented');
});

/** Check values of "123456789" for each algorithm, from the algorithms' catalogues. */
const CHECK_INPUT = '123456789';
const CHECK_VALUES: Record<string, string> = {
  crc32: Buffer.from('cbf43926', 'hex').toString('base64'),
  crc32c: Buffer.from('e3069283', 'hex').toString('base64'),
  crc64nvme: Buffer.from('ae8b14860a799888', 'hex').toString('base64'),
  sha1: createHash('sha1').update(CHECK_INPUT).digest('base64'),
  sha256: createHash('sha256').update(CHECK_INPUT).digest('base64'),
};

t.test('checksums – each algorithm verified, stored, returned with x-amz-checksum-mode: ENABLED', async (t) => {
  const { send, put } = await setup(t);
  for (const [alg, value] of Object.entries(CHECK_VALUES)) {
    const header = `x-amz-checksum-${alg}`;
    const res = await put(`sum-${alg}`, CHECK_INPUT, { [header]: value });
    t.equal(res.statusCode, 200, `${alg}: ${xmlText(res.body, 'Message') ?? ''}`);
    t.equal(res.headers[header], value, `${alg}: echoed on PutObject`);
    const plain = await send({ key: `sum-${alg}` });
    t.equal(plain.headers[header], undefined, `${alg}: not returned without checksum mode`);
    for (const method of ['GET', 'HEAD']) {
      const got = await send({ method, key: `sum-${alg}`, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
      t.equal(got.headers[header], value, `${alg}: returned on ${method}`);
      t.equal(got.headers['x-amz-checksum-type'], 'FULL_OBJECT');
    }
    const ranged = await send({ key: `sum-${alg}`, headers: { 'x-amz-checksum-mode': 'ENABLED', range: 'bytes=0-1' } });
    t.equal(ranged.headers[header], undefined, `${alg}: a range has no whole-object checksum`);
  }
});

t.test('checksums – the algorithm named by x-amz-sdk-checksum-algorithm is computed and stored', async (t) => {
  const { send, put } = await setup(t);
  const res = await put('named', CHECK_INPUT, { 'x-amz-sdk-checksum-algorithm': 'CRC32C', 'x-amz-checksum-crc32c': CHECK_VALUES.crc32c as string });
  t.equal(res.statusCode, 200);
  const got = await send({ method: 'HEAD', key: 'named', headers: { 'x-amz-checksum-mode': 'ENABLED' } });
  t.equal(got.headers['x-amz-checksum-crc32c'], CHECK_VALUES.crc32c);
  const bad = await put('named2', 'x', { 'x-amz-sdk-checksum-algorithm': 'MD4' });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'InvalidRequest');
});

t.test('checksums – a wrong value is BadDigest, a malformed one InvalidRequest; nothing stored', async (t) => {
  const { send, put } = await setup(t);
  for (const [alg, value] of Object.entries(CHECK_VALUES)) {
    const wrong = Buffer.from(value, 'base64');
    wrong[0] = (wrong[0] ?? 0) ^ 0xff;
    const res = await put(`bad-${alg}`, CHECK_INPUT, { [`x-amz-checksum-${alg}`]: wrong.toString('base64') });
    t.equal(res.statusCode, 400, alg);
    t.equal(xmlText(res.body, 'Code'), 'BadDigest', alg);
    const malformed = await put(`bad-${alg}`, CHECK_INPUT, { [`x-amz-checksum-${alg}`]: 'not base64!' });
    t.equal(malformed.statusCode, 400, alg);
    t.equal(xmlText(malformed.body, 'Code'), 'InvalidRequest', alg);
    t.equal((await send({ method: 'HEAD', key: `bad-${alg}` })).statusCode, 404, `${alg}: nothing stored`);
  }
});

t.test('Content-MD5 – verified: BadDigest, InvalidDigest; nothing stored', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('md5', BODY, { 'content-md5': md5Base64(BODY) })).statusCode, 200);
  const wrong = await put('md5-bad', BODY, { 'content-md5': md5Base64('other') });
  t.equal(wrong.statusCode, 400);
  t.equal(xmlText(wrong.body, 'Code'), 'BadDigest');
  for (const value of ['abc', 'not base64 at all!', Buffer.alloc(15).toString('base64')]) {
    const res = await put('md5-bad', BODY, { 'content-md5': value });
    t.equal(res.statusCode, 400, value);
    t.equal(xmlText(res.body, 'Code'), 'InvalidDigest', value);
  }
  t.equal((await send({ method: 'HEAD', key: 'md5-bad' })).statusCode, 404);
});

t.test('x-amz-content-sha256 – a signed digest that differs from the body is XAmzContentSHA256Mismatch', async (t) => {
  const { send } = await setup(t);
  const res = await send({ method: 'PUT', key: 'sha', body: BODY, payloadHash: sha256Hex('something else') });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'XAmzContentSHA256Mismatch');
  t.equal((await send({ method: 'HEAD', key: 'sha' })).statusCode, 404, 'nothing stored');
  const unsigned = await send({ method: 'PUT', key: 'sha', body: BODY, payloadHash: 'UNSIGNED-PAYLOAD' });
  t.equal(unsigned.statusCode, 200);
  t.equal((await send({ key: 'sha' })).body, BODY);
});

t.test('x-amz-content-sha256 – a mismatched digest on a body kept as a file, and on UploadPart: refused, nothing left behind', async (t) => {
  const { h, send } = await setup(t);
  const large = Buffer.alloc(100 * 1024, 'x');
  const before = await settledBodies(h);
  const res = await send({ method: 'PUT', key: 'big', body: large, payloadHash: sha256Hex('something else') });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'XAmzContentSHA256Mismatch');
  t.equal(xmlText(res.body, 'S3ComputedContentSHA256'), createHash('sha256').update(large).digest('hex'), 'the digest of what arrived');
  t.equal((await send({ method: 'HEAD', key: 'big' })).statusCode, 404, 'nothing stored');
  const uploadId = xmlText((await send({ method: 'POST', key: 'mp', query: { uploads: '' } })).body, 'UploadId') ?? '';
  const part = await send({ method: 'PUT', key: 'mp', query: { partNumber: '1', uploadId }, body: large, payloadHash: sha256Hex('other') });
  t.equal(part.statusCode, 400);
  t.equal(xmlText(part.body, 'Code'), 'XAmzContentSHA256Mismatch');
  t.notMatch((await send({ key: 'mp', query: { uploadId } })).body, '<Part>', 'no part recorded');
  t.equal(await settledBodies(h), before, 'no object file, part file or body row left');
  t.equal((await send({ method: 'PUT', key: 'big', body: large })).statusCode, 200, 'the signed digest of the body: stored');
  t.equal(await settledBodies(h), before + 1);
});

t.test('DeleteObject – 204 whether or not the key exists; NoSuchBucket', async (t) => {
  const { h, send, put } = await setup(t);
  t.equal((await put('d', 'x')).statusCode, 200);
  const res = await send({ method: 'DELETE', key: 'd' });
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  t.equal((await send({ method: 'HEAD', key: 'd' })).statusCode, 404);
  t.equal((await send({ method: 'DELETE', key: 'd' })).statusCode, 204);
  const nb = await s3(h.app, { method: 'DELETE', bucket: 'no-bucket', key: 'd' });
  t.equal(nb.statusCode, 404);
  t.equal(xmlText(nb.body, 'Code'), 'NoSuchBucket');
});

function deleteDoc(keys: string[], quiet = false): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${quiet ? '<Quiet>true</Quiet>' : ''}${keys.map((k) => `<Object><Key>${esc(k)}</Key></Object>`).join('')}</Delete>`;
}

t.test('DeleteObjects – verbose lists every key, quiet lists none; keys kept exactly', async (t) => {
  const { send, put } = await setup(t);
  const keys = ['a', ' spaced ', 'x&y<z>', 'ünï/cödé', 'gone-already'];
  for (const k of keys.slice(0, 4)) t.equal((await put(k, 'x')).statusCode, 200, k);
  t.equal((await put('keep', 'x')).statusCode, 200);
  const body = deleteDoc(keys);
  const res = await send({ method: 'POST', query: { delete: '' }, body, headers: { 'content-md5': md5Base64(body) } });
  t.equal(res.statusCode, 200);
  t.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DeleteResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
  t.same(xmlTexts(res.body, 'Key'), keys, 'every key, missing ones too');
  const list = await send({ query: { 'list-type': '2' } });
  t.same(xmlTexts(list.body, 'Key'), ['keep']);

  t.equal((await put('q1', 'x')).statusCode, 200);
  const quietBody = deleteDoc(['q1', 'q2'], true);
  const quiet = await send({ method: 'POST', query: { delete: '' }, body: quietBody, headers: { 'content-md5': md5Base64(quietBody) } });
  t.equal(quiet.statusCode, 200);
  t.same(xmlTexts(quiet.body, 'Key'), []);
  t.notMatch(quiet.body, /<Deleted>/);
  t.equal((await send({ method: 'HEAD', key: 'q1' })).statusCode, 404);

  t.equal((await put('pretty', 'x')).statusCode, 200);
  const pretty = '<Delete>\n  <Quiet>\n    false\n  </Quiet>\n  <Object>\n    <Key>pretty</Key>\n  </Object>\n</Delete>\n';
  const res2 = await send({ method: 'POST', query: { delete: '' }, body: pretty, headers: { 'content-md5': md5Base64(pretty) } });
  t.equal(res2.statusCode, 200, 'an indented document');
  t.same(xmlTexts(res2.body, 'Key'), ['pretty']);
  t.equal((await send({ method: 'HEAD', key: 'pretty' })).statusCode, 404);
});

t.test('DeleteObjects – integrity header required and verified; malformed documents', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('stay', 'x')).statusCode, 200);
  const body = deleteDoc(['stay']);
  const none = await send({ method: 'POST', query: { delete: '' }, body });
  t.equal(none.statusCode, 400);
  t.equal(xmlText(none.body, 'Code'), 'InvalidRequest');
  const bad = await send({ method: 'POST', query: { delete: '' }, body, headers: { 'content-md5': md5Base64('other') } });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'BadDigest');
  const badSum = await send({ method: 'POST', query: { delete: '' }, body, headers: { 'x-amz-checksum-crc32': CHECK_VALUES.crc32 as string } });
  t.equal(badSum.statusCode, 400);
  t.equal(xmlText(badSum.body, 'Code'), 'BadDigest');
  t.equal((await send({ method: 'HEAD', key: 'stay' })).statusCode, 200, 'nothing deleted');
  for (const doc of ['<Delete></Delete>', '<Delete><Object><Key>a</Key>', '<Other/>', deleteDoc(Array.from({ length: 1001 }, (_, i) => `k${i}`))]) {
    const res = await send({ method: 'POST', query: { delete: '' }, body: doc, headers: { 'content-md5': md5Base64(doc) } });
    t.equal(res.statusCode, 400);
    t.equal(xmlText(res.body, 'Code'), 'MalformedXML');
  }
});

t.test('CopyObject – COPY keeps metadata, REPLACE takes the request’s; result XML', async (t) => {
  const { h, send, put } = await setup(t);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'other-bucket' })).statusCode, 200);
  t.equal((await put('src key ü', BODY, { 'content-type': 'text/plain', 'x-amz-meta-color': 'red' })).statusCode, 200);
  const source = `/${BUCKET}/${encodeURIComponent('src key ü')}`;
  const copy = await send({ method: 'PUT', key: 'copy', headers: { 'x-amz-copy-source': source } });
  t.equal(copy.statusCode, 200);
  t.match(copy.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<CopyObjectResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/LastModified><ETag>/);
  t.equal(xmlText(copy.body, 'ETag'), etagOf(BODY));
  const got = await send({ key: 'copy' });
  t.equal(got.body, BODY);
  t.equal(got.headers['content-type'], 'text/plain');
  t.equal(got.headers['x-amz-meta-color'], 'red');

  const replaced = await s3(h.app, {
    method: 'PUT', bucket: 'other-bucket', key: 'replaced',
    headers: { 'x-amz-copy-source': source.slice(1), 'x-amz-metadata-directive': 'REPLACE', 'content-type': 'image/png', 'x-amz-meta-size': 'big' },
  });
  t.equal(replaced.statusCode, 200, 'a copy source without a leading slash, across buckets');
  const r = await s3(h.app, { method: 'HEAD', bucket: 'other-bucket', key: 'replaced' });
  t.equal(r.headers['content-type'], 'image/png');
  t.equal(r.headers['x-amz-meta-size'], 'big');
  t.equal(r.headers['x-amz-meta-color'], undefined);

  t.equal((await send({ method: 'DELETE', key: 'src key ü' })).statusCode, 204);
  t.equal((await send({ key: 'copy' })).body, BODY, 'the copy outlives its source');
  t.equal((await s3(h.app, { bucket: 'other-bucket', key: 'replaced' })).body, BODY);
});

t.test('CopyObject – onto itself needs REPLACE; bad directive; missing source', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('self', BODY, { 'x-amz-meta-v': '1' })).statusCode, 200);
  const refused = await send({ method: 'PUT', key: 'self', headers: { 'x-amz-copy-source': `${BUCKET}/self` } });
  t.equal(refused.statusCode, 400);
  t.equal(xmlText(refused.body, 'Code'), 'InvalidRequest');
  t.match(xmlText(refused.body, 'Message'), /copy an object to itself/);
  const allowed = await send({ method: 'PUT', key: 'self', headers: { 'x-amz-copy-source': `${BUCKET}/self`, 'x-amz-metadata-directive': 'REPLACE', 'x-amz-meta-v': '2' } });
  t.equal(allowed.statusCode, 200);
  const head = await send({ method: 'HEAD', key: 'self' });
  t.equal(head.headers['x-amz-meta-v'], '2');
  t.equal((await send({ key: 'self' })).body, BODY, 'bytes intact after copying onto itself');

  const directive = await send({ method: 'PUT', key: 'x', headers: { 'x-amz-copy-source': `${BUCKET}/self`, 'x-amz-metadata-directive': 'MOVE' } });
  t.equal(directive.statusCode, 400);
  t.equal(xmlText(directive.body, 'Code'), 'InvalidArgument');
  const noKey = await send({ method: 'PUT', key: 'x', headers: { 'x-amz-copy-source': `${BUCKET}/nothing` } });
  t.equal(noKey.statusCode, 404);
  t.equal(xmlText(noKey.body, 'Code'), 'NoSuchKey');
  const noBucket = await send({ method: 'PUT', key: 'x', headers: { 'x-amz-copy-source': 'nobucket/self' } });
  t.equal(noBucket.statusCode, 404);
  t.equal(xmlText(noBucket.body, 'Code'), 'NoSuchBucket');
  const malformed = await send({ method: 'PUT', key: 'x', headers: { 'x-amz-copy-source': 'just-a-bucket' } });
  t.equal(malformed.statusCode, 400);
  t.equal(xmlText(malformed.body, 'Code'), 'InvalidArgument');
});

t.test('CopyObject – copy-source conditions: 412 when they fail, never 304', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('cs', BODY)).statusCode, 200);
  const etag = etagOf(BODY);
  const past = 'Sat, 01 Jan 2000 00:00:00 GMT';
  const future = new Date(Date.now() + 86_400_000).toUTCString();
  const cases: Array<[Record<string, string>, number]> = [
    [{ 'x-amz-copy-source-if-match': etag }, 200],
    [{ 'x-amz-copy-source-if-match': '"0123"' }, 412],
    [{ 'x-amz-copy-source-if-none-match': '"0123"' }, 200],
    [{ 'x-amz-copy-source-if-none-match': etag }, 412],
    [{ 'x-amz-copy-source-if-modified-since': past }, 200],
    [{ 'x-amz-copy-source-if-modified-since': future }, 412],
    [{ 'x-amz-copy-source-if-unmodified-since': future }, 200],
    [{ 'x-amz-copy-source-if-unmodified-since': past }, 412],
    [{ 'x-amz-copy-source-if-match': etag, 'x-amz-copy-source-if-unmodified-since': past }, 200],
    [{ 'x-amz-copy-source-if-none-match': '"0123"', 'x-amz-copy-source-if-modified-since': future }, 200],
  ];
  for (const [headers, status] of cases) {
    const res = await send({ method: 'PUT', key: 'cs-copy', headers: { 'x-amz-copy-source': `${BUCKET}/cs`, ...headers } });
    t.equal(res.statusCode, status, JSON.stringify(headers));
    if (status === 412) t.equal(xmlText(res.body, 'Code'), 'PreconditionFailed');
  }
});

t.test('anonymous reads of a private object are AccessDenied', async (t) => {
  const { send, put } = await setup(t);
  t.equal((await put('secret', 'x')).statusCode, 200);
  const res = await send({ key: 'secret', signed: false });
  t.equal(res.statusCode, 403);
  t.equal(xmlText(res.body, 'Code'), 'AccessDenied');
  const write = await send({ method: 'PUT', key: 'anon', body: 'x', signed: false });
  t.equal(write.statusCode, 403);
});
