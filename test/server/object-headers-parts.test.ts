/**
 * UploadPart, UploadPartCopy and CompleteMultipartUpload: every request header of the S3 API
 * reference is honoured — a test shows the effect — or refused with S3's error and nothing
 * changed (docs/spec/bucket-config.md §B4.10).
 */
import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { injectApp } from '../helpers/server';
import { createAclBucket, s3, xmlText } from '../helpers/s3-inject';
import { KEY_B64, type Res } from './object-headers-fixtures';

type Row = [string, string, { honoured: (res: Res, after: Res) => boolean; what: string } | { refused: number; code: string }];

const SSE_C: Row[] = [
  ['x-amz-server-side-encryption-customer-algorithm', 'AES256', { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key', KEY_B64, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key-md5', 'x', { refused: 501, code: 'NotImplemented' }],
];
const COPY_SOURCE_SSE_C: Row[] = SSE_C.map(([n, v, e]) => [n.replace('x-amz-', 'x-amz-copy-source-'), v, e]);
const NEW_CHECKSUMS: Row[] = ['sha512', 'md5', 'xxhash64', 'xxhash3', 'xxhash128'].map((a) => [`x-amz-checksum-${a}`, 'AAAAAAAAAAA=', { refused: 501, code: 'NotImplemented' }]);
const OWNERS: Row[] = [
  ['x-amz-request-payer', 'requester', { honoured: (r) => r.statusCode === 200 && r.headers['x-amz-request-charged'] === undefined, what: 'accepted, nothing charged' }],
  ['x-amz-expected-bucket-owner', '000000000000', { honoured: (r) => r.statusCode === 200, what: 'checked: the owner account' }],
  ['x-amz-expected-bucket-owner', '111111111111', { refused: 403, code: 'AccessDenied' }],
];
/** `after`: ListParts of the upload. */
const PART_STORED = (size: number) => (_r: Res, after: Res) => xmlText(after.body, 'Size') === String(size);
const md5 = (s: string) => createHash('md5').update(s).digest('base64');

const UPLOAD_PART: Row[] = [
  ['content-md5', md5('part'), { honoured: PART_STORED(4), what: 'checked and stored' }],
  ['content-md5', md5('other'), { refused: 400, code: 'BadDigest' }],
  ['x-amz-sdk-checksum-algorithm', 'SHA256', { honoured: (r) => r.headers['x-amz-checksum-sha256'] !== undefined, what: 'computed and echoed' }],
  ['x-amz-sdk-checksum-algorithm', 'ADLER32', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-checksum-crc32', 'AAAAAA==', { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-crc32', 'SQ9wxg==', { honoured: (r) => r.headers['x-amz-checksum-crc32'] === 'SQ9wxg==', what: 'verified and echoed' }],
  ['x-amz-checksum-crc32c', 'AAAAAA==', { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-crc64nvme', 'AAAAAAAAAAA=', { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-sha1', Buffer.alloc(20).toString('base64'), { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-sha256', Buffer.alloc(32).toString('base64'), { refused: 400, code: 'BadDigest' }],
  ...NEW_CHECKSUMS, ...SSE_C, ...OWNERS,
];

const UPLOAD_PART_COPY: Row[] = [
  ['x-amz-copy-source-if-match', '"0"', { refused: 412, code: 'PreconditionFailed' }],
  ['x-amz-copy-source-if-match', '*', { honoured: PART_STORED(4), what: 'condition met' }],
  ['x-amz-copy-source-if-modified-since', 'Fri, 01 Jan 2100 00:00:00 GMT', { refused: 412, code: 'PreconditionFailed' }],
  ['x-amz-copy-source-if-none-match', '*', { refused: 412, code: 'PreconditionFailed' }],
  ['x-amz-copy-source-if-unmodified-since', 'Mon, 01 Jan 2001 00:00:00 GMT', { refused: 412, code: 'PreconditionFailed' }],
  ['x-amz-copy-source-range', 'bytes=1-2', { honoured: PART_STORED(2), what: 'a two-byte part' }],
  ['x-amz-copy-source-range', 'bytes=0-99', { refused: 400, code: 'InvalidArgument' }],
  ...SSE_C, ...COPY_SOURCE_SSE_C, ...OWNERS,
  ['x-amz-source-expected-bucket-owner', '000000000000', { honoured: PART_STORED(4), what: 'checked: the owner account' }],
  ['x-amz-source-expected-bucket-owner', '111111111111', { refused: 403, code: 'AccessDenied' }],
];

/** Completions of a one-part upload of 'part' with a FULL_OBJECT CRC32 (`after`: HEAD of the object). */
const COMPLETE_MULTIPART_UPLOAD: Row[] = [
  ['x-amz-checksum-crc32', 'SQ9wxg==', { honoured: (r) => xmlText(r.body, 'ChecksumCRC32') === 'SQ9wxg==', what: 'verified' }],
  ['x-amz-checksum-crc32', 'AAAAAA==', { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-crc32c', 'AAAAAA==', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-checksum-crc64nvme', 'AAAAAAAAAAA=', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-checksum-sha1', Buffer.alloc(20).toString('base64'), { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-checksum-sha256', Buffer.alloc(32).toString('base64'), { refused: 400, code: 'InvalidRequest' }],
  ...NEW_CHECKSUMS,
  ['x-amz-checksum-type', 'FULL_OBJECT', { honoured: (_r, head) => head.headers['x-amz-checksum-type'] === 'FULL_OBJECT', what: 'the upload’s type' }],
  ['x-amz-checksum-type', 'COMPOSITE', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-mp-object-size', '4', { honoured: (_r, head) => head.headers['content-length'] === '4', what: 'checked' }],
  ['x-amz-mp-object-size', '5', { refused: 400, code: 'InvalidRequest' }],
  ...OWNERS,
  ['if-match', '"0"', { refused: 404, code: 'NoSuchKey' }],
  ['if-none-match', '*', { honoured: (r) => r.statusCode === 200, what: 'conditional write: the key did not exist' }],
  ...SSE_C,
];

async function setup() {
  const h = injectApp();
  await createAclBucket(h.app, 'hdrs');
  await s3(h.app, { method: 'PUT', bucket: 'hdrs', key: 'src', body: 'body' });
  let n = 0;
  const upload = async (headers: Record<string, string> = {}) => {
    const key = `p${n++}`;
    const res = await s3(h.app, { method: 'POST', bucket: 'hdrs', key, query: { uploads: '' }, headers });
    return { key, uploadId: xmlText(res.body, 'UploadId') ?? '' };
  };
  const listParts = (key: string, uploadId: string) => s3(h.app, { bucket: 'hdrs', key, query: { uploadId } });
  return { h, upload, listParts };
}

function check(t: Test, label: string, res: Res, expect: Row[2], after: Res, unchanged: () => boolean): void {
  if ('refused' in expect) {
    t.equal(res.statusCode, expect.refused, `${label} refused ${expect.refused}`);
    t.equal(xmlText(res.body, 'Code'), expect.code, `${label}: ${expect.code}`);
    t.ok(unchanged(), `${label}: nothing changed`);
    return;
  }
  t.equal(res.statusCode, 200, `${label}: accepted ${res.body}`);
  t.ok(expect.honoured(res, after), `${label}: ${expect.what}`);
}

t.test('UploadPart and UploadPartCopy – each request header is honoured or refused', async (t) => {
  const { h, upload, listParts } = await setup();
  t.teardown(() => h.close());
  for (const [op, rows] of [['UploadPart', UPLOAD_PART], ['UploadPartCopy', UPLOAD_PART_COPY]] as const) {
    for (const [name, value, expect] of rows) {
      const { key, uploadId } = await upload();
      const copy: Record<string, string> = op === 'UploadPartCopy' ? { 'x-amz-copy-source': '/hdrs/src' } : {};
      const res = await s3(h.app, { method: 'PUT', bucket: 'hdrs', key, query: { partNumber: '1', uploadId }, headers: { ...copy, [name]: value }, ...(op === 'UploadPart' ? { body: 'part' } : {}) });
      const after = await listParts(key, uploadId);
      check(t, `${op} ${name}: ${value}`, res, expect, after, () => !after.body.includes('<Part>'));
    }
  }
});

t.test('CompleteMultipartUpload – each request header is honoured or refused', async (t) => {
  const { h, upload, listParts } = await setup();
  t.teardown(() => h.close());
  for (const [name, value, expect] of COMPLETE_MULTIPART_UPLOAD) {
    const { key, uploadId } = await upload({ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' });
    const part = await s3(h.app, { method: 'PUT', bucket: 'hdrs', key, query: { partNumber: '1', uploadId }, body: 'part', headers: { 'x-amz-checksum-crc32': 'SQ9wxg==' } });
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${String(part.headers.etag)}</ETag></Part></CompleteMultipartUpload>`;
    const res = await s3(h.app, { method: 'POST', bucket: 'hdrs', key, query: { uploadId }, body, headers: { [name]: value } });
    const head = await s3(h.app, { method: 'HEAD', bucket: 'hdrs', key, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    const parts = await listParts(key, uploadId);
    check(t, `CompleteMultipartUpload ${name}: ${value}`, res, expect, head, () => parts.statusCode === 200 && head.statusCode === 404);
  }
});
