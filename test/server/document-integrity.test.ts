/**
 * Every small request document (ACL, DeleteObjects, CORS) goes through the one integrity check:
 * a checksum sent as an aws-chunked trailer is verified for each of them, as PutBucketCors
 * always did (BadDigest, nothing changed), and a matching one is accepted.
 */
import t from 'tap';
import { AwsCrc32 } from '@aws-crypto/crc32';
import { injectApp } from '../helpers/server';
import { s3, xmlText } from '../helpers/s3-inject';

async function crc32(data: string): Promise<string> {
  const h = new AwsCrc32();
  h.update(Buffer.from(data));
  return Buffer.from(await h.digest()).toString('base64');
}

/** An aws-chunked body of one chunk and a trailing x-amz-checksum-crc32. */
function chunked(doc: string, checksum: string) {
  return {
    payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    body: `${Buffer.byteLength(doc).toString(16)}\r\n${doc}\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`,
    headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(Buffer.byteLength(doc)), 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32' },
  };
}

t.test('documents – a trailing checksum is verified on PutBucketAcl and DeleteObjects too', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  // ACLs enabled (docs/spec/access.md §6 R6.3: a default bucket refuses every PutBucketAcl).
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'docs', headers: { 'x-amz-object-ownership': 'ObjectWriter' } })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'docs', key: 'keep', body: 'kept' })).statusCode, 200);
  const acl = await s3(h.app, { bucket: 'docs', query: { acl: '' } });
  const owner = xmlText(acl.body.toString(), 'ID') ?? '';
  const policy = `<AccessControlPolicy><Owner><ID>${owner}</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${owner}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`;
  let res = await s3(h.app, { method: 'PUT', bucket: 'docs', query: { acl: '' }, ...chunked(policy, await crc32('other bytes')) });
  t.equal(res.statusCode, 400, 'PutBucketAcl with a wrong trailing checksum');
  t.equal(xmlText(res.body.toString(), 'Code'), 'BadDigest');
  res = await s3(h.app, { method: 'PUT', bucket: 'docs', query: { acl: '' }, ...chunked(policy, await crc32(policy)) });
  t.equal(res.statusCode, 200, res.body.toString());

  const del = '<Delete><Object><Key>keep</Key></Object></Delete>';
  res = await s3(h.app, { method: 'POST', bucket: 'docs', query: { delete: '' }, ...chunked(del, await crc32('other bytes')) });
  t.equal(res.statusCode, 400, 'DeleteObjects with a wrong trailing checksum');
  t.equal(xmlText(res.body.toString(), 'Code'), 'BadDigest');
  t.equal((await s3(h.app, { bucket: 'docs', key: 'keep' })).statusCode, 200, 'nothing deleted');
  res = await s3(h.app, { method: 'POST', bucket: 'docs', query: { delete: '' }, ...chunked(del, await crc32(del)) });
  t.equal(res.statusCode, 200, res.body.toString());
  t.equal((await s3(h.app, { bucket: 'docs', key: 'keep' })).statusCode, 404, 'deleted once the checksum matches');
});

t.test('documents – CreateBucket verifies the Content-MD5 of its configuration', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const conf = '<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>';
  const res = await s3(h.app, { method: 'PUT', bucket: 'md5', body: conf, headers: { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' } });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body.toString(), 'Code'), 'BadDigest');
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'md5' })).statusCode, 404, 'no bucket created');
});
