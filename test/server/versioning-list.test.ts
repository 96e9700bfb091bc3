/**
 * ListObjectVersions and ListObjects over versions – vectors 42–51 of docs/spec/versioning.md §11
 * (§7 L1–L8), over signed inject requests, plus paging over 1200 versions of one key.
 */
import t from 'tap';
import { xmlText, xmlTexts } from '../helpers/s3-inject';
import { setup } from '../helpers/versioning';

/** t0=[v8,dm5,v1] t1=[v9,dm6,v2] t2=[dm7,v4,v3] (numbers: creation order). */
async function threeKeys(t: { teardown(fn: () => unknown): void }) {
  const v = await setup(t, 'E');
  const id: Record<string, string> = {};
  id.v1 = await v.putId('t0', '1');
  id.v2 = await v.putId('t1', '2');
  id.v3 = await v.putId('t2', '3');
  id.v4 = await v.putId('t2', '4');
  id.dm5 = await v.marker('t0');
  id.dm6 = await v.marker('t1');
  id.dm7 = await v.marker('t2');
  id.v8 = await v.putId('t0', '8');
  id.v9 = await v.putId('t1', '9');
  return { ...v, id };
}

t.test('vector 42 – max-keys=5 across three keys', async (t) => {
  const { versions, listed, id } = await threeKeys(t);
  t.same((await listed({ 'max-keys': '5' })).map((e) => [e.key, e.versionId, e.isLatest]), [
    ['t0', id.v8, true], ['t0', id.dm5, false], ['t0', id.v1, false], ['t1', id.v9, true], ['t1', id.dm6, false],
  ]);
  const body = (await versions({ 'max-keys': '5' })).body;
  t.equal(xmlText(body, 'IsTruncated'), 'true');
  t.equal(xmlText(body, 'NextKeyMarker'), 't1');
  t.equal(xmlText(body, 'NextVersionIdMarker'), id.dm6);
  t.equal(xmlText(body, 'MaxKeys'), '5');
  t.equal(xmlText(body, 'Name'), 'vbucket');
});

t.test('vectors 43–44 – key-marker alone, and with version-id-marker', async (t) => {
  const { versions, listed, id } = await threeKeys(t);
  t.same((await listed({ 'key-marker': 't1', 'max-keys': '1' })).map((e) => [e.key, e.versionId, e.isLatest]), [['t2', id.dm7, true]]);
  const page = (await versions({ 'key-marker': 't1', 'max-keys': '1' })).body;
  t.equal(xmlText(page, 'NextKeyMarker'), 't2');
  t.equal(xmlText(page, 'NextVersionIdMarker'), id.dm7);
  t.match(page, /<DeleteMarker>/);
  const q = { 'key-marker': 't1', 'version-id-marker': id.dm6 ?? '', 'max-keys': '1' };
  t.same((await listed(q)).map((e) => [e.key, e.versionId]), [['t1', id.v2]]);
  const resumed = (await versions(q)).body;
  t.equal(xmlText(resumed, 'IsTruncated'), 'true');
  t.equal(xmlText(resumed, 'NextVersionIdMarker'), id.v2);
  t.equal(xmlText(resumed, 'VersionIdMarker'), id.dm6);
});

t.test('vector 45 – version-id-marker without key-marker', async (t) => {
  const { versions, id } = await threeKeys(t);
  const res = await versions({ 'version-id-marker': id.dm6 ?? '' });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(res.body, 'Message'), 'A version-id marker cannot be specified without a key marker.');
  t.equal(xmlText(res.body, 'ArgumentName'), 'version-id-marker');
});

t.test('vector 46 – resuming at a version deleted since', async (t) => {
  const { putId, del, listed, versions } = await setup(t, 'E');
  const p: string[] = [];
  for (let i = 1; i <= 5; i++) p.push(await putId('p', `p${i}`));
  const first = (await versions({ 'max-keys': '3' })).body;
  t.equal(xmlText(first, 'NextVersionIdMarker'), p[2]);
  for (const i of [4, 3, 2]) await del('p', { versionId: p[i] ?? '' });
  t.same((await listed({ 'key-marker': 'p', 'version-id-marker': p[2] ?? '' })).map((e) => [e.versionId, e.isLatest]), [[p[1], true], [p[0], false]]);
});

