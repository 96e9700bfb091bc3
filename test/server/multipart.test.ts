/**
 * Multipart uploads over inject with signed requests: CreateMultipartUpload, UploadPart,
 * UploadPartCopy, AbortMultipartUpload and their errors. Completion: multipart-complete.test.ts.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { md5Base64, s3, xmlText } from '../helpers/s3-inject';
import { settledBodies } from '../helpers/stored-bodies';
import { appWithBucket, createUpload, type App } from '../helpers/multipart';



function crc32Base64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
}

const setup = (t: Test): Promise<App> => appWithBucket(t, 'mpu');
const create = (h: App, key: string, headers: Record<string, string> = {}): Promise<string> => createUpload(h, 'mpu', key, headers);

function part(h: App, key: string, uploadId: string, partNumber: string | number, body: Buffer | string, headers: Record<string, string> = {}) {
  return s3(h.app, { method: 'PUT', bucket: 'mpu', key, query: { partNumber: String(partNumber), uploadId }, body, headers });
}

t.test('CreateMultipartUpload – InitiateMultipartUploadResult and checksum headers', async (t) => {
  const h = await setup(t);
  const res = await s3(h.app, { method: 'POST', bucket: 'mpu', key: 'dir/a b.txt', query: { uploads: '' }, headers: { 'x-amz-checksum-algorithm': 'CRC32', 'content-type': 'text/plain', 'x-amz-meta-colour': 'blue' } });
  t.equal(res.statusCode, 200);
  t.equal(xmlText(res.body, 'Bucket'), 'mpu');
  t.equal(xmlText(res.body, 'Key'), 'dir/a b.txt');
  t.match(xmlText(res.body, 'UploadId'), /^[0-9a-f]{16}[A-Za-z0-9_-]{32}$/);
  t.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<InitiateMultipartUploadResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
  t.equal(res.headers['x-amz-checksum-algorithm'], 'CRC32');
  t.equal(res.headers['x-amz-checksum-type'], 'COMPOSITE');
  const upload = h.storage.getUpload('mpu', 'dir/a b.txt', xmlText(res.body, 'UploadId') ?? '');
  t.same(upload?.meta, { content: { contentType: 'text/plain' }, user: { colour: 'blue' }, sse: { algorithm: 'AES256' } });

  const full = await s3(h.app, { method: 'POST', bucket: 'mpu', key: 'k', query: { uploads: '' }, headers: { 'x-amz-checksum-algorithm': 'crc64nvme' } });
  t.equal(full.headers['x-amz-checksum-algorithm'], 'CRC64NVME');
  t.equal(full.headers['x-amz-checksum-type'], 'FULL_OBJECT');
  const crc = await s3(h.app, { method: 'POST', bucket: 'mpu', key: 'k', query: { uploads: '' }, headers: { 'x-amz-checksum-algorithm': 'CRC32C', 'x-amz-checksum-type': 'FULL_OBJECT' } });
  t.equal(crc.headers['x-amz-checksum-type'], 'FULL_OBJECT');
  const none = await s3(h.app, { method: 'POST', bucket: 'mpu', key: 'k', query: { uploads: '' } });
  t.equal(none.statusCode, 200);
  t.equal(none.headers['x-amz-checksum-algorithm'], undefined);
  t.equal(none.headers['x-amz-checksum-type'], undefined);
});

t.test('CreateMultipartUpload – errors', async (t) => {
  const h = await setup(t);
  const cases: Array<[Record<string, string>, string]> = [
    [{ 'x-amz-checksum-algorithm': 'SHA256', 'x-amz-checksum-type': 'FULL_OBJECT' }, 'The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.'],
    [{ 'x-amz-checksum-type': 'COMPOSITE' }, 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.'],
    [{ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'PARTIAL' }, 'Value for x-amz-checksum-type header is invalid.'],
    [{ 'x-amz-checksum-algorithm': 'MD4' }, 'Value for x-amz-checksum-algorithm header is invalid.'],
  ];
  for (const [headers, message] of cases) {
    const res = await s3(h.app, { method: 'POST', bucket: 'mpu', key: 'k', query: { uploads: '' }, headers });
    t.equal(res.statusCode, 400, message);
    t.equal(xmlText(res.body, 'Code'), 'InvalidRequest');
    t.equal(xmlText(res.body, 'Message'), message);
  }
  const nb = await s3(h.app, { method: 'POST', bucket: 'nope', key: 'k', query: { uploads: '' } });
  t.equal(nb.statusCode, 404);
  t.equal(xmlText(nb.body, 'Code'), 'NoSuchBucket');
  const acl = await s3(h.app, { method: 'POST', bucket: 'mpu', key: 'k', query: { uploads: '' }, headers: { 'x-amz-acl': 'world-writable' } });
  t.equal(xmlText(acl.body, 'Code'), 'InvalidArgument');
  const list = await s3(h.app, { bucket: 'mpu', query: { uploads: '' } });
  t.notMatch(list.body, /<Upload>/, 'no upload was created by a refused request');
});

t.test('UploadPart – ETag, checksums, part numbers, NoSuchUpload', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'obj', { 'x-amz-checksum-algorithm': 'CRC32' });
  const body = Buffer.from('hello part one');
  const ok = await part(h, 'obj', id, 1, body, { 'x-amz-checksum-crc32': crc32Base64(body), 'content-md5': md5Base64(body) });
  t.equal(ok.statusCode, 200);
  t.equal(ok.headers.etag, `"${createHash('md5').update(body).digest('hex')}"`);
  t.equal(ok.headers['x-amz-checksum-crc32'], crc32Base64(body));
  t.equal(ok.body, '');

  for (const n of ['0', '10001', 'abc', '-1', '1.5']) {
    const res = await part(h, 'obj', id, n, body, { 'x-amz-checksum-crc32': crc32Base64(body) });
    t.equal(res.statusCode, 400, `partNumber=${n}`);
    t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
    t.equal(xmlText(res.body, 'Message'), 'Part number must be an integer between 1 and 10000, inclusive');
    t.equal(xmlText(res.body, 'ArgumentName'), 'partNumber');
  }
  const max = await part(h, 'obj', id, 10000, body, { 'x-amz-checksum-crc32': crc32Base64(body) });
  t.equal(max.statusCode, 200, 'part 10000 is allowed');

  const unknown = await part(h, 'obj', 'no-such-upload', 1, body);
  t.equal(unknown.statusCode, 404);
  t.equal(xmlText(unknown.body, 'Code'), 'NoSuchUpload');
  t.equal(xmlText(unknown.body, 'UploadId'), 'no-such-upload');
  const otherKey = await part(h, 'other', id, 1, body, { 'x-amz-checksum-crc32': crc32Base64(body) });
  t.equal(xmlText(otherKey.body, 'Code'), 'NoSuchUpload', 'an upload ID belongs to its key');

  const badMd5 = await part(h, 'obj', id, 2, body, { 'content-md5': md5Base64('other'), 'x-amz-checksum-crc32': crc32Base64(body) });
  t.equal(xmlText(badMd5.body, 'Code'), 'BadDigest');
  const badCrc = await part(h, 'obj', id, 2, body, { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('x')) });
  t.equal(xmlText(badCrc.body, 'Code'), 'BadDigest');
  const wrongAlg = await part(h, 'obj', id, 2, body, { 'x-amz-checksum-sha256': createHash('sha256').update(body).digest('base64') });
  t.equal(xmlText(wrongAlg.body, 'Code'), 'InvalidRequest');
  t.equal(xmlText(wrongAlg.body, 'Message'), 'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: sha256');
  const missing = await part(h, 'obj', id, 2, body);
  t.equal(xmlText(missing.body, 'Message'), 'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: null');
  t.equal(h.storage.listParts(id, 0, 1000).parts.map((p) => p.partNumber).join(), '1,10000', 'refused parts are not stored');
  t.equal(await settledBodies(h), 2, 'refused parts leave no file');
});

t.test('UploadPart – FULL_OBJECT and no-algorithm uploads compute part checksums without a header', async (t) => {
  const h = await setup(t);
  const full = await create(h, 'f', { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' });
  const body = Buffer.from('full object part');
  const res = await part(h, 'f', full, 1, body);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-amz-checksum-crc32'], crc32Base64(body));
  t.same(h.storage.listParts(full, 0, 10).parts[0]?.checksums, { crc32: crc32Base64(body) });

  const plain = await create(h, 'p');
  const sent = await part(h, 'p', plain, 1, body, { 'x-amz-checksum-crc32': crc32Base64(body) });
  t.equal(sent.statusCode, 200, 'a part checksum on an upload without algorithm is verified and accepted');
  t.equal(sent.headers['x-amz-checksum-crc32'], crc32Base64(body));
  t.same(h.storage.listParts(plain, 0, 10).parts[0]?.checksums, {}, 'but not stored');
  const bare = await part(h, 'p', plain, 2, body);
  t.equal(bare.statusCode, 200);
  t.equal(bare.headers['x-amz-checksum-crc32'], undefined);
});

t.test('UploadPart – re-uploading a part number replaces it and removes the old file', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'obj');
  await part(h, 'obj', id, 3, 'first version');
  t.equal(await settledBodies(h), 1);
  const second = await part(h, 'obj', id, 3, 'second version, longer');
  t.equal(second.headers.etag, `"${createHash('md5').update('second version, longer').digest('hex')}"`);
  const parts = h.storage.listParts(id, 0, 10).parts;
  t.equal(parts.length, 1);
  t.equal(parts[0]?.size, 'second version, longer'.length);
  t.equal(parts[0]?.etag, second.headers.etag);
  t.equal(await settledBodies(h), 1, 'the replaced part file is gone');
});

t.test('UploadPartCopy – whole source, ranges, conditions and range errors', async (t) => {
  const h = await setup(t);
  const src = Buffer.from('0123456789abcdefghij');
  await s3(h.app, { method: 'PUT', bucket: 'mpu', key: 'src key', body: src });
  const id = await create(h, 'dst', { 'x-amz-checksum-algorithm': 'CRC32' });
  const copy = (n: number, headers: Record<string, string>) =>
    s3(h.app, { method: 'PUT', bucket: 'mpu', key: 'dst', query: { partNumber: String(n), uploadId: id }, headers: { 'x-amz-copy-source': '/mpu/src%20key', ...headers } });

  const whole = await copy(1, {});
  t.equal(whole.statusCode, 200);
  t.match(whole.body, /<CopyPartResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><ETag>/);
  t.equal(xmlText(whole.body, 'ETag'), `"${createHash('md5').update(src).digest('hex')}"`);
  t.match(xmlText(whole.body, 'LastModified'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.equal(xmlText(whole.body, 'ChecksumCRC32'), crc32Base64(src));

  const ranged = await copy(2, { 'x-amz-copy-source-range': 'bytes=5-9' });
  t.equal(ranged.statusCode, 200);
  t.equal(xmlText(ranged.body, 'ETag'), `"${createHash('md5').update('56789').digest('hex')}"`);
  t.equal(h.storage.listParts(id, 0, 10).parts[1]?.size, 5);
  const last = await copy(3, { 'x-amz-copy-source-range': 'bytes=19-19' });
  t.equal(xmlText(last.body, 'ETag'), `"${createHash('md5').update('j').digest('hex')}"`);

  for (const range of ['bytes=0-20', 'bytes=9-5', 'bytes=25-30']) {
    const res = await copy(4, { 'x-amz-copy-source-range': range });
    t.equal(res.statusCode, 400, range);
    t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
    t.equal(xmlText(res.body, 'Message'), 'Range specified is not valid for source object of size: 20');
  }
  for (const range of ['bytes=0-', 'bytes=-5', '0-5', 'bytes=0-1,3-4', 'bytes=a-b']) {
    const res = await copy(4, { 'x-amz-copy-source-range': range });
    t.equal(xmlText(res.body, 'Code'), 'InvalidArgument', range);
    t.match(xmlText(res.body, 'Message'), /^The x-amz-copy-source-range value must be of the form bytes=first-last/);
    t.equal(xmlText(res.body, 'ArgumentName'), 'x-amz-copy-source-range');
  }
  const cond = await copy(4, { 'x-amz-copy-source-if-match': '"nope"' });
  t.equal(cond.statusCode, 412);
  t.equal(xmlText(cond.body, 'Code'), 'PreconditionFailed');
  const noKey = await s3(h.app, { method: 'PUT', bucket: 'mpu', key: 'dst', query: { partNumber: '4', uploadId: id }, headers: { 'x-amz-copy-source': '/mpu/missing' } });
  t.equal(xmlText(noKey.body, 'Code'), 'NoSuchKey');
  const noUpload = await s3(h.app, { method: 'PUT', bucket: 'mpu', key: 'dst', query: { partNumber: '4', uploadId: 'x' }, headers: { 'x-amz-copy-source': '/mpu/src%20key' } });
  t.equal(xmlText(noUpload.body, 'Code'), 'NoSuchUpload');
  t.equal(h.storage.listParts(id, 0, 10).parts.length, 3, 'refused copies store no part');
});

t.test('AbortMultipartUpload – 204, files removed, then NoSuchUpload everywhere', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'gone');
  await part(h, 'gone', id, 1, 'aaa');
  await part(h, 'gone', id, 2, 'bbb');
  t.equal(await settledBodies(h), 2);
  const wrongKey = await s3(h.app, { method: 'DELETE', bucket: 'mpu', key: 'other', query: { uploadId: id } });
  t.equal(wrongKey.statusCode, 404);
  const res = await s3(h.app, { method: 'DELETE', bucket: 'mpu', key: 'gone', query: { uploadId: id } });
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  t.equal(await settledBodies(h), 0, 'no part file remains');
  const again = await s3(h.app, { method: 'DELETE', bucket: 'mpu', key: 'gone', query: { uploadId: id } });
  t.equal(again.statusCode, 404);
  t.equal(xmlText(again.body, 'Code'), 'NoSuchUpload');
  t.equal(xmlText(again.body, 'Message'), 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  const up = await part(h, 'gone', id, 3, 'ccc');
  t.equal(xmlText(up.body, 'Code'), 'NoSuchUpload');
  const parts = await s3(h.app, { bucket: 'mpu', key: 'gone', query: { uploadId: id } });
  t.equal(xmlText(parts.body, 'Code'), 'NoSuchUpload');
  const list = await s3(h.app, { bucket: 'mpu', query: { uploads: '' } });
  t.equal(list.statusCode, 200);
  t.notMatch(list.body, /<Upload>/);
  t.equal(await settledBodies(h), 0);
  const del = await s3(h.app, { method: 'DELETE', bucket: 'mpu' });
  t.equal(del.statusCode, 204, 'the bucket is empty again');
});

t.test('multipart operations are refused to others on a private bucket', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'k');
  const anon = await s3(h.app, { method: 'PUT', bucket: 'mpu', key: 'k', query: { partNumber: '1', uploadId: id }, body: 'x', signed: false });
  t.equal(anon.statusCode, 403);
  t.equal(xmlText(anon.body, 'Code'), 'AccessDenied');
  const list = await s3(h.app, { bucket: 'mpu', query: { uploads: '' }, signed: false });
  t.equal(list.statusCode, 403);
});
