/** Random bytes for ids, cut from one pooled buffer: one RNG call per 4 KiB of ids, not one per id. */
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
