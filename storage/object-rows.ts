/** Conversion between `objects` rows and ObjectInfo. */
import type { AclGrant, CannedAcl, ObjectInfo } from './types';

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

/** A listing reads fewer columns (each one is a JS value per row, a page is 1000 rows). */
export const LIST_COLUMNS = 'key, size, etag, last_modified, meta, checksums, checksum_type, owner, acl, file';
export type ListRow = Omit<ObjectRow, 'bucket' | 'multipart'>;

/** A listed object: as rowToInfo, its bucket given; multipart objects come without their segments. */
export function listRowToInfo(bucket: string, row: ListRow): ObjectInfo {
  const info: ObjectInfo = {
    bucket,
    key: row.key,
    size: row.size,
    etag: row.etag,
    lastModified: new Date(row.last_modified),
    meta: JSON.parse(row.meta) as ObjectInfo['meta'],
    checksums: JSON.parse(row.checksums) as ObjectInfo['checksums'],
    owner: row.owner,
    acl: row.acl as CannedAcl,
    segments: row.file !== null ? [{ file: row.file, size: row.size }] : [],
  };
  if (row.checksum_type !== null) info.checksumType = row.checksum_type;
  return info;
}

export function rowToInfo(row: ObjectRow, parts?: PartRow[]): ObjectInfo {
  const info = listRowToInfo(row.bucket, row);
  if (row.file === null) info.segments = (parts ?? []).map((p) => ({ file: p.file, size: p.size, etag: p.etag }));
  if (row.acl_grants) info.grants = JSON.parse(row.acl_grants) as AclGrant[];
  return info;
}
