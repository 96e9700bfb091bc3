/**
 * The website configuration of a bucket (docs/spec/website.md §1), kept as JSON in a
 * `bucket_configs` row named `website`. The server validates and converts the S3 XML; storage
 * keeps our own types. Read through a small cache: every website request reads its bucket's.
 */
import type Database from 'better-sqlite3';
import { StorageError } from './errors';
import type { WebsiteConfiguration } from './types';

const NAME = 'website';
const MAX_CACHED = 10_000;

export class WebsiteStore {
  private readonly stmt;
  private readonly cache = new Map<string, WebsiteConfiguration | null>();
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.stmt = {
      get: db.prepare<[string, string], { value: string }>('SELECT value FROM bucket_configs WHERE bucket = ? AND name = ?'),
      set: db.prepare('INSERT OR REPLACE INTO bucket_configs (bucket, name, value) VALUES (?, ?, ?)'),
      remove: db.prepare('DELETE FROM bucket_configs WHERE bucket = ? AND name = ?'),
      removeAll: db.prepare('DELETE FROM bucket_configs WHERE name = ?'),
      bucketExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM buckets WHERE name = ?'),
    };
    this.db = db;
  }

  get(bucket: string): WebsiteConfiguration | undefined {
    let value = this.cache.get(bucket);
    if (value === undefined) {
      const row = this.stmt.get.get(bucket, NAME);
      value = row === undefined ? null : (JSON.parse(row.value) as WebsiteConfiguration);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(bucket, value);
    }
    return value ?? undefined;
  }

  /** Sets or (undefined) removes the configuration of an existing bucket; NoSuchBucket otherwise. */
  put(bucket: string, config: WebsiteConfiguration | undefined): void {
    this.db.transaction(() => {
      if (this.stmt.bucketExists.get(bucket) === undefined) throw new StorageError('NoSuchBucket');
      this.cache.delete(bucket);
      if (config === undefined) this.stmt.remove.run(bucket, NAME);
      else this.stmt.set.run(bucket, NAME, JSON.stringify(config));
    })();
  }

  /** With its bucket (DeleteBucket's transaction). */
  remove(bucket: string): void {
    this.cache.delete(bucket);
    this.stmt.remove.run(bucket, NAME);
  }

  removeAll(): void {
    this.cache.clear();
    this.stmt.removeAll.run(NAME);
  }
}
