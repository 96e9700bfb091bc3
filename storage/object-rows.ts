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

/** A listing reads only what it shows (each column is a JS value per row, a page is 1000 rows). */
export const LIST_COLUMNS = 'key, size, etag, last_modified, checksums, checksum_type, owner';
export type ListRow = Pick<ObjectRow, 'key' | 'size' | 'etag' | 'last_modified' | 'checksums' | 'checksum_type' | 'owner'>;

export function listRowToObject(row: ListRow): ListedObject {
  const listed: ListedObject = {
    key: row.key,
    size: row.size,
    etag: row.etag,
    lastModified: new Date(row.last_modified),
    checksums: JSON.parse(row.checksums) as ObjectInfo['checksums'],
    owner: row.owner,
  };
  if (row.checksum_type !== null) listed.checksumType = row.checksum_type;
  return listed;
}

export function rowToInfo(row: ObjectRow, parts?: PartRow[]): ObjectInfo {
  const info: ObjectInfo = {
    ...listRowToObject(row),
    bucket: row.bucket,
    meta: JSON.parse(row.meta) as ObjectInfo['meta'],
    acl: row.acl as CannedAcl,
    segments: [],
  };
  if (row.file === null) info.segments = (parts ?? []).map((p) => ({ file: p.file, size: p.size, etag: p.etag }));
  else if (row.body) info.segments = [{ file: row.file, size: row.size, bytes: row.body }];
  else info.segments = [{ file: row.file, size: row.size }];
  if (row.acl_grants) info.grants = JSON.parse(row.acl_grants) as AclGrant[];
  return info;
}
