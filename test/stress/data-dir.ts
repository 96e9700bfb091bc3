/**
 * What a data dir holds on disk, read from outside the server: SQLite's own integrity check,
 * and blob files versus the rows that reference them (orphans, missing files, temp files), and
 * small bodies kept in the database versus the objects that own them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DB_FILE = 'crossbucket.sqlite';

/** `PRAGMA integrity_check` of the data dir's database (opened read-write so a WAL is recovered). */
export function integrityCheck(dataDir: string): string {
  const db = new Database(join(dataDir, DB_FILE), { fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

export interface DiskState {
  /** Blob files no row references. */
  orphans: string[];
  /** Blob ids rows reference that have no file. */
  missing: string[];
  /** Files left in tmp/. */
  temp: string[];
  blobs: number;
  /** Bodies kept in the database (`object_bodies` rows). */
  bodies: number;
  /** `object_bodies` rows no object owns. */
  orphanBodies: string[];
}

function blobNames(dataDir: string): string[] {
  const root = join(dataDir, 'blobs');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((d) => {
    try {
      return readdirSync(join(root, d));
    } catch {
      return [];
    }
  });
}

/** Compares blobs/ with the file columns of objects, object_versions, object_parts and upload_parts. */
export function diskState(dataDir: string): DiskState {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  let referenced: Set<string>;
  let bodies: number;
  let orphanBodies: string[];
  try {
    const rows = db.prepare(
      `SELECT file FROM objects WHERE file IS NOT NULL AND file NOT IN (SELECT id FROM object_bodies)
       UNION SELECT file FROM object_versions WHERE file IS NOT NULL AND file NOT IN (SELECT id FROM object_bodies)
       UNION SELECT file FROM object_parts UNION SELECT file FROM upload_parts`,
    ).all() as Array<{ file: string }>;
    referenced = new Set(rows.map((r) => r.file));
    bodies = (db.prepare('SELECT count(*) AS n FROM object_bodies').get() as { n: number }).n;
    orphanBodies = (db.prepare('SELECT id FROM object_bodies WHERE id NOT IN (SELECT file FROM objects WHERE file IS NOT NULL UNION SELECT file FROM object_versions WHERE file IS NOT NULL) ORDER BY id')
      .all() as Array<{ id: string }>).map((r) => r.id);
  } finally {
    db.close();
  }
  // Read the directory after the rows: a blob written in between shows as an orphan, never as missing.
  const onDisk = blobNames(dataDir);
  const present = new Set(onDisk);
  const tmpDir = join(dataDir, 'tmp');
  return {
    orphans: onDisk.filter((f) => !referenced.has(f)).sort(),
    missing: [...referenced].filter((f) => !present.has(f)).sort(),
    temp: existsSync(tmpDir) ? readdirSync(tmpDir).sort() : [],
    blobs: onDisk.length,
    bodies,
    orphanBodies,
  };
}

/**
 * Polls until the start-up sweep (which runs in the background after listen) has left no orphan
 * and no temp file, or `timeoutMs` passes; returns the last state seen. The server must be idle.
 */
export async function waitForSweep(dataDir: string, timeoutMs = 15_000): Promise<DiskState & { waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const state = diskState(dataDir);
    const waitedMs = Date.now() - started;
    if ((state.orphans.length === 0 && state.temp.length === 0) || waitedMs > timeoutMs) return { ...state, waitedMs };
    await new Promise((r) => setTimeout(r, 100));
  }
}