t.test('vectors 47–48 – delimiter pages', async (t) => {
  const { putId, versions, listed } = await setup(t, 'E');
  for (const k of ['f/a/1', 'f/a/2', 'f/b1', 'f/b2']) await putId(k, k);
  const page = (await versions({ prefix: 'f/', delimiter: '/', 'max-keys': '1' })).body;
  t.same(xmlTexts(page, 'Prefix').slice(1), ['f/a/']);
  t.equal(xmlText(page, 'NextKeyMarker'), 'f/a/');
  t.equal(xmlText(page, 'NextVersionIdMarker'), undefined);
  t.same((await listed({ prefix: 'f/', delimiter: '/', 'max-keys': '1', 'key-marker': 'f/a/1' })).map((e) => e.key), ['f/b1']);
});

t.test('vector 49 – never configured: key order, null, IsLatest', async (t) => {
  const { put, listed } = await setup(t, 'U');
  for (const k of ['a', 'c', 'b']) await put(k, k);
  t.same(await listed(), ['a', 'b', 'c'].map((key) => ({ kind: 'Version', key, versionId: 'null', isLatest: true })));
});

t.test('vector 50 – encoding-type other than url', async (t) => {
  const { versions, put } = await setup(t, 'U');
  await put('a b', 'x');
  for (const value of ['value', '']) {
    const res = await versions({ 'encoding-type': value });
    t.equal(res.statusCode, 400, value);
    t.equal(xmlText(res.body, 'Message'), 'Invalid Encoding Method specified in Request');
    t.equal(xmlText(res.body, 'ArgumentName'), 'encoding-type');
  }
  const url = await versions({ 'encoding-type': 'url' });
  t.equal(xmlText(url.body, 'Key'), 'a%20b');
  t.equal(xmlText(url.body, 'EncodingType'), 'url');
});

t.test('vector 51 – ListObjectsV2 does not show a marker-current key', async (t) => {
  const { send, putId, marker } = await setup(t, 'E');
  await putId('k', 'v1');
  await marker('k');
  await putId('other', 'x');
  const res = await send({ query: { 'list-type': '2' } });
  t.equal(xmlText(res.body, 'KeyCount'), '1');
  t.same(xmlTexts(res.body, 'Key'), ['other']);
});

t.test('§7 L2 – a Version element carries ETag, Size, Owner, StorageClass; a DeleteMarker no ETag', async (t) => {
  const { putId, marker, versions } = await setup(t, 'E');
  await putId('k', 'hello');
  await marker('k');
  const body = (await versions()).body;
  const version = /<Version>([\s\S]*?)<\/Version>/.exec(body)?.[1] ?? '';
  t.equal(xmlText(version, 'Size'), '5');
  t.equal(xmlText(version, 'StorageClass'), 'STANDARD');
  t.match(xmlText(version, 'LastModified'), /\.000Z$/);
  t.ok(xmlText(version, 'ID'));
  const dm = /<DeleteMarker>([\s\S]*?)<\/DeleteMarker>/.exec(body)?.[1] ?? '';
  t.equal(xmlText(dm, 'ETag'), undefined);
  t.equal(xmlText(dm, 'IsLatest'), 'true');
});

t.test('§7 L4 – paging over 1200 versions of one key', async (t) => {
  const { h, versions } = await setup(t, 'E');
  const { Readable } = await import('node:stream');
  const ids: string[] = [];
  for (let i = 0; i < 1200; i++) {
    const staged = await h.storage.stage(Readable.from([Buffer.from(String(i))]), { checksums: [], inline: true });
    ids.push((await h.storage.commitObject('vbucket', 'one', staged, { meta: { content: {}, user: {} }, etag: '"e"', checksums: {}, owner: 'x', acl: 'private' })).versionId);
  }
  const seen: string[] = [];
  let q: Record<string, string> = {};
  for (let pages = 0; pages < 10; pages++) {
    const body = (await versions(q)).body;
    seen.push(...xmlTexts(body, 'VersionId'));
    if (xmlText(body, 'IsTruncated') !== 'true') break;
    q = { 'key-marker': xmlText(body, 'NextKeyMarker') ?? '', 'version-id-marker': xmlText(body, 'NextVersionIdMarker') ?? '' };
  }
  t.equal(seen.length, 1200);
  t.same(seen, [...ids].reverse(), 'newest first, each once, over two pages');
});
