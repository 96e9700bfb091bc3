/**
 * Every request header S3 defines for the object writes and reads crossbucket implements is
 * honoured or refused, never dropped (docs/spec/bucket-config.md §B1, §B3, §B4.7, §B4.8, §B4.10,
 * §A3.20); and GetObjectAttributes (§B5, vectors §B6 #21–#24).
 */
import t from 'tap';
import { injectApp } from '../helpers/server';
import { createAclBucket, s3, uploadInParts, xmlText } from '../helpers/s3-inject';

type Res = Awaited<ReturnType<typeof s3>>;
type Expect =
  | { honoured: (put: Res, head: Res) => boolean; what: string }
  | { refused: number; code: string };

const KEY_B64 = Buffer.alloc(32, 7).toString('base64');

/**
 * PutObject request headers (S3 API reference, PutObject "Request Syntax", as the SDK's model
 * lists them) beyond Content-Length/Host/auth. The other operations' tables:
 * object-headers-{copy,create-upload,parts,read}.test.ts.
 */
const PUT_OBJECT: Array<[string, string, Expect]> = [
  ['cache-control', 'max-age=60', { honoured: (_p, h) => h.headers['cache-control'] === 'max-age=60', what: 'returned on HEAD' }],
  ['content-disposition', 'inline', { honoured: (_p, h) => h.headers['content-disposition'] === 'inline', what: 'returned on HEAD' }],
  ['content-encoding', 'gzip', { honoured: (_p, h) => h.headers['content-encoding'] === 'gzip', what: 'returned on HEAD' }],
  ['content-language', 'fr', { honoured: (_p, h) => h.headers['content-language'] === 'fr', what: 'returned on HEAD' }],
  ['content-type', 'text/plain', { honoured: (_p, h) => h.headers['content-type'] === 'text/plain', what: 'returned on HEAD' }],
  ['expires', 'Wed, 21 Oct 2037 07:28:00 GMT', { honoured: (_p, h) => h.headers.expires === 'Wed, 21 Oct 2037 07:28:00 GMT', what: 'returned on HEAD' }],
  ['content-md5', 'AAAAAAAAAAAAAAAAAAAAAA==', { refused: 400, code: 'BadDigest' }],
  ['if-none-match', '*', { honoured: (p) => p.statusCode === 200, what: 'conditional write' }],
  ['x-amz-acl', 'public-read', { honoured: (p) => p.statusCode === 200, what: 'stored ACL (test/server/acl.test.ts)' }],
  ['x-amz-meta-colour', 'blue', { honoured: (_p, h) => h.headers['x-amz-meta-colour'] === 'blue', what: 'returned on HEAD' }],
  ['x-amz-checksum-crc32', 'AAAAAA==', { refused: 400, code: 'BadDigest' }],
  ['x-amz-sdk-checksum-algorithm', 'SHA256', { honoured: (p) => typeof p.headers['x-amz-checksum-sha256'] === 'string', what: 'checksum computed and echoed' }],
  ['x-amz-storage-class', 'STANDARD_IA', { honoured: (_p, h) => h.headers['x-amz-storage-class'] === 'STANDARD_IA', what: 'returned on HEAD' }],
  ['x-amz-storage-class', 'OUTPOSTS', { refused: 400, code: 'InvalidStorageClass' }],
  ['x-amz-tagging', 'a=1&b=2', { honoured: (_p, h) => h.headers['x-amz-tagging-count'] === '2', what: 'x-amz-tagging-count on HEAD' }],
  ['x-amz-website-redirect-location', '/other.html', { honoured: (_p, h) => h.headers['x-amz-website-redirect-location'] === '/other.html', what: 'returned on HEAD' }],
  ['x-amz-website-redirect-location', 'ftp://x', { refused: 400, code: 'InvalidRedirectLocation' }],
  ['x-amz-server-side-encryption', 'AES256', { honoured: (p, h) => p.headers['x-amz-server-side-encryption'] === 'AES256' && h.headers['x-amz-server-side-encryption'] === 'AES256', what: 'echoed on PUT and HEAD' }],
  ['x-amz-server-side-encryption', 'rot13', { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-aws-kms-key-id', 'k1', { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-customer-algorithm', 'AES256', { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key', KEY_B64, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key-md5', 'x', { refused: 501, code: 'NotImplemented' }],
  ['x-amz-object-lock-mode', 'GOVERNANCE', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-retain-until-date', '2030-01-01T00:00:00Z', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-legal-hold', 'ON', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-expected-bucket-owner', '000000000000', { honoured: (p) => p.statusCode === 200, what: 'checked: the owner account' }],
  ['x-amz-expected-bucket-owner', '111111111111', { refused: 403, code: 'AccessDenied' }],
  ['x-amz-expected-bucket-owner', 'invalid', { refused: 400, code: 'InvalidBucketOwnerAWSAccountID' }],
  ['x-amz-grant-read', 'uri="http://acs.amazonaws.com/groups/global/AllUsers"', { honoured: (p) => p.statusCode === 200, what: 'stored grants (test/server/acl.test.ts)' }],
  ['x-amz-write-offset-bytes', '0', { refused: 501, code: 'NotImplemented' }],
  ['x-amz-grant-read-acp', 'uri="http://acs.amazonaws.com/groups/global/AllUsers"', { honoured: (p) => p.statusCode === 200, what: 'stored grants (test/server/acl.test.ts)' }],
  ['x-amz-grant-write-acp', 'uri="http://acs.amazonaws.com/groups/global/AllUsers"', { honoured: (p) => p.statusCode === 200, what: 'stored grants (test/server/acl.test.ts)' }],
  ['x-amz-grant-full-control', 'uri="http://acs.amazonaws.com/groups/global/AllUsers"', { honoured: (p) => p.statusCode === 200, what: 'stored grants (test/server/acl.test.ts)' }],
  ['if-match', '"0"', { refused: 404, code: 'NoSuchKey' }],
  ['x-amz-checksum-crc32c', 'AAAAAA==', { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-crc64nvme', 'AAAAAAAAAAA=', { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-sha1', Buffer.alloc(20).toString('base64'), { refused: 400, code: 'BadDigest' }],
  ['x-amz-checksum-sha256', Buffer.alloc(32).toString('base64'), { refused: 400, code: 'BadDigest' }],
  ...['sha512', 'md5', 'xxhash64', 'xxhash3', 'xxhash128'].map((a): [string, string, Expect] => [`x-amz-checksum-${a}`, 'AAAAAAAAAAA=', { refused: 501, code: 'NotImplemented' }]),
  ['x-amz-sdk-checksum-algorithm', 'XXHASH128', { refused: 501, code: 'NotImplemented' }],
  ['x-amz-sdk-checksum-algorithm', 'ADLER32', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-server-side-encryption-context', 'e30=', { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-bucket-key-enabled', 'true', { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-bucket-key-enabled', 'false', { honoured: (_p, h) => h.headers['x-amz-server-side-encryption-bucket-key-enabled'] === undefined, what: 'no Bucket Key, as asked' }],
  ['x-amz-object-lock-event-hold', 'ON', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-event-hold-duration-days', '1', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-object-lock-event-hold-duration-years', '1', { refused: 400, code: 'InvalidRequest' }],
  ['x-amz-request-payer', 'requester', { honoured: (p) => p.statusCode === 200 && p.headers['x-amz-request-charged'] === undefined, what: 'accepted, nothing charged (docs/bucket-config.md)' }],
];

t.test('PutObject – each request header is honoured or refused', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  // ACLs on, as a user makes such a bucket on S3 since 2023 (docs/access.md).
  await createAclBucket(h.app, 'hdrs');
  let i = 0;
  for (const [name, value, expect] of PUT_OBJECT) {
    const key = `k${i++}`;
    const put = await s3(h.app, { method: 'PUT', bucket: 'hdrs', key, body: 'body', headers: { [name]: value } });
    if ('refused' in expect) {
      t.equal(put.statusCode, expect.refused, `${name}: ${value} refused ${expect.refused}`);
      t.equal(xmlText(put.body, 'Code'), expect.code, `${name}: ${expect.code}`);
      t.equal((await s3(h.app, { method: 'HEAD', bucket: 'hdrs', key })).statusCode, 404, `${name}: nothing stored`);
      continue;
    }
    t.equal(put.statusCode, 200, `${name}: accepted`);
    const head = await s3(h.app, { method: 'HEAD', bucket: 'hdrs', key });
    t.ok(expect.honoured(put, head), `${name}: ${expect.what}`);
  }
});

t.test('storage class – in listings, not on HEAD for STANDARD; GLACIER is not readable (§B6 #21)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'cls' });
  await s3(h.app, { method: 'PUT', bucket: 'cls', key: 'ia', body: 'x', headers: { 'x-amz-storage-class': 'STANDARD_IA' } });
  await s3(h.app, { method: 'PUT', bucket: 'cls', key: 'std', body: 'x', headers: { 'x-amz-storage-class': 'STANDARD' } });
  await s3(h.app, { method: 'PUT', bucket: 'cls', key: 'zz-cold', body: 'x', headers: { 'x-amz-storage-class': 'GLACIER' } });
  t.notOk((await s3(h.app, { method: 'HEAD', bucket: 'cls', key: 'std' })).headers['x-amz-storage-class']);
  const list = await s3(h.app, { bucket: 'cls', query: { 'list-type': '2' } });
  t.same([...list.body.matchAll(/<StorageClass>([^<]*)<\/StorageClass>/g)].map((m) => m[1]), ['STANDARD_IA', 'STANDARD', 'GLACIER']);
  const bad = await s3(h.app, { method: 'PUT', bucket: 'cls', key: 'o', body: 'x', headers: { 'x-amz-storage-class': 'OUTPOSTS' } });
  t.equal(xmlText(bad.body, 'StorageClassRequested'), 'OUTPOSTS');
  const cold = await s3(h.app, { bucket: 'cls', key: 'zz-cold' });
  t.equal(cold.statusCode, 403);
  t.equal(xmlText(cold.body, 'Code'), 'InvalidObjectState');
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'cls', key: 'zz-cold' })).headers['x-amz-storage-class'], 'GLACIER');
  const mpu = await s3(h.app, { method: 'POST', bucket: 'cls', key: 'm', query: { uploads: '' }, headers: { 'x-amz-storage-class': 'ONEZONE_IA', 'x-amz-tagging': 't=1' } });
  t.equal(mpu.statusCode, 200);
  const uploads = await s3(h.app, { bucket: 'cls', query: { uploads: '' } });
  t.match(uploads.body, '<StorageClass>ONEZONE_IA</StorageClass>');
  const copy = await s3(h.app, { method: 'PUT', bucket: 'cls', key: 'ia', headers: { 'x-amz-copy-source': '/cls/ia', 'x-amz-storage-class': 'GLACIER_IR' } });
  t.equal(copy.statusCode, 200, 'a copy onto itself that changes the class is allowed');
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'cls', key: 'ia' })).headers['x-amz-storage-class'], 'GLACIER_IR');
});

