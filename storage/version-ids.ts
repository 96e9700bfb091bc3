/**
 * Entry sequence numbers and version ids (docs/spec/versioning.md §1 M2, M4).
 *
 * Every entry (object version or delete marker) gets a strictly increasing `seq`; the order of a
 * key's entries is by seq, never by LastModified. A generated version id is 32 characters of
 * `[A-Za-z0-9._]`: base64 of seq (8 bytes) ‖ 12 random bytes ‖ a 4-byte check (HMAC-SHA-256 of the
 * first 20 bytes under the data directory's secret). The id therefore names its seq, so a version
 * is found by a primary-key seek on (bucket, key, seq), and a marker naming a deleted version still
 * says where it stood.
 */
import type Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { randomSlice } from './random-pool';

/** seq = max(last + 1, now_ms · TICKS_PER_MS): 1024 per ms keeps seq below 2^53 until the year 2248. */
const TICKS_PER_MS = 1024;
/** The persisted ceiling moves ahead in steps of about a second: one extra row write per second at most. */
const CEILING_STEP = TICKS_PER_MS * 1024;

export const NULL_VERSION = 'null';

export class VersionIds {
  private last: number;
  private ceiling: number;
  private readonly secret: Buffer;
  private readonly setCeiling: Database.Statement<[number]>;

  /**
   * `verify`: also scan the stored seqs (~25 ms per 100,000 objects) in case one is at or above
   * the persisted ceiling. Every seq is stored in the transaction that raises the ceiling past it,
   * so this is a second safeguard, run when the data directory's open checked the database in
   * full (not after a clean close of this very file).
   */
  constructor(db: Database.Database, verify = true) {
    const state = db.prepare<[], { seq_ceiling: number; secret: Buffer }>('SELECT seq_ceiling, secret FROM version_state WHERE id = 1').get();
    if (!state) throw new Error('version_state is missing: the schema migration did not run');
    this.secret = state.secret;
    // Every seq handed out was below the persisted ceiling, or is stored in a row.
    const maxRow = verify ? db.prepare<[], { m: number | null }>('SELECT MAX(m) AS m FROM (SELECT MAX(seq) AS m FROM objects UNION ALL SELECT MAX(seq) FROM object_versions)').get() : undefined;
    this.last = Math.max(state.seq_ceiling, maxRow?.m ?? 0);
    this.ceiling = this.last;
    this.setCeiling = db.prepare('UPDATE version_state SET seq_ceiling = ? WHERE id = 1');
  }

  /** The next seq; call inside the transaction that stores it (the ceiling update joins it). */
  next(now = Date.now()): number {
    const seq = Math.max(this.last + 1, now * TICKS_PER_MS);
    this.last = seq;
    if (seq >= this.ceiling) {
      this.ceiling = seq + CEILING_STEP;
      this.setCeiling.run(this.ceiling);
    }
    return seq;
  }

  /** A fresh version id naming `seq`. */
  encode(seq: number): string {
    const raw = Buffer.alloc(24);
    raw.writeBigUInt64BE(BigInt(seq), 0);
    randomSlice(12).copy(raw, 8);
    this.check(raw.subarray(0, 20)).copy(raw, 20);
    return raw.toString('base64url').replace(/-/g, '.');
  }

  /** The seq a well-formed generated id names, else undefined (`null` is not a generated id). */
  decode(id: string): number | undefined {
    if (id.length !== 32 || !/^[A-Za-z0-9._]+$/.test(id)) return undefined;
    const raw = Buffer.from(id.replace(/\./g, '-'), 'base64url');
    if (raw.length !== 24) return undefined;
    if (!this.check(raw.subarray(0, 20)).equals(raw.subarray(20))) return undefined;
    const seq = raw.readBigUInt64BE(0);
    return seq > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(seq);
  }

  private check(head: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(head).digest().subarray(0, 4);
  }
}
