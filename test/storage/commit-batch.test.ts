/**
 * Group commit – writes queued in one event-loop turn share a transaction; each is its own
 * savepoint (one that throws rejects alone, its changes rolled back); they apply in call order;
 * a batch that cannot run rejects every write in it.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { CommitBatch } from '../../storage/commit-batch';
import { tempDir } from '../helpers/server';

function openDb(t: Test) {
  const tmp = tempDir();
  const db = new Database(join(tmp.dir, 'x.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  t.teardown(() => { if (db.open) db.close(); tmp.remove(); });
  return db;
}

t.test('commit batch – one transaction for a turn, each write its own savepoint', async (t) => {
  const db = openDb(t);
  const batch = new CommitBatch(db);
  const put = db.prepare('INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)');
  const get = db.prepare<[string], { v: string }>('SELECT v FROM kv WHERE k = ?');
  let transactions = 0;
  const results = await Promise.allSettled([
    batch.run(() => { transactions += db.inTransaction ? 1 : 0; put.run('a', '1'); return 'first'; }),
    batch.run(() => { put.run('b', 'never'); throw new Error('refused'); }),
    batch.run(() => { put.run('a', '2'); return get.get('a')?.v; }),
  ]);
  t.same(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  t.equal((results[0] as PromiseFulfilledResult<string>).value, 'first');
  t.match((results[1] as PromiseRejectedResult).reason, /refused/);
  t.equal((results[2] as PromiseFulfilledResult<string>).value, '2', 'a later write sees the earlier one');
  t.equal(transactions, 1);
  t.equal(get.get('a')?.v, '2', 'applied in call order');
  t.equal(get.get('b'), undefined, 'the refused write left nothing');
  t.notOk(db.inTransaction, 'committed');
});

t.test('commit batch – nothing runs before the turn ends; a later turn is a new batch', async (t) => {
  const db = openDb(t);
  const batch = new CommitBatch(db);
  let ran = false;
  const first = batch.run(() => { ran = true; });
  t.notOk(ran, 'queued, not run');
  await first;
  t.ok(ran);
  t.equal(await batch.run(() => 42), 42);
});

t.test('commit batch – a batch that cannot run (the database closed) rejects every write', async (t) => {
  const db = openDb(t);
  const batch = new CommitBatch(db);
  const a = batch.run(() => db.prepare("INSERT INTO kv VALUES ('x', '1')").run());
  const b = batch.run(() => db.prepare("INSERT INTO kv VALUES ('y', '1')").run());
  db.close(); // the flush finds the connection gone
  const settled = await Promise.allSettled([a, b]);
  t.same(settled.map((s) => s.status), ['rejected', 'rejected']);
});
