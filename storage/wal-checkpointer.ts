/**
 * Write-ahead-log checkpoints on a worker thread, off the request path.
 *
 * A checkpoint copies the pages the log holds into the database file and syncs both (at
 * synchronous=NORMAL). Run by SQLite's auto-checkpoint it happens inside the commit that crossed
 * the threshold: every ~1,400 new 4 KiB objects, one group commit held the event loop for tens
 * of milliseconds, and every request in flight waited (storage-level PUTs: ~60 µs each without
 * checkpoints, ~83 µs with them, of which ~15 µs waiting for the disk; docs/benchmarks.md).
 *
 * Once a store has committed `startAfter` group commits (START_AFTER_COMMITS by default: a busy
 * store; most test stores never get there), a worker thread opens a second connection to the same database and runs PASSIVE
 * checkpoints: when asked (every CHECKPOINT_EVERY group commits) and once a second. PASSIVE
 * never blocks the writer or a reader; SQLite restarts the log from its beginning at the next
 * write after a complete checkpoint, so the log stays as small as before. The main connection
 * keeps an auto-checkpoint threshold of FALLBACK_PAGES, so a worker that cannot keep up, or has
 * failed, still leaves a bounded log.
 *
 * close() is synchronous (SqliteStorage.close() is): it asks the worker to close its connection
 * and waits for it, so that the main connection is the last one and its close removes the log
 * (what the clean-close record needs: storage/clean-close.ts).
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** Group commits a store makes before its checkpoints move to the worker (a busy store). */
export const START_AFTER_COMMITS = 256;
/** Group commits between two requests to the worker. */
const CHECKPOINT_EVERY = 128;
/** The main connection's own threshold while the worker runs (64 MiB of log at 4 KiB pages). */
const FALLBACK_PAGES = 16_384;
/** SQLite's threshold when the worker does not run (storage/data-dir.ts). */
export const AUTO_CHECKPOINT_PAGES = 4000;
const CLOSE_WAIT_MS = 5000;

// Plain JavaScript run by the worker (`eval`): the same code whether the server runs compiled
// or its tests run through swc (test/loader).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const closed = new Int32Array(workerData.closed);
let db;
// A worker that cannot start says so at once: close() waits for this flag, not for a timeout.
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
  db.pragma('synchronous = ' + workerData.synchronous);
} catch (err) {
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  throw err;
}
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, 1000);
parentPort.on('message', (m) => {
  if (m === 'checkpoint') return checkpoint();
  clearInterval(timer);
  try { db.close(); } finally {
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    parentPort.close();
  }
});
`;

export class WalCheckpointer {
  private worker: Worker | undefined;
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  private commits = 0;
  private failed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly options: { path: string; synchronous: 'NORMAL' | 'FULL'; startAfter: number },
  ) {}

  /** After each group commit: starts the worker once the store is busy, then asks it to checkpoint now and then. */
  committed(): void {
    this.commits++;
    if (this.worker === undefined) {
      if (!this.failed && this.commits >= this.options.startAfter) this.start();
      return;
    }
    if (this.commits % CHECKPOINT_EVERY === 0) this.worker.postMessage('checkpoint');
  }

  /** Whether checkpoints run on the worker (for tests). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private start(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), path: this.options.path, synchronous: this.options.synchronous, closed: this.closed.buffer },
    });
    worker.unref();
    worker.on('error', () => this.stopped());
    worker.on('exit', () => this.stopped());
    this.worker = worker;
    this.db.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
  }

  /** The worker is gone (failed, or closed): SQLite's own checkpoints take over again. */
  private stopped(): void {
    if (this.worker === undefined) return;
    this.worker = undefined;
    this.failed = true;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }

  /** Closes the worker's connection and waits for it (at most CLOSE_WAIT_MS). */
  close(): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    this.failed = true;
    worker.postMessage('close');
    Atomics.wait(this.closed, 0, 0, CLOSE_WAIT_MS);
    void worker.terminate();
  }
}
