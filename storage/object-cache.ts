/**
 * Objects as last read, so that a GET or HEAD of a recently read object runs no SQL. One
 * process owns the database, and every method of SqliteStorage (and UploadStore) that writes an
 * object row forgets that key synchronously, inside the same turn of the event loop as its
 * transaction: a read can never see a row older than the last commit.
 *
 * Entries are frozen (a caller that tried to change one would throw, not corrupt the cache);
 * entries not read since they came in go first (CLOCK), within a count and a byte budget (small
 * bodies kept in the database travel with their entry).
 *
 * No churn when the working set is larger than the cache: once the cache is full, a new entry
 * displaces another only if its key is asked for more often (a frequency sketch, as TinyLFU). Without that, every miss of a working set slightly larger than the cache
 * evicted an entry that was about to be read, and the cache cost a freeze and an eviction per
 * read while answering none (5,000 keys read in turn through 3,640 entries: 0 hits). The counts
 * halve every 10 reads per entry, and sooner when a quarter of the cache's worth of newcomers
 * asked for more than once were refused (the reads have moved to other keys).
 */
import type { ObjectInfo } from './types';

const ENTRY_OVERHEAD = 512;

interface Entry {
  id: string;
  info: ObjectInfo;
  cost: number;
  /** Read since the CLOCK hand last passed (second chance). */
  used: boolean;
  hash: number;
  /** Its place on the clock face. */
  slot: number;
}

/**
 * CLOCK (second chance): entries sit in a fixed ring of `maxEntries` slots, which a hand walks.
 * A hit only marks its entry; eviction takes the first unmarked entry at or after the hand,
 * unmarking the marked ones it passes (one more lap each). A new entry takes the slot freed last,
 * the one just behind the hand, so the hand reaches it last. When the cache is full, the
 * candidate victim gives way to a new entry only if the newcomer's key was asked for more often
 * lately (FrequencySketch; a tie keeps the victim).
 *
 * Why a ring and not a Map's insertion order (the first version): a Map used as a queue, deleted
 * at the front and appended at the back, keeps its deleted entries as holes until it is rebuilt,
 * and every walk from its first entry stepped over them: a miss's `set` took ~9.7 µs in a loop
 * over 5,000 keys through 3,640 entries, ~2.4 now (docs/benchmarks.md, "Issue 19, fourteenth
 * round").
 */
