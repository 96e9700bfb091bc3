/**
 * The record of a clean close (docs/data-directory.md "Start-up checks"): `crossbucket.clean`
 * beside the database names the file crossbucket closed (device, inode, size, modification time
 * in ns). The next open skips `quick_check` only when the database is still exactly that file.
 */
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const CLEAN_FILE = 'crossbucket.clean';
const CLEAN_TEXT = 'crossbucket clean close ';

const recordOf = (dbPath: string) => join(dirname(dbPath), CLEAN_FILE);

/** The database file's identity: what a clean close records and the next open compares. */
function identityOf(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return undefined;
  }
}

/**
 * Called after the database is closed (its write-ahead log checkpointed and removed) and before
 * the lock is released. Best effort: without the record the next start runs the full check.
 */
export function recordCleanClose(dbPath: string): void {
  const identity = identityOf(dbPath);
  if (identity === undefined || existsSync(`${dbPath}-wal`)) return;
  try {
    // Owner-only, as every file of the store (storage/data-dir.ts FILE_MODE).
    writeFileSync(recordOf(dbPath), `${CLEAN_TEXT}${identity}\n`, { mode: 0o600 });
  } catch {
    // A read-only or full disk: the next start checks.
  }
}

/** Whether the database is the file the last clean close recorded (and has no write-ahead log). */
export function matchesCleanRecord(dbPath: string): boolean {
  let text: string;
  try {
    text = readFileSync(recordOf(dbPath), 'utf8');
  } catch {
    return false;
  }
  if (existsSync(`${dbPath}-wal`)) return false;
  const identity = identityOf(dbPath);
  return identity !== undefined && text === `${CLEAN_TEXT}${identity}\n`;
}

/**
 * Removes the record before the first write: if this process dies, the next start finds none and
 * checks in full. (A record left behind by a failed removal names a file that the first
 * checkpoint changes, so it never matches again.)
 */
export function dropCleanRecord(dbPath: string): void {
  try {
    unlinkSync(recordOf(dbPath));
  } catch {
    // ENOENT: there was none.
  }
}
