/** Counting what a data directory stores: object and part files, and bodies kept in SQLite. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BLOB_SUBDIR, STORE_MARKER } from '../../storage/data-dir';

/** Files under `dir`, recursively (not blobs/crossbucket-store, the store marker). */
export function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : e.name === STORE_MARKER ? 0 : 1;
  return n;
}

/** The object file names in `blobDir` (blobs/<2 hex>/<id>). */
export function objectFiles(blobDir: string): string[] {
  return readdirSync(blobDir).filter((d) => BLOB_SUBDIR.test(d)).flatMap((d) => readdirSync(join(blobDir, d)));
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

/**
 * storedBodies once the files of replaced and deleted objects are gone: storage removes them
 * after the response (storage/blob-files.ts removeLater), so a count taken right after a request
 * could still see them.
 */
export async function settledBodies(h: { storage: { blobs: { removalsSettled(): Promise<void> } }; dir: string }): Promise<number> {
  await h.storage.blobs.removalsSettled();
  return storedBodies(h.dir);
}
