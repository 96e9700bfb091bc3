/**
 * ListObjects (v1), ListObjectsV2 and ListObjectVersions over signed inject requests: prefix,
 * delimiter, CommonPrefixes, pagination, encoding-type=url, fetch-owner, UTF-8 byte order;
 * and keys that must stay distinct and round-trip exactly in both addressing styles.
 */
import t from 'tap';
import { injectApp, startServer } from '../helpers/server';
import { s3, s3Http, xmlText, xmlTexts, type S3Request } from '../helpers/s3-inject';

const BUCKET = 'listing';
const KEYS = ['a/1', 'a/2', 'a/b/c', 'b', 'c/x', 'c/y', 'd', 'photos/2024/jan.jpg', 'photos/2024/feb.jpg', 'photos/2025/mar.jpg', 'zz'];

async function setup(t: { teardown(fn: () => unknown): void }, keys = KEYS) {
  const h = injectApp();
  t.teardown(() => h.close());
  const send = (r: Omit<S3Request, 'bucket'>) => s3(h.app, { bucket: BUCKET, ...r });
  if ((await s3(h.app, { method: 'PUT', bucket: BUCKET })).statusCode !== 200) throw new Error('CreateBucket');
  for (const key of keys) {
    const res = await send({ method: 'PUT', key, body: key });
    if (res.statusCode !== 200) throw new Error(`PutObject ${key}: ${res.body}`);
  }
  const list = async (query: Record<string, string>) => {
    const res = await send({ query });
    if (res.statusCode !== 200) throw new Error(`list ${JSON.stringify(query)}: ${res.statusCode} ${res.body}`);
    return res.body;
  };
  return { h, send, list };
}

/** CommonPrefixes' <Prefix> texts (the top-level <Prefix> comes first and is skipped). */
function commonPrefixes(body: string): string[] {
  return [...body.matchAll(/<CommonPrefixes><Prefix>([^<]*)<\/Prefix><\/CommonPrefixes>/g)].map((m) => m[1] ?? '');
}

