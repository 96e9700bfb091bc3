/**
 * Random bytes for ids, cut from one pooled buffer: one RNG call per 4 KiB of ids, not one per id;
 * and the creation-order prefix of ids that must sort by time.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.allocUnsafe(4096);
let at = pool.length;

/** Moves past `n` (≤ 4096) fresh random bytes of the pool; returns where they start. */
function take(n: number): number {
  if (at + n > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  at += n;
  return at - n;
}

/** `n` (≤ 4096) fresh random bytes; valid until the next call (copy or encode them at once). */
export function randomSlice(n: number): Buffer {
  const start = take(n);
  return pool.subarray(start, start + n);
}

/** `n` fresh random bytes, encoded: no Buffer view is made for them (request and host ids, every request). */
export function randomString(n: number, encoding: 'hex' | 'base64' | 'base64url'): string {
  const start = take(n);
  return pool.toString(encoding, start, start + n);
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
