/**
 * Versions on disk – a version's body file lives exactly as long as the version: kept when it
 * becomes noncurrent or is hidden by a delete marker, removed when that version is deleted for
 * good; crash points of versioned writes and deletes (killed before the commit, killed before
 * the freed file was deleted) leave every acknowledged version and no stray file after the
 * start-up sweep. Plus what Object Lock refuses, and the cache of current entries.
 */
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import t from 'tap';
import { openSqliteStorage, type NewObject, type SqliteStorage } from '../../storage';
import { tempDir } from '../helpers/server';

const OWNER = 'owner-id';
const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"x"', checksums: {}, owner: OWNER, acl: 'private' };
const LARGE = 70 * 1024;

function open(dir: string, versioning?: 'Enabled' | 'Suspended'): SqliteStorage {
  const storage = openSqliteStorage({ dataDir: dir });
  if (storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' }) && versioning) {
    storage.setBucketVersioning('b', versioning);
  }
  return storage;
}

async function put(storage: SqliteStorage, key: string, fill: number, object: NewObject = OBJECT) {
  const staged = await storage.stage(Readable.from([Buffer.alloc(LARGE, fill)]), { checksums: [], inline: true });
  return storage.commitObject('b', key, staged, object);
}

async function firstByte(storage: SqliteStorage, key: string, versionId?: string): Promise<number | undefined> {
  const info = storage.headObject('b', key, versionId);
  if (!info || info.deleteMarker) return undefined;
  for await (const c of storage.readObject(info, 0, 0)) return (c as Buffer)[0];
  return undefined;
}

t.test('versions on disk – files live as long as their versions', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = open(tmp.dir, 'Enabled');
  t.teardown(() => storage.close());
  const v1 = await put(storage, 'k', 1);
  const v2 = await put(storage, 'k', 2);
  const file1 = storage.blobs.pathOf(v1.segments[0]?.file ?? '');
  const file2 = storage.blobs.pathOf(v2.segments[0]?.file ?? '');
  const marker = await storage.deleteObject('b', 'k');
  t.equal(marker.deleteMarker, true);
  t.ok(existsSync(file1) && existsSync(file2), 'noncurrent and hidden versions keep their files');
  t.equal(await firstByte(storage, 'k', v1.versionId), 1);
  await storage.deleteObject('b', 'k', { versionId: v1.versionId });
  t.notOk(existsSync(file1), 'a version deleted for good frees its file');
  t.ok(existsSync(file2));
  await storage.deleteObject('b', 'k', { versionId: marker.versionId ?? '' });
  t.equal(await firstByte(storage, 'k'), 2, 'removing the marker makes v2 current again (undelete)');
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 0);
});

t.test('versions on disk – Suspended writes replace the null version and free its file only', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = open(tmp.dir);
  t.teardown(() => storage.close());
  const n1 = await put(storage, 'k', 1);
  storage.setBucketVersioning('b', 'Enabled');
  const v2 = await put(storage, 'k', 2);
  storage.setBucketVersioning('b', 'Suspended');
  const n3 = await put(storage, 'k', 3);
  // The replaced file is deleted after the commit returns, off the response path.
  await storage.blobs.removalsSettled();
  t.notOk(existsSync(storage.blobs.pathOf(n1.segments[0]?.file ?? '')), 'the old null version is gone');
  t.ok(existsSync(storage.blobs.pathOf(v2.segments[0]?.file ?? '')), 'v2 stays');
  t.equal(n3.versionId, 'null');
  t.same(storage.listObjectVersions('b', { prefix: '', delimiter: '', keyMarker: '', versionIdMarker: '', maxKeys: 10 }).entries.map((e) => e.versionId), ['null', v2.versionId]);
});

