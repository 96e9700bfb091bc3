/**
 * Storage crash points on a temp dir: whatever step a killed process stopped at, reopening the
 * data dir and sweeping orphans leaves the previous (or the new, once committed) object intact
 * and no stray file behind. Plus the delimiter listing's seek-past-prefix, checked against a
 * naive model on many keys.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import t from 'tap';
import { compareKeys, openSqliteStorage, type NewObject, type SqliteStorage } from '../../storage';
import { listKeys } from '../../storage/listing';
import { tempDir } from '../helpers/server';
import { objectFiles } from '../helpers/stored-bodies';

const OWNER = 'owner-id';
const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"x"', checksums: {}, owner: OWNER, acl: 'private' };

async function text(storage: SqliteStorage, bucket: string, key: string): Promise<string | undefined> {
  const info = storage.headObject(bucket, key);
  if (!info) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of storage.readObject(info)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

async function put(storage: SqliteStorage, bucket: string, key: string, body: string) {
  const staged = await storage.stage(Readable.from([Buffer.from(body)]), { checksums: [] });
  return storage.commitObject(bucket, key, staged, OBJECT);
}

/** Every blob file name under blobs/. */
function blobFiles(dir: string): string[] {
  return objectFiles(join(dir, 'blobs')).sort();
}

function referenced(storage: SqliteStorage, ...keys: Array<[string, string]>): string[] {
  return keys.flatMap(([b, k]) => storage.headObject(b, k)?.segments.map((s) => s.file) ?? []).sort();
}

t.test('crash points – temp file, uncommitted blob, undeleted replaced file: sweep restores a clean state', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  let storage = openSqliteStorage({ dataDir: tmp.dir });
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  await put(storage, 'b', 'stable', 'version 1');
  await put(storage, 'b', 'replaced', 'old body');

  // 1. Killed while streaming the body: a temp file is left.
  writeFileSync(join(tmp.dir, 'tmp', 'deadbeefdeadbeefdeadbeef'), 'half an upload');
  // 2. Killed after the rename into blobs/, before the metadata commit.
  const staged = await storage.stage(Readable.from([Buffer.from('version 2, never committed')]), { checksums: [] });
  t.ok(existsSync(storage.blobs.pathOf(staged.file)), 'the uncommitted blob is in place');
  // 3. Killed after the commit, before the replaced file was deleted.
  const oldFile = storage.headObject('b', 'replaced')?.segments[0]?.file ?? '';
  const remove = storage.blobs.remove.bind(storage.blobs);
  storage.blobs.remove = async () => undefined;
  await put(storage, 'b', 'replaced', 'new body');
  storage.blobs.remove = remove;
  t.ok(existsSync(storage.blobs.pathOf(oldFile)), 'the replaced file is still there');
  storage.close();

  // Restart.
  storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  t.equal(await text(storage, 'b', 'stable'), 'version 1', 'the object an uncommitted write targeted is intact');
  t.equal(await text(storage, 'b', 'replaced'), 'new body', 'a committed write is kept');
  const removed = await storage.sweepOrphans(Date.now() + 60_000);
  t.equal(removed, 3, 'temp file, uncommitted blob and replaced file');
  t.same(readdirSync(join(tmp.dir, 'tmp')), []);
  t.same(blobFiles(tmp.dir), referenced(storage, ['b', 'stable'], ['b', 'replaced']), 'only referenced blobs remain');
  t.equal(await text(storage, 'b', 'stable'), 'version 1');
  t.equal(await text(storage, 'b', 'replaced'), 'new body');
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 0, 'a second sweep finds nothing');
});

t.test('crash points – a body stream that fails leaves no file and the previous object', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  await put(storage, 'b', 'k', 'before');
  const failing = new Readable({
    read() {
      this.push(Buffer.alloc(1000, 1));
      this.destroy(new Error('connection reset'));
    },
  });
  await t.rejects(storage.stage(failing, { checksums: [] }), /connection reset/);
  t.same(readdirSync(join(tmp.dir, 'tmp')), []);
  t.same(blobFiles(tmp.dir), referenced(storage, ['b', 'k']));
  t.equal(await text(storage, 'b', 'k'), 'before');
});

