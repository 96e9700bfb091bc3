/**
 * Hostile input – keys over 1024 bytes and with control characters, metadata over 2 KB, bad
 * bucket names, bad ranges, bad and duplicated query parameters: each answered with the S3
 * error a cloud bucket gives (or served as S3 serves it), nothing stored or changed, no 500 and
 * no stack trace anywhere.
 */
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { injectApp, sdkClient, startServer } from '../helpers/server';
import { postForm, signPolicy } from '../helpers/post-policy';
import { s3, signRequest, xmlText, xmlTexts } from '../helpers/s3-inject';

const BUCKET = 'hostile-input';
/** A key as ASCII for a test name (U+2028 and friends would break TAP's lines). */
const show = (key: string) => JSON.stringify(key).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const NO_STACK = /node:internal|\bat \S+:\d+:\d+|TypeError|RangeError|ReferenceError/;

type Response = Awaited<ReturnType<typeof s3>>;

function expectError(t: Test, res: Response, status: number, code: string, label: string): void {
  t.equal(res.statusCode, status, `${label}: ${status}`);
  if (res.statusCode !== 304 && res.body !== '') t.equal(xmlText(res.body, 'Code'), code, `${label}: ${code}`);
  t.notMatch(res.body, NO_STACK, `${label}: no stack trace`);
}

