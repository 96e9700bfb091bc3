/**
 * Conversion between entry rows and ObjectInfo. `objects` holds the current entry of each key and
 * `object_versions` the older ones, with the same columns (docs/spec/versioning.md §1).
 */
import type { AclGrant, CannedAcl, ListedObject, ListedVersion, LockMode, ObjectInfo, ObjectLock } from './types';

export interface ObjectRow {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  last_modified: number;
  meta: string;
  checksums: string;
  checksum_type: string | null;
  owner: string;
  acl: string;
  file: string | null;
  multipart: number;
  /** Order of the key's entries (docs/spec/versioning.md §1 M2). */
  seq: number;
  /** `null` or a generated id. */
  version_id: string;
  /** 1 for a delete marker. */
  marker: number;
  lock_mode: string | null;
  lock_until: number | null;
  legal_hold: string | null;
  /** Explicit ACL grants (JSON); read by headObject only. */
  acl_grants?: string | null;
  /** The body when it is kept in `object_bodies` (a small object); read by headObject only. */
  body?: Buffer | null;
}

export interface PartRow {
  part_number: number;
  file: string;
  size: number;
  etag: string;
  checksums: string;
}

export const OBJECT_COLUMNS =
  'bucket, key, size, etag, last_modified, meta, checksums, checksum_type, owner, acl, file, multipart, seq, version_id, marker, lock_mode, lock_until, legal_hold';
/** Every column, in one order for both tables: what moves an entry from one to the other. */
export const ENTRY_COLUMNS = `${OBJECT_COLUMNS}, acl_grants`;
/** ENTRY_COLUMNS as positional parameters, bound from entryValues(). */
export const ENTRY_PARAMS = ENTRY_COLUMNS.split(', ').map(() => '?').join(', ');

const SELECT_ENTRY =
  `SELECT ${OBJECT_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}, o.acl_grants, b.bytes AS body`;

/**
 * A SELECT_ENTRY row as better-sqlite3's raw mode returns it: its columns in that order. A named
 * row cost a lookup of a key not in the object cache ~3 µs more (20 property names set one by one
 * in C++, each through V8's string table) than this array and entryRow()'s one object literal.
 */
export type EntryValues = [
  bucket: string, key: string, size: number, etag: string, lastModified: number, meta: string, checksums: string,
  checksumType: string | null, owner: string, acl: string, file: string | null, multipart: number, seq: number,
  versionId: string, marker: number, lockMode: string | null, lockUntil: number | null, legalHold: string | null,
  aclGrants: string | null, body: Buffer | null,
];

export function entryRow(v: EntryValues): ObjectRow {
  return {
    bucket: v[0], key: v[1], size: v[2], etag: v[3], last_modified: v[4], meta: v[5], checksums: v[6], checksum_type: v[7],
    owner: v[8], acl: v[9], file: v[10], multipart: v[11], seq: v[12], version_id: v[13], marker: v[14], lock_mode: v[15],
    lock_until: v[16], legal_hold: v[17], acl_grants: v[18], body: v[19],
  };
}

/**
 * An entry's values in ENTRY_COLUMNS order, for ENTRY_PARAMS. Named parameters (`@bucket`, …)
 * cost a PutObject ~2 µs more: better-sqlite3 reads each of the 19 names off the object in C++.
 */
export function entryValues(r: Omit<ObjectRow, 'body'> & { acl_grants: string | null }): unknown[] {
  return [
    r.bucket, r.key, r.size, r.etag, r.last_modified, r.meta, r.checksums, r.checksum_type, r.owner, r.acl, r.file, r.multipart,
    r.seq, r.version_id, r.marker, r.lock_mode, r.lock_until, r.legal_hold, r.acl_grants,
  ];
}

/**
 * The current entry of a key with its explicit grants and, for a small object kept in the
 * database, its body (`o.file` is then the id of its `object_bodies` row, and no file has that name).
 */
export const SELECT_OBJECT =
  `${SELECT_ENTRY} FROM objects o LEFT JOIN object_bodies b ON b.id = o.file WHERE o.bucket = ? AND o.key = ?`;
/** A noncurrent entry by its seq. */
export const SELECT_VERSION_AT =
  `${SELECT_ENTRY} FROM object_versions o LEFT JOIN object_bodies b ON b.id = o.file WHERE o.bucket = ? AND o.key = ? AND o.seq = ?`;
/** The noncurrent null entry of a key (at most one: docs/spec/versioning.md §1 M3). */
export const SELECT_NULL_VERSION =
  `${SELECT_ENTRY} FROM object_versions o LEFT JOIN object_bodies b ON b.id = o.file WHERE o.bucket = ? AND o.key = ? AND o.version_id = 'null'`;

