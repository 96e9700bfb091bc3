/**
 * The embedded default storage: SQLite (WAL) metadata and bodies up to 64 KiB (`object_bodies`,
 * written in the metadata's transaction), larger bodies in immutable object files.
 * Crash safety: a body is renamed into place before its metadata commits, and the file
 * it replaces is deleted only after the commit, so a killed process leaves the old object
 * or the new one; files nothing references are swept at start-up.
 */
import Database from 'better-sqlite3';
import type { Readable } from 'node:stream';
import { BlobFiles } from './blob-files';
import type { CorsConfiguration } from '../cors-engine';
import { DataDirError, StorageError } from './errors';
import { openDataDir, readMarker, STORE_MARKER } from './data-dir';
import type { DataDirLock } from './data-dir-lock';
import { CommitBatch } from './commit-batch';
import { CurrentObjects } from './current-object';
import { listKeys } from './listing';
import { ObjectCache } from './object-cache';
import { LIST_COLUMNS, OBJECT_COLUMNS, SELECT_OBJECT, listRowToObject, rowToInfo, type ListRow, type ObjectRow, type PartRow } from './object-rows';
import { BucketConfigStore } from './bucket-configs';
import { BUCKET_COLUMNS, toBucket, type BucketRow } from './bucket-rows';
import { BucketAccessStore } from './bucket-access';
import { UploadStore } from './uploads';
import { checkWriteConditions } from './write-conditions';
import type {
  AclGrant, BucketInfo, CannedAcl, ListPage, ListQuery, NewObject, NewUpload, ObjectAccess, ObjectInfo, ObjectOwnership, PartInfo,
  PublicAccessBlock, StagedBlob, StageOptions, Storage, UploadInfo, UploadListPage, UploadListQuery, WriteConditions,
} from './types';
import type { ChecksumValues } from './checksums';

export interface SqliteStorageOptions {
  dataDir: string;
  /** 'normal': survives a killed process. 'full': fsync per object and synchronous=FULL. */
  durability?: 'normal' | 'full';
}

export class SqliteStorage implements Storage {
  readonly dataDir: string;
  readonly db: Database.Database;
  readonly blobs: BlobFiles;
  /** The id in the database's `store` table and in blobs/crossbucket-store. */
  readonly storeId: string;
  private readonly lock: DataDirLock;
  private readonly stmt;
  /** Multipart uploads (storage/uploads.ts). */
  private readonly uploads: UploadStore;
  /**
   * Buckets as last read: a request looks its bucket up two or three times, each a query.
   * Every method that writes the buckets table empties it (one process owns the database).
   */
  private readonly bucketCache = new Map<string, BucketInfo>();
  private readonly bucketListeners: Array<(bucket: string | undefined) => void> = [];
  /** Objects as last read (storage/object-cache.ts): every write of an object row forgets its key. */
  private readonly objectCache = new ObjectCache();
  /** Object commits of one event-loop turn share a transaction (storage/commit-batch.ts). */
  private readonly commits: CommitBatch;
  /** The object a write replaces or removes (storage/current-object.ts). */
  private readonly current: CurrentObjects;
  readonly settings: BucketConfigStore; // bucket configurations, object settings (storage/bucket-configs.ts)
  private readonly access: BucketAccessStore; // ACL, policy, public access block, ownership

