/**
 * The embedded default storage: SQLite (WAL) metadata and bodies up to 64 KiB (`object_bodies`,
 * written in the metadata's transaction), larger bodies in immutable object files.
 * Crash safety: a body is renamed into place before its metadata commits, and the file
 * it replaces is deleted only after the commit, so a killed process leaves the old object
 * or the new one; files nothing references are swept at start-up.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BlobFiles } from './blob-files';
import { BucketStore } from './buckets';
import type { CorsConfiguration } from '../cors-engine';
import { DataDirError, StorageError } from './errors';
import { recordCleanClose } from './clean-close';
import { DB_FILE, openDataDir, readMarker, STORE_MARKER } from './data-dir';
import type { DataDirLock } from './data-dir-lock';
import { ChangeListeners } from './change-listeners';
import { CommitBatch } from './commit-batch';
import { ListQueries } from './list-queries';
import { ObjectCache } from './object-cache';
import { newVersionLock } from './object-lock';
import { SELECT_NULL_VERSION, SELECT_OBJECT, SELECT_VERSION_AT, entryRow, rowToInfo, type EntryValues, type ObjectRow, type PartRow } from './object-rows';
import { BucketConfigStore } from './bucket-configs';
import { UploadStore } from './uploads';
import { deleteEntry } from './version-delete';
import { NULL_VERSION, VersionIds } from './version-ids';
import { EntryUpdates } from './version-updates';
import { Entries } from './versions';
import { checkWriteConditions } from './write-conditions';
import { START_AFTER_COMMITS, WalCheckpointer } from './wal-checkpointer';
import type { ChecksumValues } from './checksums';
import type {
  AclGrant, BucketInfo, CannedAcl, DeleteOptions, DeleteResult, ListPage, ListQuery, LockMode, NewObject, NewUpload, ObjectAccess,
  ObjectChange, ObjectInfo, ObjectLockConfig, ObjectOwnership, PartInfo, PublicAccessBlock, StagedBlob, StageOptions, Storage, UploadInfo, UploadListPage,
  UploadListQuery, VersioningStatus, VersionListPage, VersionListQuery, WriteConditions,
} from './types';

export interface SqliteStorageOptions {
  dataDir: string;
  /** 'normal': survives a killed process. 'full': fsync per object and synchronous=FULL. */
  durability?: 'normal' | 'full';
  /** Group commits before log checkpoints move to a worker thread (default START_AFTER_COMMITS, storage/wal-checkpointer.ts). */
  checkpointWorkerAfter?: number;
}

export class SqliteStorage implements Storage {
  readonly dataDir: string;
  readonly db: Database.Database;
  readonly blobs: BlobFiles;
  readonly storeId: string; // in the database's `store` table and in blobs/crossbucket-store
  private readonly lock: DataDirLock;
  private readonly stmt;
  /** ACL, meta, retention and legal hold of one entry, changed in place (storage/version-updates.ts). */
  private readonly updates: EntryUpdates;
  /** Multipart uploads (storage/uploads.ts). */
  private readonly uploads: UploadStore;
  /** ListObjects and ListObjectVersions (storage/list-queries.ts). */
  private readonly lists: ListQueries;
  /** The buckets table and its cache (storage/buckets.ts). */
  private readonly buckets: BucketStore;
  private readonly changes = new ChangeListeners(); // bucket and object change listeners (storage/change-listeners.ts)
  /** Objects as last read (storage/object-cache.ts): every write of an object row forgets its key. */
  private readonly objectCache = new ObjectCache();
  /** Object commits of one event-loop turn share a transaction (storage/commit-batch.ts). */
  private readonly commits: CommitBatch;
  /** Log checkpoints off the event loop once the store is busy (storage/wal-checkpointer.ts). */
  readonly checkpointer: WalCheckpointer;
  private readonly ids: VersionIds; // entry sequence numbers and version ids (storage/version-ids.ts)
  private readonly entries: Entries; // the entries of a key: current, older, placed, removed (storage/versions.ts)
  readonly settings: BucketConfigStore; // bucket configurations, object settings (storage/bucket-configs.ts)

