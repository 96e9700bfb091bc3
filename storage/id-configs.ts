/**
 * Bucket configurations kept by Id, up to a limit per bucket and kind (docs/spec/bucket-config.md
 * §B4.9): analytics, metrics, inventory and Intelligent-Tiering. Each is one `bucket_configs`
 * row named `<kind>:<Id>` holding the validated document as a tree, so a kind's rows are one
 * range of the primary key, in the byte order of their Ids (the order S3 lists them in).
 */
import type Database from 'better-sqlite3';
import type { DocumentTree } from './bucket-configs';
import { StorageError } from './errors';

export type IdConfigKind = 'analytics' | 'metrics' | 'inventory' | 'intelligentTiering';

export interface IdConfigPage {
  items: Array<{ id: string; value: DocumentTree }>;
  isTruncated: boolean;
}

export interface IdConfigurations {
  get(bucket: string, kind: IdConfigKind, id: string): DocumentTree | undefined;
  /**
   * Stores the configuration, replacing the one with the same Id; false (nothing stored) when it
   * is new and the bucket already has `limit` of this kind. NoSuchBucket.
   */
  put(bucket: string, kind: IdConfigKind, id: string, value: DocumentTree, limit: number): boolean;
  /** false when there was none. */
  delete(bucket: string, kind: IdConfigKind, id: string): boolean;
  /** The configurations with Ids after `after` (byte order), at most `max`. */
  list(bucket: string, kind: IdConfigKind, after: string, max: number): IdConfigPage;
}

/** `kind:` .. `kind;` bounds every row name of a kind (';' follows ':'). */
const rowName = (kind: IdConfigKind, id: string) => `${kind}:${id}`;
const kindEnd = (kind: IdConfigKind) => `${kind};`;

export class IdConfigStore implements IdConfigurations {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      bucket: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM buckets WHERE name = ?'),
      get: db.prepare<[string, string], { value: string }>('SELECT value FROM bucket_configs WHERE bucket = ? AND name = ?'),
      set: db.prepare('INSERT OR REPLACE INTO bucket_configs (bucket, name, value) VALUES (?, ?, ?)'),
      remove: db.prepare('DELETE FROM bucket_configs WHERE bucket = ? AND name = ?'),
      count: db.prepare<[string, string, string], { n: number }>('SELECT COUNT(*) AS n FROM bucket_configs WHERE bucket = ? AND name > ? AND name < ?'),
      after: db.prepare<[string, string, string, number], { name: string; value: string }>(
        'SELECT name, value FROM bucket_configs WHERE bucket = ? AND name > ? AND name < ? ORDER BY name LIMIT ?'),
    };
  }

  get(bucket: string, kind: IdConfigKind, id: string): DocumentTree | undefined {
    const row = this.stmt.get.get(bucket, rowName(kind, id));
    return row === undefined ? undefined : (JSON.parse(row.value) as DocumentTree);
  }

  put(bucket: string, kind: IdConfigKind, id: string, value: DocumentTree, limit: number): boolean {
    return this.db.transaction(() => {
      if (!this.stmt.bucket.get(bucket)) throw new StorageError('NoSuchBucket');
      const exists = this.stmt.get.get(bucket, rowName(kind, id)) !== undefined;
      if (!exists && (this.stmt.count.get(bucket, `${kind}:`, kindEnd(kind))?.n ?? 0) >= limit) return false;
      this.stmt.set.run(bucket, rowName(kind, id), JSON.stringify(value));
      return true;
    })();
  }

  delete(bucket: string, kind: IdConfigKind, id: string): boolean {
    return this.stmt.remove.run(bucket, rowName(kind, id)).changes > 0;
  }

  list(bucket: string, kind: IdConfigKind, after: string, max: number): IdConfigPage {
    const rows = this.stmt.after.all(bucket, rowName(kind, after), kindEnd(kind), max + 1);
    return {
      items: rows.slice(0, max).map((r) => ({ id: r.name.slice(kind.length + 1), value: JSON.parse(r.value) as DocumentTree })),
      isTruncated: rows.length > max,
    };
  }
}