t.test('GetObjectAttributes – the asked attributes in fixed order (§B6 #22, #23)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'attrs' });
  const put = await s3(h.app, { method: 'PUT', bucket: 'attrs', key: 'data.txt', body: '69\n420\n', headers: { 'x-amz-sdk-checksum-algorithm': 'CRC32' } });
  const etag = String(put.headers.etag).replace(/"/g, '');
  const all = await s3(h.app, { bucket: 'attrs', key: 'data.txt', query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ObjectSize, StorageClass,ETag,Checksum,ObjectParts' } });
  t.equal(all.statusCode, 200);
  t.ok(all.headers['last-modified']);
  t.match(all.body, new RegExp(`<GetObjectAttributesResponse xmlns="[^"]+"><ETag>${etag}</ETag><Checksum><ChecksumCRC32>[^<]+</ChecksumCRC32><ChecksumType>FULL_OBJECT</ChecksumType></Checksum><StorageClass>STANDARD</StorageClass><ObjectSize>7</ObjectSize></GetObjectAttributesResponse>`));
  const size = await s3(h.app, { bucket: 'attrs', key: 'data.txt', query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ObjectSize' } });
  t.notMatch(size.body, 'ETag');
  const bad = await s3(h.app, { bucket: 'attrs', key: 'data.txt', query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'Colour' } });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
  const missing = await s3(h.app, { bucket: 'attrs', key: 'nope', query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ETag' } });
  t.equal(xmlText(missing.body, 'Code'), 'NoSuchKey');
  // A two-part upload without checksums: PartsCount only.
  const done = await uploadInParts(h.app, 'attrs', 'mp', [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.from('tail')]);
  t.equal(done.statusCode, 200);
  t.equal(done.headers['x-amz-server-side-encryption'], 'AES256');
  const mp = await s3(h.app, { bucket: 'attrs', key: 'mp', query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ObjectParts,ObjectSize' } });
  t.match(mp.body, `<ObjectParts><PartsCount>2</PartsCount></ObjectParts><ObjectSize>${5 * 1024 * 1024 + 4}</ObjectSize>`);
});
