/**
 * SigV4 fast paths (issue 19) – each shortcut gives exactly what the general rule gives: the
 * Trimall of a header value, the digit-by-digit X-Amz-Date parse, the canonical URI of a plain
 * path, the credential reused from the previous request, the signing key of the previous
 * request, and the signature comparison. The references below are the rules as first written.
 */
import t from 'tap';
import { parseAmzDate } from '../../server/auth/amz-date';
import { canonicalHeaderValue } from '../../server/auth/canonical-request';
import { parseCredential } from '../../server/auth/credential';
import { deriveSigningKey, hmacSha256, signaturesEqual } from '../../server/auth/signing-key';
import { canonicalUri, percentDecode, uriEncodeBytes } from '../../server/auth/uri-encode';

const trimAll = (values: string[]) => values.map((v) => v.replace(/[\r\n]+/g, ' ').replace(/[ \t]+/g, ' ').trim()).join(',');

function referenceAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return date;
}

/** A test name TAP can carry: non-ASCII as \\uXXXX. */
const shown = (v: string) => JSON.stringify(v).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const referenceUri = (rawPath: string) => rawPath.split('/').map((s) => uriEncodeBytes(percentDecode(s, false), true)).join('/');

t.test('Trimall: the fast path agrees with the rule', async (t) => {
  const samples = [
    'abc', 'a b', 'a  b', ' a', 'a ', '\ta', 'a\t', 'a\tb', 'a\r\nb', 'a\nb', '', ' ', 'x\u00a0', '\u00a0x', 'é', 'aé b',
    'AWS4-HMAC-SHA256 Credential=a/b', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'a \t b', 'a\u2028b', '\ufeffa',
  ];
  for (const v of samples) t.equal(canonicalHeaderValue([v]), trimAll([v]), shown(v));
  t.equal(canonicalHeaderValue(['a', ' b ']), 'a,b', 'several values joined');
  const chars = ['a', ' ', '\t', '\n', '\r', 'é', '\u00a0', 'Z', '-'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < 2000; i++) {
    let v = '';
    for (let n = next() % 8; n > 0; n--) v += chars[next() % chars.length];
    if (canonicalHeaderValue([v]) !== trimAll([v])) t.fail(`differs for ${shown(v)}`);
  }
});

t.test('X-Amz-Date: the digit-by-digit parse agrees with the pattern', async (t) => {
  const samples = [
    '20150830T123600Z', '20150830T123600', '2015083T123600Z', '20150830t123600Z', '20151330T123600Z', '20150231T000000Z',
    '20150830T246000Z', '20150830T235959Z', '20150830T236000Z', '20150830T235960Z', '2015-08-30T12:36:00Z', '２0150830T123600Z',
    '20150830T12360OZ', '00000101T000000Z', '99991231T235959Z', '20240229T000000Z', '20230229T000000Z', '', 'x'.repeat(16),
  ];
  for (const v of samples) t.equal(parseAmzDate(v)?.getTime(), referenceAmzDate(v)?.getTime(), shown(v));
});

t.test('canonical URI: a path of unreserved characters is its own canonical form', async (t) => {
  for (const p of ['/', '/b', '/b/k', '/b/a//c/', '/b/key-000001', '/b/a.b_c~d', '/b/%41', '/b/a%2Fb', '/b/a b', '/b/é', '/b/!', '//']) {
    t.equal(canonicalUri(p), referenceUri(p), shown(p));
  }
});

t.test('credential: the one reused from the previous request is the same parse', async (t) => {
  const first = parseCredential('AKID/20261204/us-east-1/s3/aws4_request');
  const again = parseCredential('AKID/20261204/us-east-1/s3/aws4_request');
  t.same(again, { accessKeyId: 'AKID', date: '20261204', region: 'us-east-1', service: 's3', scope: '20261204/us-east-1/s3/aws4_request' });
  t.equal(first, again);
  t.same(parseCredential('AKID/20261204/us-east-1/sqs/aws4_request'), { problem: 'service', value: 'sqs' });
  t.same(parseCredential('OTHER/20261205/eu-west-1/s3/aws4_request'), { accessKeyId: 'OTHER', date: '20261205', region: 'eu-west-1', service: 's3', scope: '20261205/eu-west-1/s3/aws4_request' });
});

t.test('signing key: the previous request\'s key is reused only for the same four inputs', async (t) => {
  const derive = (secret: string, date: string, region: string) =>
    hmacSha256(hmacSha256(hmacSha256(hmacSha256(`AWS4${secret}`, date), region), 's3'), 'aws4_request').toString('hex');
  for (const [secret, date, region] of [['s', '20261204', 'r'], ['s', '20261204', 'r'], ['s2', '20261204', 'r'], ['s', '20261205', 'r'], ['s', '20261205', 'r2']] as const) {
    t.equal(deriveSigningKey(secret, date, region, 's3').toString('hex'), derive(secret, date, region), `${secret} ${date} ${region}`);
  }
});

t.test('signatures compare exactly', async (t) => {
  const sig = 'a'.repeat(64);
  t.ok(signaturesEqual(sig, sig));
  t.notOk(signaturesEqual(sig, `${'a'.repeat(63)}b`));
  t.notOk(signaturesEqual(sig, 'A'.repeat(64)), 'case-sensitive');
  t.notOk(signaturesEqual(sig, 'a'.repeat(63)));
  t.notOk(signaturesEqual(sig, ''));
});