t.test('crash points – sweeping never touches in-flight blobs or hard-linked copies', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  const src = await put(storage, 'b', 'src', 'shared bytes');
  await storage.copyObject(src, 'b', 'copy', OBJECT);
  t.equal((await storage.deleteObject('b', 'src')).removed, true);
  const inFlight = await storage.stage(Readable.from([Buffer.from('in flight')]), { checksums: [] });
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 0);
  t.equal(await text(storage, 'b', 'copy'), 'shared bytes', 'the copy outlives its source');
  await storage.commitObject('b', 'late', inFlight, OBJECT);
  t.equal(await text(storage, 'b', 'late'), 'in flight');
  t.same(blobFiles(tmp.dir), referenced(storage, ['b', 'copy'], ['b', 'late']));
});

t.test('crash points – a commit refused by a condition removes its blob', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  await put(storage, 'b', 'k', 'first');
  const staged = await storage.stage(Readable.from([Buffer.from('second')]), { checksums: [] });
  await t.rejects(storage.commitObject('b', 'k', staged, OBJECT, { ifNoneMatchAny: true }), { code: 'PreconditionFailed' });
  t.same(blobFiles(tmp.dir), referenced(storage, ['b', 'k']));
  t.equal(await text(storage, 'b', 'k'), 'first');
});

/** Distinct keys in UTF-8 byte order. */
function byteSorted(keys: string[]): string[] {
  return [...new Set(keys)].map((k) => [k, Buffer.from(k)] as const).sort((a, b) => Buffer.compare(a[1], b[1])).map(([k]) => k);
}

/** The listing S3 defines, computed the slow way over byte-sorted keys. */
function naiveList(sortedKeys: string[], q: { prefix: string; delimiter: string; after: string; maxKeys: number }) {
  const entries: string[] = [];
  for (const key of sortedKeys) {
    if (!key.startsWith(q.prefix) || compareKeys(key, q.after) <= 0) continue;
    let entry = key;
    if (q.delimiter !== '') {
      const at = key.indexOf(q.delimiter, q.prefix.length);
      if (at >= 0) entry = key.slice(0, at + q.delimiter.length);
    }
    if (compareKeys(entry, q.after) <= 0 || entries[entries.length - 1] === entry) continue;
    entries.push(entry);
  }
  return { entries: entries.slice(0, q.maxKeys), isTruncated: q.maxKeys > 0 && entries.length > q.maxKeys };
}

/** An in-memory cursor over byte-sorted keys that counts the rows it hands out. */
function memoryCursor(sortedKeys: string[]) {
  const rows = sortedKeys.map((key) => ({ key }));
  const bufs = rows.map((r) => Buffer.from(r.key));
  return cursorOver(rows, bufs);
}

function cursorOver(rows: Array<{ key: string }>, bufs: Buffer[]) {
  const cursor = {
    fetched: 0,
    fetch(bound: string, inclusive: boolean, limit: number) {
      const b = Buffer.from(bound);
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const c = Buffer.compare(bufs[mid] as Buffer, b);
        if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
        else hi = mid;
      }
      const out = rows.slice(lo, lo + limit);
      cursor.fetched += out.length;
      return out;
    },
  };
  return cursor;
}

function manyKeys(): string[] {
  const keys: string[] = [];
  for (let p = 0; p < 60; p++) {
    for (let k = 0; k < 300; k++) keys.push(`dir${String(p).padStart(2, '0')}/${k % 3 === 0 ? 'sub/' : ''}file${k}`);
    keys.push(`top${p}`);
  }
  keys.push('dir05', 'dir05/', 'dir05//x', 'émoji/😀', '\uE000/x', '😀/y');
  return keys;
}

