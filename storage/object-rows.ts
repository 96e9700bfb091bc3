/** Conversion between `objects` rows and ObjectInfo. */
import type { AclGrant, CannedAcl, ListedObject, ObjectInfo } from './types';

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
  'bucket, key, size, etag, last_modified, meta, checksums, checksum_type, owner, acl, file, multipart';

/**
 * One object with its explicit grants and, for a small object kept in the database, its body
 * (`o.file` is then the id of its `object_bodies` row, and no file has that name).
 */
export const SELECT_OBJECT =
  `SELECT ${OBJECT_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}, o.acl_grants, b.bytes AS body
   FROM objects o LEFT JOIN object_bodies b ON b.id = o.file WHERE o.bucket = ? AND o.key = ?`;

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

export function rowToInfo(row: ObjectRow, parts?: PartRow[]): ObjectInfo {
  const info: ObjectInfo = {
    ...listed(row.key, row.size, row.etag, row.last_modified, row.checksums, row.checksum_type, row.owner),
    bucket: row.bucket,
    meta: JSON.parse(row.meta) as ObjectInfo['meta'],
    acl: row.acl as CannedAcl,
    segments: [],
  };
  if (row.file === null) info.segments = (parts ?? []).map((p) => ({ file: p.file, size: p.size, etag: p.etag, checksums: JSON.parse(p.checksums) as ObjectInfo['checksums'] }));
  else if (row.body) info.segments = [{ file: row.file, size: row.size, bytes: row.body }];
  else info.segments = [{ file: row.file, size: row.size }];
  if (row.acl_grants) info.grants = JSON.parse(row.acl_grants) as AclGrant[];
  return info;
}
