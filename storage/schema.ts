/**
 * The SQLite schema, versioned in `PRAGMA user_version` with forward migrations.
 * Keys are TEXT compared with BINARY collation: memcmp over UTF-8, which is S3's
 * lexicographic UTF-8 byte order for listings.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: string[] = [
  // 1: buckets, objects (single-file or multipart), uploads and their parts.
  `
  CREATE TABLE buckets (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    owner TEXT NOT NULL,
    acl TEXT NOT NULL,
    region TEXT NOT NULL,
    cors TEXT
  ) WITHOUT ROWID;
  CREATE TABLE objects (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    meta TEXT NOT NULL,
    checksums TEXT NOT NULL,
    checksum_type TEXT,
    owner TEXT NOT NULL,
    acl TEXT NOT NULL,
    file TEXT,
    multipart INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, key)
  ) WITHOUT ROWID;
  CREATE INDEX objects_by_file ON objects(file) WHERE file IS NOT NULL;
  CREATE TABLE object_parts (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    checksums TEXT NOT NULL,
    PRIMARY KEY (bucket, key, part_number)
  ) WITHOUT ROWID;
  CREATE INDEX object_parts_by_file ON object_parts(file);
  CREATE TABLE uploads (
    upload_id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    initiated INTEGER NOT NULL,
    meta TEXT NOT NULL,
    owner TEXT NOT NULL,
    acl TEXT NOT NULL,
    checksum_algorithm TEXT,
    checksum_type TEXT
  ) WITHOUT ROWID;
  CREATE INDEX uploads_by_key ON uploads(bucket, key, initiated);
  CREATE TABLE upload_parts (
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    checksums TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (upload_id, part_number)
  ) WITHOUT ROWID;
  CREATE INDEX upload_parts_by_file ON upload_parts(file);
  `,
  // 2: explicit ACL grants (x-amz-grant-* headers, AccessControlPolicy documents) as JSON. NULL:
  // the grants are those of the canned ACL in `acl`. Rows written without the column keep NULL.
  `
  ALTER TABLE buckets ADD COLUMN acl_grants TEXT;
  ALTER TABLE objects ADD COLUMN acl_grants TEXT;
  `,
  // 3: small object bodies kept in the database (one transaction, no file): objects.file is the
  // id of the row here. Objects written before keep their files.
  `
  CREATE TABLE object_bodies (
    id TEXT PRIMARY KEY,
    bytes BLOB NOT NULL
  );
  `,
  // 4: the store id, also written in blobs/crossbucket-store: the database and the object files
  // are known to belong together only when the two match (storage/data-dir.ts).
  `
  CREATE TABLE store (
    id TEXT NOT NULL
  );
  INSERT INTO store (id) VALUES (lower(hex(randomblob(16))));
  `,
  // 5 (bucket configuration, docs/spec/bucket-config.md §B): one row per (bucket, configuration
  // name) holding the validated configuration as JSON: tagging, encryption, lifecycle, logging,
  // notification, replication, request payment, accelerate. IF NOT EXISTS: another step may
  // create the same generic table.
  `
  CREATE TABLE IF NOT EXISTS bucket_configs (
    bucket TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (bucket, name)
  ) WITHOUT ROWID;
  `,
  // 6: versioning and Object Lock (docs/spec/versioning.md §1). A version is a row: the top entry
  // of each key (object version or delete marker) stays in `objects`, found by one primary-key
  // seek as before; older entries move to `object_versions`, ordered by their `seq`. Parts of a
  // multipart version are keyed by its seq. Existing objects become null versions.
  `
  ALTER TABLE buckets ADD COLUMN versioning TEXT;
  ALTER TABLE buckets ADD COLUMN mfa_delete TEXT;
  ALTER TABLE buckets ADD COLUMN object_lock TEXT;
  ALTER TABLE uploads ADD COLUMN lock TEXT;
  ALTER TABLE objects ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE objects ADD COLUMN version_id TEXT NOT NULL DEFAULT 'null';
  ALTER TABLE objects ADD COLUMN marker INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE objects ADD COLUMN lock_mode TEXT;
  ALTER TABLE objects ADD COLUMN lock_until INTEGER;
  ALTER TABLE objects ADD COLUMN legal_hold TEXT;
  UPDATE objects SET seq = last_modified * 1024;
  CREATE TABLE object_versions (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    meta TEXT NOT NULL,
    checksums TEXT NOT NULL,
    checksum_type TEXT,
    owner TEXT NOT NULL,
    acl TEXT NOT NULL,
    file TEXT,
    multipart INTEGER NOT NULL DEFAULT 0,
    acl_grants TEXT,
    seq INTEGER NOT NULL,
    version_id TEXT NOT NULL,
    marker INTEGER NOT NULL DEFAULT 0,
    lock_mode TEXT,
    lock_until INTEGER,
    legal_hold TEXT,
    PRIMARY KEY (bucket, key, seq)
  ) WITHOUT ROWID;
  CREATE INDEX object_versions_null ON object_versions(bucket, key) WHERE version_id = 'null';
  CREATE INDEX object_versions_by_file ON object_versions(file) WHERE file IS NOT NULL;
  CREATE TABLE object_parts_6 (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    part_number INTEGER NOT NULL,
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    checksums TEXT NOT NULL,
    PRIMARY KEY (bucket, key, seq, part_number)
  ) WITHOUT ROWID;
  INSERT INTO object_parts_6 SELECT p.bucket, p.key, o.seq, p.part_number, p.file, p.size, p.etag, p.checksums
    FROM object_parts p JOIN objects o ON o.bucket = p.bucket AND o.key = p.key;
  DROP TABLE object_parts;
  ALTER TABLE object_parts_6 RENAME TO object_parts;
  CREATE INDEX object_parts_by_file ON object_parts(file);
  CREATE TABLE version_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq_ceiling INTEGER NOT NULL,
    secret BLOB NOT NULL
  );
  INSERT INTO version_state (id, seq_ceiling, secret) VALUES (1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM objects), randomblob(32));
  `,
  // 7 (access, docs/spec/access.md §5, §6): the bucket policy as put (JSON text), the bucket's
  // Block Public Access configuration (JSON, four booleans) and its Object Ownership rule. NULL
  // means "none": no policy, no public access block (all four settings off) and no ownership
  // controls (the bucket behaves as ObjectWriter). Buckets created before this step keep NULL,
  // so they keep the ACL behaviour they were created with; new buckets get S3's defaults since
  // April 2023 (all four blocks on, BucketOwnerEnforced) written explicitly by CreateBucket.
  `
  ALTER TABLE buckets ADD COLUMN policy TEXT;
  ALTER TABLE buckets ADD COLUMN public_access_block TEXT;
  ALTER TABLE buckets ADD COLUMN object_ownership TEXT;
  `,
  // 8: the explicit grants (x-amz-grant-*, or a bucket-owner-* canned ACL resolved) of a
  // multipart upload, given to the object at completion as PutObject's are. NULL: the canned
  // ACL in `acl` alone, which is all an upload created before this step kept.
  `
  ALTER TABLE uploads ADD COLUMN acl_grants TEXT;
  `,
];

/** `PRAGMA application_id` of a crossbucket database: 'CrBk'. */
export const APPLICATION_ID = 0x4372426b;

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations after `user_version` (storage/data-dir.ts refused a newer schema before). */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`data directory was written by a newer crossbucket (schema ${current} > ${SCHEMA_VERSION})`);
  }
  if (current < SCHEMA_VERSION) db.pragma(`application_id = ${APPLICATION_ID}`);
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
