/**
 * Who is told about changes: the CORS cache (a bucket created, deleted, its rules set or removed)
 * and the event bus (an object committed or deleted). Listeners run in line after the commit;
 * they must be cheap and must not throw.
 */
import type { ObjectChange } from './types';

export class ChangeListeners {
  private readonly buckets: Array<(bucket: string | undefined) => void> = [];
  private readonly objects: Array<(change: ObjectChange) => void> = [];

  onBucket(listener: (bucket: string | undefined) => void): void {
    this.buckets.push(listener);
  }

  onObject(listener: (change: ObjectChange) => void): void {
    this.objects.push(listener);
  }

  /** `undefined`: every bucket (after a reset). */
  bucketChanged(bucket: string | undefined): void {
    for (const listener of this.buckets) listener(bucket);
  }

  objectChanged(change: ObjectChange): void {
    for (const listener of this.objects) listener(change);
  }
}
