/**
 * Compiled CORS rules per bucket, in memory. Put/DeleteBucketCors and Create/DeleteBucket
 * invalidate; in the steady state a preflight does no SQL.
 */
import { compileCors, type CompiledCors, type CorsConfiguration } from '../cors-engine';
import type { Storage } from '../storage';

export type BucketCorsState = 'missing' | 'no-cors' | CompiledCors;

const MAX_ENTRIES = 10_000;

export class CorsCache {
  private readonly entries = new Map<string, BucketCorsState>();

  constructor(private readonly storage: Storage) {}

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
    const json = this.storage.getBucketCors(bucket);
    if (json === undefined) return 'no-cors';
    return compileCors(JSON.parse(json) as CorsConfiguration);
  }
}
