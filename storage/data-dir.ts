/**
 * Opening a data directory so that it never costs data (docs/data-directory.md):
 * 1. The directory exists (or is created, 0700) and is a directory.
 * 2. It is locked (storage/data-dir-lock.ts): one crossbucket per directory.
 * 3. The disk is not full; the database is a crossbucket database, not damaged (`quick_check`)
 *    and not from a newer crossbucket.
 * 4. The database and the object files belong together: the store id in the database's `store`
 *    table equals the one in `blobs/crossbucket-store`. A directory with object files (or the
 *    marker, or a write-ahead log) but a missing, empty or foreign database is refused, and
 *    nothing in it is written. A database from before the marker (schema < 4) gets its marker
 *    once every file it refers to is found in blobs/.
 * Only then is anything written (migrations, the marker) and, later, may the sweep delete a file.
 * A clean close leaves `crossbucket.clean`: the database file's identity (device, inode, size,
 * modification time in ns) as crossbucket closed it. When the next open finds the file still
 * exactly that one (and no write-ahead log), it skips `quick_check` (~150 ms of a start with
 * 100,000 objects): the check is for a database that something else wrote or that a crash left.
 * The record is removed once the database is accepted, before anything is written; without it
 * the full check runs.
 * Every refusal is a DataDirError whose message is one line: what is wrong, what to do.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dropCleanRecord, matchesCleanRecord } from './clean-close';
import { DataDirLock, LOCK_FILE } from './data-dir-lock';
import { DataDirError } from './errors';
import { AUTO_CHECKPOINT_PAGES } from './wal-checkpointer';
import { APPLICATION_ID, SCHEMA_VERSION, migrate } from './schema';

export const DB_FILE = 'crossbucket.sqlite';
/** In blobs/: the store id, so that the object files carry it wherever blobs/ goes. */
export const STORE_MARKER = 'crossbucket-store';
/** Directories and files the store creates: readable by their owner only. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
/** Less free space than this at start-up is a full disk: every write would fail. */
const MIN_FREE_BYTES = 1024 * 1024;
/** The directories of blobs/ that hold object files. */
export const BLOB_SUBDIR = /^[0-9a-f]{2}$/;
const MARKER_TEXT = /^crossbucket store ([0-9a-f]{32})\n?$/;
const WHAT_TO_DO = 'restore crossbucket.sqlite or move the directory away';

export interface OpenedDataDir {
  db: Database.Database;
  lock: DataDirLock;
  storeId: string;
  /** False when the database is as the last clean close left it, so it was not checked again. */
  checked: boolean;
}

/** What lies in the directory before anything is opened. */
interface Found {
  db: 'missing' | 'empty' | 'present';
  /** The store id in blobs/crossbucket-store ('' when the file exists but is not a marker). */
  marker: string | undefined;
}