function sorted(keys: string[]): string[] {
  return [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
}

t.test('ListObjects v1 – everything, in order, with Owner and the echo elements', async (t) => {
  const { list } = await setup(t);
  const body = await list({});
  t.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Name>listing<\/Name><Prefix><\/Prefix><Marker><\/Marker><MaxKeys>1000<\/MaxKeys><IsTruncated>false<\/IsTruncated><Contents><Key>a\/1<\/Key>/);
  t.same(xmlTexts(body, 'Key'), sorted(KEYS));
  t.equal(xmlTexts(body, 'Owner').length, KEYS.length, 'v1 lists owners');
  t.equal(xmlTexts(body, 'StorageClass')[0], 'STANDARD');
  t.equal(xmlTexts(body, 'Size')[0], '3');
  t.match(xmlTexts(body, 'ETag')[0], /^"[0-9a-f]{32}"$/);
  t.match(xmlTexts(body, 'LastModified')[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.notMatch(body, /<NextMarker>|<Delimiter>|<CommonPrefixes>/);
});

t.test('ListObjects v1 – prefix, delimiter, CommonPrefixes', async (t) => {
  const { list } = await setup(t);
  let body = await list({ prefix: 'a/' });
  t.same(xmlTexts(body, 'Key'), ['a/1', 'a/2', 'a/b/c']);
  t.equal(xmlText(body, 'Prefix'), 'a/');
  body = await list({ delimiter: '/' });
  t.same(xmlTexts(body, 'Key'), ['b', 'd', 'zz']);
  t.same(commonPrefixes(body), ['a/', 'c/', 'photos/']);
  t.equal(xmlText(body, 'Delimiter'), '/');
  body = await list({ prefix: 'a/', delimiter: '/' });
  t.same(xmlTexts(body, 'Key'), ['a/1', 'a/2']);
  t.same(commonPrefixes(body), ['a/b/']);
  body = await list({ prefix: 'photos/', delimiter: '/' });
  t.same(xmlTexts(body, 'Key'), []);
  t.same(commonPrefixes(body), ['photos/2024/', 'photos/2025/']);
  body = await list({ prefix: 'photos/20', delimiter: '4' });
  t.same(commonPrefixes(body), ['photos/2024'], 'any delimiter, not only /');
  t.same(xmlTexts(body, 'Key'), ['photos/2025/mar.jpg']);
  body = await list({ prefix: 'nothing' });
  t.same(xmlTexts(body, 'Key'), []);
  t.match(body, /<IsTruncated>false<\/IsTruncated>/);
  body = await list({ delimiter: '/2024/' });
  t.same(commonPrefixes(body), ['photos/2024/'], 'a multi-character delimiter');
});

t.test('ListObjects v1 – max-keys pages: NextMarker with a delimiter, last Key without', async (t) => {
  const { list } = await setup(t);
  const all = await list({ delimiter: '/' });
  const expected = [...xmlTexts(all, 'Key'), ...commonPrefixes(all)].sort();
  const seen: string[] = [];
  let marker = '';
  for (let page = 0; page < 20; page++) {
    const body = await list({ delimiter: '/', 'max-keys': '2', ...(marker ? { marker } : {}) });
    const entries = [...xmlTexts(body, 'Key'), ...commonPrefixes(body)];
    t.ok(entries.length <= 2);
    seen.push(...entries);
    if (xmlText(body, 'IsTruncated') !== 'true') {
      t.notMatch(body, /<NextMarker>/);
      break;
    }
    const next = xmlText(body, 'NextMarker');
    t.ok(next, 'NextMarker when truncated with a delimiter');
    marker = next ?? '';
  }
  t.same(seen.sort(), expected);

  const flat: string[] = [];
  marker = '';
  for (let page = 0; page < 20; page++) {
    const body = await list({ 'max-keys': '3', ...(marker ? { marker } : {}) });
    t.notMatch(body, /<NextMarker>/, 'no NextMarker without a delimiter');
    const keys = xmlTexts(body, 'Key');
    flat.push(...keys);
    if (xmlText(body, 'IsTruncated') !== 'true') break;
    marker = keys[keys.length - 1] ?? '';
  }
  t.same(flat, sorted(KEYS));
});

t.test('ListObjects v1 – a marker equal to a common prefix skips the whole prefix (not truncated at the end)', async (t) => {
  const { list } = await setup(t, ['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla']);
  const body = await list({ delimiter: '/', marker: 'boo/', 'max-keys': '1' });
  t.same(commonPrefixes(body), ['cquux/']);
  t.same(xmlTexts(body, 'Key'), []);
  t.equal(xmlText(body, 'IsTruncated'), 'false');
});

t.test('ListObjectsV2 – KeyCount, continuation-token, start-after, fetch-owner', async (t) => {
  const { list, send } = await setup(t);
  const first = await list({ 'list-type': '2' });
  t.equal(xmlText(first, 'KeyCount'), String(KEYS.length));
  t.notMatch(first, /<Owner>/, 'no Owner without fetch-owner');
  t.notMatch(first, /<Marker>|<ContinuationToken>|<StartAfter>/);
  t.match(await list({ 'list-type': '2', 'fetch-owner': 'true' }), /<Owner><ID>[0-9a-f]{64}<\/ID><DisplayName>crossbucket<\/DisplayName><\/Owner>/);

  const seen: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const body = await list({ 'list-type': '2', 'max-keys': '4', delimiter: '/', ...(token ? { 'continuation-token': token } : {}) });
    if (token) t.equal(xmlText(body, 'ContinuationToken'), token);
    const entries = [...xmlTexts(body, 'Key'), ...commonPrefixes(body)];
    t.equal(xmlText(body, 'KeyCount'), String(entries.length));
    seen.push(...entries);
    if (xmlText(body, 'IsTruncated') !== 'true') {
      t.notMatch(body, /<NextContinuationToken>/);
      break;
    }
    token = xmlText(body, 'NextContinuationToken');
    t.ok(token);
  }
  t.same(seen.sort(), ['a/', 'b', 'c/', 'd', 'photos/', 'zz']);

  const after = await list({ 'list-type': '2', 'start-after': 'c/x' });
  t.same(xmlTexts(after, 'Key'), sorted(KEYS).filter((k) => Buffer.compare(Buffer.from(k), Buffer.from('c/x')) > 0));
  t.equal(xmlText(after, 'StartAfter'), 'c/x');

  const page1 = await list({ 'list-type': '2', 'max-keys': '1' });
  const tok = xmlText(page1, 'NextContinuationToken') ?? '';
  const both = await list({ 'list-type': '2', 'start-after': 'photos', 'continuation-token': tok, 'max-keys': '1' });
  t.same(xmlTexts(both, 'Key'), ['a/2'], 'the token wins over start-after');

  const bad = await send({ query: { 'list-type': '2', 'continuation-token': 'garbage' } });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
});

t.test('max-keys – capped at 1000, 0 is an empty complete page, garbage is InvalidArgument', async (t) => {
  const { list, send } = await setup(t);
  t.equal(xmlText(await list({ 'list-type': '2', 'max-keys': '5000' }), 'MaxKeys'), '1000');
  for (const query of [{ 'list-type': '2', 'max-keys': '0' }, { 'max-keys': '0' }] as Array<Record<string, string>>) {
    const body = await list(query);
    t.same(xmlTexts(body, 'Key'), []);
    t.equal(xmlText(body, 'IsTruncated'), 'false');
    t.notMatch(body, /<NextContinuationToken>|<NextMarker>/);
  }
  for (const v of ['-1', 'ten', '1.5']) {
    const res = await send({ query: { 'list-type': '2', 'max-keys': v } });
    t.equal(res.statusCode, 400, v);
    t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
  }
});

t.test('encoding-type=url – keys, prefixes and delimiters are encoded; EncodingType echoed', async (t) => {
  const keys = ['dir one/a+b.txt', 'dir one/ü%.txt', 'x y'];
  const { list, send } = await setup(t, keys);
  const body = await list({ 'list-type': '2', 'encoding-type': 'url', delimiter: '/', prefix: '' });
  t.equal(xmlText(body, 'EncodingType'), 'url');
  t.same(xmlTexts(body, 'Key'), ['x%20y']);
  t.same(commonPrefixes(body), ['dir%20one/']);
  const inner = await list({ 'list-type': '2', 'encoding-type': 'url', prefix: 'dir one/' });
  t.same(xmlTexts(inner, 'Key'), ['dir%20one/a%2Bb.txt', 'dir%20one/%C3%BC%25.txt']);
  t.equal(xmlText(inner, 'Prefix'), 'dir%20one/');
  t.same(xmlTexts(inner, 'Key').map(decodeURIComponent), ['dir one/a+b.txt', 'dir one/ü%.txt'], 'decoding gives the keys back');
  const v1 = await list({ 'encoding-type': 'url' });
  t.same(xmlTexts(v1, 'Key').map(decodeURIComponent), keys);
  const bad = await send({ query: { 'list-type': '2', 'encoding-type': 'base64' } });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
});

t.test('UTF-8 byte order, not UTF-16 order: U+E000 sorts before an emoji', async (t) => {
  const keys = ['😀', '\uE000', 'z', 'é', 'Z', '~', '\u00A0', 'a'];
  const { list } = await setup(t, keys);
  const expected = ['Z', 'a', 'z', '~', '\u00A0', 'é', '\uE000', '😀'];
  t.same(xmlTexts(await list({ 'list-type': '2' }), 'Key'), expected);
  t.not([...keys].sort(), expected, 'JavaScript’s default sort would differ');
  // Pagination keeps the same order across pages.
  const seen: string[] = [];
  let after = '';
  for (let i = 0; i < 10; i++) {
    const body = await list({ 'list-type': '2', 'max-keys': '3', ...(after ? { 'start-after': after } : {}) });
    const page = xmlTexts(body, 'Key');
    seen.push(...page);
    if (xmlText(body, 'IsTruncated') !== 'true') break;
    after = page[page.length - 1] ?? '';
  }
  t.same(seen, expected);
});

t.test('ListObjectVersions – each object once, VersionId null, markers', async (t) => {
  const { list, h } = await setup(t);
  const body = await list({ versions: '' });
  t.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListVersionsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Name>listing<\/Name>/);
  t.same(xmlTexts(body, 'Key'), sorted(KEYS));
  t.same(new Set(xmlTexts(body, 'VersionId')), new Set(['null']));
  t.equal(xmlTexts(body, 'IsLatest').length, KEYS.length);
  t.notMatch(body, /<DeleteMarker>/);
  const seen: string[] = [];
  let keyMarker = '';
  for (let i = 0; i < 20; i++) {
    const page = await list({ versions: '', 'max-keys': '4', ...(keyMarker ? { 'key-marker': keyMarker, 'version-id-marker': 'null' } : {}) });
    seen.push(...xmlTexts(page, 'Key'));
    if (xmlText(page, 'IsTruncated') !== 'true') break;
    t.equal(xmlText(page, 'NextVersionIdMarker'), 'null');
    keyMarker = xmlText(page, 'NextKeyMarker') ?? '';
    t.ok(keyMarker);
  }
  t.same(seen, sorted(KEYS));
  const grouped = await list({ versions: '', delimiter: '/' });
  t.same(commonPrefixes(grouped), ['a/', 'c/', 'photos/']);
  const missing = await s3(h.app, { bucket: 'nope', query: { versions: '' } });
  t.equal(missing.statusCode, 404);
});

