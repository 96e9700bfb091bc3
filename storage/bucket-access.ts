/**
 * A bucket's access settings in SQLite: its ACL, and (schema step 6) the policy
 * text, the Block Public Access configuration (JSON) and the Object Ownership rule. NULL is "none"
 * for each.
 */
import type Database from 'better-sqlite3';
import { StorageError } from './errors';
import type { AclGrant, CannedAcl, ObjectOwnership, PublicAccessBlock } from './types';

export class BucketAccessStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      setAcl: db.prepare('UPDATE buckets SET acl = ?, acl_grants = NULL WHERE name = ?'),
      setGrants: db.prepare('UPDATE buckets SET acl = \'private\', acl_grants = ? WHERE name = ?'),
      setPublicAccessBlock: db.prepare('UPDATE buckets SET public_access_block = ? WHERE name = ?'),
      setObjectOwnership: db.prepare('UPDATE buckets SET object_ownership = ? WHERE name = ?'),
      getPolicy: db.prepare<[string], { policy: string | null }>('SELECT policy FROM buckets WHERE name = ?'),
      setPolicy: db.prepare('UPDATE buckets SET policy = ? WHERE name = ?'),
    };
  }

  setAcl(name: string, acl: CannedAcl): void {
    if (this.stmt.setAcl.run(acl, name).changes === 0) throw new StorageError('NoSuchBucket');
  }

  /** Explicit grants replace the canned ACL. */
  setGrants(name: string, grants: AclGrant[]): void {
    if (this.stmt.setGrants.run(JSON.stringify(grants), name).changes === 0) throw new StorageError('NoSuchBucket');
  }

  setPublicAccessBlock(name: string, block: PublicAccessBlock | undefined): void {
    if (this.stmt.setPublicAccessBlock.run(block ? JSON.stringify(block) : null, name).changes === 0) throw new StorageError('NoSuchBucket');
  }

  setObjectOwnership(name: string, ownership: ObjectOwnership | undefined): void {
    if (this.stmt.setObjectOwnership.run(ownership ?? null, name).changes === 0) throw new StorageError('NoSuchBucket');
  }

  getPolicy(name: string): string | undefined {
    return this.stmt.getPolicy.get(name)?.policy ?? undefined;
  }

  setPolicy(name: string, policy: string | undefined): void {
    if (this.stmt.setPolicy.run(policy ?? null, name).changes === 0) throw new StorageError('NoSuchBucket');
  }
}