export function openDataDir(dataDir: string, options: { full: boolean }): OpenedDataDir {
  try {
    prepareDir(dataDir);
    // Checked once before the lock file is created, so that a refused directory gets no new file;
    // when the lock file exists, a peer may be creating the store right now: the lock decides first.
    if (!existsSync(join(dataDir, LOCK_FILE))) checkFiles(dataDir);
  } catch (err) {
    throw asDataDirError(err, dataDir);
  }
  let lock: DataDirLock;
  try {
    lock = DataDirLock.acquire(dataDir);
  } catch (err) {
    throw asDataDirError(err, dataDir);
  }
  let db: Database.Database | undefined;
  try {
    checkFreeSpace(dataDir);
    const found = checkFiles(dataDir);
    const path = join(dataDir, DB_FILE);
    // Made owner-only before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
    if (found.db === 'missing') closeSync(openSync(path, 'wx', FILE_MODE));
    for (const f of [path, `${path}-wal`, `${path}-shm`]) tighten(f, FILE_MODE);
    const unchanged = matchesCleanRecord(path);
    db = new Database(path, { timeout: 5000 });
    const version = verifyDatabase(db, dataDir, found, unchanged);
    // Accepted: from here on the database may be written.
    dropCleanRecord(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.full ? 'FULL' : 'NORMAL'}`);
    // A checkpoint (copying the WAL into the database, with an fsync at synchronous=NORMAL) every
    // 4000 pages (16 MiB) instead of SQLite's 1000: small bodies live here, and fewer
    // checkpoints make a small commit cheaper (the figures are in docs/benchmarks.md).
    db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    // Reads of the database through a memory map (up to 1 GiB of it) instead of a read(2) into
    // SQLite's page cache per page: a lookup of a key not in the object cache costs ~20% less
    // (docs/benchmarks.md). Writes still go through the write-ahead log.
    db.pragma('mmap_size = 1073741824');
    migrate(db);
    const storeId = storeIdOf(db);
    if (storeId === undefined) throw new DataDirError('DataDirDatabase', `--data-dir ${dataDir}: crossbucket.sqlite has no store id: ${WHAT_TO_DO}`);
    const blobDir = join(dataDir, 'blobs');
    mkdirSync(blobDir, { recursive: true, mode: DIR_MODE });
    if (found.marker !== storeId) {
      writeMarker(blobDir, storeId);
      // First open by a crossbucket with the marker (or after it was lost): files written before
      // may be world-readable; make them owner-only once.
      if (version > 0) tightenTree(blobDir);
    }
    return { db, lock, storeId, checked: !unchanged };
  } catch (err) {
    if (db?.open) db.close();
    lock.release();
    throw asDataDirError(err, dataDir);
  }
}

/** The store id this database belongs to (schema 4 on). */
export function storeIdOf(db: Database.Database): string | undefined {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'store'").get() !== undefined;
  if (!hasTable) return undefined;
  return (db.prepare('SELECT id FROM store LIMIT 1').get() as { id: string } | undefined)?.id;
}

/** The store id in blobs/crossbucket-store: undefined when there is none, '' when it is not a marker. */
export function readMarker(blobDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(blobDir, STORE_MARKER), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return MARKER_TEXT.exec(text)?.[1] ?? '';
}

function writeMarker(blobDir: string, storeId: string): void {
  const tmp = join(blobDir, `${STORE_MARKER}.tmp`);
  writeFileSync(tmp, `crossbucket store ${storeId}\n`, { mode: FILE_MODE });
  renameSync(tmp, join(blobDir, STORE_MARKER));
}

function prepareDir(dataDir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dataDir).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    // Not recursive when the parent exists: a recursive mkdir of a path like /proc/self/x never returns (Node 20).
    mkdirSync(dataDir, { recursive: !existsSync(dirname(dataDir)), mode: DIR_MODE });
    return;
  }
  if (!isDir) throw new DataDirError('DataDirUnusable', `--data-dir ${dataDir} is not a directory: give a directory (it is created if missing)`);
}

/** Refuses object files (or a marker, or a WAL) without a database; reads only. */
function checkFiles(dataDir: string): Found {
  const path = join(dataDir, DB_FILE);
  const blobDir = join(dataDir, 'blobs');
  let db: Found['db'] = 'missing';
  try {
    db = statSync(path).size === 0 ? 'empty' : 'present';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const marker = existsSync(blobDir) ? readMarker(blobDir) : undefined;
  if (db !== 'present') {
    const held = hasObjectFiles(blobDir) ? 'object files'
      : marker !== undefined ? `a store marker (blobs/${STORE_MARKER})`
        : existsSync(`${path}-wal`) ? 'a write-ahead log (crossbucket.sqlite-wal)' : undefined;
    if (held !== undefined) {
      const problem = db === 'missing' ? 'no database' : 'an empty database (crossbucket.sqlite is 0 bytes)';
      throw new DataDirError('DataDirMismatch', `--data-dir ${dataDir} holds ${held} but ${problem}: ${WHAT_TO_DO}`);
    }
  }
  return { db, marker };
}

function hasObjectFiles(blobDir: string): boolean {
  if (!existsSync(blobDir)) return false;
  return readdirSync(blobDir).some((d) => BLOB_SUBDIR.test(d) && readdirSync(join(blobDir, d)).length > 0);
}

/** Every object file name in blobs/. */
function blobNames(blobDir: string): string[] {
  if (!existsSync(blobDir)) return [];
  return readdirSync(blobDir).filter((d) => BLOB_SUBDIR.test(d)).flatMap((d) => readdirSync(join(blobDir, d)));
}

/** Checks the opened database before anything is written to it; returns its schema version. */
function verifyDatabase(db: Database.Database, dataDir: string, found: Found, unchanged: boolean): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
  if ((appId !== 0 && appId !== APPLICATION_ID) || (version === 0 && tables > 0)) {
    throw new DataDirError('DataDirDatabase', `--data-dir ${dataDir}: crossbucket.sqlite is not a crossbucket database: ${WHAT_TO_DO}`);
  }
  if (version > SCHEMA_VERSION) {
    throw new DataDirError('DataDirDatabase', `--data-dir ${dataDir} was written by a newer crossbucket (schema ${version}, this one knows ${SCHEMA_VERSION}): run that version or newer`);
  }
  const blobDir = join(dataDir, 'blobs');
  if (version === 0) {
    // A new database: checkFiles found no object file, marker or WAL next to a missing or empty
    // one; a one-page database without tables must find the same.
    if (found.marker !== undefined || hasObjectFiles(blobDir)) {
      throw new DataDirError('DataDirMismatch', `--data-dir ${dataDir} holds object files but an empty database: ${WHAT_TO_DO}`);
    }
    return version;
  }
  if (!unchanged) quickCheck(db, dataDir);
  const dbId = storeIdOf(db);
  if (dbId !== undefined && found.marker !== undefined && found.marker !== dbId) {
    throw new DataDirError('DataDirMismatch',
      `--data-dir ${dataDir}: crossbucket.sqlite belongs to another store than the object files in blobs/ (store ${dbId}, files of ${found.marker || 'an unreadable marker'}): restore this directory's own crossbucket.sqlite or move the directory away`);
  }
  if (dbId === undefined || found.marker === undefined) checkFilesMatch(db, dataDir, version);
  return version;
}

