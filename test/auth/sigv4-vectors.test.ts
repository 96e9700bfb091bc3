// AWS's published SigV4 test suite (aws-sig-v4-test-suite): credentials AKIDEXAMPLE, date
// 20150830T123600Z, region us-east-1, service "service". The building blocks of server/auth
// must reproduce each vector's canonical request, string to sign and signature. (Vectors that
// normalise the path, such as get-slashes and get-relative, do not apply to S3.)
import t from 'tap';
import { createHash } from 'node:crypto';
import {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalHeaders,
  type HeaderMap,
} from '../../server/auth/canonical-request';
import { deriveSigningKey, hmacSha256 } from '../../server/auth/signing-key';
import { canonicalQueryString, canonicalUri, parseQuery, splitRawUrl } from '../../server/auth/uri-encode';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const AMZ_DATE = '20150830T123600Z';
const SCOPE = '20150830/us-east-1/service/aws4_request';

interface Vector {
  name: string;
  method: string;
  target: string;
  headers?: HeaderMap;
  body?: string;
  signature: string;
}

function sign(v: Vector): { creq: string; sts: string; signature: string } {
  const headers: HeaderMap = { host: 'example.amazonaws.com', 'x-amz-date': AMZ_DATE, ...(v.headers ?? {}) };
  const signed = Object.keys(headers).sort();
  const { path, query } = splitRawUrl(v.target);
  const creq = buildCanonicalRequest({
    method: v.method,
    canonicalUri: canonicalUri(path),
    canonicalQuery: canonicalQueryString(parseQuery(query)),
    canonicalHeaders: canonicalHeaders(headers, signed),
    signedHeaders: signed.join(';'),
    payloadHash: createHash('sha256').update(v.body ?? '').digest('hex'),
  });
  const sts = buildStringToSign('AWS4-HMAC-SHA256', AMZ_DATE, SCOPE, creq);
  const key = deriveSigningKey(SECRET, '20150830', 'us-east-1', 'service');
  return { creq, sts, signature: hmacSha256(key, sts).toString('hex') };
}

const vectors: Vector[] = [
  { name: 'get-vanilla', method: 'GET', target: '/', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  {
    name: 'get-unreserved',
    method: 'GET',
    target: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    target: '/?Param2=value2&Param1=value1',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-query-order-value',
    method: 'GET',
    target: '/?Param1=value2&Param1=value1',
    signature: '5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694',
  },
  {
    name: 'get-vanilla-utf8-query',
    method: 'GET',
    target: '/?\u1234=bar',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-header-value-order',
    method: 'GET',
    target: '/',
    headers: { 'my-header1': ['value4', 'value1', 'value3', 'value2'] },
    signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
  },
  {
    name: 'get-header-key-duplicate',
    method: 'GET',
    target: '/',
    headers: { 'my-header1': ['value2', 'value2', 'value1'] },
    signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
  },
  {
    name: 'get-header-value-trim',
    method: 'GET',
    target: '/',
    headers: { 'my-header1': ' value1', 'my-header2': '"a   b   c"' },
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    target: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
];

for (const v of vectors) {
  t.test(`sig-v4-test-suite ${v.name} – signature`, async (t) => {
    t.equal(sign(v).signature, v.signature);
  });
}

t.test('get-vanilla – canonical request and string to sign', async (t) => {
  const { creq, sts } = sign(vectors[0] as Vector);
  t.equal(
    creq,
    'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' +
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  t.equal(
    sts,
    'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
      'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
  );
});

t.test('get-vanilla-query-order-key-case – canonical query sorted by name', async (t) => {
  const { creq } = sign(vectors[2] as Vector);
  t.equal(creq.split('\n')[2], 'Param1=value1&Param2=value2');
});

t.test('get-header-value-trim – values trimmed, inner runs of spaces collapsed', async (t) => {
  const { creq } = sign(vectors[7] as Vector);
  t.match(creq, 'my-header1:value1\nmy-header2:"a b c"\n');
});

t.test('post-x-www-form-urlencoded – canonical request', async (t) => {
  const { creq } = sign(vectors[8] as Vector);
  t.equal(
    creq,
    'POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n' +
      'x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n' +
      '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
  );
});

t.test('get-space and get-utf8 – canonical URI', async (t) => {
  t.equal(canonicalUri('/example space/'), '/example%20space/');
  t.equal(canonicalUri('/\u1234'), '/%E1%88%B4');
  t.equal(canonicalUri('/%E1%88%B4'), '/%E1%88%B4');
});

t.test('canonical URI – S3 keeps the path as sent (no normalisation)', async (t) => {
  t.equal(canonicalUri('//example//'), '//example//');
  t.equal(canonicalUri('/b/../x'), '/b/../x');
  t.equal(canonicalUri('/b/./x'), '/b/./x');
  t.equal(canonicalUri('/b/a/'), '/b/a/');
  t.equal(canonicalUri(''), '/');
});

t.test('canonical URI – re-encoded per segment with the RFC 3986 rule', async (t) => {
  t.equal(canonicalUri("/b/a!'()*"), '/b/a%21%27%28%29%2A', 'sub-delims encoded');
  t.equal(canonicalUri('/b/a%21'), '/b/a%21');
  t.equal(canonicalUri('/b/%c3%a9'), '/b/%C3%A9', 'lowercase hex normalised');
  t.equal(canonicalUri('/b/a%2Fb'), '/b/a%2Fb', 'encoded slash stays in its segment');
  t.equal(canonicalUri('/b/a+b'), '/b/a%2Bb', 'plus in a path is a plus');
  t.equal(canonicalUri('/b/100%'), '/b/100%25', 'stray percent is literal');
  t.equal(canonicalUri('/b/%7Efoo'), '/b/~foo', 'unreserved decoded');
  t.equal(canonicalUri('/b/\u{1F600}'), '/b/%F0%9F%98%80', 'astral character as UTF-8');
});

t.test('canonical query – encoding, empty values, sort by key then value', async (t) => {
  const c = (q: string): string => canonicalQueryString(parseQuery(q));
  t.equal(c('uploads'), 'uploads=');
  t.equal(c('b=&a=1'), 'a=1&b=');
  t.equal(c('a=10&a=9'), 'a=10&a=9');
  t.equal(c('x=a.b&x=a%2Fb'), 'x=a%2Fb&x=a.b');
  t.equal(c('q=a%20b'), 'q=a%20b');
  t.equal(c('q=a+b'), 'q=a%20b', 'plus read as a space');
  t.equal(c('q=a%2Bb'), 'q=a%2Bb');
  t.equal(c('a=1=2'), 'a=1%3D2');
  t.equal(c("k=!'()*"), 'k=%21%27%28%29%2A');
  t.equal(c('prefix=%E2%82%AC&list-type=2'), 'list-type=2&prefix=%E2%82%AC');
  t.equal(c('a&&b'), 'a=&b=', 'empty pieces skipped');
});

t.test('splitRawUrl – origin-form and absolute-form', async (t) => {
  t.same(splitRawUrl('/b/k?x=1'), { path: '/b/k', query: 'x=1' });
  t.same(splitRawUrl('http://h:9000/b/k?x=1'), { path: '/b/k', query: 'x=1' });
  t.same(splitRawUrl('?x'), { path: '/', query: 'x' });
});
