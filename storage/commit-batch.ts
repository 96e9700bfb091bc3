/**
 * Group commit: writes queued during one turn of the event loop run in one SQLite transaction,
 * each in its own savepoint (one that throws is rolled back alone and rejects alone). A commit
 * costs about as much as the pages it writes plus a fixed part (the WAL frame header, the
 * wal-index, the lock); concurrent small PUTs share the fixed part. Nothing is acknowledged
 * before the transaction holding it has committed, so durability is that of a lone commit.
 */
import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class CommitBatch {
  private queue: Pending[] = [];
  private readonly flushAll: (items: Pending[]) => Array<{ ok: true; value: unknown } | { ok: false; err: unknown }>;

  /** `committed`: called after each group transaction that committed (storage/wal-checkpointer.ts). */
  constructor(db: Database.Database, private readonly committed: () => void = () => undefined) {
    // One transaction function for every item (nested in flushAll's transaction it is a
    // savepoint); `db.transaction(work)` per item built five wrapper functions per commit.
    const one = db.transaction((work: () => unknown) => work());
    this.flushAll = db.transaction((items: Pending[]) => items.map((item) => {
      try {
        return { ok: true as const, value: one(item.work) };
      } catch (err) {
        return { ok: false as const, err };
      }
    }));
  }

  /** Runs `work` (synchronous SQL) in the next group transaction; resolves once that has committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private flush(): void {
    const items = this.queue;
    this.queue = [];
    let results;
    try {
      results = this.flushAll(items);
    } catch (err) {
      // The commit itself failed (a full disk, say): nothing of the batch is stored.
      for (const item of items) item.reject(err);
      return;
    }
    this.committed();
    results.forEach((r, i) => {
      const item = items[i] as Pending;
      if (r.ok) item.resolve(r.value);
      else item.reject(r.err);
    });
  }
}