/**
 * A database without a marker to compare (written before schema 4, or the marker was lost)
 * belongs to the files when every file it refers to is in blobs/, and it refers to some of them
 * if there are any: otherwise the sweep would delete files that may be another store's.
 */
function checkFilesMatch(db: Database.Database, dataDir: string, version: number): void {
  const present = new Set(blobNames(join(dataDir, 'blobs')));
  const notBodies = version >= 3 ? 'AND file NOT IN (SELECT id FROM object_bodies)' : '';
  // Schema 6 on: older versions (object_versions) refer to files too.
  const versions = version >= 6 ? `UNION SELECT file FROM object_versions WHERE file IS NOT NULL ${notBodies}` : '';
  const files = db.prepare(`SELECT file FROM objects WHERE file IS NOT NULL ${notBodies} ${versions} UNION SELECT file FROM object_parts UNION SELECT file FROM upload_parts`).pluck();
  let referenced = 0;
  let missing = 0;
  for (const file of files.iterate() as IterableIterator<string>) {
    referenced++;
    if (!present.has(file)) missing++;
  }
  if (missing > 0) {
    throw new DataDirError('DataDirMismatch',
      `--data-dir ${dataDir}: crossbucket.sqlite does not match the object files in blobs/ (${missing} of the ${referenced} files it refers to are missing): restore the matching crossbucket.sqlite or blobs/, or move the directory away`);
  }
  if (referenced === 0 && present.size > 0) {
    throw new DataDirError('DataDirMismatch',
      `--data-dir ${dataDir}: crossbucket.sqlite refers to none of the ${present.size} object files in blobs/: restore the matching crossbucket.sqlite or move the directory away`);
  }
}

