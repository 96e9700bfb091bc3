/**
 * Bucket configurations other than ACL and CORS (docs/spec/bucket-config.md §B): one
 * `bucket_configs` row per (bucket, name), the validated configuration as JSON. The server
 * validates and converts the S3 XML; storage keeps our own types.
 */
import type Database from 'better-sqlite3';
import { StorageError } from './errors';
import { IdConfigStore, type IdConfigurations } from './id-configs';
import type { ObjectMeta, WebsiteConfiguration } from './types';

/** A tag of a bucket or an object (docs/spec/bucket-config.md §B1). */
export interface Tag {
  key: string;
  value: string;
}

/** Default encryption (docs/spec/bucket-config.md §B3). */
export interface EncryptionSetting {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

/** A lifecycle filter: every member given must hold (`{}`: every object). */
export interface LifecycleFilter {
  prefix?: string;
  tags?: Tag[];
  sizeGreaterThan?: number;
  sizeLessThan?: number;
}

export interface LifecycleTransition {
  days?: number;
  /** ISO date, midnight UTC. */
  date?: string;
  storageClass: string;
}

export interface LifecycleRule {
  id: string;
  enabled: boolean;
  /** The legacy top-level Prefix (true) or a Filter (false): echoed as given. */
  legacyPrefix: boolean;
  filter: LifecycleFilter;
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  transitions: LifecycleTransition[];
  noncurrentExpiration?: { noncurrentDays?: number; newerNoncurrentVersions?: number };
  noncurrentTransitions: Array<{ noncurrentDays?: number; newerNoncurrentVersions?: number; storageClass: string }>;
  abortIncompleteMultipartUploadDays?: number;
}

export interface LifecycleConfiguration {
  rules: LifecycleRule[];
  /** `x-amz-transition-default-minimum-object-size`. */
  minimumObjectSize: string;
}

/** A parsed document kept as a tree (logging, notification, replication): element → value. */
export type DocumentTree = { [name: string]: DocumentValue };
export type DocumentValue = string | DocumentTree | DocumentValue[];

/** Every configuration kept in `bucket_configs`, by name. */
export interface BucketConfigMap {
  tagging: Tag[];
  encryption: EncryptionSetting;
  lifecycle: LifecycleConfiguration;
  requestPayment: 'Requester';
  accelerate: 'Enabled' | 'Suspended';
  logging: DocumentTree;
  notification: DocumentTree;
  replication: DocumentTree;
  /** docs/spec/website.md §1. */
  website: WebsiteConfiguration;
}

export type BucketConfigName = keyof BucketConfigMap;

/** What the server reads and writes of bucket configurations and object settings. */
export interface BucketSettings {
  /** A bucket configuration, or undefined when not set. */
  get<N extends BucketConfigName>(bucket: string, name: N): BucketConfigMap[N] | undefined;
  /** Sets (or with undefined removes) a bucket configuration. NoSuchBucket. */
  set<N extends BucketConfigName>(bucket: string, name: N, value: BucketConfigMap[N] | undefined): void;
  /** The buckets that have a configuration of this name (the lifecycle sweep). */
  bucketsWith(name: BucketConfigName): string[];
  /**
   * Replaces an object's stored metadata (tags, storage class) in place, of the current version
   * or the one `versionId` names; false if there is no such object version (or it is a delete marker).
   */
  updateObjectMeta(bucket: string, key: string, meta: ObjectMeta, versionId?: string): boolean;
  /** Analytics, metrics, inventory and Intelligent-Tiering configurations, kept by Id (docs/spec/bucket-config.md §B4.9). */
  readonly byId: IdConfigurations;
}

/** The `bucket_configs` table, with a read cache (GET/HEAD/PUT read the encryption setting of their bucket). */
export class BucketConfigStore implements BucketSettings {
  private readonly cache = new Map<string, unknown>();
  private readonly stmt;
  readonly byId: IdConfigurations;

  /** `setMeta`: writes one object version's meta (and forgets it in the storage's object cache). */
  constructor(db: Database.Database, private readonly setMeta: (bucket: string, key: string, meta: ObjectMeta, versionId?: string) => boolean) {
    this.byId = new IdConfigStore(db);
    this.stmt = {
      bucket: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM buckets WHERE name = ?'),
      get: db.prepare<[string, string], { value: string }>('SELECT value FROM bucket_configs WHERE bucket = ? AND name = ?'),
      set: db.prepare('INSERT OR REPLACE INTO bucket_configs (bucket, name, value) VALUES (?, ?, ?)'),
      remove: db.prepare('DELETE FROM bucket_configs WHERE bucket = ? AND name = ?'),
      removeBucket: db.prepare('DELETE FROM bucket_configs WHERE bucket = ?'),
      removeAll: db.prepare('DELETE FROM bucket_configs'),
      withName: db.prepare<[string], { bucket: string }>('SELECT bucket FROM bucket_configs WHERE name = ? ORDER BY bucket'),
    };
  }

  get<N extends BucketConfigName>(bucket: string, name: N): BucketConfigMap[N] | undefined {
    const id = `${name}\u0000${bucket}`;
    if (this.cache.has(id)) return this.cache.get(id) as BucketConfigMap[N] | undefined;
    const row = this.stmt.get.get(bucket, name);
    const value = row === undefined ? undefined : (JSON.parse(row.value) as BucketConfigMap[N]);
    this.cache.set(id, value);
    return value;
  }

  /** NoSuchBucket unless the bucket exists. */
  set<N extends BucketConfigName>(bucket: string, name: N, value: BucketConfigMap[N] | undefined): void {
    if (!this.stmt.bucket.get(bucket)) throw new StorageError('NoSuchBucket');
    this.cache.delete(`${name}\u0000${bucket}`);
    if (value === undefined) this.stmt.remove.run(bucket, name);
    else this.stmt.set.run(bucket, name, JSON.stringify(value));
  }

  /** The buckets that have a configuration of this name. */
  bucketsWith(name: BucketConfigName): string[] {
    return this.stmt.withName.all(name).map((r) => r.bucket);
  }

  updateObjectMeta(bucket: string, key: string, meta: ObjectMeta, versionId?: string): boolean {
    return this.setMeta(bucket, key, meta, versionId);
  }

  removeBucket(bucket: string): void {
    this.cache.clear();
    this.stmt.removeBucket.run(bucket);
  }

  removeAll(): void {
    this.cache.clear();
    this.stmt.removeAll.run();
  }
}
