/**
 * Object cache – a repeated headObject runs no SQL, and every way an object changes (overwrite,
 * copy onto it, delete, ACL, grants, multipart completion, reset) is seen by the next read.
 */
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { openSqliteStorage, type NewObject, type SqliteStorage } from '../../storage';
import { ObjectCache } from '../../storage/object-cache';
import { tempDir } from '../helpers/server';

const OWNER = 'owner-id';
const OBJECT: NewObject = { meta: { content: { contentType: 'text/plain' }, user: {} }, etag: '"v1"', checksums: {}, owner: OWNER, acl: 'private' };

function open(t: Test): { storage: SqliteStorage; reads: () => number } {
  const tmp = tempDir();
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => { storage.close(); tmp.remove(); });
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  // Count the statement's executions: the cache is the only other way to answer.
  const stmt = (storage as unknown as { stmt: { getObject: { get: (...a: unknown[]) => unknown } } }).stmt.getObject;
  let n = 0;
  const get = stmt.get.bind(stmt);
  stmt.get = (...a: unknown[]) => { n++; return get(...a); };
  return { storage, reads: () => n };
}

async function put(storage: SqliteStorage, key: string, body: string, etag: string) {
  const staged = await storage.stage(Readable.from([Buffer.from(body)]), { checksums: [], inline: true });
  return storage.commitObject('b', key, staged, { ...OBJECT, etag });
}

function text(storage: SqliteStorage, key: string): string | undefined {
  const info = storage.headObject('b', key);
  return info && storage.readObjectBytes(info)?.toString();
}

t.test('object cache – the second read runs no SQL; entries are frozen', async (t) => {
  const { storage, reads } = open(t);
  await put(storage, 'k', 'one', '"1"');
  const before = reads();
  const first = storage.headObject('b', 'k');
  const second = storage.headObject('b', 'k');
  t.equal(reads() - before, 1, 'one statement for two reads');
  t.equal(first, second);
  t.throws(() => { (first as { etag: string }).etag = '"changed"'; }, TypeError, 'frozen');
  t.throws(() => { (first?.meta.content as { contentType: string }).contentType = 'x'; }, TypeError, 'frozen all the way down');
  t.equal(storage.headObject('b', 'missing'), undefined);
  t.equal(storage.headObject('b', 'missing'), undefined);
  t.equal(reads() - before, 3, 'a missing key is read each time (not cached)');
});

t.test('object cache – every write of the key is seen by the next read', async (t) => {
  const { storage } = open(t);
  await put(storage, 'k', 'one', '"1"');
  t.equal(text(storage, 'k'), 'one');
  await put(storage, 'k', 'two', '"2"');
  t.equal(text(storage, 'k'), 'two', 'overwrite');
  t.equal(storage.headObject('b', 'k')?.etag, '"2"');

  await put(storage, 'src', 'copied', '"c"');
  const src = storage.headObject('b', 'src');
  if (!src) throw new Error('no src');
  await storage.copyObject(src, 'b', 'k', { ...OBJECT, etag: '"c"' });
  t.equal(text(storage, 'k'), 'copied', 'copy onto it');

  t.equal(storage.setObjectAcl('b', 'k', 'public-read'), true);
  t.equal(storage.headObject('b', 'k')?.acl, 'public-read', 'canned ACL');
  t.equal(storage.setObjectGrants('b', 'k', [{ grantee: { type: 'CanonicalUser', id: 'someone' }, permission: 'READ' }]), true);
  t.same(storage.headObject('b', 'k')?.grants, [{ grantee: { type: 'CanonicalUser', id: 'someone' }, permission: 'READ' }], 'grants');

  const upload = storage.createUpload({ bucket: 'b', key: 'k', meta: { content: {}, user: {} }, owner: OWNER, acl: 'private' });
  const staged = await storage.stage(Readable.from([Buffer.from('from parts')]), { checksums: [] });
  const part = await storage.commitPart(upload, 1, staged, { etag: '"p"', checksums: {} });
  await storage.completeUpload(upload, [part], { ...OBJECT, etag: '"m-1"' });
  t.equal(storage.headObject('b', 'k')?.etag, '"m-1"', 'multipart completion');
  t.equal(storage.headObject('b', 'k')?.segments.length, 1);

  await storage.deleteObject('b', 'k');
  t.equal(storage.headObject('b', 'k'), undefined, 'delete');

  await put(storage, 'k', 'three', '"3"');
  t.equal(text(storage, 'k'), 'three');
  await storage.reset('objects');
  t.equal(storage.headObject('b', 'k'), undefined, 'reset');
});

t.test('object cache – a refused conditional write leaves the cached object right', async (t) => {
  const { storage } = open(t);
  await put(storage, 'k', 'one', '"1"');
  t.equal(text(storage, 'k'), 'one');
  const staged = await storage.stage(Readable.from([Buffer.from('two')]), { checksums: [], inline: true });
  await t.rejects(storage.commitObject('b', 'k', staged, OBJECT, { ifMatch: '"other"' }), { code: 'PreconditionFailed' });
  t.equal(text(storage, 'k'), 'one');
});

t.test('object cache – bounded by entries and by bytes, least recently used first', async (t) => {
  const info = (key: string, bytes = 0) => ({
    bucket: 'b', key, size: bytes, etag: '"e"', lastModified: new Date(0), meta: { content: {}, user: {} }, checksums: {},
    owner: OWNER, acl: 'private' as const, versionId: 'null', deleteMarker: false, segments: [{ file: key, size: bytes, ...(bytes > 0 ? { bytes: Buffer.alloc(bytes) } : {}) }],
  });
  const byCount = new ObjectCache(3, 1 << 20);
  for (const k of ['a', 'b', 'c']) byCount.set(info(k));
  byCount.get('b', 'a'); // a is now the most recent
  byCount.set(info('d'));
  t.same(['a', 'b', 'c', 'd'].map((k) => byCount.get('b', k) !== undefined), [true, false, true, true], 'b, the least recently used, went');
  const byBytes = new ObjectCache(100, 32 * 1024);
  for (let i = 0; i < 12; i++) byBytes.set(info(`k${i}`, 3 * 1024));
  t.equal(byBytes.size, 9, 'nine entries of 3.5 KiB fit in 32 KiB');
  t.equal(byBytes.get('b', 'k0'), undefined, 'the oldest went');
  t.equal(byBytes.get('b', 'k11')?.key, 'k11', 'the newest stayed');
  byBytes.set(info('huge', 5 * 1024));
  t.equal(byBytes.get('b', 'huge'), undefined, 'an entry over an eighth of the budget is not kept');
});

t.test('object cache – CLOCK: a read entry gets a second chance, an unread one goes; the count holds', async (t) => {
  const cache = new ObjectCache(3);
  const info = (key: string) => ({ bucket: 'b', key, size: 0, etag: '"e"', lastModified: new Date(0), checksums: {}, owner: OWNER, meta: { content: {}, user: {} }, acl: 'private' as const, segments: [], versionId: 'null', deleteMarker: false });
  for (const k of ['a', 'b', 'c']) cache.set(info(k));
  t.ok(cache.get('b', 'a'), 'a read');
  cache.set(info('d'));
  t.equal(cache.size, 3);
  t.ok(cache.get('b', 'a'), 'a, read since it came in, stays');
  t.equal(cache.get('b', 'b'), undefined, 'b, never read, is evicted first');
  for (let i = 0; i < 100; i++) { cache.set(info(`k${i}`)); cache.get('b', `k${i}`); }
  t.equal(cache.size, 3, 'never more than maxEntries, even when every entry is read');
});