/**
 * `PRAGMA quick_check` reads every page: 120 ms for 100k objects whose bodies are files (25 MB),
 * 1.1 s when they are 4 KiB bodies kept here (490 MB), measured warm on 2 busy cores. Past
 * FULL_CHECK_MAX_BYTES, the tables but object_bodies are checked (the metadata every request
 * needs); a damaged body page then fails the read of its objects only.
 */
const FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024;

function quickCheck(db: Database.Database, dataDir: string): void {
  const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  const tables = bytes <= FULL_CHECK_MAX_BYTES ? [undefined]
    : (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'object_bodies'").pluck().all() as string[]);
  for (const table of tables) {
    const first = db.pragma(table === undefined ? 'quick_check(1)' : `quick_check("${table}")`, { simple: true }) as string;
    if (first !== 'ok') throw damaged(dataDir, `quick_check: ${first}`);
  }
}

function damaged(dataDir: string, why: string): DataDirError {
  return new DataDirError('DataDirDatabase', `--data-dir ${dataDir}: crossbucket.sqlite is damaged (${oneLine(why)}): restore it from a backup or move the directory away`);
}

function checkFreeSpace(dataDir: string): void {
  const fs = statfsSync(dataDir);
  // root may use the blocks reserved for it; anyone else only the available ones.
  const free = (process.getuid?.() === 0 ? fs.bfree : fs.bavail) * fs.bsize;
  if (free < MIN_FREE_BYTES) {
    throw new DataDirError('DataDirUnusable', `--data-dir ${dataDir}: the disk is full (${Math.floor(free / 1024)} KiB free): free some space and start again`);
  }
}

/** Owner-only, best effort (a file of another owner keeps its mode; its writes fail later, loudly). */
function tighten(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // ENOENT: not there; EPERM: not ours.
  }
}

function tightenTree(blobDir: string): void {
  tighten(blobDir, DIR_MODE);
  for (const d of readdirSync(blobDir)) {
    if (!BLOB_SUBDIR.test(d)) continue;
    const dir = join(blobDir, d);
    tighten(dir, DIR_MODE);
    for (const f of readdirSync(dir)) tighten(join(dir, f), FILE_MODE);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Any failure while opening, as one line saying what is wrong and what to do. */
function asDataDirError(err: unknown, dataDir: string): DataDirError {
  if (err instanceof DataDirError) return err;
  const code = (err as { code?: unknown }).code;
  // An errno message starts with its code ("EROFS: read-only file system, open '...'").
  const message = oneLine(err instanceof Error ? err.message : String(err)).replace(typeof code === 'string' ? `${code}: ` : /^$/, '');
  switch (code) {
    case 'EACCES': case 'EPERM': case 'EROFS': case 'SQLITE_READONLY': case 'SQLITE_CANTOPEN': case 'SQLITE_PERM':
      return new DataDirError('DataDirUnusable', `--data-dir ${dataDir} is not writable (${code}: ${message}): give a directory crossbucket can write`);
    case 'ENOSPC': case 'SQLITE_FULL':
      return new DataDirError('DataDirUnusable', `--data-dir ${dataDir}: the disk is full (${code}): free some space and start again`);
    case 'ENOTDIR':
      return new DataDirError('DataDirUnusable', `--data-dir ${dataDir}: a part of the path is not a directory (${message})`);
    case 'SQLITE_CORRUPT': case 'SQLITE_NOTADB':
      return damaged(dataDir, `${String(code)}: ${message}`);
    default:
      return new DataDirError('DataDirUnusable', `--data-dir ${dataDir} cannot be used (${typeof code === 'string' ? `${code}: ` : ''}${message})`);
  }
}
