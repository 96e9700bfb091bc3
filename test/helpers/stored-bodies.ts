/** Counting what a data directory stores: object and part files, and bodies kept in SQLite. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Files under `dir`, recursively. */
export function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

/** Rows of `object_bodies`: small object bodies kept in the database instead of a file. */
export function bodyRows(dataDir: string): number {
  const db = new Database(join(dataDir, 'crossbucket.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM object_bodies').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Every stored body: blob files (objects and parts) plus bodies kept in the database. */
export function storedBodies(dataDir: string): number {
  return countFiles(join(dataDir, 'blobs')) + bodyRows(dataDir);
}
