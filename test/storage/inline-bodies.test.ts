/**
 * Small bodies in the database – an object body up to SMALL_BODY_BYTES staged with `inline` is
 * stored in `object_bodies` in the commit's transaction, no file written; reads, ranges, copies,
 * replacement, deletion, multipart completion over it and reset keep exactly one body per object.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { openSqliteStorage, type NewObject, type SqliteStorage } from '../../storage';
import { SMALL_BODY_BYTES } from '../../storage/hashing-sink';
import { tempDir } from '../helpers/server';
import { objectFiles } from '../helpers/stored-bodies';

const OWNER = 'owner-id';
const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"x"', checksums: {}, owner: OWNER, acl: 'private' };

function open(t: Test): SqliteStorage {
  const tmp = tempDir();
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => { storage.close(); tmp.remove(); });
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  return storage;
}

function blobFiles(storage: SqliteStorage): string[] {
  return objectFiles(storage.blobs.blobDir);
}

function bodyRows(storage: SqliteStorage): number {
  return (storage.db.prepare('SELECT count(*) AS n FROM object_bodies').get() as { n: number }).n;
}

async function put(storage: SqliteStorage, key: string, body: Buffer, inline = true) {
  const staged = await storage.stage(Readable.from([body]), { checksums: ['crc32'], inline });
  return storage.commitObject('b', key, staged, OBJECT);
}

async function readAll(storage: SqliteStorage, key: string, start?: number, end?: number): Promise<Buffer> {
  const info = storage.headObject('b', key);
  if (!info) throw new Error(`no ${key}`);
  const chunks: Buffer[] = [];
  for await (const c of storage.readObject(info, start, end)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

t.test('inline bodies – a small body is a database row, no file; reads and ranges return its bytes', async (t) => {
  const storage = open(t);
  const body = Buffer.from('hello, small object');
  const staged = await storage.stage(Readable.from([body]), { checksums: ['crc32'], inline: true });
  t.same(staged.bytes, body, 'kept in memory');
  t.notOk(existsSync(storage.blobs.pathOf(staged.file)), 'no blob file');
  t.same(readdirSync(storage.blobs.tmpDir), [], 'no temp file');
  t.equal(staged.md5.toString('hex'), createHash('md5').update(body).digest('hex'), 'hashed on the way');
  await storage.commitObject('b', 'k', staged, OBJECT);
  t.equal(bodyRows(storage), 1);
  t.same(blobFiles(storage), []);
  t.same(await readAll(storage, 'k'), body);
  t.same(await readAll(storage, 'k', 7, 11), Buffer.from('small'));
  const info = storage.headObject('b', 'k');
  t.same(info && storage.readObjectBytes(info, 0, 4), Buffer.from('hello'));
  t.same(info && storage.readObjectBytes(info), body);
  t.equal(info?.size, body.length);
});

t.test('inline bodies – the largest inline body, and one byte more goes to a file', async (t) => {
  const storage = open(t);
  const edge = Buffer.alloc(SMALL_BODY_BYTES, 7);
  await put(storage, 'edge', edge);
  t.equal(bodyRows(storage), 1);
  t.same(blobFiles(storage), []);
  t.same(await readAll(storage, 'edge'), edge);
  const over = Buffer.alloc(SMALL_BODY_BYTES + 1, 9);
  await put(storage, 'over', over);
  t.equal(bodyRows(storage), 1, 'the larger body is not a row');
  t.equal(blobFiles(storage).length, 1, 'it is a file');
  t.same(await readAll(storage, 'over'), over);
});

t.test('inline bodies – an empty body is a row too, and goes with its object', async (t) => {
  const storage = open(t);
  await put(storage, 'empty', Buffer.alloc(0));
  t.equal(bodyRows(storage), 1);
  t.same(blobFiles(storage), []);
  t.same(await readAll(storage, 'empty'), Buffer.alloc(0));
  t.equal(storage.headObject('b', 'empty')?.size, 0);
  await put(storage, 'empty', Buffer.alloc(0));
  t.equal(bodyRows(storage), 1, 'replaced, not added');
  t.equal((await storage.deleteObject('b', 'empty')).removed, true);
  t.equal(bodyRows(storage), 0);
});

t.test('inline bodies – without `inline` a small body is still a file (multipart parts)', async (t) => {
  const storage = open(t);
  await put(storage, 'file', Buffer.from('tiny'), false);
  t.equal(bodyRows(storage), 0);
  t.equal(blobFiles(storage).length, 1);
});

t.test('inline bodies – replacing and deleting: file → row → file → gone, nothing left over', async (t) => {
  const storage = open(t);
  await put(storage, 'k', Buffer.alloc(SMALL_BODY_BYTES + 10, 1));
  t.equal(blobFiles(storage).length, 1);
  await put(storage, 'k', Buffer.from('now small'));
  // The replaced file is deleted off the response path (issue 19): wait for it, then it must be gone.
  await storage.blobs.removalsSettled();
  t.same(blobFiles(storage), [], 'the replaced file is deleted');
  t.equal(bodyRows(storage), 1);
  await put(storage, 'k', Buffer.from('small again'));
  t.equal(bodyRows(storage), 1, 'the replaced row is deleted in the same transaction');
  t.same(await readAll(storage, 'k'), Buffer.from('small again'));
  await put(storage, 'k', Buffer.alloc(SMALL_BODY_BYTES + 10, 2));
  t.equal(bodyRows(storage), 0);
  t.equal(blobFiles(storage).length, 1);
  await put(storage, 'k', Buffer.from('x'));
  t.equal((await storage.deleteObject('b', 'k')).removed, true);
  t.equal(bodyRows(storage), 0);
  await storage.blobs.removalsSettled();
  t.same(blobFiles(storage), []);
});

t.test('inline bodies – a failed conditional commit stores nothing', async (t) => {
  const storage = open(t);
  await put(storage, 'k', Buffer.from('first'));
  const staged = await storage.stage(Readable.from([Buffer.from('second')]), { checksums: [], inline: true });
  await t.rejects(storage.commitObject('b', 'k', staged, OBJECT, { ifNoneMatchAny: true }), { code: 'PreconditionFailed' });
  t.equal(bodyRows(storage), 1);
  t.same(await readAll(storage, 'k'), Buffer.from('first'));
});

t.test('inline bodies – a copy owns its own row; deleting the source keeps the copy', async (t) => {
  const storage = open(t);
  await put(storage, 'src', Buffer.from('copied bytes'));
  const src = storage.headObject('b', 'src');
  if (!src) throw new Error('no src');
  await storage.copyObject(src, 'b', 'dst', OBJECT);
  t.equal(bodyRows(storage), 2);
  await storage.deleteObject('b', 'src');
  t.same(await readAll(storage, 'dst'), Buffer.from('copied bytes'));
  await storage.copyObject(storage.headObject('b', 'dst') ?? src, 'b', 'dst', OBJECT);
  t.equal(bodyRows(storage), 1, 'a copy onto itself replaces its row');
  t.same(await readAll(storage, 'dst'), Buffer.from('copied bytes'));
});

t.test('inline bodies – a multipart completion over an inline object deletes its row', async (t) => {
  const storage = open(t);
  await put(storage, 'k', Buffer.from('small'));
  const upload = storage.createUpload({ bucket: 'b', key: 'k', meta: { content: {}, user: {} }, owner: OWNER, acl: 'private' });
  const staged = await storage.stage(Readable.from([Buffer.from('part one')]), { checksums: [] });
  const part = await storage.commitPart(upload, 1, staged, { etag: '"p"', checksums: {} });
  await storage.completeUpload(upload, [part], OBJECT);
  t.equal(bodyRows(storage), 0);
  t.same(await readAll(storage, 'k'), Buffer.from('part one'));
  const inlinePart = await storage.stage(Readable.from([Buffer.from('x')]), { checksums: [], inline: true });
  await t.rejects(storage.commitPart(upload, 2, inlinePart, { etag: '"q"', checksums: {} }), /a part is a file/);
});

t.test('inline bodies – reset empties them; a reopened data dir reads them back', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  let storage = openSqliteStorage({ dataDir: tmp.dir });
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  await put(storage, 'kept', Buffer.from('survives a restart'));
  storage.close();
  storage = openSqliteStorage({ dataDir: tmp.dir });
  t.equal(await storage.sweepOrphans(Date.now() + 1000), 0, 'nothing to sweep');
  t.same(await readAll(storage, 'kept'), Buffer.from('survives a restart'));
  await storage.reset('objects');
  t.equal(bodyRows(storage), 0);
  storage.close();
});

t.test('inline bodies – with durability full: synchronous=FULL, small and large bodies round-trip', async (t) => {
  const tmp = tempDir();
  const storage = openSqliteStorage({ dataDir: tmp.dir, durability: 'full' });
  t.teardown(() => { storage.close(); tmp.remove(); });
  t.equal(storage.db.pragma('synchronous', { simple: true }), 2, 'FULL');
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  const small = Buffer.from('fsynced through the WAL');
  const large = Buffer.alloc(SMALL_BODY_BYTES * 2, 3);
  await put(storage, 'small', small);
  await put(storage, 'large', large);
  t.equal(bodyRows(storage), 1);
  t.equal(blobFiles(storage).length, 1);
  t.same(await readAll(storage, 'small'), small);
  t.same(await readAll(storage, 'large'), large);
});

t.test('inline bodies – their ids sort in creation order (one index page per group commit); file ids stay random', async (t) => {
  const storage = open(t);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) ids.push((await put(storage, `k${i}`, Buffer.from(`body ${i}`))).segments[0]?.file as string);
  for (const id of ids) t.match(id, /^[0-9a-f]{24}$/, 'as long as a file id');
  t.same([...ids].sort(), ids, 'each later than the one before');
  t.equal(new Set(ids).size, ids.length, 'all distinct');
  // Within one millisecond the sequence orders them; ids made at the same instant never collide.
  const same = Array.from({ length: 1000 }, () => storage.blobs.newBodyId(1_700_000_000_000));
  t.equal(new Set(same).size, same.length, 'distinct within one millisecond');
  t.same([...same].sort(), same, 'ordered within one millisecond');
  const copied = await storage.copyObject(storage.headObject('b', 'k0') as never, 'b', 'copy', OBJECT);
  t.ok((copied.segments[0]?.file as string) > (ids.at(-1) as string), 'a copied small body gets a new, later id');
  // A body kept in a file is named at random, so files spread over blobs/<2 hex>/.
  const large = [];
  for (let i = 0; i < 8; i++) large.push((await put(storage, `big${i}`, Buffer.alloc(SMALL_BODY_BYTES + 1, i))).segments[0]?.file as string);
  t.not(new Set(large.map((id) => id.slice(0, 2))).size, 1, 'file ids do not share one directory');
  t.same(blobFiles(storage).sort(), [...large].sort(), 'the files are the large bodies');
});
