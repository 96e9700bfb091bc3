/**
 * Object cache – a repeated headObject runs no SQL, and every way an object changes (overwrite,
 * copy onto it, delete, ACL, grants, multipart completion, reset) is seen by the next read.
 */
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { openSqliteStorage, type NewObject, type ObjectInfo, type SqliteStorage } from '../../storage';
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

// The cache sees what headObject does: a miss (get) then the row read from the database (set).
function offer(cache: ObjectCache, info: ObjectInfo, times = 1): void {
  for (let i = 0; i < times; i++) if (cache.get(info.bucket, info.key) === undefined) cache.set(info);
}

t.test('object cache – bounded by entries and by bytes; the entry not read since the hand passed goes first', async (t) => {
  const info = (key: string, bytes = 0): ObjectInfo => ({
    bucket: 'b', key, size: bytes, etag: '"e"', lastModified: new Date(0), meta: { content: {}, user: {} }, checksums: {},
    owner: OWNER, acl: 'private' as const, versionId: 'null', deleteMarker: false, segments: [{ file: key, size: bytes, ...(bytes > 0 ? { bytes: Buffer.alloc(bytes) } : {}) }],
  });
  const byCount = new ObjectCache(3, 1 << 20);
  for (const k of ['a', 'b', 'c']) offer(byCount, info(k));
  byCount.get('b', 'a'); // a is now the most recent
  offer(byCount, info('d'));
  t.same(['a', 'b', 'c', 'd'].map((k) => byCount.get('b', k) !== undefined), [true, true, true, false], 'd, asked for no more often than b, stays out');
  offer(byCount, info('d'), 2);
  t.same(['a', 'b', 'c', 'd'].map((k) => byCount.get('b', k) !== undefined), [true, false, true, true], 'asked for again, d displaces b, the least recently used');
  const byBytes = new ObjectCache(100, 32 * 1024);
  for (let i = 0; i < 9; i++) offer(byBytes, info(`k${i}`, 3 * 1024));
  t.equal(byBytes.size, 9, 'nine entries of 3.5 KiB fit in 32 KiB');
  for (let i = 9; i < 12; i++) offer(byBytes, info(`k${i}`, 3 * 1024), 3);
  t.equal(byBytes.size, 9, 'still nine');
  t.equal(byBytes.get('b', 'k0'), undefined, 'the oldest went');
  t.equal(byBytes.get('b', 'k11')?.key, 'k11', 'the newest stayed');
  offer(byBytes, info('huge', 5 * 1024), 20);
  t.equal(byBytes.get('b', 'huge'), undefined, 'an entry over an eighth of the budget is not kept');
});

t.test('object cache – CLOCK: a read entry gets a second chance, an unread one goes; the count holds', async (t) => {
  const cache = new ObjectCache(3);
  const info = (key: string): ObjectInfo => ({ bucket: 'b', key, size: 0, etag: '"e"', lastModified: new Date(0), checksums: {}, owner: OWNER, meta: { content: {}, user: {} }, acl: 'private' as const, segments: [], versionId: 'null', deleteMarker: false });
  for (const k of ['a', 'b', 'c']) offer(cache, info(k));
  t.ok(cache.get('b', 'a'), 'a read');
  offer(cache, info('d'), 2);
  t.equal(cache.size, 3);
  t.ok(cache.get('b', 'd'), 'd came in');
  t.ok(cache.get('b', 'a'), 'a, read since it came in, stays');
  t.equal(cache.get('b', 'b'), undefined, 'b, never read, is evicted first');
  for (let i = 0; i < 100; i++) { cache.set(info(`k${i}`)); cache.get('b', `k${i}`); }
  t.equal(cache.size, 3, 'never more than maxEntries, even when every entry is read');
});

t.test('object cache – a working set larger than the cache, read in turn, still hits; a newly hot key gets in', async (t) => {
  const cache = new ObjectCache(100);
  const info = (key: string): ObjectInfo => ({ bucket: 'b', key, size: 0, etag: '"e"', lastModified: new Date(0), checksums: {}, owner: OWNER, meta: { content: {}, user: {} }, acl: 'private' as const, segments: [], versionId: 'null', deleteMarker: false });
  // As headObject reads: a miss is read from the database and offered to the cache.
  const read = (key: string) => cache.get('b', key) !== undefined || (cache.set(info(key)), false);
  const keys = Array.from({ length: 150 }, (_, i) => `k${i}`);
  for (let round = 0; round < 3; round++) for (const k of keys) read(k);
  let hits = 0;
  for (let round = 0; round < 10; round++) for (const k of keys) if (read(k)) hits++;
  // Plain LRU or CLOCK answers none of these (each miss evicts the key read next); the best any
  // cache of 100 entries can do is 100 of every 150.
  t.ok(hits >= 0.6 * 1500, `${hits} hits of 1500`);
  t.equal(cache.size, 100);
  const outside = keys.find((k) => cache.get('b', k) === undefined) ?? '';
  t.not(outside, '', 'some key is not cached');
  for (let i = 0; i < 20; i++) read('hot');
  t.ok(cache.get('b', 'hot'), 'a key read twenty times in a row is cached');
});

