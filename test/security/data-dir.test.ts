/**
 * The data directory never costs data (docs/data-directory.md): a database that is missing, empty,
 * another store's or damaged is refused at start-up with one line and exit code 2, and no file
 * is deleted or changed (the object files counted before and after); a directory written before
 * the store marker upgrades in place.
 */
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../../storage';
import { CLEAN_FILE } from '../../storage/clean-close';
import { openDataDir } from '../../storage/data-dir';
import { SCHEMA_VERSION } from '../../storage/schema';
import { tempDir } from '../helpers/server';
import { ROOT } from '../helpers/spawn-server';
import { start, type Running } from '../../server/cli/start';
import { countObjectFiles, LARGE, populate, readBody, SMALL, snapshot, startCli } from './data-dir-fixtures';

const NO_DATABASE = (dir: string) => `crossbucket: --data-dir ${dir} holds object files but no database: restore crossbucket.sqlite or move the directory away\n`;

/**
 * start() (the embedding API; the command line prints the same message, see the first test)
 * rejects with the DataDirError; a server that started anyway is closed and the test fails.
 */
async function refused(t: Test, dataDir: string, expected: { code: string; message: string | RegExp }): Promise<void> {
  let running: Running | undefined;
  try {
    running = await start({ port: 0, dataDir });
  } catch (err) {
    t.match(err, { name: 'DataDirError', ...expected }, 'start() rejects with what is wrong and what to do');
    t.notMatch((err as Error).message, /\n/, 'one line');
    return;
  }
  await running.close();
  t.fail('start() resolved: the server was listening');
}

/** After a refused start: the database is put back and every object reads as written. */
async function servesEverything(t: Test, dataDir: string): Promise<void> {
  const storage = openSqliteStorage({ dataDir });
  t.teardown(() => storage.close());
  await storage.sweepOrphans(Date.now() + 60_000);
  t.same(await readBody(storage, 'b', 'large.bin'), LARGE, 'the object over 64 KiB reads back');
  t.same(await readBody(storage, 'b', 'small.txt'), SMALL, 'the small object reads back');
}

t.test('data dir – crossbucket.sqlite missing: refused, no object file deleted, the restored database serves every object', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  await populate(dataDir);
  const saved = join(tmp.dir, 'saved.sqlite');
  copyFileSync(join(dataDir, 'crossbucket.sqlite'), saved);
  rmSync(join(dataDir, 'crossbucket.sqlite'));
  const before = snapshot(dataDir);
  t.equal(countObjectFiles(dataDir), 1, 'one object file before');

  const out = await startCli(dataDir);
  t.equal(out.result, 'exited', 'never listening');
  t.equal(out.code, 2);
  t.equal(out.stderr, NO_DATABASE(dataDir), 'one line: what is wrong and what to do');
  t.same(snapshot(dataDir), before, 'nothing in the directory was created, changed or deleted');
  t.equal(countObjectFiles(dataDir), 1, 'one object file after');

  copyFileSync(saved, join(dataDir, 'crossbucket.sqlite'));
  await servesEverything(t, dataDir);
});

t.test('data dir – crossbucket.sqlite 0 bytes: refused, no object file deleted, the restored database serves every object', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  await populate(dataDir);
  const saved = join(tmp.dir, 'saved.sqlite');
  copyFileSync(join(dataDir, 'crossbucket.sqlite'), saved);
  truncateSync(join(dataDir, 'crossbucket.sqlite'), 0);
  const before = snapshot(dataDir);

  await refused(t, dataDir, { code: 'DataDirMismatch', message: `--data-dir ${dataDir} holds object files but an empty database (crossbucket.sqlite is 0 bytes): restore crossbucket.sqlite or move the directory away` });
  t.same(snapshot(dataDir), before, 'nothing in the directory was created, changed or deleted');
  t.equal(countObjectFiles(dataDir), 1);

  copyFileSync(saved, join(dataDir, 'crossbucket.sqlite'));
  await servesEverything(t, dataDir);
});