export class ObjectCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ring: Array<Entry | undefined>;
  /** Empty slots; the last one pushed is taken first. */
  private readonly free: number[] = [];
  private hand = 0;
  private bytes = 0;
  private readonly sketch: FrequencySketch;
  /** Newcomers refused since the sketch last aged. */
  private refused = 0;

  constructor(private readonly maxEntries = 4096, private readonly maxBytes = 16 * 1024 * 1024) {
    this.sketch = new FrequencySketch(maxEntries);
    this.ring = new Array<Entry | undefined>(maxEntries).fill(undefined);
    for (let slot = maxEntries - 1; slot >= 0; slot--) this.free.push(slot);
  }

  /** Bucket names cannot contain `/`: `bucket/key` names one object. */
  private static id(bucket: string, key: string): string {
    return `${bucket}/${key}`;
  }

  get(bucket: string, key: string): ObjectInfo | undefined {
    const id = ObjectCache.id(bucket, key);
    const entry = this.entries.get(id);
    if (entry === undefined) {
      this.sketch.add(hashOf(id));
      return undefined;
    }
    this.sketch.add(entry.hash);
    entry.used = true;
    return entry.info;
  }

  /** Keeps `info` if there is room or it deserves some; returns it either way (frozen only if kept). */
  set(info: ObjectInfo): ObjectInfo {
    let cost = ENTRY_OVERHEAD;
    for (const s of info.segments) cost += s.bytes?.length ?? 0;
    if (cost > this.maxBytes / 8 || this.maxEntries === 0) return info;
    const id = ObjectCache.id(info.bucket, info.key);
    this.forgetId(id);
    const hash = hashOf(id);
    if (this.full(cost)) {
      const victim = this.candidate();
      const newcomer = this.sketch.frequency(hash);
      if (victim !== undefined && newcomer <= this.sketch.frequency(victim.hash)) {
        // Refusing many newcomers that keep being asked for (seen twice or more; a one-time scan
        // is not) means the counts describe a working set that is gone: they age now, not after
        // the sketch's period. Without it, entries read often before reads moved to other keys
        // held the new keys out for some 60,000 reads (hit rate 3-15%, then 43-57%, where 73% is
        // the most 4,096 entries give over 5,000 keys; test/storage/object-cache.test.ts).
        if (newcomer >= 2 && ++this.refused >= this.maxEntries / 4) {
          this.refused = 0;
          this.sketch.age();
        }
        return info;
      }
    }
    this.bytes += cost;
    this.evict();
    const slot = this.free.pop() as number;
    const entry: Entry = { id, info: deepFreeze(info), cost, used: false, hash, slot };
    this.ring[slot] = entry;
    this.entries.set(id, entry);
    return info;
  }

  private full(cost: number): boolean {
    return this.entries.size >= this.maxEntries || this.bytes + cost > this.maxBytes;
  }

  /**
   * The entry eviction would take next: the first unmarked entry from the hand on, the marked
   * ones on the way unmarked (as evict() would), the hand left on it. Bounded: after one lap none
   * is marked.
   */
  private candidate(): Entry | undefined {
    if (this.entries.size === 0) return undefined;
    for (let steps = 0; steps <= 2 * this.maxEntries; steps++) {
      const entry = this.ring[this.hand];
      if (entry !== undefined) {
        if (!entry.used) return entry;
        entry.used = false;
      }
      this.hand = (this.hand + 1) % this.maxEntries;
    }
    return undefined;
  }

  /** Makes room for one more entry (its cost already counted in `bytes`): a free slot, and bytes within the budget. */
  private evict(): void {
    while (this.entries.size >= this.maxEntries || this.bytes > this.maxBytes) {
      const victim = this.candidate();
      if (victim === undefined) return;
      this.remove(victim);
      this.hand = (this.hand + 1) % this.maxEntries;
    }
  }

  forget(bucket: string, key: string): void {
    this.forgetId(ObjectCache.id(bucket, key));
  }

  clear(): void {
    for (const entry of this.entries.values()) this.remove(entry);
  }

  get size(): number {
    return this.entries.size;
  }

  private forgetId(id: string): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) this.remove(entry);
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.id);
    this.ring[entry.slot] = undefined;
    this.free.push(entry.slot);
    this.bytes -= entry.cost;
  }
}

/**
 * How often each key was read lately: a count-min sketch of two 8-bit counters per key
 * (saturating at 15), all halved after 10 reads per cache entry so that old popularity fades.
 */
class FrequencySketch {
  private readonly counts: Uint8Array;
  private readonly mask: number;
  private added = 0;
  private readonly period: number;

  constructor(entries: number) {
    let size = 64;
    while (size < entries * 4) size *= 2;
    this.counts = new Uint8Array(size);
    this.mask = size - 1;
    this.period = Math.max(64, entries * 10);
  }

  add(hash: number): void {
    const a = hash & this.mask;
    const b = second(hash) & this.mask;
    const ca = this.counts[a] ?? 0;
    const cb = this.counts[b] ?? 0;
    const min = Math.min(ca, cb);
    if (min < 15) {
      // Conservative update: only the counters at the minimum grow.
      if (ca === min) this.counts[a] = ca + 1;
      if (cb === min) this.counts[b] = cb + 1;
    }
    if (++this.added >= this.period) this.age();
  }

  /** Halves every count (and starts a new period). */
  age(): void {
    this.added = 0;
    for (let i = 0; i < this.counts.length; i++) this.counts[i] = (this.counts[i] ?? 0) >>> 1;
  }

  frequency(hash: number): number {
    return Math.min(this.counts[hash & this.mask] ?? 0, this.counts[second(hash) & this.mask] ?? 0);
  }
}

/** FNV-1a over the UTF-16 code units. */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A second, independent-enough index from the same hash (a 32-bit mix). */
function second(hash: number): number {
  const h = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Freezes an ObjectInfo and everything it holds but Buffers (which cannot be frozen). */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date || Object.isFrozen(value)) return value;
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  return Object.freeze(value);
}
