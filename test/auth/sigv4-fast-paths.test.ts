/**
 * SigV4 fast paths (issue 19) – each shortcut gives exactly what the general rule gives: the
 * Trimall of a header value, the digit-by-digit X-Amz-Date parse, the canonical URI of a plain
 * path, the canonical query of plain names and values, the usual form of the Authorization
 * header, the x-amz-content-sha256 check, the SignedHeaders list of the previous request, the credential reused from the previous request, the signing key of the previous
 * request, and the signature comparison. The references below are the rules as first written.
 */
import t from 'tap';
import { parseAmzDate } from '../../server/auth/amz-date';
import { MESSAGES } from '../../server/auth/auth-error';
import { canonicalHeaderValue } from '../../server/auth/canonical-request';
import { parseCredential } from '../../server/auth/credential';
import { deriveSigningKey, hmacSha256, signaturesEqual } from '../../server/auth/signing-key';
import { parseAuthorizationComponents } from '../../server/auth/sigv4-header';
import { isValidContentSha256, signedHeaderList } from '../../server/auth/signing-context';
import { canonicalQueryString, canonicalUri, parseQuery, percentDecode, uriEncodeBytes } from '../../server/auth/uri-encode';

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
  for (const v of samples) t.equal(canonicalHeaderValue(v), trimAll([v]), `${shown(v)} as one string`);
  t.equal(canonicalHeaderValue(['a', ' b ']), 'a,b', 'several values joined');
  const chars = ['a', ' ', '\t', '\n', '\r', 'é', '\u00a0', 'Z', '-'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < 2000; i++) {
    let v = '';
    for (let n = next() % 8; n > 0; n--) v += chars[next() % chars.length];
    if (canonicalHeaderValue([v]) !== trimAll([v])) t.fail(`differs for ${shown(v)}`);
    if (canonicalHeaderValue(v) !== trimAll([v])) t.fail(`differs for ${shown(v)} as one string`);
  }
});

/** A small deterministic generator of strings made of the given pieces. */
function pieces(seed: number, parts: readonly string[], max: number): () => string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
  return () => {
    let v = '';
    for (let n = next() % max; n > 0; n--) v += parts[next() % parts.length];
    return v;
  };
}

/** The Authorization header's components as first parsed: split at commas, trim, name=value. */
function referenceComponents(value: string): unknown {
  const rest = value.indexOf(' ') >= 0 ? value.slice(value.indexOf(' ') + 1) : '';
  const found: Record<string, string> = {};
  for (const raw of rest.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq >= 0 ? part.slice(0, eq).trim() : part;
    if (eq < 0 || !['Credential', 'SignedHeaders', 'Signature'].includes(name)) return 'malformed component';
    found[name] = part.slice(eq + 1).trim();
  }
  if (found.Credential === undefined || found.SignedHeaders === undefined || found.Signature === undefined) return 'missing component';
  return { credential: found.Credential, signedHeaders: found.SignedHeaders, signature: found.Signature };
}

function components(value: string): unknown {
  const got = parseAuthorizationComponents(value);
  if (!('ok' in got)) return got;
  return got.message === MESSAGES.headerMissingComponents ? 'missing component' : 'malformed component';
}

t.test('Authorization header: the usual form is cut as the general parser splits it', async (t) => {
  const usual = 'AWS4-HMAC-SHA256 Credential=AKID/20261204/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123';
  t.same(components(usual), { credential: 'AKID/20261204/us-east-1/s3/aws4_request', signedHeaders: 'host;x-amz-date', signature: 'abc123' });
  const samples = [
    usual, `${usual},`, `${usual}, Signature=def`, `${usual} `, `${usual}\u00a0`, usual.replace(', Sig', ',Sig'), usual.replace('=AKID', '= AKID'),
    usual.replace('Signature=abc123', 'Signature='), usual.replace('host;', 'host, ;'), 'AWS4-HMAC-SHA256 Credential=a, Signature=b, SignedHeaders=c',
    'AWS4-HMAC-SHA256 Credential=a=b, SignedHeaders=c, Signature=d=', 'AWS4-HMAC-SHA256 Credential=a, SignedHeaders=b, Signature=c, Other=d',
  ];
  for (const v of samples) t.same(components(v), referenceComponents(v), shown(v));
  const random = pieces(11, ['AWS4-HMAC-SHA256 ', 'Credential=', ', SignedHeaders=', ', Signature=', ',', ' ', 'a', '=', '\u00a0', '\t', 'Signature'], 9);
  for (let i = 0; i < 5000; i++) {
    const v = `AWS4-HMAC-SHA256 Credential=${random()}`;
    if (JSON.stringify(components(v)) !== JSON.stringify(referenceComponents(v))) t.fail(`differs for ${shown(v)}`);
  }
});

