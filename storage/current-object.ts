/**
 * The object a write replaces or removes, as the write needs it: its ETag (for If-Match /
 * If-None-Match) and where its bytes are, without its metadata JSON or the bytes of a small
 * body. `release` frees those bytes inside the write's transaction.
 */
import type Database from 'better-sqlite3';

export interface CurrentObject {
  etag: string;
  /** Its body file, or its `object_bodies` row when `inline`; null for a multipart object. */
  file: string | null;
  inline: 0 | 1;
}

export class CurrentObjects {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      get: db.prepare<[string, string], CurrentObject>(
        `SELECT o.etag, o.file, b.id IS NOT NULL AS inline
         FROM objects o LEFT JOIN object_bodies b ON b.id = o.file WHERE o.bucket = ? AND o.key = ?`),
      deleteBody: db.prepare('DELETE FROM object_bodies WHERE id = ?'),
      partFiles: db.prepare<[string, string], { file: string }>('SELECT file FROM object_parts WHERE bucket = ? AND key = ?'),
      deleteParts: db.prepare('DELETE FROM object_parts WHERE bucket = ? AND key = ?'),
    };
  }

  get(bucket: string, key: string): CurrentObject | undefined {
    return this.stmt.get.get(bucket, key);
  }

  /**
   * Inside the transaction that replaces or removes (bucket, key): deletes its body row or its
   * part rows, and returns the files it owned, to delete once the commit no longer references them.
   */
  release(bucket: string, key: string, current: CurrentObject | undefined): string[] {
    if (!current) return [];
    if (current.inline) {
      this.stmt.deleteBody.run(current.file);
      return [];
    }
    if (current.file !== null) return [current.file];
    const files = this.stmt.partFiles.all(bucket, key).map((p) => p.file);
    this.stmt.deleteParts.run(bucket, key);
    return files;
  }
}