  constructor(options: SqliteStorageOptions) {
    this.dataDir = options.dataDir;
    const full = options.durability === 'full';
    // Locked, checked and migrated, or a DataDirError (storage/data-dir.ts).
    const opened = openDataDir(this.dataDir, { full });
    this.db = opened.db;
    this.lock = opened.lock;
    this.storeId = opened.storeId;
    this.blobs = new BlobFiles(this.dataDir, { fsync: full });
    this.checkpointer = new WalCheckpointer(this.db, { path: join(this.dataDir, DB_FILE), synchronous: full ? 'FULL' : 'NORMAL', startAfter: options.checkpointWorkerAfter ?? START_AFTER_COMMITS });
    this.commits = new CommitBatch(this.db, () => this.checkpointer.committed());
    this.buckets = new BucketStore(this.db, this.changes);
    this.ids = new VersionIds(this.db, opened.checked);
    this.entries = new Entries(this.db, this.ids);
    this.uploads = new UploadStore(this.db, this.blobs, this.entries, (bucket, key) => this.objectCache.forget(bucket, key));
    const db = this.db;
    this.stmt = {
      anyObject: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM objects WHERE bucket = ? UNION ALL SELECT 1 FROM object_versions WHERE bucket = ? LIMIT 1'),
      getObject: db.prepare<[string, string], EntryValues>(SELECT_OBJECT).raw(),
      getVersionAt: db.prepare<[string, string, number], EntryValues>(SELECT_VERSION_AT).raw(),
      getNullVersion: db.prepare<[string, string], EntryValues>(SELECT_NULL_VERSION).raw(),
      insertBody: db.prepare('INSERT INTO object_bodies (id, bytes) VALUES (?, ?)'),
      getParts: db.prepare<[string, string, number], PartRow>('SELECT part_number, file, size, etag, checksums FROM object_parts WHERE bucket = ? AND key = ? AND seq = ? ORDER BY part_number'),
      isReferenced: db.prepare<[string, string, string, string], { one: number }>(
        'SELECT 1 AS one FROM objects WHERE file = ? UNION ALL SELECT 1 FROM object_versions WHERE file = ? UNION ALL SELECT 1 FROM object_parts WHERE file = ? UNION ALL SELECT 1 FROM upload_parts WHERE file = ? LIMIT 1'),
    };
    this.updates = new EntryUpdates(db, this.entries);
    this.settings = new BucketConfigStore(db, (bucket, key, meta, versionId) => { this.objectCache.forget(bucket, key); return this.updates.setMeta(bucket, key, meta, versionId); });
    this.lists = new ListQueries(db, this.entries, this.ids);
  }

  /**
   * Removes temp files and unreferenced blobs left by a killed process (run at start-up), only
   * while blobs/ still carries this database's store id: never the files of another store.
   */
  sweepOrphans(before = Date.now()): Promise<number> {
    if (readMarker(this.blobs.blobDir) !== this.storeId) {
      return Promise.reject(new DataDirError('DataDirMismatch', `--data-dir ${this.dataDir}: blobs/${STORE_MARKER} no longer holds store ${this.storeId}: nothing swept`));
    }
    return this.blobs.sweep((id) => this.stmt.isReferenced.get(id, id, id, id) !== undefined, before);
  }

  listBuckets(): BucketInfo[] { return this.buckets.list(); }

  getBucket(name: string): BucketInfo | undefined { return this.buckets.get(name); }

  createBucket(b: BucketInfo): boolean { return this.buckets.create(b); }

  /** Any entry, delete markers included, keeps the bucket; open uploads are discarded (docs/spec/versioning.md §8). */
  deleteBucket(name: string): void {
    this.objectCache.clear();
    // S3 deletes a bucket whose only content is in-progress uploads, aborting them (docs/multipart.md);
    // their part files go after the commit (one a killed process leaves is an orphan for the sweep).
    const partFiles = this.db.transaction(() => {
      if (!this.buckets.exists(name)) throw new StorageError('NoSuchBucket');
      if (this.stmt.anyObject.get(name, name)) throw new StorageError('BucketNotEmpty');
      const files = this.uploads.dropBucketUploads(name);
      this.buckets.remove(name);
      this.settings.removeBucket(name);
      return files;
    })();
    this.buckets.changed(name);
    if (partFiles.length > 0) this.blobs.remove(partFiles).catch(() => undefined);
  }

  setBucketVersioning(name: string, status: VersioningStatus, mfaDelete?: 'Enabled' | 'Disabled'): void {
    this.buckets.setVersioning(name, status, mfaDelete);
  }

  setBucketObjectLock(name: string, config: ObjectLockConfig): void {
    this.buckets.setObjectLock(name, config);
  }

  isVersionId(id: string): boolean {
    return id === NULL_VERSION || this.ids.decode(id) !== undefined;
  }