t.test('data dir – crossbucket.sqlite of another store: refused, no object file deleted', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  const other = join(tmp.dir, 'other');
  await populate(dataDir);
  await populate(other);
  const saved = join(tmp.dir, 'saved.sqlite');
  copyFileSync(join(dataDir, 'crossbucket.sqlite'), saved);
  copyFileSync(join(other, 'crossbucket.sqlite'), join(dataDir, 'crossbucket.sqlite'));
  const before = snapshot(dataDir);

  await refused(t, dataDir, {
    code: 'DataDirMismatch',
    message: /^--data-dir \S+: crossbucket\.sqlite belongs to another store than the object files in blobs\/ \(store [0-9a-f]{32}, files of [0-9a-f]{32}\): restore this directory's own crossbucket\.sqlite or move the directory away$/,
  });
  t.same(snapshot(dataDir), before, 'nothing in the directory was created, changed or deleted');
  t.equal(countObjectFiles(dataDir), 1);

  copyFileSync(saved, join(dataDir, 'crossbucket.sqlite'));
  await servesEverything(t, dataDir);
});

t.test('data dir – a damaged database page: refused at start-up (quick_check), never listening then 500', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  await populate(dataDir);
  // Enough rows for a database of many b-tree pages.
  const storage = openSqliteStorage({ dataDir });
  const insert = storage.db.prepare(
    "INSERT INTO objects (bucket, key, size, etag, last_modified, meta, checksums, checksum_type, owner, acl, file, multipart) VALUES ('b', ?, 0, '\"x\"', 0, '{\"content\":{},\"user\":{}}', '{}', NULL, 'o', 'private', NULL, 0)");
  storage.db.transaction(() => { for (let i = 0; i < 3000; i++) insert.run(`key-${String(i).padStart(6, '0')}-${'k'.repeat(40)}`); })();
  storage.close();
  t.ok(existsSync(join(dataDir, CLEAN_FILE)), 'the clean close left its record: the damage below changes the file it names');
  const path = join(dataDir, 'crossbucket.sqlite');
  const pages = statSync(path).size / 4096;
  t.ok(pages > 20, `${pages} pages`);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(pages / 2) * 4096);
  closeSync(fd);

  await refused(t, dataDir, {
    code: 'DataDirDatabase',
    message: /^--data-dir \S+: crossbucket\.sqlite is damaged \(quick_check: [^\n]+\): restore it from a backup or move the directory away$/,
  });
  t.equal(countObjectFiles(dataDir), 1, 'no object file deleted');
});

t.test('data dir – quick_check is skipped only for the very file a clean close left; a crash or any change brings it back', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  const record = join(dataDir, CLEAN_FILE);
  const path = join(dataDir, 'crossbucket.sqlite');
  await populate(dataDir);
  t.ok(existsSync(record), 'a clean close leaves the record');
  const opened = () => {
    const o = openDataDir(dataDir, { full: false });
    const recordWhileOpen = existsSync(record);
    o.db.close();
    o.lock.release();
    return { checked: o.checked, recordWhileOpen };
  };
  t.same(opened(), { checked: false, recordWhileOpen: false }, 'the same file: not checked again; the record is taken away before anything is written');
  t.same(opened(), { checked: true, recordWhileOpen: false }, 'no record (that open was not closed through close()): checked in full');

  const storage = openSqliteStorage({ dataDir });
  storage.close();
  const { mtime } = statSync(path);
  utimesSync(path, mtime, new Date(mtime.getTime() + 1000));
  t.equal(opened().checked, true, 'the file was modified since the clean close: checked in full');

  openSqliteStorage({ dataDir }).close();
  writeFileSync(`${path}-wal`, '');
  t.equal(opened().checked, true, 'a write-ahead log beside it: checked in full');

  openSqliteStorage({ dataDir }).close();
  writeFileSync(record, 'crossbucket clean close 1:2:3:4\n');
  t.equal(opened().checked, true, 'a record naming another file: checked in full');

  // A server killed while running: its open took the record, so the next start checks.
  openSqliteStorage({ dataDir }).close();
  const killed = await startCli(dataDir);
  t.equal(killed.result, 'listening', 'the server started (and was then killed with SIGKILL)');
  t.notOk(existsSync(record), 'after a crash there is no record');
  t.equal(opened().checked, true, 'so the next open checks in full');
});

t.test('data dir – the sweep deletes nothing once blobs/ carries another store\'s marker', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  mkdirSync(join(tmp.dir, 'blobs', 'ab'), { recursive: true });
  const stray = join(tmp.dir, 'blobs', 'ab', 'abababababababababababab');
  writeFileSync(stray, 'a file this database does not know');
  utimesSync(stray, new Date(0), new Date(0));
  writeFileSync(join(tmp.dir, 'blobs', 'crossbucket-store'), `crossbucket store ${'0'.repeat(32)}\n`);
  await t.rejects(storage.sweepOrphans(Date.now() + 60_000), { code: 'DataDirMismatch' });
  t.ok(existsSync(stray), 'the unknown file is still there');
});