t.test('listing a missing bucket is NoSuchBucket', async (t) => {
  const { h } = await setup(t, []);
  for (const query of [{}, { 'list-type': '2' }] as Array<Record<string, string>>) {
    const res = await s3(h.app, { bucket: 'missing', query });
    t.equal(res.statusCode, 404);
    t.equal(xmlText(res.body, 'Code'), 'NoSuchBucket');
  }
});

/** Keys that are easy to confuse: each must stay itself. */
const ODD_KEYS = [
  'a/', 'a//b', 'a/b', '../x', './x', 'x/../y', '..', '%2F', '/', '//lead', 'a%2Fb', 'a+b', 'a b', 'a%20b', ' lead',
  'trail ', 'emoji 😀/ünïcödé', '?query', '#hash', 'semi;colon', 'amp&=eq', 'tab\tkey', 'quote"\'', '~tilde',
  '\uE000', 'k'.repeat(1024),
];

t.test('odd keys – distinct, listed exactly, round-trip in path and virtual-hosted style', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const send = (r: S3Request) => s3Http(s.endpoint, r);
  t.equal((await send({ method: 'PUT', bucket: 'odd' })).statusCode, 200);
  for (const [i, key] of ODD_KEYS.entries()) {
    const res = await send({ method: 'PUT', bucket: 'odd', key, body: `body ${i}`, style: i % 2 === 0 ? 'path' : 'virtual' });
    t.equal(res.statusCode, 200, `PUT ${JSON.stringify(key.slice(0, 40))}: ${res.body.toString()}`);
  }
  const listed = await send({ bucket: 'odd', query: { 'list-type': '2' } });
  t.same(xmlTexts(listed.body.toString(), 'Key'), sorted(ODD_KEYS), 'every key listed once, exactly');
  for (const [i, key] of ODD_KEYS.entries()) {
    for (const style of ['path', 'virtual'] as const) {
      const res = await send({ bucket: 'odd', key, style });
      t.equal(res.statusCode, 200, `${style} GET ${JSON.stringify(key.slice(0, 40))}`);
      t.equal(res.body.toString(), `body ${i}`, `${style} ${JSON.stringify(key.slice(0, 40))}`);
    }
  }
  t.equal((await send({ method: 'DELETE', bucket: 'odd', key: 'a//b', style: 'virtual' })).statusCode, 204);
  t.equal((await send({ bucket: 'odd', key: 'a/b' })).statusCode, 200, 'deleting a//b leaves a/b');
  t.equal((await send({ bucket: 'odd', key: 'a//b' })).statusCode, 404);
});
