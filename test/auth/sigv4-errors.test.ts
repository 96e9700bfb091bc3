// SigV4 refusals, each with S3's code, message and extra error elements.
import t from 'tap';
import { verifySigV4 } from '../../server/auth/sigv4';
import { verifyRequestAuth } from '../../server/auth/verify-request';
import { deriveSigningKey, signingKeyCacheSize } from '../../server/auth/signing-key';
import type { AuthFailure } from '../../server/auth/auth-error';
import type { HeaderMap } from '../../server/auth/canonical-request';
import { AKID, lookupSecret, presign, signHeader } from './fixtures/signers';

const date = new Date('2026-11-25T12:00:00Z');

function refuse(input: { method: string; rawUrl: string; headers: HeaderMap }, now = date): AuthFailure {
  const r = verifySigV4({ ...input, now, lookupSecret });
  if (r.ok) throw new Error('expected a refusal');
  return r;
}

t.test('wrong secret – SignatureDoesNotMatch with the debugging elements', async (t) => {
  const s = await signHeader({ path: '/bucket/k', date, secret: 'not-the-secret' });
  const r = refuse(s);
  t.equal(r.code, 'SignatureDoesNotMatch');
  t.equal(r.message, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  t.same(Object.keys(r.extra), ['AWSAccessKeyId', 'StringToSign', 'SignatureProvided', 'StringToSignBytes', 'CanonicalRequest', 'CanonicalRequestBytes']);
  t.equal(r.extra.AWSAccessKeyId, AKID);
  t.match(r.extra.StringToSign, /^AWS4-HMAC-SHA256\n20261125T120000Z\n20261125\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
  t.equal(
    r.extra.CanonicalRequest,
    'GET\n/bucket/k\n\nhost:localhost:9000\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20261125T120000Z\n\n' +
      'host;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD',
  );
  t.match(r.extra.StringToSignBytes, /^41 57 53 34 2d 48 4d 41 43/);
  t.match(r.extra.CanonicalRequestBytes, /^47 45 54 0a 2f/);
});

t.test('tampered request – path, query, signed header, method', async (t) => {
  const s = await signHeader({ path: '/bucket/k', query: { a: '1' }, date, headers: { 'x-amz-meta-a': 'x' } });
  t.equal(refuse({ ...s, rawUrl: '/bucket/K?a=1' }).code, 'SignatureDoesNotMatch');
  t.equal(refuse({ ...s, rawUrl: '/bucket/k?a=2' }).code, 'SignatureDoesNotMatch');
  t.equal(refuse({ ...s, rawUrl: '/bucket/k?a=1&b=2' }).code, 'SignatureDoesNotMatch');
  t.equal(refuse({ ...s, headers: { ...s.headers, 'x-amz-meta-a': 'y' } }).code, 'SignatureDoesNotMatch');
  t.equal(refuse({ ...s, method: 'DELETE' }).code, 'SignatureDoesNotMatch');
  t.equal(refuse({ ...s, headers: { ...s.headers, host: 'other:9000' } }).code, 'SignatureDoesNotMatch');
});

t.test('unknown access key – InvalidAccessKeyId', async (t) => {
  const r = refuse(await signHeader({ path: '/bucket/k', date, accessKeyId: 'AKIDNOPE' }));
  t.equal(r.code, 'InvalidAccessKeyId');
  t.equal(r.message, 'The AWS Access Key Id you provided does not exist in our records.');
  t.same(r.extra, { AWSAccessKeyId: 'AKIDNOPE' });
  const p = refuse(await presign({ path: '/bucket/k', date, accessKeyId: 'AKIDNOPE' }));
  t.equal(p.code, 'InvalidAccessKeyId');
});

t.test('clock skew – RequestTimeTooSkewed beyond 15 minutes either way', async (t) => {
  const s = await signHeader({ path: '/bucket/k', date });
  t.ok(verifySigV4({ ...s, now: new Date(date.getTime() + 15 * 60_000), lookupSecret }).ok, 'exactly 15 minutes is fine');
  const r = refuse(s, new Date(date.getTime() + 15 * 60_000 + 1000));
  t.equal(r.code, 'RequestTimeTooSkewed');
  t.equal(r.message, 'The difference between the request time and the current time is too large.');
  t.same(r.extra, { RequestTime: '20261125T120000Z', ServerTime: '2026-11-25T12:15:01Z', MaxAllowedSkewMilliseconds: '900000' });
  t.equal(refuse(s, new Date(date.getTime() - 16 * 60_000)).code, 'RequestTimeTooSkewed');
});

t.test('presigned expired – AccessDenied "Request has expired"', async (t) => {
  const s = await presign({ path: '/bucket/k', date, expiresIn: 900 });
  const r = refuse(s, new Date(date.getTime() + 901_000));
  t.equal(r.code, 'AccessDenied');
  t.equal(r.message, 'Request has expired');
  t.same(r.extra, { 'X-Amz-Expires': '900', Expires: '2026-11-25T12:15:00Z', ServerTime: '2026-11-25T12:15:01Z' });
});

t.test('presigned in the future – AccessDenied "Request is not yet valid"', async (t) => {
  const s = await presign({ path: '/bucket/k', date, expiresIn: 3600 });
  const r = refuse(s, new Date(date.getTime() - 16 * 60_000));
  t.equal(r.code, 'AccessDenied');
  t.equal(r.message, 'Request is not yet valid');
  t.same(r.extra, { 'X-Amz-Date': String(date.getTime()), Expires: '2026-11-25T13:00:00Z', ServerTime: '2026-11-25T11:44:00Z' });
});

t.test('presigned parameter errors – AuthorizationQueryParametersError', async (t) => {
  const s = await presign({ path: '/bucket/k', date });
  const edit = (from: RegExp, to: string): AuthFailure => refuse({ ...s, rawUrl: s.rawUrl.replace(from, to) });
  const cases: Array<[RegExp, string, string]> = [
    [/X-Amz-Expires=900/, 'X-Amz-Expires=604801', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'],
    [/X-Amz-Expires=900/, 'X-Amz-Expires=soon', 'X-Amz-Expires should be a number'],
    [/X-Amz-Expires=900/, 'X-Amz-Expires=-1', 'X-Amz-Expires must be non-negative'],
    [/&X-Amz-Signature=[0-9a-f]+/, '', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.'],
    [/X-Amz-Algorithm=AWS4-HMAC-SHA256/, 'X-Amz-Algorithm=AWS4-HMAC-SHA1', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"'],
    [/X-Amz-Date=20261125T120000Z/, 'X-Amz-Date=2026-11-25T12:00:00Z', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`],
    [/X-Amz-Date=20261125T120000Z/, 'X-Amz-Date=20261126T000000Z', 'Invalid credential date "20261125". This date is not the same as X-Amz-Date: "20261126T000000Z".'],
    [/%2Fs3%2F/, '%2Fec2%2F', 'Error parsing the X-Amz-Credential parameter; incorrect service "ec2". This endpoint belongs to "s3".'],
    [/aws4_request/, 'aws5_request', 'Error parsing the X-Amz-Credential parameter; incorrect terminal "aws5_request". This endpoint uses "aws4_request".'],
    [/X-Amz-Credential=[^&]+/, 'X-Amz-Credential=AKID%2F20261125', 'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'],
  ];
  for (const [from, to, message] of cases) {
    const r = edit(from, to);
    t.equal(r.code, 'AuthorizationQueryParametersError', message);
    t.equal(r.message, message);
  }
});

t.test('presigned – tampered signature or query', async (t) => {
  const s = await presign({ path: '/bucket/k', date });
  t.equal(refuse({ ...s, rawUrl: s.rawUrl.replace(/X-Amz-Signature=./, 'X-Amz-Signature=0') }).code, 'SignatureDoesNotMatch');
  t.equal(refuse({ ...s, rawUrl: `${s.rawUrl}&extra=1` }).code, 'SignatureDoesNotMatch');
  t.equal(refuse({ ...s, rawUrl: s.rawUrl.replace('/bucket/k', '/bucket/other') }).code, 'SignatureDoesNotMatch');
});

t.test('malformed Authorization header variants', async (t) => {
  const s = await signHeader({ path: '/bucket/k', date });
  const auth = s.headers.authorization ?? '';
  const withAuth = (a: string): AuthFailure => refuse({ ...s, headers: { ...s.headers, authorization: a } });
  const malformed = 'AuthorizationHeaderMalformed';
  const cases: Array<[string, string, string]> = [
    [auth.replace(/, Signature=[0-9a-f]+/, ''), malformed, 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.'],
    [`${auth}, Bogus=1`, malformed, 'The authorization header is malformed; the authorization component "Bogus=1" is malformed.'],
    [auth.replace(/Credential=[^,]+/, 'Credential=AKID/20261125/us-east-1'), malformed, 'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'],
    [auth.replace('/s3/', '/ec2/'), malformed, 'The authorization header is malformed; incorrect service "ec2". This endpoint belongs to "s3".'],
    [auth.replace('aws4_request', 'aws4'), malformed, 'The authorization header is malformed; incorrect terminal "aws4". This endpoint uses "aws4_request".'],
    [auth.replace('/20261125/', '/2026-11-25/'), malformed, 'The authorization header is malformed; incorrect date format "2026-11-25". This date in the credential must be in the format "yyyyMMdd".'],
    [auth.replace('/20261125/', '/20261124/'), malformed, 'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.'],
    ['Bearer abc', 'InvalidArgument', 'Unsupported Authorization Type'],
  ];
  for (const [value, code, message] of cases) {
    const r = withAuth(value);
    t.equal(r.code, code, message);
    t.equal(r.message, message);
  }
  t.same(withAuth('Bearer abc').extra, { ArgumentName: 'Authorization', ArgumentValue: 'Bearer abc' });
});

t.test('missing or invalid date and content hash headers', async (t) => {
  const s = await signHeader({ path: '/bucket/k', date });
  const { 'x-amz-date': _d, ...noDate } = s.headers;
  let r = refuse({ ...s, headers: noDate });
  t.equal(r.code, 'AccessDenied');
  t.equal(r.message, 'AWS authentication requires a valid Date or x-amz-date header');
  r = refuse({ ...s, headers: { ...s.headers, 'x-amz-date': 'yesterday' } });
  t.equal(r.code, 'AccessDenied');
  const { 'x-amz-content-sha256': _c, ...noHash } = s.headers;
  r = refuse({ ...s, headers: noHash });
  t.equal(r.code, 'InvalidRequest');
  t.equal(r.message, 'Missing required header for this request: x-amz-content-sha256');
  r = refuse({ ...s, headers: { ...s.headers, 'x-amz-content-sha256': 'GIBBERISH' } });
  t.equal(r.code, 'InvalidArgument');
  t.same(r.extra, { ArgumentName: 'x-amz-content-sha256', ArgumentValue: 'GIBBERISH' });
});

t.test('an x-amz-* header present but not signed – AccessDenied with HeadersNotSigned', async (t) => {
  const s = await signHeader({ path: '/bucket/k', date });
  const r = refuse({ ...s, headers: { ...s.headers, 'x-amz-acl': 'public-read', 'x-amz-meta-b': '1' } });
  t.equal(r.code, 'AccessDenied');
  t.equal(r.message, 'There were headers present in the request which were not signed');
  t.same(r.extra, { HeadersNotSigned: 'x-amz-acl, x-amz-meta-b' });
  const p = await presign({ method: 'PUT', path: '/bucket/k', date });
  t.equal(refuse({ ...p, headers: { ...p.headers, 'x-amz-acl': 'private' } }).code, 'AccessDenied');
});

t.test('both header and query credentials – InvalidArgument', async (t) => {
  const p = await presign({ path: '/bucket/k', date });
  const s = await signHeader({ path: '/bucket/k', date });
  const r = refuse({ ...p, headers: { ...p.headers, authorization: s.headers.authorization ?? '' } });
  t.equal(r.code, 'InvalidArgument');
  t.equal(r.message, 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
  const d = verifyRequestAuth({ ...p, headers: { ...p.headers, authorization: 'AWS a:b' }, now: date, lookupSecret });
  t.equal(d?.ok === false && d.code, 'InvalidArgument');
});

t.test('no credentials at all', async (t) => {
  const r = refuse({ method: 'GET', rawUrl: '/bucket/k', headers: { host: 'h' } });
  t.equal(r.code, 'AccessDenied');
});

t.test('signing key cache stays bounded', async (t) => {
  for (let i = 0; i < 200; i++) deriveSigningKey('s', `2026${String(i).padStart(4, '0')}`, 'r', 's3');
  t.ok(signingKeyCacheSize() <= 64);
  const a = deriveSigningKey('s', '20261125', 'us-east-1', 's3');
  const b = deriveSigningKey('s', '20261125', 'us-east-1', 's3');
  t.equal(a, b, 'cached');
});
