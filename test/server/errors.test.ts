/**
 * The S3 error table and its rendering: every code has a status and a message; every error is
 * `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` with the request-id headers; HEAD
 * errors have no body; unknown failures are a 500 InternalError without a stack.
 */
import t from 'tap';
import { S3Error, S3_ERRORS, type S3ErrorCode } from '../../server/errors';
import { errorXml } from '../../server/http/reply';
import { injectApp } from '../helpers/server';
import { s3, xmlText } from '../helpers/s3-inject';

t.test('S3_ERRORS – every code has a 3-digit status and a message', async (t) => {
  const codes = Object.keys(S3_ERRORS) as S3ErrorCode[];
  t.ok(codes.length >= 40, 'the table is not empty');
  for (const code of codes) {
    const [status, message] = S3_ERRORS[code];
    t.ok(Number.isInteger(status) && status >= 300 && status <= 599, `${code}: status ${status}`);
    t.ok(typeof message === 'string' && message.length > 0, `${code}: has a message`);
    t.match(code, /^[A-Z][A-Za-z0-9]+$/, `${code}: an AWS-style code`);
    const err = new S3Error(code);
    t.equal(err.status, status);
    t.equal(err.message, message);
  }
});

t.test('S3_ERRORS – statuses of the codes clients branch on', async (t) => {
  const expected: Partial<Record<S3ErrorCode, number>> = {
    NoSuchBucket: 404, NoSuchKey: 404, NoSuchUpload: 404, BucketNotEmpty: 409, BucketAlreadyExists: 409,
    BucketAlreadyOwnedByYou: 409, AccessDenied: 403, SignatureDoesNotMatch: 403, InvalidRange: 416,
    PreconditionFailed: 412, NotModified: 304, NotImplemented: 501, InternalError: 500, MethodNotAllowed: 405,
    MissingContentLength: 411, BadDigest: 400, InvalidDigest: 400, XAmzContentSHA256Mismatch: 400,
    KeyTooLongError: 400, MetadataTooLarge: 400, InvalidBucketName: 400, MalformedXML: 400, EntityTooLarge: 400,
  };
  for (const [code, status] of Object.entries(expected)) t.equal(S3_ERRORS[code as S3ErrorCode][0], status, code);
});

t.test('errorXml – Code, Message, extras in order, RequestId, HostId; escaped', async (t) => {
  const err = new S3Error('NoSuchKey', undefined, { Key: 'a<b>&"c"', Missing: undefined });
  const xml = errorXml(err, 'REQ1', 'HOST/2=');
  t.equal(
    xml,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>' +
      '<Key>a&lt;b&gt;&amp;&quot;c&quot;</Key><RequestId>REQ1</RequestId><HostId>HOST/2=</HostId></Error>',
  );
});

t.test('inject – an S3Error is XML with the request-id headers', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const res = await s3(h.app, { method: 'GET', bucket: 'nope', query: { 'list-type': '2' } });
  t.equal(res.statusCode, 404);
  t.equal(res.headers['content-type'], 'application/xml');
  const id = String(res.headers['x-amz-request-id']);
  t.match(id, /^[0-9A-F]{16}$/);
  t.ok(String(res.headers['x-amz-id-2']).length > 20);
  t.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>nope<\/BucketName>/);
  t.equal(xmlText(res.body, 'RequestId'), id);
  t.equal(xmlText(res.body, 'HostId'), res.headers['x-amz-id-2']);
});

t.test('inject – HEAD errors have a status and no body', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const bucket = await s3(h.app, { method: 'HEAD', bucket: 'nope' });
  t.equal(bucket.statusCode, 404);
  t.equal(bucket.body, '');
  t.ok(bucket.headers['x-amz-request-id']);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'bkt' })).statusCode, 200);
  const object = await s3(h.app, { method: 'HEAD', bucket: 'bkt', key: 'missing' });
  t.equal(object.statusCode, 404);
  t.equal(object.body, '');
  t.equal(object.headers['etag'], undefined);
});

t.test('inject – an unknown failure is a 500 InternalError, logged, no stack in the body', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'bkt' })).statusCode, 200);
  const original = h.storage.headObject.bind(h.storage);
  h.storage.headObject = () => {
    throw new TypeError('secret internals at /srv/crossbucket/storage.ts:42');
  };
  t.teardown(() => { h.storage.headObject = original; });
  const res = await s3(h.app, { method: 'GET', bucket: 'bkt', key: 'k' });
  t.equal(res.statusCode, 500);
  t.equal(xmlText(res.body, 'Code'), 'InternalError');
  t.equal(xmlText(res.body, 'Message'), 'We encountered an internal error. Please try again.');
  t.notMatch(res.body, /secret|storage\.ts|TypeError|\bat /);
  t.ok(res.headers['x-amz-request-id']);
});

t.test('inject – an unimplemented operation is 501 NotImplemented naming it', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'bkt' })).statusCode, 200);
  for (const [method, query, key, op] of [
    ['POST', 'metadataTable', undefined, 'CreateBucketMetadataTableConfiguration'],
    ['GET', 'metadataTable', undefined, 'GetBucketMetadataTableConfiguration'],
    ['GET', 'torrent', 'k', 'GetObjectTorrent'],
    ['POST', 'restore', 'k', 'RestoreObject'],
  ] as const) {
    const res = await s3(h.app, { method, bucket: 'bkt', ...(key ? { key } : {}), query: { [query]: '' } });
    t.equal(res.statusCode, 501, op);
    t.equal(xmlText(res.body, 'Code'), 'NotImplemented');
    t.match(xmlText(res.body, 'Message'), op);
    t.equal(xmlText(res.body, 'Operation'), op);
  }
});

t.test('inject – an unsupported method is 405 MethodNotAllowed XML', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const res = await h.app.inject({ method: 'PATCH', url: '/b/k' });
  t.equal(res.statusCode, 405);
  t.equal(xmlText(res.body, 'Code'), 'MethodNotAllowed');
  t.ok(res.headers['x-amz-request-id']);
});

t.test('inject – a malformed percent-encoding in the path is InvalidURI', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const res = await s3(h.app, { method: 'GET', rawPath: '/b/%E0%A4%A' });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidURI');
  t.ok(res.headers['x-amz-request-id']);
});
