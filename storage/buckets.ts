/**
 * The buckets table: bucket settings (ACL, CORS, versioning, Object Lock, and the access settings:
 * policy, Block Public Access, Object Ownership, schema step 7) and a cache of buckets
 * as last read (a request looks its bucket up two or three times). Every method that writes the
 * table empties the cache (one process owns the database) and tells the listeners.
 */
import type Database from 'better-sqlite3';
import type { CorsConfiguration } from '../cors-engine';
import type { ChangeListeners } from './change-listeners';
import { StorageError } from './errors';
import { BUCKET_COLUMNS, toBucket, type BucketRow } from './bucket-rows';
import type { AclGrant, BucketInfo, CannedAcl, ObjectLockConfig, ObjectOwnership, PublicAccessBlock, VersioningStatus } from './types';

export class BucketStore {
  private readonly stmt;
  private readonly cache = new Map<string, BucketInfo>();

  /** `changes`: told of every bucket change (storage/change-listeners.ts). */
  constructor(db: Database.Database, private readonly changes: ChangeListeners) {
    this.stmt = {
      list: db.prepare<[], BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets ORDER BY name`),
      get: db.prepare<[string], BucketRow>(`SELECT ${BUCKET_COLUMNS} FROM buckets WHERE name = ?`),
      insert: db.prepare(`INSERT OR IGNORE INTO buckets (${BUCKET_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      remove: db.prepare('DELETE FROM buckets WHERE name = ?'),
      setVersioning: db.prepare('UPDATE buckets SET versioning = ?, mfa_delete = COALESCE(?, mfa_delete) WHERE name = ?'),
      setObjectLock: db.prepare('UPDATE buckets SET object_lock = ? WHERE name = ?'),
      setAcl: db.prepare('UPDATE buckets SET acl = ?, acl_grants = NULL WHERE name = ?'),
      setGrants: db.prepare('UPDATE buckets SET acl = \'private\', acl_grants = ? WHERE name = ?'),
      getCors: db.prepare<[string], { cors: string | null }>('SELECT cors FROM buckets WHERE name = ?'),
      setCors: db.prepare('UPDATE buckets SET cors = ? WHERE name = ?'),
      setPublicAccessBlock: db.prepare('UPDATE buckets SET public_access_block = ? WHERE name = ?'),
      setObjectOwnership: db.prepare('UPDATE buckets SET object_ownership = ? WHERE name = ?'),
      getPolicy: db.prepare<[string], { policy: string | null }>('SELECT policy FROM buckets WHERE name = ?'),
      setPolicy: db.prepare('UPDATE buckets SET policy = ? WHERE name = ?'),
    };
  }

  list(): BucketInfo[] {
    return this.stmt.list.all().map(toBucket);
  }

  get(name: string): BucketInfo | undefined {
    let bucket = this.cache.get(name);
    if (bucket === undefined) {
      const row = this.stmt.get.get(name);
      if (!row) return undefined;
      bucket = toBucket(row);
      this.cache.set(name, bucket);
    }
    return { ...bucket };
  }

  /** Whether the row exists, read past the cache (inside a transaction). */
  exists(name: string): boolean {
    return this.stmt.get.get(name) !== undefined;
  }

  create(b: BucketInfo): boolean {
    this.cache.clear();
    const created = this.stmt.insert.run(
      b.name, b.createdAt.getTime(), b.owner, b.acl, b.region, b.grants ? JSON.stringify(b.grants) : null,
      b.versioning ?? null, b.mfaDelete ?? null, b.objectLock ? JSON.stringify(b.objectLock) : null,
      b.publicAccessBlock ? JSON.stringify(b.publicAccessBlock) : null, b.ownership ?? null,
    ).changes === 1;
    if (created) this.changed(b.name);
    return created;
  }

  /** Deletes the row (inside the caller's transaction, which checked it is empty). */
  remove(name: string): void {
    this.cache.clear();
    this.stmt.remove.run(name);
  }

  setVersioning(name: string, status: VersioningStatus, mfaDelete?: 'Enabled' | 'Disabled'): void {
    this.update(name, this.stmt.setVersioning.run(status, mfaDelete ?? null, name).changes);
  }

  setObjectLock(name: string, config: ObjectLockConfig): void {
    this.update(name, this.stmt.setObjectLock.run(JSON.stringify(config), name).changes);
  }

  setAcl(name: string, acl: CannedAcl): void {
    this.update(name, this.stmt.setAcl.run(acl, name).changes);
  }

  setGrants(name: string, grants: AclGrant[]): void {
    this.update(name, this.stmt.setGrants.run(JSON.stringify(grants), name).changes);
  }

  getCors(name: string): CorsConfiguration | undefined {
    const json = this.stmt.getCors.get(name)?.cors;
    return json == null ? undefined : (JSON.parse(json) as CorsConfiguration);
  }

  setCors(name: string, cors: CorsConfiguration | undefined): void {
    this.update(name, this.stmt.setCors.run(cors === undefined ? null : JSON.stringify(cors), name).changes);
    this.changed(name);
  }

  /** Block Public Access; undefined removes the configuration (every setting off). */
  setPublicAccessBlock(name: string, block: PublicAccessBlock | undefined): void {
    this.update(name, this.stmt.setPublicAccessBlock.run(block ? JSON.stringify(block) : null, name).changes);
  }

  /** Object Ownership; undefined removes the controls (the bucket behaves as ObjectWriter). */
  setObjectOwnership(name: string, ownership: ObjectOwnership | undefined): void {
    this.update(name, this.stmt.setObjectOwnership.run(ownership ?? null, name).changes);
  }

  /** The bucket policy as put, read past the cache (the compiled form is cached by the server). */
  getPolicy(name: string): string | undefined {
    return this.stmt.getPolicy.get(name)?.policy ?? undefined;
  }

  /** Sets or removes the policy and tells the listeners (the server's policy cache). */
  setPolicy(name: string, policy: string | undefined): void {
    this.update(name, this.stmt.setPolicy.run(policy ?? null, name).changes);
    this.changed(name);
  }

  /** Empties the cache and tells the listeners (undefined: every bucket). */
  changed(bucket: string | undefined): void {
    this.cache.clear();
    this.changes.bucketChanged(bucket);
  }

  clearCache(): void {
    this.cache.clear();
  }

  private update(name: string, changes: number): void {
    this.cache.clear();
    if (changes === 0) throw new StorageError('NoSuchBucket');
  }
}
