/**
 * Fuzz – the resolver and addressing: resolveOperation never throws and always names an
 * operation; parseAddress answers or throws S3Error (InvalidURI); bucket, key and query survive
 * encoding in both addressing styles; and random requests through the whole app (random method,
 * path, query, headers, body) never get a 5xx other than 501, and every error is S3 XML.
 */
import fc from 'fast-check';
import t from 'tap';
import { normaliseBaseDomains, parseAddress, parseQuery } from '../../server/http/addressing';
import { S3Error } from '../../server/errors';
import { resolveOperation } from '../../server/operations/resolve-operation';
import { injectApp } from '../helpers/server';
import { encodeKey, encodeSegment, s3, signRequest, xmlText } from '../helpers/s3-inject';

const RUNS = Number(process.env.CB_FUZZ_RUNS ?? 600);
const BASES = normaliseBaseDomains(['s3.example.test']);

const SUBRESOURCES = ['acl', 'cors', 'uploads', 'uploadId', 'partNumber', 'delete', 'location', 'versioning', 'versions', 'list-type',
  'tagging', 'policy', 'lifecycle', 'website', 'object-lock', 'publicAccessBlock', 'analytics', 'id', 'metadataTable', 'restore',
  'select', 'torrent', 'attributes', 'legal-hold', 'retention', 'max-keys', 'prefix', 'delimiter', 'continuation-token', 'marker',
  'encoding-type', 'start-after', 'max-uploads', 'max-parts', 'part-number-marker', 'versionId', 'response-content-type',
  'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Algorithm', 'Signature', 'AWSAccessKeyId',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''];

