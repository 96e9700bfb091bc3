/**
 * One crossbucket per data directory (docs/data-directory.md). Node has no flock, so the lock is
 * SQLite's: `crossbucket.lock` is a tiny database opened in EXCLUSIVE locking mode and written
 * once (its user_version is the holder's pid), which takes an OS lock (fcntl) on the file and
 * keeps it until the connection closes or the process dies. The kernel arbitrates two processes
 * racing for it (never both), and a killed holder's lock is gone with its process (a restart is
 * never blocked by what it left). The lock is separate from crossbucket.sqlite so that other
 * tools (sqlite3, backups) can still read the database of a running server.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError } from './errors';

export const LOCK_FILE = 'crossbucket.lock';

/** Attempts before giving up: a racing peer may hold a SHARED lock for a moment (both then back off). */
const ATTEMPTS = 8;

export class DataDirLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock of `dataDir` (an existing directory) or throws DataDirError('DataDirInUse'). */
  static acquire(dataDir: string, displayDir = dataDir): DataDirLock {
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; ; attempt++) {
      // Created owner-only before SQLite opens it (SQLite would use 0644).
      closeSync(openSync(path, 'a', 0o600));
      const db = new Database(path, { timeout: 0 });
      try {
        db.pragma('locking_mode = EXCLUSIVE');
        db.pragma('journal_mode = MEMORY');
        // The first write takes the exclusive lock, and in EXCLUSIVE mode it is never released.
        db.pragma(`user_version = ${process.pid}`);
        return new DataDirLock(db);
      } catch (err) {
        db.close();
        const code = (err as { code?: string }).code;
        if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
          throw new DataDirError('DataDirUnusable', `--data-dir ${displayDir}: ${LOCK_FILE} is not a lock crossbucket made (${code}): remove it if no crossbucket is running`);
        }
        if (code !== 'SQLITE_BUSY') throw err;
        if (attempt + 1 >= ATTEMPTS) {
          const pid = holderPid(path);
          throw new DataDirError('DataDirInUse', `--data-dir ${displayDir} is in use by another crossbucket (pid ${pid ?? 'unknown'})`);
        }
        sleep(5 + Math.floor(Math.random() * 30));
      }
    }
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}

/** The holder's pid: the user_version field of the SQLite header (4 bytes, big-endian, at 60), read without SQLite. */
function holderPid(path: string): number | undefined {
  const header = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, header, 0, 4, 60) !== 4) return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const pid = header.readUInt32BE(0);
  return pid > 0 ? pid : undefined;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