/** A copy of test/fixtures/data-dir-v3: written by crossbucket as of dc23244 (schema 3, no marker). */
function oldDataDir(dir: string): string {
  const fixture = join(ROOT, 'test', 'fixtures', 'data-dir-v3');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { mode: 0o755 });
  cpSync(join(fixture, 'crossbucket.sqlite'), join(dataDir, 'crossbucket.sqlite'));
  cpSync(join(fixture, 'blobs'), join(dataDir, 'blobs'), { recursive: true });
  return dataDir;
}

t.test('data dir – a directory written before the store marker (dc23244) upgrades: marker written, objects kept, only the orphan swept, files owner-only', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = oldDataDir(tmp.dir);
  t.equal(countObjectFiles(dataDir), 3, 'large.bin, the upload part and an orphan');
  const storage = openSqliteStorage({ dataDir });
  t.teardown(() => storage.close());
  t.equal(storage.db.pragma('user_version', { simple: true }), SCHEMA_VERSION, 'the current schema');
  t.same({ ownership: storage.getBucket('old')?.ownership, block: storage.getBucket('old')?.publicAccessBlock }, { ownership: undefined, block: undefined }, 'a bucket from before access control keeps ACLs on, no public access block (schema step 7)');
  t.match(storage.storeId, /^[0-9a-f]{32}$/);
  t.equal(readFileSync(join(dataDir, 'blobs', 'crossbucket-store'), 'utf8'), `crossbucket store ${storage.storeId}\n`, 'the marker holds the database\'s store id');
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 1, 'the orphan is swept');
  t.equal(countObjectFiles(dataDir), 2);
  t.same(await readBody(storage, 'old', 'large.bin'), Buffer.alloc(70 * 1024, 'L'));
  t.equal((await readBody(storage, 'old', 'small.txt'))?.toString(), 'small body, kept in the database');
  const upload = storage.listUploads('old', { prefix: '', delimiter: '', keyMarker: '', uploadIdMarker: '', maxUploads: 10 }).uploads[0];
  t.ok(upload, 'the upload in progress is kept');
  if (upload) t.equal(storage.listParts(upload.uploadId, 0, 10).parts[0]?.size, 70 * 1024, 'with its part');
  for (const [rel, mode] of [['crossbucket.sqlite', 0o600], ['blobs', 0o700], ['blobs/f2', 0o700], ['blobs/f2/f2582c7a98cfb5b6469d17b0', 0o600], ['tmp', 0o700]] as const) {
    t.equal(statSync(join(dataDir, rel)).mode & 0o777, mode, `${rel} is ${mode.toString(8)}`);
  }
  storage.close();
  const again = openSqliteStorage({ dataDir });
  t.equal(again.storeId, storage.storeId, 'the next start finds the same store');
  again.close();
});

t.test('data dir – a database from before the marker whose object files are gone: refused, nothing written', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = oldDataDir(tmp.dir);
  // Another store's files: the two this database refers to are not among them.
  rmSync(join(dataDir, 'blobs', 'f2'), { recursive: true });
  const before = snapshot(dataDir);
  t.throws(() => openSqliteStorage({ dataDir }), {
    code: 'DataDirMismatch',
    message: `--data-dir ${dataDir}: crossbucket.sqlite does not match the object files in blobs/ (1 of the 2 files it refers to are missing): restore the matching crossbucket.sqlite or blobs/, or move the directory away`,
  });
  t.same(snapshot(dataDir), before, 'no migration, no marker, nothing swept');
  const db = new Database(join(dataDir, 'crossbucket.sqlite'), { readonly: true });
  t.equal(db.pragma('user_version', { simple: true }), 3, 'still schema 3');
  db.close();
});

t.test('data dir – a reset removes the object files and keeps the store marker (the sweep still runs)', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  await populate(tmp.dir);
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  const marker = readFileSync(join(tmp.dir, 'blobs', 'crossbucket-store'), 'utf8');
  await storage.reset('all');
  t.equal(countObjectFiles(tmp.dir), 0, 'no object file left');
  t.equal(readFileSync(join(tmp.dir, 'blobs', 'crossbucket-store'), 'utf8'), marker, 'the marker is kept');
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 0, 'the sweep runs');
});
