// SigV2 (aws-cli v1 presign, old SDKs): the examples of the S3 "Signing and Authenticating REST
// Requests" page (credentials AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY).
import t from 'tap';
import { createHmac } from 'node:crypto';
import { verifySigV2 } from '../../server/auth/sigv2';
import { verifyRequestAuth } from '../../server/auth/verify-request';
import type { HeaderMap } from '../../server/auth/canonical-request';

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const lookupSecret = (id: string): string | undefined => (id === AKID ? SECRET : undefined);

function v2(method: string, rawUrl: string, headers: HeaderMap, now: Date, virtualHostBucket?: string) {
  return verifySigV2({ method, rawUrl, headers, now, lookupSecret, ...(virtualHostBucket ? { virtualHostBucket } : {}) });
}

t.test('S3 doc example – GET object, virtual-hosted', async (t) => {
  const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
  const r = v2('GET', '/photos/puppy.jpg', { host: 'johnsmith.s3.amazonaws.com', date, authorization: `AWS ${AKID}:bWq2s1WEIj+Ydj0vQ697zp+IXMU=` }, new Date(date), 'johnsmith');
  t.same(r, { ok: true, signatureVersion: 2, accessKeyId: AKID, mode: 'header', payloadHash: 'UNSIGNED-PAYLOAD' });
});

t.test('S3 doc example – the same GET, path-style, is the same signature', async (t) => {
  const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
  const r = v2('GET', '/johnsmith/photos/puppy.jpg', { host: 's3.amazonaws.com', date, authorization: `AWS ${AKID}:bWq2s1WEIj+Ydj0vQ697zp+IXMU=` }, new Date(date));
  t.ok(r.ok);
});

t.test('S3 doc example – query string authentication', async (t) => {
  const url = `/photos/puppy.jpg?AWSAccessKeyId=${AKID}&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620`;
  const r = v2('GET', url, { host: 'johnsmith.s3.amazonaws.com' }, new Date(1175139620 * 1000 - 60_000), 'johnsmith');
  t.same(r, { ok: true, signatureVersion: 2, accessKeyId: AKID, mode: 'query', payloadHash: 'UNSIGNED-PAYLOAD' });
  const unescapedPlus = url.replace('%2B', '+');
  t.ok(v2('GET', unescapedPlus, {}, new Date(1175139620 * 1000 - 60_000), 'johnsmith').ok, 'a raw + in the signature');
});

t.test('query string authentication – expired', async (t) => {
  const url = `/photos/puppy.jpg?AWSAccessKeyId=${AKID}&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620`;
  const r = v2('GET', url, {}, new Date(1175139620 * 1000 + 1000), 'johnsmith');
  t.same(r, {
    ok: false,
    code: 'AccessDenied',
    message: 'Request has expired',
    extra: { Expires: '2007-03-29T03:40:20Z', ServerTime: '2007-03-29T03:40:21Z' },
  });
});

t.test('S3 doc example – upload with x-amz-* headers, CNAME bucket', async (t) => {
  const date = 'Tue, 27 Mar 2007 21:06:08 +0000';
  const r = v2(
    'PUT',
    '/db-backup.dat.gz',
    {
      host: 'static.johnsmith.net:8080',
      date,
      'x-amz-acl': 'public-read',
      'content-type': 'application/x-download',
      'content-md5': '4gJE4saaMU4BqNR0kLY+lw==',
      'x-amz-meta-reviewedby': ['joe@johnsmith.net', 'jane@johnsmith.net'],
      'x-amz-meta-filechecksum': '0x02661779',
      'x-amz-meta-checksumalgorithm': 'crc32',
      'content-disposition': 'attachment; filename=database.dat',
      'content-encoding': 'gzip',
      authorization: `AWS ${AKID}:ilyl83RwaSoYIEdixDQcA4OnAnc=`,
    },
    new Date(date),
    'static.johnsmith.net',
  );
  t.ok(r.ok, JSON.stringify(r));
});

t.test('sub-resources and x-amz-date (empty Date line)', async (t) => {
  const amzDate = 'Wed, 25 Nov 2026 12:00:00 GMT';
  const sts = `PUT\n\n\n\nx-amz-date:${amzDate}\n/bucket/key?partNumber=2&uploadId=abc`;
  const sig = createHmac('sha1', SECRET).update(sts).digest('base64');
  const r = v2('PUT', '/bucket/key?uploadId=abc&partNumber=2&x-id=UploadPart', { 'x-amz-date': amzDate, authorization: `AWS ${AKID}:${sig}` }, new Date(amzDate));
  t.ok(r.ok, JSON.stringify(r));
  const acl = `GET\n\n\n\nx-amz-date:${amzDate}\n/bucket?acl`;
  const aclSig = createHmac('sha1', SECRET).update(acl).digest('base64');
  t.ok(v2('GET', '/bucket?acl', { 'x-amz-date': amzDate, authorization: `AWS ${AKID}:${aclSig}` }, new Date(amzDate)).ok);
});

t.test('refusals – wrong signature, unknown key, skew, malformed, missing query parameters', async (t) => {
  const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
  const now = new Date(date);
  const bad = v2('GET', '/photos/puppy.jpg', { date, authorization: `AWS ${AKID}:AAAA` }, now, 'johnsmith');
  t.equal(bad.ok, false);
  if (!bad.ok) {
    t.equal(bad.code, 'SignatureDoesNotMatch');
    t.equal(bad.extra.StringToSign, `GET\n\n\n${date}\n/johnsmith/photos/puppy.jpg`);
    t.equal(bad.extra.SignatureProvided, 'AAAA');
  }
  const unknown = v2('GET', '/x', { date, authorization: 'AWS NOPE:AAAA' }, now);
  t.equal(!unknown.ok && unknown.code, 'InvalidAccessKeyId');
  const skewed = v2('GET', '/x', { date, authorization: `AWS ${AKID}:AAAA` }, new Date(now.getTime() + 3600_000));
  t.equal(!skewed.ok && skewed.code, 'RequestTimeTooSkewed');
  const noDate = v2('GET', '/x', { authorization: `AWS ${AKID}:AAAA` }, now);
  t.equal(!noDate.ok && noDate.code, 'AccessDenied');
  const malformed = v2('GET', '/x', { date, authorization: 'AWS nocolon' }, now);
  t.equal(!malformed.ok && malformed.code, 'InvalidArgument');
  const missing = v2('GET', `/x?AWSAccessKeyId=${AKID}&Signature=abc`, {}, now);
  t.equal(!missing.ok && missing.code, 'AccessDenied');
});

t.test('verifyRequestAuth – dispatches SigV2 header and query', async (t) => {
  const date = 'Tue, 27 Mar 2007 19:36:42 +0000';
  const r = verifyRequestAuth({
    method: 'GET',
    rawUrl: '/johnsmith/photos/puppy.jpg',
    headers: { date, authorization: `AWS ${AKID}:bWq2s1WEIj+Ydj0vQ697zp+IXMU=` },
    now: new Date(date),
    lookupSecret,
  });
  t.ok(r?.ok);
  t.equal(r?.ok && r.signatureVersion, 2);
});
