/**
 * Objects as last read, so that a GET or HEAD of a recently read object runs no SQL. One
 * process owns the database, and every method of SqliteStorage (and UploadStore) that writes an
 * object row forgets that key synchronously, inside the same turn of the event loop as its
 * transaction: a read can never see a row older than the last commit.
 *
 * Entries are frozen (a caller that tried to change one would throw, not corrupt the cache);
 * entries not read since they came in go first (CLOCK), within a count and a byte budget (small
 * bodies kept in the database travel with their entry).
 */
import type { ObjectInfo } from './types';

const ENTRY_OVERHEAD = 512;

interface Entry { info: ObjectInfo; cost: number; used: boolean }

/**
 * CLOCK (second chance) over insertion order: a hit only marks its entry, so reads move nothing
 * in the map; eviction walks from the oldest, giving a marked entry one more lap. When the
 * working set is larger than the cache, a miss replaces an entry not read since it came in.
 */
export class ObjectCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxEntries = 4096, private readonly maxBytes = 16 * 1024 * 1024) {}

  /** Bucket names cannot contain `/`: `bucket/key` names one object. */
  private static id(bucket: string, key: string): string {
    return `${bucket}/${key}`;
  }

  get(bucket: string, key: string): ObjectInfo | undefined {
    const entry = this.entries.get(ObjectCache.id(bucket, key));
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.info;
  }

  set(info: ObjectInfo): ObjectInfo {
    let cost = ENTRY_OVERHEAD;
    for (const s of info.segments) cost += s.bytes?.length ?? 0;
    if (cost > this.maxBytes / 8) return info;
    const id = ObjectCache.id(info.bucket, info.key);
    this.forgetId(id);
    this.bytes += cost;
    this.evict();
    this.entries.set(id, { info: deepFreeze(info), cost, used: false });
    return info;
  }

  /** Makes room for one more entry (its cost already counted in `bytes`). */
  private evict(): void {
    let laps = 0;
    while (this.entries.size >= this.maxEntries || this.bytes > this.maxBytes) {
      const first = this.entries.entries().next();
      if (first.done === true) return;
      const [id, entry] = first.value;
      this.entries.delete(id);
      // A marked entry goes round once more, unmarked (bounded: every entry is unmarked after one lap).
      if (entry.used && laps++ < this.entries.size + 1) {
        entry.used = false;
        this.entries.set(id, entry);
      } else {
        this.bytes -= entry.cost;
      }
    }
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
