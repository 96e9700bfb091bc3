/**
 * Multipart uploads over the `uploads` and `upload_parts` tables. A part is a blob file like
 * any object body; completion moves the chosen part rows into `object_parts` and writes the
 * `objects` row (file NULL) in one transaction, so no byte is copied. Files a commit stops
 * referencing (a replaced part, unused parts, the replaced object) are deleted after it.
 */
import type Database from 'better-sqlite3';
import type { BlobFiles } from './blob-files';
import type { ChecksumAlgorithm, ChecksumValues } from './checksums';
import { StorageError } from './errors';
import { compareKeys, prefixSuccessor } from './key-order';
import { orderedPrefix, randomString } from './random-pool';
import { newVersionLock } from './object-lock';
import type { Entries } from './versions';
import { checkWriteConditions } from './write-conditions';
import { rowToInfo, type PartRow } from './object-rows';
import type {
  AclGrant, CannedAcl, NewObject, NewUpload, ObjectInfo, PartInfo, StagedBlob, UploadInfo, UploadListPage, UploadListQuery,
  WriteConditions,
} from './types';

interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  meta: string;
  owner: string;
  acl: string;
  checksum_algorithm: string | null;
  checksum_type: string | null;
  /** ObjectLock JSON (retainUntil as an ISO string). */
  lock: string | null;
  /** AclGrant[] JSON, or NULL for the canned ACL alone. */
  acl_grants: string | null;
}

interface UploadPartRow {
  upload_id: string;
  part_number: number;
  file: string;
  size: number;
  etag: string;
  checksums: string;
  last_modified: number;
}

const UPLOAD_COLUMNS = 'upload_id, bucket, key, initiated, meta, owner, acl, checksum_algorithm, checksum_type, lock, acl_grants';
const PART_COLUMNS = 'upload_id, part_number, file, size, etag, checksums, last_modified';
const LIST_BATCH = 256;

/**
 * Upload IDs sort in creation order (hex milliseconds, then a per-millisecond sequence), so
 * "uploads of one key by upload ID" is S3's "by initiation time"; the random tail makes them
 * unguessable.
 */
export function newUploadId(now: number): string {
  return orderedPrefix(now) + randomString(24, 'base64url');
}

function toUpload(row: UploadRow): UploadInfo {
  const info: UploadInfo = {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiated: new Date(row.initiated),
    meta: JSON.parse(row.meta) as UploadInfo['meta'],
    owner: row.owner,
    acl: row.acl as CannedAcl,
  };
  if (row.acl_grants !== null) info.grants = JSON.parse(row.acl_grants) as AclGrant[];
  if (row.checksum_algorithm !== null) info.checksumAlgorithm = row.checksum_algorithm as ChecksumAlgorithm;
  if (row.checksum_type !== null) info.checksumType = row.checksum_type as 'COMPOSITE' | 'FULL_OBJECT';
  if (row.lock !== null) {
    const lock = JSON.parse(row.lock) as { mode?: 'GOVERNANCE' | 'COMPLIANCE'; retainUntil?: string; legalHold?: 'ON' | 'OFF' };
    info.lock = {};
    if (lock.mode !== undefined) info.lock.mode = lock.mode;
    if (lock.retainUntil !== undefined) info.lock.retainUntil = new Date(lock.retainUntil);
    if (lock.legalHold !== undefined) info.lock.legalHold = lock.legalHold;
  }
  return info;
}

function toPart(row: UploadPartRow): PartInfo {
  return {
    partNumber: row.part_number,
    file: row.file,
    size: row.size,
    etag: row.etag,
    checksums: JSON.parse(row.checksums) as ChecksumValues,
    lastModified: new Date(row.last_modified),
  };
}

export class UploadStore {
  private readonly stmt;

