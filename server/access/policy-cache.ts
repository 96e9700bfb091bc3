/**
 * Compiled bucket policies, in memory: parsed and compiled once per stored document, dropped when
 * storage reports a change to the bucket (`Storage.onBucketChange`, as the CORS cache), so a
 * request on a bucket with a policy does no SQL and no parsing in the steady state.
 */
import { compilePolicy, isPublicPolicy, parsePolicy } from '../../policy-engine';
import type { Storage } from '../../storage';
import type { BucketPolicyState, PolicyRules } from '../context';

const MAX_ENTRIES = 10_000;

export class PolicyCache implements PolicyRules {
  /** null: the bucket has no policy (or no longer exists). */
  private readonly entries = new Map<string, BucketPolicyState | null>();

  constructor(private readonly storage: Storage) {
    storage.onBucketChange((bucket) => this.invalidate(bucket));
  }

  state(bucket: string): BucketPolicyState | undefined {
    let entry = this.entries.get(bucket);
    if (entry === undefined) {
      entry = this.load(bucket);
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(bucket, entry);
    }
    return entry ?? undefined;
  }

  invalidate(bucket?: string): void {
    if (bucket === undefined) this.entries.clear();
    else this.entries.delete(bucket);
  }

  private load(bucket: string): BucketPolicyState | null {
    const text = this.storage.getBucketPolicy(bucket);
    if (text === undefined) return null;
    // The stored text passed PutBucketPolicy's checks. Re-read without the users of known
    // accounts: a user removed from the users file since then simply matches nobody.
    const parsed = parsePolicy(text, { bucket });
    if (!parsed.ok) return null;
    return { compiled: compilePolicy(parsed.policy), isPublic: isPublicPolicy(parsed.policy) };
  }
}
