/**
 * CopyObject: every request header of the S3 API reference (CopyObject "Request Syntax", as the
 * SDK's model lists them) is honoured — a test shows the effect on the copy — or refused with
 * S3's error and nothing written (docs/spec/bucket-config.md §B4.10).
 */
import t from 'tap';
import { injectApp } from '../helpers/server';
import { createAclBucket, s3, xmlText } from '../helpers/s3-inject';
import { KEY_B64, LOCK_AND_OWNER_ROWS, OBJECT_SETTING_ROWS, OWNER_ID, type Expect } from './object-headers-fixtures';

const SOURCE = '/hdrs/src';
const PAST = 'Mon, 01 Jan 2001 00:00:00 GMT';
const FUTURE = 'Fri, 01 Jan 2100 00:00:00 GMT';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const REPLACE = { 'x-amz-metadata-directive': 'REPLACE' };

/** [header, value, other headers sent with it, expectation]. The source: text/plain, meta a=1, tags a=1, CRC32. */
const COPY_OBJECT: Array<[string, string, Record<string, string>, Expect]> = [
  ['x-amz-copy-source', '/hdrs/nope', {}, { refused: 404, code: 'NoSuchKey' }],
  ['x-amz-copy-source', 'no-slash', {}, { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-acl', 'public-read', {}, { honoured: (c) => c.access?.grants === undefined && c.access?.acl === 'public-read', what: 'the copy’s ACL' }],
  ['x-amz-acl', 'public', {}, { refused: 400, code: 'InvalidArgument' }],
  ['cache-control', 'max-age=60', REPLACE, { honoured: (c) => c.head.headers['cache-control'] === 'max-age=60', what: 'REPLACE: returned on HEAD' }],
  ['cache-control', 'max-age=60', {}, { honoured: (c) => c.head.headers['cache-control'] === undefined, what: 'COPY: the source’s metadata, as S3 does' }],
  ['x-amz-checksum-algorithm', 'SHA256', {}, { honoured: (c) => xmlText(c.res.body, 'ChecksumSHA256') !== undefined && c.head.headers['x-amz-checksum-sha256'] !== undefined, what: 'the copy gets a SHA256 checksum' }],
  ['x-amz-checksum-algorithm', 'CRC32', {}, { honoured: (c) => c.head.headers['x-amz-checksum-crc32'] === '26gLsg==', what: 'the source’s CRC32 kept' }],
  ['x-amz-checksum-algorithm', 'ADLER32', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-checksum-algorithm', 'XXHASH64', {}, { refused: 501, code: 'NotImplemented' }],
  ['content-disposition', 'inline', REPLACE, { honoured: (c) => c.head.headers['content-disposition'] === 'inline', what: 'REPLACE: returned on HEAD' }],
  ['content-encoding', 'gzip', REPLACE, { honoured: (c) => c.head.headers['content-encoding'] === 'gzip', what: 'REPLACE: returned on HEAD' }],
  ['content-language', 'fr', REPLACE, { honoured: (c) => c.head.headers['content-language'] === 'fr', what: 'REPLACE: returned on HEAD' }],
  ['content-type', 'image/png', REPLACE, { honoured: (c) => c.head.headers['content-type'] === 'image/png', what: 'REPLACE: returned on HEAD' }],
  ['content-type', 'image/png', {}, { honoured: (c) => c.head.headers['content-type'] === 'text/plain', what: 'COPY: the source’s type' }],
  ['x-amz-copy-source-if-match', '"0"', {}, { refused: 412, code: 'PreconditionFailed' }],
  ['x-amz-copy-source-if-match', '*', {}, { honoured: (c) => c.res.statusCode === 200, what: 'condition met' }],
  ['x-amz-copy-source-if-modified-since', FUTURE, {}, { refused: 412, code: 'PreconditionFailed' }],
  ['x-amz-copy-source-if-none-match', '*', {}, { refused: 412, code: 'PreconditionFailed' }],
  ['x-amz-copy-source-if-unmodified-since', PAST, {}, { refused: 412, code: 'PreconditionFailed' }],
  ['expires', 'Wed, 21 Oct 2037 07:28:00 GMT', REPLACE, { honoured: (c) => c.head.headers.expires === 'Wed, 21 Oct 2037 07:28:00 GMT', what: 'REPLACE: returned on HEAD' }],
  ['x-amz-grant-full-control', `id="${OWNER_ID}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'FULL_CONTROL', what: 'stored grant' }],
  ['x-amz-grant-read', `uri="${ALL_USERS}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'READ', what: 'stored grant' }],
  ['x-amz-grant-read-acp', `uri="${ALL_USERS}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'READ_ACP', what: 'stored grant' }],
  ['x-amz-grant-write-acp', `uri="${ALL_USERS}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'WRITE_ACP', what: 'stored grant' }],
  ['if-match', '"0"', {}, { refused: 404, code: 'NoSuchKey' }],
  ['if-none-match', '*', {}, { honoured: (c) => c.res.statusCode === 200, what: 'conditional write: the target did not exist' }],
  ['if-none-match', '"x"', {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-meta-colour', 'blue', REPLACE, { honoured: (c) => c.head.headers['x-amz-meta-colour'] === 'blue' && c.head.headers['x-amz-meta-a'] === undefined, what: 'REPLACE: the new metadata only' }],
  ['x-amz-meta-colour', 'blue', {}, { honoured: (c) => c.head.headers['x-amz-meta-colour'] === undefined && c.head.headers['x-amz-meta-a'] === '1', what: 'COPY: the source’s metadata' }],
  ['x-amz-metadata-directive', 'MOVE', {}, { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-tagging-directive', 'REPLACE', { 'x-amz-tagging': 'b=1&c=2' }, { honoured: (c) => c.head.headers['x-amz-tagging-count'] === '2', what: 'the request’s tags' }],
  ['x-amz-tagging-directive', 'MOVE', {}, { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-tagging', 'b=1&c=2', {}, { honoured: (c) => c.head.headers['x-amz-tagging-count'] === '1', what: 'COPY directive: the source’s tags, as S3 does' }],
  ['x-amz-object-annotation-directive', 'COPY', {}, { honoured: (c) => c.res.statusCode === 200, what: 'the default: there are no annotations to copy' }],
  ['x-amz-object-annotation-directive', 'REPLACE', {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption', 'aws:kms', {}, { honoured: (c) => c.head.headers['x-amz-server-side-encryption'] === 'aws:kms', what: 'returned on HEAD' }],
  ['x-amz-server-side-encryption', 'rot13', {}, { refused: 400, code: 'InvalidArgument' }],
  ...OBJECT_SETTING_ROWS,
  ['x-amz-server-side-encryption-bucket-key-enabled', 'true', {}, { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-bucket-key-enabled', 'true', { 'x-amz-server-side-encryption': 'aws:kms' }, { honoured: (c) => c.head.headers['x-amz-server-side-encryption-bucket-key-enabled'] === 'true', what: 'returned on HEAD' }],
  ['x-amz-copy-source-server-side-encryption-customer-algorithm', 'AES256', {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-copy-source-server-side-encryption-customer-key', KEY_B64, {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-copy-source-server-side-encryption-customer-key-md5', 'x', {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-request-payer', 'requester', {}, { honoured: (c) => c.res.statusCode === 200 && c.res.headers['x-amz-request-charged'] === undefined, what: 'accepted, nothing charged (docs/bucket-config.md)' }],
  ...LOCK_AND_OWNER_ROWS,
  ['x-amz-source-expected-bucket-owner', '000000000000', {}, { honoured: (c) => c.res.statusCode === 200, what: 'checked: the owner account' }],
  ['x-amz-source-expected-bucket-owner', '111111111111', {}, { refused: 403, code: 'AccessDenied' }],
];

t.test('CopyObject – each request header is honoured or refused', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await createAclBucket(h.app, 'hdrs');
  const src = await s3(h.app, {
    method: 'PUT', bucket: 'hdrs', key: 'src', body: 'body',
    headers: { 'content-type': 'text/plain', 'x-amz-meta-a': '1', 'x-amz-tagging': 'a=1', 'x-amz-checksum-algorithm': 'CRC32' },
  });
  t.equal(src.statusCode, 200);
  let i = 0;
  for (const [name, value, extra, expect] of COPY_OBJECT) {
    const key = `c${i++}`;
    const headers = { 'x-amz-copy-source': SOURCE, ...extra, [name]: value };
    const res = await s3(h.app, { method: 'PUT', bucket: 'hdrs', key, headers });
    const label = `${name}: ${value}`;
    if ('refused' in expect) {
      t.equal(res.statusCode, expect.refused, `${label} refused ${expect.refused}`);
      t.equal(xmlText(res.body, 'Code'), expect.code, `${label}: ${expect.code}`);
      t.equal((await s3(h.app, { method: 'HEAD', bucket: 'hdrs', key })).statusCode, 404, `${label}: nothing written`);
      continue;
    }
    t.equal(res.statusCode, 200, `${label}: accepted ${res.body}`);
    const head = await s3(h.app, { method: 'HEAD', bucket: 'hdrs', key, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    t.ok(expect.honoured({ res, head, access: h.storage.objectAccess('hdrs', key) }), `${label}: ${expect.what}`);
  }
});
