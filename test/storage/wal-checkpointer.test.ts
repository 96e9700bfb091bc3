/**
 * Log checkpoints on a worker thread (storage/wal-checkpointer.ts): started once a store is
 * busy, it copies the log into the database file while the main connection keeps writing; the
 * store closes clean (no log left, the clean-close record written) and reopens with every
 * object; a worker that goes away hands checkpoints back to SQLite.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { openSqliteStorage, type NewObject, type SqliteStorage } from '../../storage';
import { CLEAN_FILE } from '../../storage/clean-close';
import { DB_FILE } from '../../storage/data-dir';
import { AUTO_CHECKPOINT_PAGES, WalCheckpointer } from '../../storage/wal-checkpointer';
import { tempDir } from '../helpers/server';
import { until } from '../helpers/spawn-server';

const OWNER = 'owner-id';
const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"x"', checksums: {}, owner: OWNER, acl: 'private' };

function open(dir: string, checkpointWorkerAfter?: number): SqliteStorage {
  const storage = openSqliteStorage({ dataDir: dir, ...(checkpointWorkerAfter === undefined ? {} : { checkpointWorkerAfter }) });
  if (storage.getBucket('b') === undefined) storage.createBucket({ name: 'b', createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
  return storage;
}

/** `n` objects of 4 KiB, 8 at a time (each wave one group commit). */
async function putMany(storage: SqliteStorage, n: number, prefix = 'k'): Promise<void> {
  for (let i = 0; i < n; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, n - i) }, async (_, j) => {
      const staged = await storage.stage(Readable.from([Buffer.alloc(4096, (i + j) % 251)]), { checksums: [], inline: true });
      await storage.commitObject('b', `${prefix}-${i + j}`, staged, OBJECT);
    }));
  }
}

function tmp(t: Test): string {
  const d = tempDir();
  t.teardown(() => d.remove());
  return d.dir;
}

const autoCheckpoint = (s: SqliteStorage) => s.db.pragma('wal_autocheckpoint', { simple: true }) as number;

t.test('a quiet store keeps SQLite’s own checkpoints; a busy one moves them to the worker', async (t) => {
  const quiet = open(tmp(t));
  t.teardown(() => quiet.close());
  await putMany(quiet, 40);
  t.notOk(quiet.checkpointer.running, 'no worker after 5 group commits (the default waits for 256)');
  t.equal(autoCheckpoint(quiet), AUTO_CHECKPOINT_PAGES);

  const dir = tmp(t);
  const busy = open(dir, 2);
  await putMany(busy, 24);
  t.ok(busy.checkpointer.running, 'the worker runs');
  t.ok(autoCheckpoint(busy) > AUTO_CHECKPOINT_PAGES, 'SQLite’s threshold is raised to a fallback');
  // 300 objects write ~900 log pages, far below the fallback threshold: only the worker copies
  // them into the database file (at most a second after the last write).
  const dbPath = join(dir, DB_FILE);
  const before = statSync(dbPath).size;
  await putMany(busy, 300, 'more');
  t.ok(await until(() => statSync(dbPath).size > before + 300 * 4096, 3000), `the database file grew by the objects' pages (${before} -> ${statSync(dbPath).size} bytes)`);

  busy.close();
  t.notOk(existsSync(`${dbPath}-wal`), 'closed: no log left');
  t.ok(existsSync(join(dir, CLEAN_FILE)), 'the clean-close record is written');
  const again = open(dir);
  t.teardown(() => again.close());
  let found = 0;
  for (let i = 0; i < 300; i++) if (again.headObject('b', `more-${i}`)?.size === 4096) found++;
  t.equal(found, 300, 'every object is there after a reopen');
});

t.test('a worker that goes away hands checkpoints back to SQLite', async (t) => {
  const storage = open(tmp(t), 1);
  t.teardown(() => storage.close());
  await putMany(storage, 8);
  t.ok(storage.checkpointer.running);
  // What a crash of the worker thread looks like to the store.
  await (storage.checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  t.ok(await until(() => !storage.checkpointer.running, 2000), 'the store noticed');
  t.equal(autoCheckpoint(storage), AUTO_CHECKPOINT_PAGES, 'SQLite checkpoints on its own again');
  await putMany(storage, 16, 'after');
  t.notOk(storage.checkpointer.running, 'and no new worker is started');
  t.equal(storage.headObject('b', 'after-15')?.size, 4096, 'writes go on');
});

t.test('a worker that cannot open the database: SQLite keeps checkpointing, and close does not wait', async (t) => {
  const storage = open(tmp(t));
  t.teardown(() => storage.close());
  const missing = join(tmp(t), 'no-such.sqlite');
  const failing = new WalCheckpointer(storage.db, { path: missing, synchronous: 'NORMAL', startAfter: 1 });
  failing.committed();
  t.ok(failing.running, 'started');
  t.ok(await until(() => !failing.running, 5000), 'its failure is noticed');
  t.equal(autoCheckpoint(storage), AUTO_CHECKPOINT_PAGES, 'SQLite’s own threshold is back');

  const closing = new WalCheckpointer(storage.db, { path: missing, synchronous: 'NORMAL', startAfter: 1 });
  closing.committed();
  const started = Date.now();
  closing.close();
  t.ok(Date.now() - started < 2500, `close returned once the worker gave up (${Date.now() - started} ms; it waits up to 5 s for a worker that never answers)`);
  t.notOk(closing.running);
});