t.test('canonical query: plain names and values are their own canonical form', async (t) => {
  const reference = (raw: string) => uriEncodeBytes(percentDecode(raw, true), true);
  const random = pieces(5, ['a', 'Z', '0', '-', '.', '_', '~', '%', '%41', '%2F', '%2f', '%7E', '%20', '%e2%82%ac', '%E2%82%AC', '%E2%82', '%C3', '%ED%A0%80', '%FF', '%2', '+', ' ', 'é', '/', '=', '&', '!', '*'], 7);
  for (let i = 0; i < 6000; i++) {
    const key = random();
    const value = random();
    const raw = `${key}=${value}`;
    const params = parseQuery(raw);
    const pairs = params.map((p) => [reference(p.rawKey), reference(p.rawValue)] as const);
    pairs.sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    const expected = pairs.map(([k, v]) => `${k}=${v}`).join('&');
    const decoded = params.map((p) => [percentDecode(p.rawKey, true).toString('utf8'), percentDecode(p.rawValue, true).toString('utf8')]);
    if (canonicalQueryString(params) !== expected) t.fail(`canonical form differs for ${shown(raw)}`);
    if (JSON.stringify(params.map((p) => [p.key, p.value])) !== JSON.stringify(decoded)) t.fail(`decoded text differs for ${shown(raw)}`);
  }
  t.equal(canonicalQueryString(parseQuery('x-id=GetObject')), 'x-id=GetObject');
  t.equal(canonicalQueryString(parseQuery('X-Amz-Credential=AKID%2F20261206%2Fus-east-1%2Fs3%2Faws4_request')), 'X-Amz-Credential=AKID%2F20261206%2Fus-east-1%2Fs3%2Faws4_request');
  t.same(parseQuery('c=AKID%2F2026&e=%E2%82%AC&f=%e2%82&g=%'), [
    { key: 'c', value: 'AKID/2026', rawKey: 'c', rawValue: 'AKID%2F2026', hasValue: true },
    { key: 'e', value: '€', rawKey: 'e', rawValue: '%E2%82%AC', hasValue: true },
    { key: 'f', value: '\ufffd', rawKey: 'f', rawValue: '%e2%82', hasValue: true },
    { key: 'g', value: '%', rawKey: 'g', rawValue: '%', hasValue: true },
  ]);
  t.equal(canonicalQueryString(parseQuery('b=2&a=1&a=0&c')), 'a=0&a=1&b=2&c=');
  t.same(parseQuery('a+b=%7e'), [{ key: 'a b', value: '~', rawKey: 'a+b', rawValue: '%7e', hasValue: true }]);
});

t.test('X-Amz-Date: the digit-by-digit parse agrees with the pattern', async (t) => {
  const samples = [
    '20150830T123600Z', '20150830T123600', '2015083T123600Z', '20150830t123600Z', '20151330T123600Z', '20150231T000000Z',
    '20150830T246000Z', '20150830T235959Z', '20150830T236000Z', '20150830T235960Z', '2015-08-30T12:36:00Z', '２0150830T123600Z',
    '20150830T12360OZ', '00000101T000000Z', '99991231T235959Z', '20240229T000000Z', '20230229T000000Z', '', 'x'.repeat(16),
  ];
  for (const v of samples) t.equal(parseAmzDate(v)?.getTime(), referenceAmzDate(v)?.getTime(), shown(v));
  // The previous request's time, reused when the text repeats: the same answer, a new Date.
  for (const v of samples) {
    const first = parseAmzDate(v);
    const again = parseAmzDate(v);
    t.equal(again?.getTime(), referenceAmzDate(v)?.getTime(), `${shown(v)} again`);
    if (first !== undefined) t.not(again, first, `${shown(v)}: a Date of its own`);
  }
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

t.test('x-amz-content-sha256: the digit loop agrees with the pattern', async (t) => {
  const keywords = ['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD', 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER'];
  const reference = (v: string) => keywords.includes(v) || /^[0-9a-fA-F]{64}$/.test(v);
  const hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const samples = [...keywords, hex, hex.toUpperCase(), hex.slice(1), `${hex}0`, `${hex.slice(1)}g`, `${hex.slice(1)}G`, `${hex.slice(1)}:`, `${hex.slice(1)}@`,
    `${hex.slice(1)}/`, `${hex.slice(1)}\``, `${hex.slice(1)} `, 'unsigned-payload', ''];
  for (const v of samples) t.equal(isValidContentSha256(v), reference(v), shown(v));
  for (let c = 0; c < 0x180; c++) {
    const v = `${hex.slice(0, 30)}${String.fromCharCode(c)}${hex.slice(31)}`;
    if (isValidContentSha256(v) !== reference(v)) t.fail(`differs for character ${c}`);
  }
});

t.test('SignedHeaders: the previous request\'s list is the same split, and cannot be changed', async (t) => {
  const first = signedHeaderList('host;x-amz-content-sha256;x-amz-date');
  t.same(first, ['host', 'x-amz-content-sha256', 'x-amz-date']);
  t.equal(signedHeaderList(['host', 'x-amz-content-sha256', 'x-amz-date'].join(';')), first, 'the same content: the same list');
  t.ok(Object.isFrozen(first));
  t.same(signedHeaderList('host;range'), ['host', 'range']);
  t.same(signedHeaderList('host;;a;'), ['host', '', 'a', '']);
  t.same(signedHeaderList(''), ['']);
});