t.test('object cache – reads that move to other keys take the cache over; a one-time scan does not', async (t) => {
  const cache = new ObjectCache(100);
  const info = (key: string): ObjectInfo => ({ bucket: 'b', key, size: 0, etag: '"e"', lastModified: new Date(0), checksums: {}, owner: OWNER, meta: { content: {}, user: {} }, acl: 'private' as const, segments: [], versionId: 'null', deleteMarker: false });
  const read = (key: string) => cache.get('b', key) !== undefined || (cache.set(info(key)), false);
  let seed = 1;
  const random = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
  // Reads over 150 keys of one set (each read about four times), then over 150 others.
  for (let i = 0; i < 600; i++) read(`old-${random(150)}`);
  let hits = 0;
  for (let i = 0; i < 800; i++) if (read(`new-${random(150)}`) && i >= 200) hits++;
  // The best a cache of 100 entries can do is 2 reads in 3 (400 of these 600). While only the
  // sketch's period aged the counts, the old set's entries held the new one out: 137 hits.
  t.ok(hits >= 0.45 * 600, `${hits} hits of the 600 reads after the new set's first 200`);
  // A hot set of 50 keys, then a scan of 5,000 keys read once each with a hot read every fourth.
  for (let r = 0; r < 20; r++) for (let i = 0; i < 50; i++) read(`hot-${i}`);
  let hot = 0;
  for (let i = 0; i < 5000; i++) {
    read(`scan-${i}`);
    if (i % 4 === 0 && read(`hot-${(i / 4) % 50}`)) hot++;
  }
  t.ok(hot >= 0.9 * 1250, `${hot} hot hits of 1250 during the scan`);
});

t.test('object cache – random reads, writes, forgets and clears against a model: never a stale or a forgotten entry, never over its bounds', async (t) => {
  const maxEntries = 50;
  const maxBytes = 64 * 1024;
  const cache = new ObjectCache(maxEntries, maxBytes);
  let seed = 7;
  const random = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
  const info = (key: string, version: number, bytes: number): ObjectInfo => ({
    bucket: 'b', key, size: bytes, etag: `"${version}"`, lastModified: new Date(0), meta: { content: {}, user: {} }, checksums: {},
    owner: OWNER, acl: 'private' as const, versionId: 'null', deleteMarker: false, segments: [{ file: key, size: bytes, ...(bytes > 0 ? { bytes: Buffer.alloc(bytes) } : {}) }],
  });
  // The model: the last version written of each key (what the database holds); the cache may
  // forget anything, but what it answers must be that version.
  const latest = new Map<string, number>();
  let wrong = 0;
  let hits = 0;
  for (let op = 0; op < 30000; op++) {
    const key = `k${random(120)}`;
    const roll = random(100);
    if (roll < 70) {
      const got = cache.get('b', key);
      if (got !== undefined) {
        hits++;
        if (got.etag !== `"${latest.get(key)}"`) wrong++;
      } else if (latest.has(key)) {
        cache.set(info(key, latest.get(key) as number, random(3) === 0 ? 0 : 512 + random(3000)));
      }
    } else if (roll < 85) {
      // A write: the storage forgets the key in the same turn as its commit.
      latest.set(key, (latest.get(key) ?? 0) + 1);
      cache.forget('b', key);
    } else if (roll < 99) {
      latest.delete(key);
      cache.forget('b', key);
    } else {
      cache.clear();
    }
    if (cache.size > maxEntries) wrong++;
  }
  t.equal(wrong, 0, 'no stale entry, never more than maxEntries');
  t.ok(hits > 1000, `${hits} hits`);
  // The byte budget: fill with entries of 4 KiB + overhead, each read twice so it gets in.
  cache.clear();
  for (let i = 0; i < 200; i++) for (let r = 0; r < 3; r++) if (cache.get('b', `big${i}`) === undefined) cache.set(info(`big${i}`, 1, 4096));
  t.ok(cache.size <= Math.floor(maxBytes / (4096 + 512)), `${cache.size} entries of 4.5 KiB within 64 KiB`);
  t.ok(cache.size >= Math.floor(maxBytes / (4096 + 512)) - 1, 'and the budget is used');
  const none = new ObjectCache(0);
  none.set(info('k', 1, 0));
  t.equal(none.get('b', 'k'), undefined, 'a cache of no entries keeps none');
  t.equal(none.size, 0);
});