  constructor(options: SqliteStorageOptions) {
    this.dataDir = options.dataDir;
    const full = options.durability === 'full';
    // Locked, checked and migrated, or a DataDirError (storage/data-dir.ts).
    const opened = openDataDir(this.dataDir, { full });
    this.db = opened.db;
    this.lock = opened.lock;
    this.storeId = opened.storeId;
    this.blobs = new BlobFiles(this.dataDir, { fsync: full });
    this.commits = new CommitBatch(this.db);
    this.current = new CurrentObjects(this.db);
    this.access = new BucketAccessStore(this.db);
    this.settings = new BucketConfigStore(this.db, (bucket, key) => this.objectCache.forget(bucket, key));
    this.uploads = new UploadStore(this.db, this.blobs, this.current, (bucket, key) => this.objectCache.forget(bucket, key));
    const db = this.db;
    this.stmt = {
      listBuckets: db.prepare<[], BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets ORDER BY name`),
      getBucket: db.prepare<[string], BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE name = ?`),
      insertBucket: db.prepare(`INSERT OR IGNORE INTO buckets (${BUCKET_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      deleteBucket: db.prepare('DELETE FROM buckets WHERE name = ?'),
      anyObject: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM objects WHERE bucket = ? LIMIT 1'),
      getCors: db.prepare<[string], { cors: string | null }>('SELECT cors FROM buckets WHERE name = ?'),
      setCors: db.prepare('UPDATE buckets SET cors = ? WHERE name = ?'),
      getObject: db.prepare<[string, string], ObjectRow>(SELECT_OBJECT),
      insertBody: db.prepare('INSERT INTO object_bodies (id, bytes) VALUES (?, ?)'),
      getParts: db.prepare<[string, string], PartRow>('SELECT part_number, file, size, etag, checksums FROM object_parts WHERE bucket = ? AND key = ? ORDER BY part_number'),
      upsertObject: db.prepare(`INSERT OR REPLACE INTO objects (${OBJECT_COLUMNS}) VALUES (@bucket, @key, @size, @etag, @last_modified, @meta, @checksums, @checksum_type, @owner, @acl, @file, @multipart)`),
      deleteObject: db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?'),
      setObjectAcl: db.prepare('UPDATE objects SET acl = ?, acl_grants = NULL WHERE bucket = ? AND key = ?'),
      setObjectGrants: db.prepare('UPDATE objects SET acl = \'private\', acl_grants = ? WHERE bucket = ? AND key = ?'),
      objectAccess: db.prepare<[string, string], { owner: string; acl: string; acl_grants: string | null }>('SELECT owner, acl, acl_grants FROM objects WHERE bucket = ? AND key = ?'),
      listGt: db.prepare<[string, string, number], ListRow>(`SELECT ${LIST_COLUMNS} FROM objects WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?`).raw(true),
      listGe: db.prepare<[string, string, number], ListRow>(`SELECT ${LIST_COLUMNS} FROM objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT ?`).raw(true),
      isReferenced: db.prepare<[string, string, string], { one: number }>(
        'SELECT 1 AS one FROM objects WHERE file = ? UNION ALL SELECT 1 FROM object_parts WHERE file = ? UNION ALL SELECT 1 FROM upload_parts WHERE file = ? LIMIT 1'),
    };
  }

  /**
   * Removes temp files and unreferenced blobs left by a killed process (run at start-up), only
   * while blobs/ still carries this database's store id: never the files of another store.
   */
  sweepOrphans(before = Date.now()): Promise<number> {
    if (readMarker(this.blobs.blobDir) !== this.storeId) {
      return Promise.reject(new DataDirError('DataDirMismatch', `--data-dir ${this.dataDir}: blobs/${STORE_MARKER} no longer holds store ${this.storeId}: nothing swept`));
    }
    return this.blobs.sweep((id) => this.stmt.isReferenced.get(id, id, id) !== undefined, before);
  }

  listBuckets(): BucketInfo[] {
    return this.stmt.listBuckets.all().map(toBucket);
  }

  getBucket(name: string): BucketInfo | undefined {
    let bucket = this.bucketCache.get(name);
    if (bucket === undefined) {
      const row = this.stmt.getBucket.get(name);
      if (!row) return undefined;
      bucket = toBucket(row);
      this.bucketCache.set(name, bucket);
    }
    return { ...bucket };
  }

  createBucket(b: BucketInfo): boolean {
    this.bucketCache.clear();
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const created = this.stmt.insertBucket.run(b.name, b.createdAt.getTime(), b.owner, b.acl, b.region, json(b.grants), json(b.publicAccessBlock), b.ownership ?? null).changes === 1;
    if (created) this.bucketChanged(b.name);
    return created;
  }

  deleteBucket(name: string): void {
    this.bucketCache.clear();
    this.objectCache.clear();
    // S3 deletes a bucket whose only content is in-progress uploads, aborting them (docs/multipart.md);
    // their part files go after the commit (one a killed process leaves is an orphan for the sweep).
    const partFiles = this.db.transaction(() => {
      if (!this.stmt.getBucket.get(name)) throw new StorageError('NoSuchBucket');
      if (this.stmt.anyObject.get(name)) throw new StorageError('BucketNotEmpty');
      const files = this.uploads.dropBucketUploads(name);
      this.stmt.deleteBucket.run(name);
      this.settings.removeBucket(name);
      return files;
    })();
    this.bucketChanged(name);
    if (partFiles.length > 0) this.blobs.remove(partFiles).catch(() => undefined);
  }

  // Access settings (storage/bucket-access.ts); the policy notifies like CORS rules do.
  setBucketAcl(name: string, acl: CannedAcl): void { this.bucketCache.clear(); this.access.setAcl(name, acl); }
  setBucketGrants(name: string, grants: AclGrant[]): void { this.bucketCache.clear(); this.access.setGrants(name, grants); }
  setPublicAccessBlock(name: string, block: PublicAccessBlock | undefined): void { this.bucketCache.clear(); this.access.setPublicAccessBlock(name, block); }
  setObjectOwnership(name: string, ownership: ObjectOwnership | undefined): void { this.bucketCache.clear(); this.access.setObjectOwnership(name, ownership); }
  getBucketPolicy(name: string): string | undefined { return this.access.getPolicy(name); }
  setBucketPolicy(name: string, policy: string | undefined): void { this.access.setPolicy(name, policy); this.bucketChanged(name); }

  getBucketCors(name: string): CorsConfiguration | undefined {
    const json = this.stmt.getCors.get(name)?.cors;
    return json == null ? undefined : (JSON.parse(json) as CorsConfiguration);
  }

  setBucketCors(name: string, cors: CorsConfiguration | undefined): void {
    this.bucketCache.clear();
    if (this.stmt.setCors.run(cors === undefined ? null : JSON.stringify(cors), name).changes === 0) throw new StorageError('NoSuchBucket');
    this.bucketChanged(name);
  }

  onBucketChange(listener: (bucket: string | undefined) => void): void {
    this.bucketListeners.push(listener);
  }

  private bucketChanged(bucket: string | undefined): void {
    for (const listener of this.bucketListeners) listener(bucket);
  }

  stage(body: Readable, options: StageOptions): Promise<StagedBlob> {
    return this.blobs.stage(body, options);
  }

  async discard(staged: StagedBlob): Promise<void> {
    if (staged.bytes === undefined) await this.blobs.remove([staged.file]);
  }

  /**
   * Replaces (bucket, key) with a row pointing at the staged body (a file, or bytes stored here)
   * in one transaction (shared with the other commits of this event-loop turn); returns the row
   * and the files of the object it replaced (to delete after the commit).
   */
  private replaceObject(bucket: string, key: string, staged: StagedBlob, object: NewObject, conditions?: WriteConditions): Promise<{ row: ObjectRow; replaced: string[] }> {
    return this.commits.run(() => {
      this.objectCache.forget(bucket, key);
      if (!this.stmt.getBucket.get(bucket)) throw new StorageError('NoSuchBucket');
      const current = this.current.get(bucket, key);
      checkWriteConditions(current, conditions);
      const replaced = this.current.release(bucket, key, current);
      if (staged.bytes !== undefined) this.stmt.insertBody.run(staged.file, staged.bytes);
      const row: ObjectRow = {
        bucket, key, size: staged.size, etag: object.etag, last_modified: Date.now(),
        meta: JSON.stringify(object.meta), checksums: JSON.stringify(object.checksums),
        checksum_type: object.checksumType ?? null, owner: object.owner, acl: object.acl,
        file: staged.file, multipart: 0,
      };
      this.stmt.upsertObject.run(row);
      row.body = staged.bytes ?? null;
      if (object.grants) this.stmt.setObjectGrants.run(JSON.stringify(object.grants), bucket, key);
      return { row, replaced };
    });
  }

  async commitObject(bucket: string, key: string, staged: StagedBlob, object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo> {
    let result: { row: ObjectRow; replaced: string[] };
    try {
      result = await this.replaceObject(bucket, key, staged, object, conditions);
    } catch (err) {
      await this.discard(staged);
      throw err;
    }
    this.blobs.settle(staged.file);
    await this.blobs.remove(result.replaced);
    return rowToInfo(result.row);
  }

  async copyObject(src: ObjectInfo, bucket: string, key: string, object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo> {
    const only = src.segments.length === 1 ? src.segments[0] : undefined;
    if (only === undefined) {
      // A multipart source: its bytes are copied into one new file.
      const staged = await this.blobs.stage(this.readObject(src), { checksums: [], inline: true });
      return this.commitObject(bucket, key, staged, object, conditions);
    }
    if (only.bytes !== undefined) {
      const staged: StagedBlob = { file: this.blobs.newId(), size: src.size, md5: Buffer.alloc(0), checksums: {}, bytes: only.bytes };
      return this.commitObject(bucket, key, staged, object, conditions);
    }
    const linked = await this.blobs.link(only.file);
    return this.commitObject(bucket, key, { file: linked, size: src.size, md5: Buffer.alloc(0), checksums: {} }, object, conditions);
  }

  /** The object, read-only (frozen: it may be the cached one). */
  headObject(bucket: string, key: string): ObjectInfo | undefined {
    const cached = this.objectCache.get(bucket, key);
    if (cached !== undefined) return cached;
    const row = this.stmt.getObject.get(bucket, key);
    if (!row) return undefined;
    return this.objectCache.set(rowToInfo(row, row.file === null ? this.stmt.getParts.all(bucket, key) : undefined));
  }

  readObject(info: ObjectInfo, start = 0, end = info.size - 1): Readable {
    return this.blobs.read(info.segments, start, end);
  }

  readObjectBytes(info: ObjectInfo, start = 0, end = info.size - 1): Buffer | undefined {
    return this.blobs.readBytes(info.segments, start, end);
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    this.objectCache.forget(bucket, key);
    const files = this.db.transaction(() => {
      const current = this.current.get(bucket, key);
      if (!current) return undefined;
      const owned = this.current.release(bucket, key, current);
      this.stmt.deleteObject.run(bucket, key);
      return owned;
    })();
    if (!files) return false;
    await this.blobs.remove(files);
    return true;
  }

  setObjectAcl(bucket: string, key: string, acl: CannedAcl): boolean {
    this.objectCache.forget(bucket, key);
    return this.stmt.setObjectAcl.run(acl, bucket, key).changes === 1;
  }

  setObjectGrants(bucket: string, key: string, grants: AclGrant[]): boolean {
    this.objectCache.forget(bucket, key);
    return this.stmt.setObjectGrants.run(JSON.stringify(grants), bucket, key).changes === 1;
  }

  objectAccess(bucket: string, key: string): ObjectAccess | undefined {
    const row = this.stmt.objectAccess.get(bucket, key);
    if (!row) return undefined;
    const access: ObjectAccess = { owner: row.owner, acl: row.acl as CannedAcl };
    if (row.acl_grants !== null) access.grants = JSON.parse(row.acl_grants) as AclGrant[];
    return access;
  }

  listObjects(bucket: string, query: ListQuery): ListPage {
    const cursor = {
      fetch: (bound: string, inclusive: boolean, limit: number) =>
        (inclusive ? this.stmt.listGe : this.stmt.listGt).all(bucket, bound, limit).map(listRowToObject),
    };
    const page = listKeys(cursor, query);
    const result: ListPage = { objects: page.rows, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated };
    if (page.last !== undefined) result.last = page.last;
    return result;
  }

  createUpload(upload: NewUpload): UploadInfo {
    return this.uploads.create(upload);
  }

  getUpload(bucket: string, key: string, uploadId: string): UploadInfo | undefined {
    return this.uploads.get(bucket, key, uploadId);
  }

  commitPart(upload: UploadInfo, partNumber: number, staged: StagedBlob, part: { etag: string; checksums: ChecksumValues }): Promise<PartInfo> {
    return this.uploads.commitPart(upload, partNumber, staged, part);
  }

  listParts(uploadId: string, afterPart: number, maxParts: number): { parts: PartInfo[]; isTruncated: boolean } {
    return this.uploads.listParts(uploadId, afterPart, maxParts);
  }

  listUploads(bucket: string, query: UploadListQuery): UploadListPage {
    return this.uploads.list(bucket, query);
  }

  abortUpload(bucket: string, key: string, uploadId: string): Promise<boolean> {
    return this.uploads.abort(bucket, key, uploadId);
  }

  completeUpload(upload: UploadInfo, parts: PartInfo[], object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo> {
    return this.uploads.complete(upload, parts, object, conditions);
  }

  async reset(mode: 'objects' | 'all'): Promise<void> {
    this.bucketCache.clear();
    this.objectCache.clear();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM objects; DELETE FROM object_bodies; DELETE FROM object_parts; DELETE FROM uploads; DELETE FROM upload_parts;');
      if (mode === 'all') { this.db.exec('DELETE FROM buckets;'); this.settings.removeAll(); }
    })();
    // The object files go; the store marker stays.
    await this.blobs.removeAll();
    if (mode === 'all') this.bucketChanged(undefined);
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.lock.release();
  }
}

export function openSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  return new SqliteStorage(options);
}
