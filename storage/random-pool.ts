/**
 * Random bytes for ids, cut from one pooled buffer: one RNG call per 4 KiB of ids, not one per id;
 * and the creation-order prefix of ids that must sort by time.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.allocUnsafe(4096);
let at = pool.length;

/** `n` (≤ 4096) fresh random bytes; valid until the next call (copy or encode them at once). */
export function randomSlice(n: number): Buffer {
  if (at + n > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  at += n;
  return pool.subarray(at - n, at);
}

let lastMs = 0;
let sequence = 0;

/**
 * 16 hex characters that sort in creation order: the milliseconds (12), then a sequence within
 * the millisecond (4; it wraps after 65,536, so an id needs a random tail to stay unique).
 */
export function orderedPrefix(now = Date.now()): string {
  if (now === lastMs) sequence = (sequence + 1) & 0xffff;
  else { lastMs = now; sequence = 0; }
  return now.toString(16).padStart(12, '0') + sequence.toString(16).padStart(4, '0');
}
