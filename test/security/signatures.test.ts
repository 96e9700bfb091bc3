/**
 * Signatures that cover less than what is used (issue 12, item 12 and "Also"): `host` must be
 * signed; `+` in a presigned query means a space when verified and when used; anonymous
 * callers cannot use `response-*` overrides; SigV2 signs a sub-resource sent as `uploads=`
 * as `uploads`.
 */
import t from 'tap';
import { createHmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { injectApp } from '../helpers/server';
import { createAclBucket, s3, sha256Hex, xmlText, xmlTexts } from '../helpers/s3-inject';

const CREDENTIALS = { accessKeyId: 'crossbucket', secretAccessKey: 'crossbucket-secret' };
const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: CREDENTIALS, sha256: Sha256, uriEscapePath: false, applyChecksum: false });

function setup(t: { teardown(fn: () => unknown): void }) {
  const h = injectApp();
  t.teardown(() => h.close());
  return h;
}

function queryString(query: Record<string, string>): string {
  return Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

t.test('SigV4 – a SignedHeaders list without host is refused, header and presigned', async (t) => {
  const h = setup(t);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'bkt' })).statusCode, 200);
  // Signed without a Host header: SignedHeaders is x-amz-content-sha256;x-amz-date.
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: 'localhost', path: '/bkt', query: {}, headers: { 'x-amz-content-sha256': sha256Hex('') } } as never, { signingDate: new Date() });
  const headers = (signed as unknown as { headers: Record<string, string> }).headers;
  t.notMatch(headers.authorization ?? '', /SignedHeaders=[^,]*host/, 'the signature does not cover host');
  const res = await h.app.inject({ method: 'GET', url: '/bkt', headers: { ...headers, host: 'localhost:9000' } });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'AuthorizationHeaderMalformed');

  const presigned = await signer.presign({ method: 'GET', protocol: 'http:', hostname: 'localhost', path: '/bkt', query: {}, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } } as never, { expiresIn: 300 });
  const query = (presigned as unknown as { query: Record<string, string> }).query;
  t.notMatch(query['X-Amz-SignedHeaders'] ?? '', /host/);
  const q = await h.app.inject({ method: 'GET', url: `/bkt?${queryString(query)}`, headers: { host: 'localhost:9000' } });
  t.equal(q.statusCode, 400);
  t.equal(xmlText(q.body, 'Code'), 'AuthorizationQueryParametersError');
});

t.test('presigned query – + is a space both when verified and when used (prefix=dir+with+space/)', async (t) => {
  const h = setup(t);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'bkt' })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'bkt', key: 'dir with space/a', body: 'x' })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'bkt', key: 'dir+with+space/b', body: 'x' })).statusCode, 200);
  const presigned = await signer.presign(
    { method: 'GET', protocol: 'http:', hostname: 'localhost', port: 9000, path: '/bkt', query: { 'list-type': '2', prefix: 'dir with space/' }, headers: { host: 'localhost:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } } as never,
    { expiresIn: 300 },
  );
  const query = (presigned as unknown as { query: Record<string, string> }).query;
  const url = `/bkt?${queryString(query).replace(/%20/g, '+')}`;
  t.match(url, 'prefix=dir+with+space%2F', 'the URL carries + for the spaces');
  const res = await h.app.inject({ method: 'GET', url, headers: { host: 'localhost:9000' } });
  t.equal(res.statusCode, 200, res.body);
  t.same(xmlTexts(res.body, 'Key'), ['dir with space/a'], 'the listing is of the prefix that was signed');

  // Header-signed: the SDK signs the decoded value; the wire may carry + for a space.
  const signedList = await s3(h.app, { method: 'GET', bucket: 'bkt', query: { 'list-type': '2', prefix: 'dir with space/' } });
  t.same(xmlTexts(signedList.body, 'Key'), ['dir with space/a']);
});

t.test('anonymous GET – response-* overrides are refused', async (t) => {
  const h = setup(t);
  t.equal((await createAclBucket(h.app, 'pub', 'public-read')).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'pub', key: 'k', body: 'x', headers: { 'x-amz-acl': 'public-read' } })).statusCode, 200);
  const plain = await h.app.inject({ method: 'GET', url: '/pub/k', headers: { host: 'localhost:9000' } });
  t.equal(plain.statusCode, 200, 'the object is public');
  const anon = await h.app.inject({ method: 'GET', url: '/pub/k?response-content-type=text%2Fhtml', headers: { host: 'localhost:9000' } });
  t.equal(anon.statusCode, 400);
  t.equal(xmlText(anon.body, 'Code'), 'InvalidRequest');
  t.equal(xmlText(anon.body, 'Message'), 'Request specific response headers cannot be used for anonymous GET requests.');
  const signed = await s3(h.app, { method: 'GET', bucket: 'pub', key: 'k', query: { 'response-content-type': 'text/html' } });
  t.equal(signed.statusCode, 200);
  t.equal(signed.headers['content-type'], 'text/html', 'a signed request may override');
});

t.test('SigV2 – CreateMultipartUpload sent as ?uploads= signs as ?uploads (as rclone signs it)', async (t) => {
  const h = setup(t);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'vtwo' })).statusCode, 200);
  const date = new Date().toUTCString();
  const stringToSign = `POST\n\n\n${date}\n/vtwo/big.bin?uploads`;
  const signature = createHmac('sha1', CREDENTIALS.secretAccessKey).update(stringToSign).digest('base64');
  const res = await h.app.inject({ method: 'POST', url: '/vtwo/big.bin?uploads=', headers: { host: 'localhost:9000', date, authorization: `AWS ${CREDENTIALS.accessKeyId}:${signature}` } });
  t.equal(res.statusCode, 200, res.body);
  t.ok(xmlText(res.body, 'UploadId'), 'an upload was created');
  const acl = `GET\n\n\n${date}\n/vtwo?acl`;
  const aclRes = await h.app.inject({ method: 'GET', url: '/vtwo?acl=', headers: { host: 'localhost:9000', date, authorization: `AWS ${CREDENTIALS.accessKeyId}:${createHmac('sha1', CREDENTIALS.secretAccessKey).update(acl).digest('base64')}` } });
  t.equal(aclRes.statusCode, 200, '?acl= as ?acl');
});