t.test('listing – a delimiter listing seeks past each common prefix (O(page) rows read)', async (t) => {
  const keys = byteSorted(manyKeys());
  const cursor = memoryCursor(keys);
  const page = listKeys(cursor, { prefix: '', delimiter: '/', after: '', maxKeys: 1000 });
  const expected = naiveList(keys, { prefix: '', delimiter: '/', after: '', maxKeys: 1000 });
  t.same([...page.rows.map((r) => r.key), ...page.commonPrefixes].sort(compareKeys), expected.entries);
  t.equal(page.isTruncated, false);
  t.ok(cursor.fetched < 1000, `read ${cursor.fetched} rows of ${keys.length}`);
});

t.test('listing – listKeys equals the naive model for random queries and full pagination', async (t) => {
  const all = byteSorted(manyKeys());
  const rows = all.map((key) => ({ key }));
  const bufs = rows.map((r) => Buffer.from(r.key));
  const prefixes = ['', 'dir0', 'dir05', 'dir05/', 'dir12/sub/', 'top', 'é', '\uE000', '😀', 'zzz'];
  const afters = ['', 'dir03/', 'dir03/file1', 'dir05', 'dir05/sub/', 'top1', '\uE000', 'é'];
  fc.assert(
    fc.property(
      fc.constantFrom(...prefixes), fc.constantFrom('', '/', 'sub/', 'e', '//'), fc.constantFrom(...afters), fc.integer({ min: 0, max: 70 }),
      (prefix, delimiter, after, maxKeys) => {
        const q = { prefix, delimiter, after, maxKeys };
        const got = listKeys(cursorOver(rows, bufs), q);
        const want = naiveList(all, q);
        const entries = [...got.rows.map((r) => r.key), ...got.commonPrefixes].sort(compareKeys);
        return JSON.stringify(entries) === JSON.stringify(want.entries) && got.isTruncated === want.isTruncated
          && (got.last === undefined ? entries.length === 0 : got.last === entries[entries.length - 1]);
      },
    ),
    { numRuns: 300, seed: 42 },
  );
  // Walking every page with the last entry as the marker visits every entry exactly once.
  for (const delimiter of ['', '/']) {
    const seen: string[] = [];
    let after = '';
    for (let i = 0; i < 1000; i++) {
      const page = listKeys(cursorOver(rows, bufs), { prefix: '', delimiter, after, maxKeys: 250 });
      seen.push(...[...page.rows.map((r) => r.key), ...page.commonPrefixes].sort(compareKeys));
      if (!page.isTruncated) break;
      after = page.last ?? '';
    }
    t.same(seen, naiveList(all, { prefix: '', delimiter, after: '', maxKeys: 1e9 }).entries, `pages with delimiter ${JSON.stringify(delimiter)}`);
  }
});

t.test('listing – SQLite storage agrees on many keys (index scan in byte order)', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  const keys = byteSorted(manyKeys());
  const insert = storage.db.prepare(
    "INSERT INTO objects (bucket, key, size, etag, last_modified, meta, checksums, checksum_type, owner, acl, file, multipart) VALUES ('b', ?, 0, '\"x\"', 0, '{\"content\":{},\"user\":{}}', '{}', NULL, 'o', 'private', ?, 0)",
  );
  storage.db.transaction(() => { for (const [i, k] of keys.entries()) insert.run(k, `f${i}`); })();
  mkdirSync(join(tmp.dir, 'blobs'), { recursive: true });
  for (const q of [
    { prefix: '', delimiter: '/', after: '', maxKeys: 1000 },
    { prefix: 'dir05', delimiter: '/', after: '', maxKeys: 10 },
    { prefix: 'dir1', delimiter: '/', after: 'dir12/', maxKeys: 3 },
    { prefix: '', delimiter: '', after: 'dir59/file98', maxKeys: 500 },
    { prefix: '', delimiter: '/', after: 'top', maxKeys: 1000 },
  ]) {
    const page = storage.listObjects('b', q);
    const entries = [...page.objects.map((o) => o.key), ...page.commonPrefixes].sort(compareKeys);
    const want = naiveList(keys, q);
    t.same(entries, want.entries, JSON.stringify(q));
    t.equal(page.isTruncated, want.isTruncated, JSON.stringify(q));
  }
});