/**
 * A listing reads only what it shows, as arrays in this column order (better-sqlite3's raw
 * mode: no object per row to build in C++; measured in docs/benchmarks.md).
 */
export const LIST_COLUMNS = "key, size, etag, last_modified, checksums, checksum_type, owner, json_extract(meta, '$.storageClass')";
export type ListRow = [key: string, size: number, etag: string, lastModified: number, checksums: string, checksumType: string | null, owner: string, storageClass: string | null];

export function listRowToObject(row: ListRow): ListedObject {
  const object = listed(row[0], row[1], row[2], row[3], row[4], row[5], row[6]);
  if (row[7] !== null) object.storageClass = row[7];
  return object;
}

/** ListObjectVersions reads the listing columns and where the entry stands. */
export const VERSION_LIST_COLUMNS = `${LIST_COLUMNS}, seq, version_id, marker`;
export type VersionListRow = [...ListRow, seq: number, versionId: string, marker: number];

export function versionRowToListed(row: VersionListRow, isLatest: boolean): ListedVersion & { seq: number } {
  const [key, size, etag, lastModified, checksums, checksumType, owner, storageClass, seq, versionId, marker] = row;
  const version: ListedVersion & { seq: number } = {
    key, size, etag, lastModified: new Date(lastModified), checksums: JSON.parse(checksums) as ObjectInfo['checksums'], owner,
    versionId, isLatest, deleteMarker: marker === 1, seq,
  };
  if (checksumType !== null) version.checksumType = checksumType;
  if (storageClass !== null && marker !== 1) version.storageClass = storageClass;
  return version;
}

function lockOf(row: ObjectRow): ObjectLock | undefined {
  if (row.lock_mode === null && row.legal_hold === null) return undefined;
  const lock: ObjectLock = {};
  if (row.lock_mode !== null && row.lock_until !== null) {
    lock.mode = row.lock_mode as LockMode;
    lock.retainUntil = new Date(row.lock_until);
  }
  if (row.legal_hold !== null) lock.legalHold = row.legal_hold as 'ON' | 'OFF';
  return lock;
}

function listed(key: string, size: number, etag: string, lastModified: number, checksums: string, checksumType: string | null, owner: string): ListedObject {
  const object: ListedObject = {
    key,
    size,
    etag,
    lastModified: new Date(lastModified),
    checksums: JSON.parse(checksums) as ObjectInfo['checksums'],
    owner,
  };
  if (checksumType !== null) object.checksumType = checksumType;
  return object;
}

/**
 * Metadata documents parsed once: most objects share one (a content type, no user metadata), so
 * a read of an object not in the object cache finds its metadata here without a JSON parse. The
 * parsed value is frozen (it is shared); at most INTERNED documents are kept, then new ones are
 * parsed each time.
 */
const INTERNED = 1024;
const interned = new Map<string, ObjectInfo['meta']>();

function parseMeta(json: string): ObjectInfo['meta'] {
  const known = interned.get(json);
  if (known !== undefined) return known;
  const meta = freezeAll(JSON.parse(json) as ObjectInfo['meta']);
  if (interned.size < INTERNED && json.length <= 1024) interned.set(json, meta);
  return meta;
}

function freezeAll<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  for (const v of Object.values(value as Record<string, unknown>)) freezeAll(v);
  return Object.freeze(value);
}

/** One object literal of a fixed shape (a spread of listed() into it cost 5-10 µs per row). */
export function rowToInfo(row: ObjectRow, parts?: PartRow[]): ObjectInfo {
  const info: ObjectInfo = {
    key: row.key,
    size: row.size,
    etag: row.etag,
    lastModified: new Date(row.last_modified),
    checksums: JSON.parse(row.checksums) as ObjectInfo['checksums'],
    owner: row.owner,
    bucket: row.bucket,
    meta: parseMeta(row.meta),
    acl: row.acl as CannedAcl,
    segments: segmentsOf(row, parts),
    versionId: row.version_id,
    deleteMarker: row.marker === 1,
  };
  if (row.checksum_type !== null) info.checksumType = row.checksum_type;
  const lock = lockOf(row);
  if (lock) info.lock = lock;
  if (row.acl_grants) info.grants = JSON.parse(row.acl_grants) as AclGrant[];
  return info;
}

function segmentsOf(row: ObjectRow, parts: PartRow[] | undefined): ObjectInfo['segments'] {
  if (row.marker === 1) return [];
  if (row.file === null) return (parts ?? []).map((p) => ({ file: p.file, size: p.size, etag: p.etag, checksums: JSON.parse(p.checksums) as ObjectInfo['checksums'] }));
  if (row.body) return [{ file: row.file, size: row.size, bytes: row.body }];
  return [{ file: row.file, size: row.size }];
}
