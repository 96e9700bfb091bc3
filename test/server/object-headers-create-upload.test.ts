/**
 * CreateMultipartUpload: every request header of the S3 API reference is honoured — the object
 * the upload completes into shows the effect — or refused with S3's error and no upload created
 * (docs/spec/bucket-config.md §B4.10).
 */
import t from 'tap';
import { injectApp } from '../helpers/server';
import { createAclBucket, s3, xmlText } from '../helpers/s3-inject';
import { KMS, LOCK_AND_OWNER_ROWS, OBJECT_SETTING_ROWS, OWNER_ID, type Expect } from './object-headers-fixtures';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

/** [header, value, other headers sent with it, expectation]; `res` is CreateMultipartUpload's answer. */
const CREATE_MULTIPART_UPLOAD: Array<[string, string, Record<string, string>, Expect]> = [
  ['x-amz-acl', 'public-read', {}, { honoured: (c) => c.access?.acl === 'public-read', what: 'the object’s ACL' }],
  ['x-amz-acl', 'bucket-owner-full-control', {}, { honoured: (c) => c.access?.grants !== undefined && c.access.grants.every((g) => g.permission === 'FULL_CONTROL' && 'id' in g.grantee && g.grantee.id === OWNER_ID), what: 'the bucket owner’s FULL_CONTROL' }],
  ['x-amz-acl', 'public', {}, { refused: 400, code: 'InvalidArgument' }],
  ['cache-control', 'max-age=60', {}, { honoured: (c) => c.head.headers['cache-control'] === 'max-age=60', what: 'returned on HEAD' }],
  ['content-disposition', 'inline', {}, { honoured: (c) => c.head.headers['content-disposition'] === 'inline', what: 'returned on HEAD' }],
  ['content-encoding', 'gzip', {}, { honoured: (c) => c.head.headers['content-encoding'] === 'gzip', what: 'returned on HEAD' }],
  ['content-language', 'fr', {}, { honoured: (c) => c.head.headers['content-language'] === 'fr', what: 'returned on HEAD' }],
  ['content-type', 'text/plain', {}, { honoured: (c) => c.head.headers['content-type'] === 'text/plain', what: 'returned on HEAD' }],
  ['expires', 'Wed, 21 Oct 2037 07:28:00 GMT', {}, { honoured: (c) => c.head.headers.expires === 'Wed, 21 Oct 2037 07:28:00 GMT', what: 'returned on HEAD' }],
  ['x-amz-grant-full-control', `id="${OWNER_ID}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'FULL_CONTROL', what: 'stored grant' }],
  ['x-amz-grant-read', `uri="${ALL_USERS}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'READ', what: 'stored grant' }],
  ['x-amz-grant-read-acp', `uri="${ALL_USERS}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'READ_ACP', what: 'stored grant' }],
  ['x-amz-grant-write-acp', `uri="${ALL_USERS}"`, {}, { honoured: (c) => c.access?.grants?.[0]?.permission === 'WRITE_ACP', what: 'stored grant' }],
  ['x-amz-grant-read', 'nobody="x"', {}, { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-meta-colour', 'blue', {}, { honoured: (c) => c.head.headers['x-amz-meta-colour'] === 'blue', what: 'returned on HEAD' }],
  ['x-amz-server-side-encryption', 'aws:kms', {}, { honoured: (c) => c.res.headers['x-amz-server-side-encryption'] === 'aws:kms' && c.head.headers['x-amz-server-side-encryption'] === 'aws:kms', what: 'echoed and returned on HEAD' }],
  ['x-amz-server-side-encryption', 'rot13', {}, { refused: 400, code: 'InvalidArgument' }],
  ...OBJECT_SETTING_ROWS,
  ['x-amz-server-side-encryption-bucket-key-enabled', 'true', {}, { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-bucket-key-enabled', 'true', KMS, { honoured: (c) => c.head.headers['x-amz-server-side-encryption-bucket-key-enabled'] === 'true', what: 'returned on HEAD' }],
  ['x-amz-request-payer', 'requester', {}, { honoured: (c) => c.res.headers['x-amz-request-charged'] === undefined, what: 'accepted, nothing charged (docs/bucket-config.md)' }],
  ['x-amz-tagging', 'a=1&b=2', {}, { honoured: (c) => c.head.headers['x-amz-tagging-count'] === '2', what: 'x-amz-tagging-count on HEAD' }],
  ['x-amz-tagging', 'a=1&a=2', {}, { refused: 400, code: 'InvalidArgument' }],
  ...LOCK_AND_OWNER_ROWS,
  ['x-amz-checksum-algorithm', 'CRC32', {}, { honoured: (c) => c.res.headers['x-amz-checksum-algorithm'] === 'CRC32' && /-1$/.test(String(c.head.headers['x-amz-checksum-crc32'])), what: 'a COMPOSITE CRC32 of the parts' }],
  ['x-amz-checksum-algorithm', 'ADLER32', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-checksum-algorithm', 'SHA512', {}, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-checksum-type', 'FULL_OBJECT', { 'x-amz-checksum-algorithm': 'CRC32' }, { honoured: (c) => c.head.headers['x-amz-checksum-type'] === 'FULL_OBJECT' && c.head.headers['x-amz-checksum-crc32'] === 'SQ9wxg==', what: 'the whole object’s CRC32' }],
  ['x-amz-checksum-type', 'FULL_OBJECT', {}, { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-checksum-type', 'FULL_OBJECT', { 'x-amz-checksum-algorithm': 'SHA256' }, { refused: 400, code: 'InvalidRequest' }],
];

t.test('CreateMultipartUpload – each request header is honoured or refused', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await createAclBucket(h.app, 'hdrs');
  let i = 0;
  for (const [name, value, extra, expect] of CREATE_MULTIPART_UPLOAD) {
    const key = `m${i++}`;
    const label = `${name}: ${value}`;
    const res = await s3(h.app, { method: 'POST', bucket: 'hdrs', key, query: { uploads: '' }, headers: { ...extra, [name]: value } });
    if ('refused' in expect) {
      t.equal(res.statusCode, expect.refused, `${label} refused ${expect.refused}`);
      t.equal(xmlText(res.body, 'Code'), expect.code, `${label}: ${expect.code}`);
      const uploads = await s3(h.app, { bucket: 'hdrs', query: { uploads: '', prefix: key } });
      t.notMatch(uploads.body, '<Upload>', `${label}: no upload created`);
      continue;
    }
    t.equal(res.statusCode, 200, `${label}: accepted ${res.body}`);
    const uploadId = xmlText(res.body, 'UploadId') ?? '';
    const part = await s3(h.app, { method: 'PUT', bucket: 'hdrs', key, query: { partNumber: '1', uploadId }, body: 'part',
      headers: res.headers['x-amz-checksum-algorithm'] === undefined ? {} : { 'x-amz-sdk-checksum-algorithm': 'CRC32' } });
    const checksum = part.headers['x-amz-checksum-crc32'] === undefined ? '' : `<ChecksumCRC32>${String(part.headers['x-amz-checksum-crc32'])}</ChecksumCRC32>`;
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${String(part.headers.etag)}</ETag>${checksum}</Part></CompleteMultipartUpload>`;
    const done = await s3(h.app, { method: 'POST', bucket: 'hdrs', key, query: { uploadId }, body });
    t.equal(done.statusCode, 200, `${label}: completed ${done.body}`);
    const head = await s3(h.app, { method: 'HEAD', bucket: 'hdrs', key, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    t.ok(expect.honoured({ res, head, access: h.storage.objectAccess('hdrs', key) }), `${label}: ${expect.what}`);
  }
});
