/**
 * Lifecycle actions on the versions of a versioned bucket (docs/spec/bucket-config.md §B2.5,
 * docs/spec/versioning.md §1): NoncurrentVersionExpiration and ExpiredObjectDeleteMarker.
 * - A version is noncurrent from the moment the entry above it was written; NoncurrentDays count
 *   from then (same rounding as Days), and NewerNoncurrentVersions keeps that many newer
 *   noncurrent versions. With both, both must hold.
 * - ExpiredObjectDeleteMarker removes a current delete marker that is the key's only entry.
 * A version Object Lock protects stays (S3's lifecycle never removes one). What goes is decided
 * over the whole listing first and removed after it, so that paging never sees a half-removed key.
 * DEVIATION(S3): NoncurrentVersionTransition is stored but not applied; a marker whose last
 * version expires in the same pass goes in the next one.
 */
import { expiryDate, filterMatches, type LifecycleSweepReport } from './lifecycle';
import type { LifecycleRule } from './bucket-configs';
import { StorageError } from './errors';
import type { ListedVersion, Storage } from './types';

const PAGE = 1000;

/** Per key, in listing order (newest first): which entries the rule removes. */
class KeyWalk {
  private key: string | undefined;
  private previous: ListedVersion | undefined;
  private noncurrent = 0;
  private entries = 0;
  private latestMarker: ListedVersion | undefined;
  readonly doomed: Array<{ key: string; versionId: string }> = [];

  constructor(private readonly storage: Storage, private readonly bucket: string, private readonly rule: LifecycleRule, private readonly now: Date) {}

  visit(v: ListedVersion): void {
    if (v.key !== this.key) {
      this.finishKey();
      this.key = v.key;
      this.previous = undefined;
      this.noncurrent = 0;
      this.entries = 0;
      this.latestMarker = v.isLatest && v.deleteMarker ? v : undefined;
    }
    this.entries++;
    if (!v.isLatest && this.previous !== undefined && this.noncurrentExpires(v, this.previous.lastModified, this.noncurrent)) {
      this.doomed.push({ key: v.key, versionId: v.versionId });
    }
    if (!v.isLatest) this.noncurrent++;
    this.previous = v;
  }

  finishKey(): void {
    const marker = this.latestMarker;
    if (marker && this.entries === 1 && this.rule.expiration?.expiredObjectDeleteMarker === true && filterMatches({ ...this.rule.filter, tags: [] }, { key: marker.key, size: 0 })) {
      this.doomed.push({ key: marker.key, versionId: marker.versionId });
    }
    this.latestMarker = undefined;
  }

  /** `newer`: how many noncurrent versions of the key are newer than this one. */
  private noncurrentExpires(v: ListedVersion, since: Date, newer: number): boolean {
    const nc = this.rule.noncurrentExpiration;
    if (nc === undefined || (nc.noncurrentDays === undefined && nc.newerNoncurrentVersions === undefined)) return false;
    if (nc.noncurrentDays !== undefined && expiryDate(since, nc.noncurrentDays).getTime() > this.now.getTime()) return false;
    if (nc.newerNoncurrentVersions !== undefined && newer < nc.newerNoncurrentVersions) return false;
    if (v.deleteMarker) return filterMatches({ ...this.rule.filter, tags: [] }, { key: v.key, size: 0 });
    const needsTags = (this.rule.filter.tags ?? []).length > 0;
    const tags = needsTags ? this.storage.headObject(this.bucket, v.key, v.versionId)?.meta.tags : undefined;
    return filterMatches(this.rule.filter, { key: v.key, size: v.size, ...(tags ? { tags } : {}) });
  }
}

/** One rule over the versions of a versioned bucket. */
export async function sweepVersions(storage: Storage, bucket: string, rule: LifecycleRule, now: Date, report: LifecycleSweepReport): Promise<void> {
  const nc = rule.noncurrentExpiration;
  const hasNoncurrent = nc !== undefined && (nc.noncurrentDays !== undefined || nc.newerNoncurrentVersions !== undefined);
  if (!hasNoncurrent && rule.expiration?.expiredObjectDeleteMarker !== true) return;
  const walk = new KeyWalk(storage, bucket, rule, now);
  let keyMarker = '';
  let versionIdMarker = '';
  for (;;) {
    const page = storage.listObjectVersions(bucket, { prefix: rule.filter.prefix ?? '', delimiter: '', keyMarker, versionIdMarker, maxKeys: PAGE });
    for (const v of page.entries) walk.visit(v);
    if (!page.isTruncated || page.nextKeyMarker === undefined) break;
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker ?? '';
  }
  walk.finishKey();
  for (const { key, versionId } of walk.doomed) {
    try {
      if ((await storage.deleteObject(bucket, key, { versionId })).removed) report.expired++;
    } catch (err) {
      // A retention or legal hold keeps the version (AccessDenied from storage/version-delete.ts).
      if (!(err instanceof StorageError && err.code === 'AccessDenied')) throw err;
    }
  }
}
