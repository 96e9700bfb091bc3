/**
 * Objects as last read, so that a GET or HEAD of a recently read object runs no SQL. One
 * process owns the database, and every method of SqliteStorage (and UploadStore) that writes an
 * object row forgets that key synchronously, inside the same turn of the event loop as its
 * transaction: a read can never see a row older than the last commit.
 *
 * Entries are frozen (a caller that tried to change one would throw, not corrupt the cache);
 * least recently used entries go first, within a count and a byte budget (small bodies kept in
 * the database travel with their entry).
 */
import type { ObjectInfo } from './types';

const ENTRY_OVERHEAD = 512;

export class ObjectCache {
  private readonly entries = new Map<string, { info: ObjectInfo; cost: number }>();
  private bytes = 0;

  constructor(private readonly maxEntries = 4096, private readonly maxBytes = 16 * 1024 * 1024) {}

  /** Bucket names cannot contain `/`: `bucket/key` names one object. */
  private static id(bucket: string, key: string): string {
    return `${bucket}/${key}`;
  }

  get(bucket: string, key: string): ObjectInfo | undefined {
    const id = ObjectCache.id(bucket, key);
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.info;
  }

  set(info: ObjectInfo): ObjectInfo {
    const cost = ENTRY_OVERHEAD + info.segments.reduce((n, s) => n + (s.bytes?.length ?? 0), 0);
    if (cost > this.maxBytes / 8) return info;
    const id = ObjectCache.id(info.bucket, info.key);
    this.forgetId(id);
    this.entries.set(id, { info: deepFreeze(info), cost });
    this.bytes += cost;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.cost;
    }
    return info;
  }

  forget(bucket: string, key: string): void {
    this.forgetId(ObjectCache.id(bucket, key));
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private forgetId(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    this.bytes -= entry.cost;
  }
}

/** Freezes an ObjectInfo and everything it holds but Buffers (which cannot be frozen). */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date || Object.isFrozen(value)) return value;
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  return Object.freeze(value);
}
