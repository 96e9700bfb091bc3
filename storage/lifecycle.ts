/**
 * Lifecycle rules applied (docs/spec/bucket-config.md §B2.4, §B2.5): which rule expires an
 * object and when, and the sweep that runs expirations, transitions (the storage class only) and
 * AbortIncompleteMultipartUpload over every bucket with a lifecycle configuration; the actions on
 * noncurrent versions and delete markers are in storage/lifecycle-versions.ts.
 */
import type { LifecycleConfiguration, LifecycleFilter, LifecycleRule, Tag } from './bucket-configs';
import { sweepVersions } from './lifecycle-versions';
import type { Storage } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The moment an action `days` after `from` is due: the UTC date of `from`, plus `days + 1`, at
 * midnight UTC (docs/spec/bucket-config.md §B2.4: S3 rounds up to the next midnight).
 */
export function expiryDate(from: Date, days: number): Date {
  const midnight = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  return new Date(midnight + (days + 1) * DAY_MS);
}

export interface LifecycleSubject {
  key: string;
  size: number;
  tags?: Tag[];
}

/** Whether a rule's filter selects an object (every member given must hold). */
export function filterMatches(filter: LifecycleFilter, o: LifecycleSubject): boolean {
  if (filter.prefix !== undefined && !o.key.startsWith(filter.prefix)) return false;
  if (filter.sizeGreaterThan !== undefined && !(o.size > filter.sizeGreaterThan)) return false;
  if (filter.sizeLessThan !== undefined && !(o.size < filter.sizeLessThan)) return false;
  for (const tag of filter.tags ?? []) {
    if (!(o.tags ?? []).some((t) => t.key === tag.key && t.value === tag.value)) return false;
  }
  return true;
}

function expirationDue(rule: LifecycleRule, lastModified: Date): Date | undefined {
  const e = rule.expiration;
  if (e?.days !== undefined) return expiryDate(lastModified, e.days);
  if (e?.date !== undefined) return new Date(e.date);
  return undefined;
}

/**
 * The rule that expires a current object and when (`x-amz-expiration`): the first enabled rule
 * in document order with a Days or Date expiration whose filter selects it.
 * UNVERIFIED(S3): with several matches, the first in document order (§B2.4).
 */
export function lifecycleRuleFor(config: LifecycleConfiguration | undefined, o: LifecycleSubject & { lastModified: Date }): { rule: LifecycleRule; due: Date } | undefined {
  for (const rule of config?.rules ?? []) {
    if (!rule.enabled || !filterMatches(rule.filter, o)) continue;
    const due = expirationDue(rule, o.lastModified);
    if (due !== undefined) return { rule, due };
  }
  return undefined;
}

export interface LifecycleSweepReport {
  expired: number;
  transitioned: number;
  aborted: number;
}

const PAGE = 1000;

/** One pass over every bucket with a lifecycle configuration, as of `now`. */
export async function sweepLifecycle(storage: Storage, now: Date = new Date()): Promise<LifecycleSweepReport> {
  const report: LifecycleSweepReport = { expired: 0, transitioned: 0, aborted: 0 };
  for (const bucket of storage.settings.bucketsWith('lifecycle')) {
    const config = storage.settings.get(bucket, 'lifecycle');
    if (config === undefined) continue;
    for (const rule of config.rules.filter((r) => r.enabled)) {
      await sweepObjects(storage, bucket, rule, now, report);
      if (storage.getBucket(bucket)?.versioning !== undefined) await sweepVersions(storage, bucket, rule, now, report);
      if (rule.abortIncompleteMultipartUploadDays !== undefined) await sweepUploads(storage, bucket, rule, rule.abortIncompleteMultipartUploadDays, now, report);
    }
  }
  return report;
}

async function sweepObjects(storage: Storage, bucket: string, rule: LifecycleRule, now: Date, report: LifecycleSweepReport): Promise<void> {
  if (rule.expiration?.days === undefined && rule.expiration?.date === undefined && rule.transitions.length === 0) return;
  const needsTags = (rule.filter.tags ?? []).length > 0;
  let after = '';
  for (;;) {
    const page = storage.listObjects(bucket, { prefix: rule.filter.prefix ?? '', delimiter: '', after, maxKeys: PAGE });
    for (const listed of page.objects) {
      const tags = needsTags ? storage.headObject(bucket, listed.key)?.meta.tags : undefined;
      if (!filterMatches(rule.filter, { key: listed.key, size: listed.size, ...(tags ? { tags } : {}) })) continue;
      const due = expirationDue(rule, listed.lastModified);
      if (due !== undefined && due.getTime() <= now.getTime()) {
        // On a versioned bucket this adds a delete marker instead (§B2.5; docs/spec/versioning.md §6 D1).
        if ((await storage.deleteObject(bucket, listed.key)).removed) report.expired++;
        continue;
      }
      transition(storage, bucket, listed.key, rule, listed.lastModified, now, report);
    }
    if (!page.isTruncated || page.last === undefined) return;
    after = page.last;
  }
}

/** DEVIATION(S3): a transition changes the recorded storage class only; the bytes stay where they are. */
function transition(storage: Storage, bucket: string, key: string, rule: LifecycleRule, lastModified: Date, now: Date, report: LifecycleSweepReport): void {
  let target: string | undefined;
  let latest = -Infinity;
  for (const t of rule.transitions) {
    const due = t.days !== undefined ? expiryDate(lastModified, t.days) : t.date !== undefined ? new Date(t.date) : undefined;
    if (due !== undefined && due.getTime() <= now.getTime() && due.getTime() > latest) {
      latest = due.getTime();
      target = t.storageClass;
    }
  }
  if (target === undefined) return;
  const info = storage.headObject(bucket, key);
  if (!info || (info.meta.storageClass ?? 'STANDARD') === target) return;
  if (storage.settings.updateObjectMeta(bucket, key, { ...info.meta, storageClass: target }, info.versionId)) report.transitioned++;
}

async function sweepUploads(storage: Storage, bucket: string, rule: LifecycleRule, days: number, now: Date, report: LifecycleSweepReport): Promise<void> {
  let keyMarker = '';
  let uploadIdMarker = '';
  for (;;) {
    const page = storage.listUploads(bucket, { prefix: rule.filter.prefix ?? '', delimiter: '', keyMarker, uploadIdMarker, maxUploads: PAGE });
    for (const upload of page.uploads) {
      if (!filterMatches({ ...rule.filter, tags: [] }, { key: upload.key, size: 0 })) continue;
      if (expiryDate(upload.initiated, days).getTime() > now.getTime()) continue;
      if (await storage.abortUpload(bucket, upload.key, upload.uploadId)) report.aborted++;
    }
    if (!page.isTruncated || page.nextKeyMarker === undefined) return;
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker ?? '';
  }
}

/**
 * Runs the sweep now and then every `intervalMs`, one pass at a time; the timer does not keep
 * the process alive. `onPass` hears each report or failure (the server logs them).
 */
export function startLifecycleSweeper(
  storage: Storage,
  intervalMs: number,
  onPass: (report: LifecycleSweepReport | undefined, err?: unknown) => void,
  clock: () => Date = () => new Date(),
): { stop(): void } {
  let running = false;
  let stopped = false;
  const pass = () => {
    if (running || stopped) return;
    running = true;
    sweepLifecycle(storage, clock()).then(
      (report) => { running = false; if (!stopped) onPass(report); },
      (err: unknown) => { running = false; if (!stopped) onPass(undefined, err); },
    );
  };
  const first = setTimeout(pass, 0);
  const timer = setInterval(pass, intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
