/**
 * Changes made to one entry in place (docs/spec/versioning.md §4 W3: no new version, LastModified
 * kept): its ACL, its settings kept in its meta JSON (tags, storage class), its retention and its
 * legal hold, addressed by (bucket, key, seq) in whichever
 * table holds it. The caller forgets the key in the object cache.
 */
import type Database from 'better-sqlite3';
import { StorageError } from './errors';
import { LOCKED_MESSAGE, retentionChangeAllowed } from './object-lock';
import type { Entries, EntryRef } from './versions';
import type { AclGrant, CannedAcl, LockMode, ObjectAccess, ObjectMeta } from './types';

type AccessRow = { owner: string; acl: string; acl_grants: string | null };

function statements(db: Database.Database, table: 'objects' | 'object_versions') {
  const where = 'WHERE bucket = ? AND key = ? AND seq = ?';
  return {
    acl: db.prepare<[string, string, string, number]>(`UPDATE ${table} SET acl = ?, acl_grants = NULL ${where}`),
    grants: db.prepare<[string, string, string, number]>(`UPDATE ${table} SET acl = 'private', acl_grants = ? ${where}`),
    retention: db.prepare<[string | null, number | null, string, string, number]>(`UPDATE ${table} SET lock_mode = ?, lock_until = ? ${where}`),
    hold: db.prepare<[string, string, string, number]>(`UPDATE ${table} SET legal_hold = ? ${where}`),
    meta: db.prepare<[string, string, string, number]>(`UPDATE ${table} SET meta = ? ${where}`),
    access: db.prepare<[string, string, number], AccessRow>(`SELECT owner, acl, acl_grants FROM ${table} ${where}`),
  };
}

export class EntryUpdates {
  private readonly tables;
  private readonly currentAccess;

  constructor(private readonly db: Database.Database, private readonly entries: Entries) {
    this.tables = { objects: statements(db, 'objects'), object_versions: statements(db, 'object_versions') };
    this.currentAccess = db.prepare<[string, string], AccessRow>('SELECT owner, acl, acl_grants FROM objects WHERE bucket = ? AND key = ?');
  }

  /** The current entry, or the one named. */
  private target(bucket: string, key: string, versionId: string | undefined): EntryRef | undefined {
    return versionId === undefined ? this.entries.current(bucket, key) : this.entries.find(bucket, key, versionId);
  }

  setAcl(bucket: string, key: string, acl: CannedAcl, versionId?: string): boolean {
    const ref = this.target(bucket, key, versionId);
    return ref !== undefined && this.tables[ref.table].acl.run(acl, bucket, key, ref.seq).changes === 1;
  }

  setGrants(bucket: string, key: string, grants: AclGrant[], versionId?: string): boolean {
    const ref = this.target(bucket, key, versionId);
    return ref !== undefined && this.tables[ref.table].grants.run(JSON.stringify(grants), bucket, key, ref.seq).changes === 1;
  }

  /** Object settings are per version (tags, storage class); a delete marker has none. */
  setMeta(bucket: string, key: string, meta: ObjectMeta, versionId?: string): boolean {
    const ref = this.target(bucket, key, versionId);
    return ref !== undefined && !ref.marker && this.tables[ref.table].meta.run(JSON.stringify(meta), bucket, key, ref.seq).changes === 1;
  }

  /** §9 K9: decided and written in one transaction. */
  setRetention(bucket: string, key: string, versionId: string, retention: { mode: LockMode; retainUntil: Date } | undefined, bypassGovernance: boolean): boolean {
    return this.db.transaction(() => {
      const ref = this.entries.find(bucket, key, versionId);
      if (!ref || ref.marker) return false;
      if (!retentionChangeAllowed(ref, retention, bypassGovernance, Date.now())) throw new StorageError('AccessDenied', LOCKED_MESSAGE);
      return this.tables[ref.table].retention.run(retention?.mode ?? null, retention?.retainUntil.getTime() ?? null, bucket, key, ref.seq).changes === 1;
    })();
  }

  /** §9 K10: no bypass needed. */
  setLegalHold(bucket: string, key: string, versionId: string, status: 'ON' | 'OFF'): boolean {
    const ref = this.entries.find(bucket, key, versionId);
    return ref !== undefined && !ref.marker && this.tables[ref.table].hold.run(status, bucket, key, ref.seq).changes === 1;
  }

  access(bucket: string, key: string, versionId?: string): ObjectAccess | undefined {
    let row: AccessRow | undefined;
    if (versionId === undefined) row = this.currentAccess.get(bucket, key);
    else {
      const ref = this.entries.find(bucket, key, versionId);
      if (ref) row = this.tables[ref.table].access.get(bucket, key, ref.seq);
    }
    if (!row) return undefined;
    const access: ObjectAccess = { owner: row.owner, acl: row.acl as CannedAcl };
    if (row.acl_grants !== null) access.grants = JSON.parse(row.acl_grants) as AclGrant[];
    return access;
  }
}