/** No lone surrogates: what a client can put in a URL. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDFFF]/g, '');
const text = fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 6 }).map(wellFormed),
  fc.constantFrom('', '/', '//', '..', '.', '%', '%zz', '%00', '?', '#', '&', '=', '+', ' ', '\u0000', 'a/b', '../../etc/passwd', '\\'));
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...SUBRESOURCES), text), text), { maxLength: 5 });
const methods = fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH');
const validBucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/);

t.test('fuzz – resolveOperation names an operation for any request line', async (t) => {
  let cases = 0;
  fc.assert(fc.property(methods, fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), query, fc.boolean(), (method, bucket, key, q, copy) => {
    cases++;
    const headers = copy ? { 'x-amz-copy-source': '/b/k' } : {};
    const name = resolveOperation(method, bucket, key, new Map(q), headers);
    return typeof name === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(name) && name === resolveOperation(method, bucket, key, new Map(q), headers);
  }), { numRuns: RUNS });
  t.ok(cases >= RUNS, `${cases} request lines`);
});

t.test('fuzz – parseAddress answers or throws InvalidURI for any URL and Host', async (t) => {
  let cases = 0;
  const url = fc.oneof(fc.string({ maxLength: 40 }), fc.array(text, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
    fc.tuple(fc.array(text, { maxLength: 3 }), query).map(([p, q]) => `/${p.join('/')}?${q.map(([k, v]) => `${k}=${v}`).join('&')}`));
  const host = fc.option(fc.oneof(text, fc.constantFrom('localhost', 'b.localhost:9000', 'B.S3.LOCALHOST', '[::1]:9000', 'a.b.s3.example.test', '.localhost', 'localhost.', 'x.s3.example.test:')), { nil: undefined });
  fc.assert(fc.property(url, host, (u, h) => {
    cases++;
    try {
      const a = parseAddress(u, h, BASES);
      return a.key === undefined || a.bucket !== undefined;
    } catch (err) {
      return err instanceof S3Error && err.code === 'InvalidURI';
    }
  }), { numRuns: RUNS });
  t.ok(cases >= RUNS, `${cases} URLs`);
});

t.test('fuzz – bucket, key and query survive encoding, path style and virtual-hosted', async (t) => {
  let cases = 0;
  const key = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 10 })).map(wellFormed).filter((k) => k !== '');
  const params = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }).map(wellFormed).filter((k) => k !== ''), fc.string({ maxLength: 8 }).map(wellFormed)), { maxLength: 4 });
  fc.assert(fc.property(validBucket, key, params, (bucket, k, q) => {
    cases++;
    const qs = q.map(([n, v]) => `${encodeSegment(n)}=${encodeSegment(v)}`).join('&');
    const expected = new Map<string, string>();
    for (const [n, v] of q) if (!expected.has(n)) expected.set(n, v);
    const path = parseAddress(`/${bucket}/${encodeKey(k)}${qs ? `?${qs}` : ''}`, 'localhost:9000', BASES);
    const virtual = parseAddress(`/${encodeKey(k)}${qs ? `?${qs}` : ''}`, `${bucket}.localhost:9000`, BASES);
    const sameQuery = (m: Map<string, string>) => JSON.stringify([...m]) === JSON.stringify([...expected]);
    return path.bucket === bucket && path.key === k && virtual.bucket === bucket && virtual.key === k && sameQuery(path.query) && sameQuery(virtual.query)
      && JSON.stringify([...parseQuery(qs)]) === JSON.stringify([...expected]);
  }), { numRuns: RUNS });
  t.ok(cases >= RUNS, `${cases} addresses`);
});

t.test('fuzz – random requests through the whole app: no 5xx but 501, every error S3 XML', async (t) => {
  // Permissive auth: one signed request's headers let every random request reach its handler.
  const h = injectApp({ authMode: 'permissive' });
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'fuzz' });
  await s3(h.app, { method: 'PUT', bucket: 'fuzz', key: 'obj', body: 'some bytes' });
  const { headers: auth } = await signRequest({ method: 'GET', payloadHash: 'UNSIGNED-PAYLOAD' });
  const headerPool = fc.dictionary(
    fc.constantFrom('x-amz-copy-source', 'range', 'x-amz-acl', 'content-md5', 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm', 'if-match',
      'if-none-match', 'x-amz-metadata-directive', 'x-amz-meta-a', 'content-type', 'origin', 'access-control-request-method',
      'x-amz-grant-read', 'x-amz-trailer', 'x-amz-decoded-content-length', 'content-encoding', 'x-amz-copy-source-range', 'expect'),
    fc.oneof(fc.constantFrom('/fuzz/obj', 'fuzz/obj', 'bytes=0-1', 'private', 'public-read', '*', 'aws-chunked', 'GET', 'https://a.example', 'id="x"', '5', 'CRC32', 'REPLACE', ''),
      fc.string({ maxLength: 12 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))),
    { maxKeys: 4 },
  );
  const segment = fc.oneof(fc.constantFrom('fuzz', 'obj', 'nope', '_crossbucket', 'health', ''), text.map((s) => encodeURIComponent(s)), fc.constantFrom('%zz', '%00', '..', '%2e%2e', '%2F'));
  const codes = new Map<number, number>();
  let cases = 0;
  await fc.assert(fc.asyncProperty(methods, fc.array(segment, { maxLength: 3 }), query, headerPool, fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    async (method, segments, q, headers, body) => {
      cases++;
      const qs = q.map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
      const url = `/${segments.join('/')}${qs ? `?${qs}` : ''}`;
      const res = await h.app.inject({ method: method as 'GET', url, headers: { ...auth, ...headers }, ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload: body } : {}) });
      codes.set(res.statusCode, (codes.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500 && res.statusCode !== 501) throw new Error(`${method} ${url} ${JSON.stringify(headers)}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      const admin = url.startsWith('/_crossbucket/');
      if (res.statusCode >= 400 && method !== 'HEAD' && !admin && xmlText(res.body, 'Code') === undefined) throw new Error(`${method} ${url}: ${res.statusCode} without S3 XML: ${res.body.slice(0, 200)}`);
      return true;
    }), { numRuns: Math.ceil(RUNS / 2) });
  t.comment(`${cases} requests, statuses ${JSON.stringify(Object.fromEntries([...codes].sort()))}`);
  t.ok(cases >= RUNS / 2, `${cases} random requests, none a 5xx`);
});