  setBucketAcl(name: string, acl: CannedAcl): void { this.buckets.setAcl(name, acl); }

  setBucketGrants(name: string, grants: AclGrant[]): void { this.buckets.setGrants(name, grants); }

  // Access settings (storage/buckets.ts); a policy change tells the listeners, as CORS does.
  setPublicAccessBlock(name: string, block: PublicAccessBlock | undefined): void { this.buckets.setPublicAccessBlock(name, block); }
  setObjectOwnership(name: string, ownership: ObjectOwnership | undefined): void { this.buckets.setObjectOwnership(name, ownership); }
  getBucketPolicy(name: string): string | undefined { return this.buckets.getPolicy(name); }
  setBucketPolicy(name: string, policy: string | undefined): void { this.buckets.setPolicy(name, policy); }

  getBucketCors(name: string): CorsConfiguration | undefined { return this.buckets.getCors(name); }

  setBucketCors(name: string, cors: CorsConfiguration | undefined): void {
    this.buckets.setCors(name, cors);
  }

  onBucketChange(listener: (bucket: string | undefined) => void): void { this.changes.onBucket(listener); }
  onObjectChange(listener: (change: ObjectChange) => void): void { this.changes.onObject(listener); }

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
      const state = this.entries.bucket(bucket);
      if (!state) throw new StorageError('NoSuchBucket');
      const current = this.entries.current(bucket, key);
      // A current delete marker counts as absent (docs/spec/versioning.md §4 W4).
      checkWriteConditions(current?.marker ? undefined : current, conditions);
      if (staged.bytes !== undefined) this.stmt.insertBody.run(staged.file, staged.bytes);
      const now = Date.now();
      const { row, freed } = this.entries.place(bucket, key, state.versioning, current, {
        bucket, key, size: staged.size, etag: object.etag, last_modified: now,
        meta: JSON.stringify(object.meta), checksums: JSON.stringify(object.checksums),
        checksum_type: object.checksumType ?? null, owner: object.owner, acl: object.grants ? 'private' : object.acl,
        file: staged.file, multipart: 0, marker: 0, acl_grants: object.grants ? JSON.stringify(object.grants) : null,
        ...newVersionLock(object.lock, state.lock?.rule, now),
      });
      row.body = staged.bytes ?? null;
      return { row, replaced: freed };
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
    const info = rowToInfo(result.row);
    this.changes.objectChanged({ action: 'put', bucket, key, object: info });
    this.blobs.removeLater(result.replaced);
    return info;
  }

  async copyObject(src: ObjectInfo, bucket: string, key: string, object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo> {
    const only = src.segments.length === 1 ? src.segments[0] : undefined;
    if (only === undefined) {
      // A multipart source: its bytes are copied into one new file.
      const staged = await this.blobs.stage(this.readObject(src), { checksums: [], inline: true });
      return this.commitObject(bucket, key, staged, object, conditions);
    }
    if (only.bytes !== undefined) {
      const staged: StagedBlob = { file: this.blobs.newBodyId(), size: src.size, md5: Buffer.alloc(0), checksums: {}, bytes: only.bytes };
      return this.commitObject(bucket, key, staged, object, conditions);
    }
    const linked = await this.blobs.link(only.file);
    return this.commitObject(bucket, key, { file: linked, size: src.size, md5: Buffer.alloc(0), checksums: {} }, object, conditions);
  }

  /**
   * The current entry, or the one `versionId` names: read-only (frozen: it may be the cached one).
   * Only current entries are cached; a version named by id is read with one primary-key seek.
   */
  headObject(bucket: string, key: string, versionId?: string): ObjectInfo | undefined {
    const cached = this.objectCache.get(bucket, key);
    if (cached !== undefined && (versionId === undefined || cached.versionId === versionId)) return cached;
    const values = this.stmt.getObject.get(bucket, key);
    if (!values) return undefined;
    const row = entryRow(values);
    if (versionId === undefined || row.version_id === versionId) return this.objectCache.set(this.toInfo(row));
    let older: EntryValues | undefined;
    if (versionId === NULL_VERSION) older = this.stmt.getNullVersion.get(bucket, key);
    else {
      const seq = this.ids.decode(versionId);
      older = seq === undefined ? undefined : this.stmt.getVersionAt.get(bucket, key, seq);
    }
    const olderRow = older === undefined ? undefined : entryRow(older);
    return olderRow?.version_id === versionId ? this.toInfo(olderRow) : undefined;
  }

  private toInfo(row: ObjectRow): ObjectInfo {
    return rowToInfo(row, row.file === null && !row.marker ? this.stmt.getParts.all(row.bucket, row.key, row.seq) : undefined);
  }

  readObject(info: ObjectInfo, start = 0, end = info.size - 1): Readable {
    return this.blobs.read(info.segments, start, end);
  }

  readObjectBytes(info: ObjectInfo, start = 0, end = info.size - 1): Buffer | undefined {
    return this.blobs.readBytes(info.segments, start, end);
  }

  /** docs/spec/versioning.md §6 D1 (no id) and D2/D3 (an id), in one transaction. */
  async deleteObject(bucket: string, key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    this.objectCache.forget(bucket, key);
    const { result, files } = this.db.transaction(() => deleteEntry(this.entries, bucket, key, options))();
    if (result.removed) this.changes.objectChanged({ action: 'delete', bucket, key });
    await this.blobs.remove(files);
    return result;
  }

  setObjectAcl(bucket: string, key: string, acl: CannedAcl, versionId?: string): boolean {
    this.objectCache.forget(bucket, key);
    return this.updates.setAcl(bucket, key, acl, versionId);
  }

  setObjectGrants(bucket: string, key: string, grants: AclGrant[], versionId?: string): boolean {
    this.objectCache.forget(bucket, key);
    return this.updates.setGrants(bucket, key, grants, versionId);
  }

  setObjectRetention(bucket: string, key: string, versionId: string, retention: { mode: LockMode; retainUntil: Date } | undefined, bypassGovernance: boolean): boolean {
    this.objectCache.forget(bucket, key);
    return this.updates.setRetention(bucket, key, versionId, retention, bypassGovernance);
  }

  setObjectLegalHold(bucket: string, key: string, versionId: string, status: 'ON' | 'OFF'): boolean {
    this.objectCache.forget(bucket, key);
    return this.updates.setLegalHold(bucket, key, versionId, status);
  }

  objectAccess(bucket: string, key: string, versionId?: string): ObjectAccess | undefined { return this.updates.access(bucket, key, versionId); }

  listObjects(bucket: string, query: ListQuery): ListPage { return this.lists.objects(bucket, query); }

  listObjectVersions(bucket: string, query: VersionListQuery): VersionListPage {
    return this.lists.versions(bucket, query, this.getBucket(bucket)?.versioning !== undefined);
  }

  createUpload(upload: NewUpload): UploadInfo { return this.uploads.create(upload); }

  getUpload(bucket: string, key: string, uploadId: string): UploadInfo | undefined { return this.uploads.get(bucket, key, uploadId); }

  commitPart(upload: UploadInfo, partNumber: number, staged: StagedBlob, part: { etag: string; checksums: ChecksumValues }): Promise<PartInfo> {
    return this.uploads.commitPart(upload, partNumber, staged, part);
  }

  listParts(uploadId: string, afterPart: number, maxParts: number): { parts: PartInfo[]; isTruncated: boolean } {
    return this.uploads.listParts(uploadId, afterPart, maxParts);
  }

  listUploads(bucket: string, query: UploadListQuery): UploadListPage { return this.uploads.list(bucket, query); }

  abortUpload(bucket: string, key: string, uploadId: string): Promise<boolean> { return this.uploads.abort(bucket, key, uploadId); }

  async completeUpload(upload: UploadInfo, parts: PartInfo[], object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo> {
    const info = await this.uploads.complete(upload, parts, object, conditions);
    this.changes.objectChanged({ action: 'put', bucket: upload.bucket, key: upload.key, object: info });
    return info;
  }

  async reset(mode: 'objects' | 'all'): Promise<void> {
    this.buckets.clearCache();
    this.objectCache.clear();
    this.db.transaction(() => {
      this.db.exec('DELETE FROM objects; DELETE FROM object_versions; DELETE FROM object_bodies; DELETE FROM object_parts; DELETE FROM uploads; DELETE FROM upload_parts;');
      if (mode === 'all') { this.db.exec('DELETE FROM buckets;'); this.settings.removeAll(); }
    })();
    // The object files go; the store marker stays.
    await this.blobs.removeAll();
    if (mode === 'all') this.buckets.changed(undefined);
  }

  close(): void {
    // The worker's connection first: the main one must be the last, so that its close removes the log.
    this.checkpointer.close();
    if (this.db.open) { this.db.close(); recordCleanClose(`${this.dataDir}/${DB_FILE}`); }
    this.lock.release();
  }
}

export function openSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  return new SqliteStorage(options);
}