  /** `objectWritten` is told of every object row a completion writes, before its transaction. */
  constructor(
    private readonly db: Database.Database,
    private readonly blobs: BlobFiles,
    private readonly entries: Entries,
    private readonly objectWritten: (bucket: string, key: string) => void,
  ) {
    this.stmt = {
      bucketExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM buckets WHERE name = ?'),
      insertUpload: db.prepare(`INSERT INTO uploads (${UPLOAD_COLUMNS}) VALUES (@upload_id, @bucket, @key, @initiated, @meta, @owner, @acl, @checksum_algorithm, @checksum_type, @lock, @acl_grants)`),
      getUpload: db.prepare<[string], UploadRow>(`SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE upload_id = ?`),
      deleteUpload: db.prepare('DELETE FROM uploads WHERE upload_id = ?'),
      getPart: db.prepare<[string, number], UploadPartRow>(`SELECT ${PART_COLUMNS} FROM upload_parts WHERE upload_id = ? AND part_number = ?`),
      upsertPart: db.prepare(`INSERT OR REPLACE INTO upload_parts (${PART_COLUMNS}) VALUES (@upload_id, @part_number, @file, @size, @etag, @checksums, @last_modified)`),
      partsAfter: db.prepare<[string, number, number], UploadPartRow>(`SELECT ${PART_COLUMNS} FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`),
      partFiles: db.prepare<[string], { part_number: number; file: string }>('SELECT part_number, file FROM upload_parts WHERE upload_id = ?'),
      deleteParts: db.prepare('DELETE FROM upload_parts WHERE upload_id = ?'),
      bucketPartFiles: db.prepare<[string], { file: string }>('SELECT file FROM upload_parts WHERE upload_id IN (SELECT upload_id FROM uploads WHERE bucket = ?)'),
      deleteBucketParts: db.prepare('DELETE FROM upload_parts WHERE upload_id IN (SELECT upload_id FROM uploads WHERE bucket = ?)'),
      deleteBucketUploads: db.prepare('DELETE FROM uploads WHERE bucket = ?'),
      // Uploads after the position (key, uploadId), in (key, upload ID) order; upload IDs start
      // with their `initiated` time, so this is the order of the uploads_by_key index.
      uploadsAfter: db.prepare<[string, string, string, string, number], UploadRow>(
        `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE bucket = ? AND key >= ? AND (key > ? OR upload_id > ?) ORDER BY key, initiated, upload_id LIMIT ?`),
      insertObjectPart: db.prepare('INSERT INTO object_parts (bucket, key, seq, part_number, file, size, etag, checksums) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  create(upload: NewUpload): UploadInfo {
    return this.db.transaction(() => {
      if (!this.stmt.bucketExists.get(upload.bucket)) throw new StorageError('NoSuchBucket');
      const now = Date.now();
      const row: UploadRow = {
        upload_id: newUploadId(now), bucket: upload.bucket, key: upload.key, initiated: now,
        meta: JSON.stringify(upload.meta), owner: upload.owner, acl: upload.acl,
        checksum_algorithm: upload.checksumAlgorithm ?? null, checksum_type: upload.checksumType ?? null,
        lock: upload.lock ? JSON.stringify(upload.lock) : null,
        acl_grants: upload.grants ? JSON.stringify(upload.grants) : null,
      };
      this.stmt.insertUpload.run(row);
      return toUpload(row);
    })();
  }

  get(bucket: string, key: string, uploadId: string): UploadInfo | undefined {
    const row = this.stmt.getUpload.get(uploadId);
    if (!row || row.bucket !== bucket || row.key !== key) return undefined;
    return toUpload(row);
  }

  async commitPart(upload: UploadInfo, partNumber: number, staged: StagedBlob, part: { etag: string; checksums: ChecksumValues }): Promise<PartInfo> {
    if (staged.bytes !== undefined) throw new Error('a part is a file: stage it without `inline`');
    let result: { row: UploadPartRow; replaced: string | undefined };
    try {
      result = this.db.transaction(() => {
        if (!this.get(upload.bucket, upload.key, upload.uploadId)) throw new StorageError('NoSuchUpload');
        const previous = this.stmt.getPart.get(upload.uploadId, partNumber);
        const row: UploadPartRow = {
          upload_id: upload.uploadId, part_number: partNumber, file: staged.file, size: staged.size,
          etag: part.etag, checksums: JSON.stringify(part.checksums), last_modified: Date.now(),
        };
        this.stmt.upsertPart.run(row);
        return { row, replaced: previous?.file };
      })();
    } catch (err) {
      await this.blobs.remove([staged.file]);
      throw err;
    }
    this.blobs.settle(staged.file);
    if (result.replaced !== undefined) await this.blobs.remove([result.replaced]);
    return toPart(result.row);
  }

  listParts(uploadId: string, afterPart: number, maxParts: number): { parts: PartInfo[]; isTruncated: boolean } {
    if (maxParts === 0) return { parts: [], isTruncated: false };
    const rows = this.stmt.partsAfter.all(uploadId, afterPart, maxParts + 1);
    return { parts: rows.slice(0, maxParts).map(toPart), isTruncated: rows.length > maxParts };
  }

  /**
   * ListMultipartUploads: uploads in (key, upload ID) order after the markers; with a
   * delimiter, the keys under each common prefix are skipped with one seek.
   */
  list(bucket: string, query: UploadListQuery): UploadListPage {
    const { prefix, delimiter, keyMarker, uploadIdMarker, maxUploads } = query;
    const page: UploadListPage = { uploads: [], commonPrefixes: [], isTruncated: false };
    // As for max-keys=0 in object listings: an empty page that is not truncated.
    if (maxUploads === 0) return page;
    // Position: rows with key > at.key, or key = at.key and upload ID > at.id.
    let at: { key: string; id: string };
    if (keyMarker !== '' && compareKeys(keyMarker, prefix) >= 0) {
      // Without an upload-id-marker, every upload of keyMarker itself is before the page.
      at = { key: keyMarker, id: uploadIdMarker === '' ? '\u{10ffff}' : uploadIdMarker };
    } else {
      at = { key: prefix, id: '' };
    }
    let count = 0;
    let last: { key: string; id: string } | undefined;
    scan: for (;;) {
      const batch = this.stmt.uploadsAfter.all(bucket, at.key, at.key, at.id, LIST_BATCH);
      for (const row of batch) {
        if (!row.key.startsWith(prefix)) break scan;
        const cut = delimiter === '' ? -1 : row.key.indexOf(delimiter, prefix.length);
        if (cut < 0) {
          if (count === maxUploads) { page.isTruncated = true; break scan; }
          page.uploads.push(toUpload(row));
          count++;
          last = { key: row.key, id: row.upload_id };
          at = last;
          continue;
        }
        const common = row.key.slice(0, cut + delimiter.length);
        // A common prefix at or before the key marker was returned on an earlier page.
        if (keyMarker === '' || compareKeys(common, keyMarker) > 0) {
          if (count === maxUploads) { page.isTruncated = true; break scan; }
          page.commonPrefixes.push(common);
          count++;
          last = { key: common, id: '' };
        }
        const next = prefixSuccessor(common);
        if (next === undefined) break scan;
        // Seek past every key under this prefix (the rest of the batch may be under it too).
        at = { key: next, id: '' };
        continue scan;
      }
      if (batch.length < LIST_BATCH) break;
    }
    if (page.isTruncated && last) {
      page.nextKeyMarker = last.key;
      page.nextUploadIdMarker = last.id;
    }
    return page;
  }

  /**
   * Removes every upload of a bucket and its parts' rows; returns the part files for the caller
   * to delete once its transaction has committed. Runs inside the caller's transaction.
   */
  dropBucketUploads(bucket: string): string[] {
    const files = this.stmt.bucketPartFiles.all(bucket).map((p) => p.file);
    this.stmt.deleteBucketParts.run(bucket);
    this.stmt.deleteBucketUploads.run(bucket);
    return files;
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<boolean> {
    const files = this.db.transaction(() => {
      if (!this.get(bucket, key, uploadId)) return undefined;
      const owned = this.stmt.partFiles.all(uploadId).map((p) => p.file);
      this.stmt.deleteParts.run(uploadId);
      this.stmt.deleteUpload.run(uploadId);
      return owned;
    })();
    if (!files) return false;
    await this.blobs.remove(files);
    return true;
  }

  async complete(upload: UploadInfo, parts: PartInfo[], object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo> {
    const { bucket, key, uploadId } = upload;
    this.objectWritten(bucket, key);
    const { row, obsolete, chosen } = this.db.transaction(() => {
      const state = this.entries.bucket(bucket);
      if (!state) throw new StorageError('NoSuchBucket');
      if (!this.get(bucket, key, uploadId)) throw new StorageError('NoSuchUpload');
      // A part re-uploaded since the caller read it is not the part the caller validated.
      for (const p of parts) {
        if (this.stmt.getPart.get(uploadId, p.partNumber)?.file !== p.file) throw new StorageError('InvalidPart');
      }
      const current = this.entries.current(bucket, key);
      // A current delete marker counts as absent (docs/spec/versioning.md §4 W4).
      checkWriteConditions(current?.marker ? undefined : current, conditions);
      const now = Date.now();
      // UNVERIFIED(S3): the bucket default counts from completion (docs/spec/versioning.md §12).
      const placed = this.entries.place(bucket, key, state.versioning, current, {
        bucket, key, size: parts.reduce((n, p) => n + p.size, 0), etag: object.etag, last_modified: now,
        meta: JSON.stringify(object.meta), checksums: JSON.stringify(object.checksums),
        checksum_type: object.checksumType ?? null, owner: object.owner, acl: object.grants ? 'private' : object.acl,
        file: null, multipart: 1, marker: 0, acl_grants: object.grants ? JSON.stringify(object.grants) : null,
        ...newVersionLock(object.lock, state.lock?.rule, now),
      });
      const obsoleteFiles = placed.freed;
      const used = new Set(parts.map((p) => p.file));
      for (const p of this.stmt.partFiles.all(uploadId)) if (!used.has(p.file)) obsoleteFiles.push(p.file);
      const partRows: PartRow[] = parts.map((p) => ({
        part_number: p.partNumber, file: p.file, size: p.size, etag: p.etag, checksums: JSON.stringify(p.checksums),
      }));
      for (const p of partRows) this.stmt.insertObjectPart.run(bucket, key, placed.row.seq, p.part_number, p.file, p.size, p.etag, p.checksums);
      const objectRow = placed.row;
      this.stmt.deleteParts.run(uploadId);
      this.stmt.deleteUpload.run(uploadId);
      return { row: objectRow, obsolete: obsoleteFiles, chosen: partRows };
    })();
    await this.blobs.remove(obsolete);
    return rowToInfo(row, chosen);
  }
}