t.test('versions on disk – crash points of versioned writes and deletes', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  let storage = open(tmp.dir, 'Enabled');
  const v1 = await put(storage, 'k', 1);
  const v2 = await put(storage, 'k', 2);
  // Killed after the rename into blobs/, before the commit of a third version.
  const staged = await storage.stage(Readable.from([Buffer.alloc(LARGE, 3)]), { checksums: [] });
  // Killed after the commit that removed v1 for good, before its file was deleted.
  const remove = storage.blobs.remove.bind(storage.blobs);
  storage.blobs.remove = async () => undefined;
  await storage.deleteObject('b', 'k', { versionId: v1.versionId });
  const marker = await storage.deleteObject('b', 'k');
  storage.blobs.remove = remove;
  t.ok(existsSync(storage.blobs.pathOf(staged.file)));
  storage.close();

  storage = open(tmp.dir);
  t.teardown(() => storage.close());
  t.equal(storage.getBucket('b')?.versioning, 'Enabled');
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 2, 'the uncommitted version and the freed file');
  t.equal(storage.headObject('b', 'k')?.versionId, marker.versionId, 'the acknowledged marker is current');
  t.equal(await firstByte(storage, 'k', v2.versionId), 2, 'v2 kept its bytes');
  t.equal(storage.headObject('b', 'k', v1.versionId), undefined);
  const v3 = await put(storage, 'k', 4);
  t.ok(v3.versionId !== v2.versionId && storage.listObjectVersions('b', { prefix: '', delimiter: '', keyMarker: '', versionIdMarker: '', maxKeys: 10 }).entries[0]?.versionId === v3.versionId,
    'a version written after the restart sorts first: seq never goes back');
});

t.test('object lock – what a retention or a legal hold forbids', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = open(tmp.dir, 'Enabled');
  t.teardown(() => storage.close());
  storage.setBucketObjectLock('b', { enabled: true, rule: { mode: 'GOVERNANCE', days: 1 } });
  const gov = await put(storage, 'gov', 1);
  t.equal(gov.lock?.mode, 'GOVERNANCE');
  t.equal(gov.lock?.retainUntil?.getTime(), gov.lastModified.getTime() + 86_400_000, 'the default counts from creation');
  await t.rejects(storage.deleteObject('b', 'gov', { versionId: gov.versionId }), { code: 'AccessDenied' });
  t.equal((await storage.deleteObject('b', 'gov')).deleteMarker, true, 'a plain delete still adds a marker');
  t.equal((await storage.deleteObject('b', 'gov', { versionId: gov.versionId, bypassGovernance: true })).removed, true);

  const until = new Date(Date.now() + 3_600_000);
  const comp = await put(storage, 'comp', 1, { ...OBJECT, lock: { mode: 'COMPLIANCE', retainUntil: until } });
  await t.rejects(storage.deleteObject('b', 'comp', { versionId: comp.versionId, bypassGovernance: true }), { code: 'AccessDenied' });
  t.throws(() => storage.setObjectRetention('b', 'comp', comp.versionId, { mode: 'COMPLIANCE', retainUntil: new Date(until.getTime() - 1000) }, true), { code: 'AccessDenied' });
  t.throws(() => storage.setObjectRetention('b', 'comp', comp.versionId, { mode: 'GOVERNANCE', retainUntil: until }, true), { code: 'AccessDenied' });
  t.equal(storage.setObjectRetention('b', 'comp', comp.versionId, { mode: 'COMPLIANCE', retainUntil: new Date(until.getTime() + 1000) }, false), true, 'extending is allowed');

  storage.setBucketObjectLock('b', { enabled: true });
  const held = await put(storage, 'held', 1, { ...OBJECT, lock: { legalHold: 'ON' } });
  t.same(held.lock, { legalHold: 'ON' });
  await t.rejects(storage.deleteObject('b', 'held', { versionId: held.versionId, bypassGovernance: true }), { code: 'AccessDenied' });
  t.equal(storage.setObjectLegalHold('b', 'held', held.versionId, 'OFF'), true);
  t.equal(storage.headObject('b', 'held', held.versionId)?.lock?.legalHold, 'OFF', 'OFF is remembered');
  t.equal((await storage.deleteObject('b', 'held', { versionId: held.versionId })).removed, true);
});

t.test('versions on disk – a versioned current GET is served from the cache like an unversioned one', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = open(tmp.dir, 'Enabled');
  t.teardown(() => storage.close());
  await put(storage, 'k', 1);
  const first = storage.headObject('b', 'k');
  t.equal(storage.headObject('b', 'k'), first, 'the same frozen entry: no SQL');
  t.equal(storage.headObject('b', 'k', first?.versionId), first, 'naming the current version hits the cache too');
  await put(storage, 'k', 2);
  t.not(storage.headObject('b', 'k')?.versionId, first?.versionId, 'a write forgets the key');
  t.equal(storage.headObject('b', 'k', first?.versionId)?.versionId, first?.versionId);
});
