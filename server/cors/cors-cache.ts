/**
 * Compiled CORS rules per bucket, in memory. Storage tells the cache of every change a bucket's
 * CORS answer depends on (one place: `Storage.onBucketChange`); in the steady state a preflight
 * does no SQL.
 */
import { compileCors, type CompiledCors } from '../../cors-engine';
import type { Storage } from '../../storage';
import type { BucketCorsState, CorsRules } from '../context';

const MAX_ENTRIES = 10_000;

export class CorsCache implements CorsRules {
  private readonly entries = new Map<string, BucketCorsState>();

  constructor(private readonly storage: Storage) {
    storage.onBucketChange((bucket) => this.invalidate(bucket));
  }

  /** The bucket's compiled rules, or why there are none. */
  state(bucket: string): BucketCorsState {
    const cached = this.entries.get(bucket);
    if (cached !== undefined) return cached;
    const state = this.load(bucket);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(bucket, state);
    return state;
  }

  /** The compiled rules of an existing bucket with a configuration. */
  rules(bucket: string): CompiledCors | undefined {
    const s = this.state(bucket);
    return typeof s === 'string' ? undefined : s;
  }

  invalidate(bucket?: string): void {
    if (bucket === undefined) this.entries.clear();
    else this.entries.delete(bucket);
  }

  private load(bucket: string): BucketCorsState {
    if (!this.storage.getBucket(bucket)) return 'missing';
    const cors = this.storage.getBucketCors(bucket);
    return cors === undefined ? 'no-cors' : compileCors(cors);
  }
}