t.test('hostile input – keys, metadata, bucket names, ranges and query parameters', async (t) => {
  // Permissive auth: the raw URLs below (duplicated parameters, undecodable escapes) need no
  // signature of their own; a signed request's headers stand in.
  const h = injectApp({ authMode: 'permissive' });
  t.teardown(() => h.close());
  const raw = async (method: string, url: string, body?: string, extra: Record<string, string> = {}) => {
    const { headers } = await signRequest({ method, bucket: BUCKET, ...(body !== undefined ? { body } : {}), headers: extra });
    return h.app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: body } : {}) });
  };
  const listKeys = async () => xmlTexts((await s3(h.app, { bucket: BUCKET, query: { 'list-type': '2' } })).body, 'Key');
  const bucketNames = async () => xmlTexts((await s3(h.app, {})).body, 'Name');
  t.equal((await s3(h.app, { method: 'PUT', bucket: BUCKET })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'ten', body: '0123456789' })).statusCode, 200);

  t.test('keys over 1024 bytes: KeyTooLongError, nothing stored', async (t) => {
    const long = 'k'.repeat(1025);
    const euro = '€'.repeat(342); // 1026 bytes in UTF-8
    expectError(t, await s3(h.app, { method: 'PUT', bucket: BUCKET, key: long, body: 'x' }), 400, 'KeyTooLongError', 'PutObject 1025 B');
    expectError(t, await s3(h.app, { method: 'PUT', bucket: BUCKET, key: euro, body: 'x' }), 400, 'KeyTooLongError', 'PutObject 342 × €');
    expectError(t, await s3(h.app, { method: 'PUT', bucket: BUCKET, key: long, headers: { 'x-amz-copy-source': `/${BUCKET}/ten` } }), 400, 'KeyTooLongError', 'CopyObject to 1025 B');
    expectError(t, await s3(h.app, { method: 'POST', bucket: BUCKET, key: long, query: { uploads: '' } }), 400, 'KeyTooLongError', 'CreateMultipartUpload 1025 B');
    const get = await s3(h.app, { bucket: BUCKET, key: long });
    t.ok(get.statusCode === 400 || get.statusCode === 404, `GetObject 1025 B: 400 or 404 (${get.statusCode})`);
    t.equal((await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'k'.repeat(1024), body: 'x' })).statusCode, 200, 'exactly 1024 bytes is a key');
    t.same((await listKeys()).sort(), ['k'.repeat(1024), 'ten'], 'only the valid keys exist');
    await s3(h.app, { method: 'DELETE', bucket: BUCKET, key: 'k'.repeat(1024) });
  });

  t.test('user metadata over 2 KB: MetadataTooLarge, nothing stored', async (t) => {
    const big = { 'x-amz-meta-a': 'v'.repeat(2048 - 1) }; // 1 + 2047 = 2048: the limit
    const over = { 'x-amz-meta-a': 'v'.repeat(2048) };
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-amz-meta-m${i}`, 'vvvvv'])); // 2590 B
    t.equal((await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'meta-ok', body: 'x', headers: big })).statusCode, 200, '2048 bytes of metadata is allowed');
    expectError(t, await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'meta-over', body: 'x', headers: over }), 400, 'MetadataTooLarge', 'PutObject 2049 B');
    expectError(t, await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'meta-many', body: 'x', headers: many }), 400, 'MetadataTooLarge', 'PutObject 300 headers');
    expectError(t, await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'meta-copy', headers: { ...over, 'x-amz-copy-source': `/${BUCKET}/ten`, 'x-amz-metadata-directive': 'REPLACE' } }), 400, 'MetadataTooLarge', 'CopyObject REPLACE 2049 B');
    expectError(t, await s3(h.app, { method: 'POST', bucket: BUCKET, key: 'meta-mpu', query: { uploads: '' }, headers: over }), 400, 'MetadataTooLarge', 'CreateMultipartUpload 2049 B');
    t.same((await listKeys()).sort(), ['meta-ok', 'ten']);
    const uploads = await s3(h.app, { bucket: BUCKET, query: { uploads: '' } });
    t.same(xmlTexts(uploads.body, 'UploadId'), [], 'no upload was created');
    await s3(h.app, { method: 'DELETE', bucket: BUCKET, key: 'meta-ok' });
  });

  t.test('bad bucket names: InvalidBucketName, no bucket created', async (t) => {
    const before = await bucketNames();
    const names = ['ab', 'a'.repeat(64), 'UPPER', 'under_score', '192.168.5.4', 'a..b', '-ab', 'ab-', 'a.-b', 'xn--ab', 'sthree-ab',
      'ab-s3alias', 'ab--ol-s3', '_crossbucket', '.ab', 'ab.', 'b\u00fccket', 'a b', 'a%00b', 'a\u0001b'];
    for (const name of names) {
      const res = await raw('PUT', `/${encodeURIComponent(name)}`);
      expectError(t, res, 400, 'InvalidBucketName', `CreateBucket ${show(name)}`);
    }
    t.same(await bucketNames(), before, 'no bucket was created');
  });

  t.test('ranges: unusable ones are ignored, unsatisfiable ones are InvalidRange', async (t) => {
    const cases: Array<[string, number, string | undefined]> = [
      ['bytes=abc', 200, '0123456789'],
      ['bytes=5-2', 200, '0123456789'],
      ['items=0-1', 200, '0123456789'],
      ['bytes=', 200, '0123456789'],
      ['bytes=0-1,3-4', 200, '0123456789'],
      ['bytes=--1', 200, '0123456789'],
      ['bytes=2-4', 206, '234'],
      ['bytes=7-', 206, '789'],
      ['bytes=-3', 206, '789'],
      ['bytes=0-99999999999999999999', 206, '0123456789'],
      ['bytes=-99999999999999999999', 206, '0123456789'],
      ['bytes=10-', 416, undefined],
      ['bytes=99999999999999999999-', 416, undefined],
      ['bytes=-0', 416, undefined],
    ];
    for (const [range, status, body] of cases) {
      const res = await s3(h.app, { bucket: BUCKET, key: 'ten', headers: { range } });
      t.equal(res.statusCode, status, `${range}: ${status}`);
      if (body !== undefined) t.equal(res.body, body, `${range}: ${JSON.stringify(body)}`);
      else t.equal(xmlText(res.body, 'Code'), 'InvalidRange', `${range}: InvalidRange`);
    }
  });

  t.test('bad and duplicated query parameters: S3 errors, never a 500', async (t) => {
    const expectations: Array<[string, string, number, string | undefined]> = [
      ['GET', `/${BUCKET}?list-type=2&max-keys=abc`, 400, 'InvalidArgument'],
      ['GET', `/${BUCKET}?list-type=2&max-keys=-1`, 400, 'InvalidArgument'],
      ['GET', `/${BUCKET}?list-type=2&continuation-token=not-a-token`, 400, 'InvalidArgument'],
      ['GET', `/${BUCKET}?encoding-type=bogus`, 400, 'InvalidArgument'],
      ['GET', `/${BUCKET}/ten?partNumber=0`, 400, 'InvalidArgument'],
      ['GET', `/${BUCKET}/ten?partNumber=abc`, 400, 'InvalidArgument'],
      ['GET', `/${BUCKET}/ten?partNumber=2`, 416, 'InvalidPartNumber'],
      ['PUT', `/${BUCKET}/ten?partNumber=1&uploadId=bogus`, 404, 'NoSuchUpload'],
      ['GET', `/${BUCKET}/ten?uploadId=bogus`, 404, 'NoSuchUpload'],
      ['DELETE', `/${BUCKET}/ten?uploadId=bogus`, 404, 'NoSuchUpload'],
      ['GET', `/${BUCKET}?%zz`, 400, 'InvalidURI'],
      ['GET', `/${BUCKET}/ten?x=%E0%A4%A`, 400, 'InvalidURI'],
      ['GET', `/${BUCKET}/%C3%28`, 400, 'InvalidURI'],
      ['GET', `/${BUCKET}?uploads&max-uploads=-5`, 400, 'InvalidArgument'],
    ];
    for (const [method, url, status, code] of expectations) {
      expectError(t, await raw(method, url), status, code ?? '', `${method} ${url}`);
    }
    // Duplicated, empty and odd parameters: whatever the answer, it is S3-shaped and not a 5xx.
    const odd = [
      `/${BUCKET}?list-type=2&list-type=1`, `/${BUCKET}?prefix=a&prefix=b`, `/${BUCKET}?max-keys=1&max-keys=abc`,
      `/${BUCKET}?list-type=2&max-keys=99999999999999999999`, `/${BUCKET}?list-type=2&start-after=${'z'.repeat(2000)}`,
      `/${BUCKET}?delimiter=${'/'.repeat(500)}`, `/${BUCKET}?prefix=%00`, `/${BUCKET}?acl&cors&uploads`, `/${BUCKET}?=`, `/${BUCKET}?&&&`,
      `/${BUCKET}?constructor`, `/${BUCKET}?__proto__=1`, `/${BUCKET}/ten?versionId=bogus`, `/${BUCKET}/ten?response-content-type=%0d%0aX-Evil:%201`,
      `/${BUCKET}/ten?partNumber=1&partNumber=2`, `/${BUCKET}/ten?acl&tagging`, `/?list-type=2`, `/${BUCKET}/ten?uploadId=`,
    ];
    for (const url of odd) {
      const res = await raw('GET', url);
      t.ok(res.statusCode < 500 || res.statusCode === 501, `GET ${url}: not a 5xx (${res.statusCode})`);
      if (res.statusCode >= 400) t.ok(xmlText(res.body, 'Code'), `GET ${url}: S3 error XML`);
      t.notMatch(res.body, NO_STACK, `GET ${url}: no stack trace`);
      t.notOk(Object.keys(res.headers).includes('x-evil'), `GET ${url}: no injected header`);
    }
    t.same((await listKeys()).sort(), ['ten'], 'nothing was stored');
  });

  t.test('response-* overrides: a CR/LF cannot split the response, UTF-8 goes out as UTF-8 bytes', async (t) => {
    const split = await raw('GET', `/${BUCKET}/ten?response-content-type=text/plain%0d%0aX-Evil:%201`);
    expectError(t, split, 400, 'InvalidArgument', 'CR/LF in response-content-type');
    t.equal(split.headers['x-evil'], undefined, 'no injected header');
    const utf8 = await raw('GET', `/${BUCKET}/ten?response-content-disposition=${encodeURIComponent('attachment; filename="日本.txt"')}`);
    t.equal(utf8.statusCode, 200, 'a non-Latin-1 override is served (was a 500)');
    t.equal(Buffer.from(String(utf8.headers['content-disposition']), 'latin1').toString('utf8'), 'attachment; filename="日本.txt"', 'as its UTF-8 bytes');
  });
});

t.test('hostile input – keys with control characters round-trip through the SDK, DeleteObjects deletes exactly them', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = sdkClient(server.endpoint);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const keys = ['tab\there', 'new\nline', 'carriage\rreturn', 'bell\u0007', 'del\u007f', 'esc\u001b[31m', 'amp&lt;not-an-entity', 'uni\u2028sep', 'next\u0085line'];
  for (const key of keys) {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    t.equal(await got.Body?.transformToString(), key, `${show(key)} round-trips`);
  }
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, EncodingType: 'url' }));
  t.same((listed.Contents ?? []).map((o) => decodeURIComponent(o.Key ?? '')).sort(), [...keys].sort(), 'listed (encoding-type=url) exactly');
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'new', Body: 'a neighbour of new\\nline' }));
  const del = await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'new\nline' }, { Key: 'carriage\rreturn' }, { Key: 'uni\u2028sep' }, { Key: 'next\u0085line' }] } }));
  t.same((del.Deleted ?? []).map((d) => d.Key).sort(), ['carriage\rreturn', 'new\nline', 'next\u0085line', 'uni\u2028sep'], 'DeleteObjects names the keys it deleted');
  const after = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, EncodingType: 'url' }));
  t.same((after.Contents ?? []).map((o) => decodeURIComponent(o.Key ?? '')).sort(),
    ['amp&lt;not-an-entity', 'bell\u0007', 'del\u007f', 'esc\u001b[31m', 'new', 'tab\there'], 'exactly those keys are gone (character references decoded)');
});

t.test('hostile input – form fields with CR/LF or non-Latin-1 text do not poison the object (GET was a 500)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'forms' })).statusCode, 200);
  const sig = signPolicy({ bucket: 'forms', conditions: [['starts-with', '$key', ''], ['starts-with', '$x-amz-meta-evil', ''], ['starts-with', '$x-amz-meta-name', ''], ['starts-with', '$Content-Disposition', '']] });
  const fields = { key: 'poisoned', 'x-amz-meta-evil': 'a\r\nX-Injected: 1', 'x-amz-meta-name': '日本', 'Content-Disposition': 'attachment; filename="日.txt"', ...sig };
  const posted = await postForm(h.app, fields, { data: 'hello' }, [], { url: '/forms' });
  t.ok(posted.statusCode < 300, `the form upload succeeds (${posted.statusCode})`);
  for (const method of ['GET', 'HEAD']) {
    const res = await s3(h.app, { method, bucket: 'forms', key: 'poisoned' });
    t.equal(res.statusCode, 200, `${method}: 200`);
    t.equal(res.headers['x-injected'], undefined, `${method}: no injected header`);
    t.equal(res.headers['x-amz-meta-evil'], `=?UTF-8?B?${Buffer.from('a\r\nX-Injected: 1').toString('base64')}?=`, `${method}: the CR/LF value RFC 2047-encoded`);
    t.equal(res.headers['x-amz-meta-name'], `=?UTF-8?B?${Buffer.from('日本').toString('base64')}?=`, `${method}: non-ASCII metadata RFC 2047-encoded, as S3 does`);
  }
});

t.test('hostile input – a Content-Type that is no media type is stored as given (was a 500)', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = sdkClient(server.endpoint);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const contentType of ['foo', '/x', 'text/', 'a b', 'text/plain; =oops']) {
    // Empty, small and streamed bodies: fastify rewrites an unparsable type on a Buffer body.
    for (const body of ['', 'x', 'y'.repeat(200_000)]) {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'typed', Body: body, ContentType: contentType }));
      const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'typed' }));
      t.equal(got.ContentType, contentType, `${JSON.stringify(contentType)} round-trips (${body.length} B)`);
      t.equal(await got.Body?.transformToString(), body);
    }
  }
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: BUCKET });
  const put = await s3(h.app, { method: 'PUT', bucket: BUCKET, key: 'typed', body: 'x', headers: { 'content-type': 'foo' } });
  t.equal(put.statusCode, 200, 'signed inject with Content-Type foo verifies and stores');
  t.equal((await s3(h.app, { bucket: BUCKET, key: 'typed' })).headers['content-type'], 'foo');
});
