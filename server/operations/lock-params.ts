/**
 * Object Lock parameters of requests (docs/spec/versioning.md §9 K5–K8, K11): the lock headers of
 * PutObject / CreateMultipartUpload / CopyObject and of GET / HEAD, the checksum a locked write
 * needs, and `x-amz-bypass-governance-retention`.
 */
import type { BucketInfo, LockMode, ObjectInfo, ObjectLock } from '../../storage';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';

export const LOCK_HEADERS = {
  mode: 'x-amz-object-lock-mode',
  retainUntil: 'x-amz-object-lock-retain-until-date',
  legalHold: 'x-amz-object-lock-legal-hold',
  bypass: 'x-amz-bypass-governance-retention',
  enabledAtCreation: 'x-amz-bucket-object-lock-enabled',
} as const;

export const LOCK_MODES: readonly string[] = ['GOVERNANCE', 'COMPLIANCE'];
const CHECKSUM_HEADER = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/;

/** Content-MD5, an `x-amz-checksum-<alg>` header, or one announced as a trailer (§9 K3, K6). */
export function hasIntegrityHeader(ctx: S3Context): boolean {
  if (headerValue(ctx.headers, H.contentMd5) !== undefined) return true;
  if (Object.keys(ctx.headers).some((h) => CHECKSUM_HEADER.test(h))) return true;
  return (headerValue(ctx.headers, H.amzTrailer) ?? '').toLowerCase().split(',').some((t) => CHECKSUM_HEADER.test(t.trim()));
}

/** §9 K3: lock configuration documents (and retention, legal hold) carry a checksum. */
export function requireDocumentChecksum(ctx: S3Context): void {
  if (!hasIntegrityHeader(ctx)) throw new S3Error('InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
}

export const MISSING_LOCK = 'Bucket is missing Object Lock Configuration';

/** §9 K5: the lock headers of a write, validated; undefined when none was sent. */
export function lockFromHeaders(ctx: S3Context, bucket: BucketInfo): ObjectLock | undefined {
  const mode = headerValue(ctx.headers, LOCK_HEADERS.mode);
  const until = headerValue(ctx.headers, LOCK_HEADERS.retainUntil);
  const hold = headerValue(ctx.headers, LOCK_HEADERS.legalHold);
  if (mode === undefined && until === undefined && hold === undefined) return undefined;
  if (!bucket.objectLock) throw new S3Error('InvalidRequest', MISSING_LOCK);
  const lock: ObjectLock = {};
  if (mode !== undefined || until !== undefined) {
    if (mode === undefined || until === undefined) {
      throw new S3Error('InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
        { ArgumentName: mode === undefined ? LOCK_HEADERS.mode : LOCK_HEADERS.retainUntil });
    }
    if (!LOCK_MODES.includes(mode)) throw new S3Error('InvalidArgument', 'Unknown wormMode directive.', { ArgumentName: LOCK_HEADERS.mode, ArgumentValue: mode });
    const at = Date.parse(until);
    // UNVERIFIED(S3): a date that does not parse, or is not in the future, answers as K9 step 4 does.
    if (Number.isNaN(at) || at <= Date.now()) {
      throw new S3Error('InvalidArgument', 'The retain until date must be in the future!', { ArgumentName: LOCK_HEADERS.retainUntil, ArgumentValue: until });
    }
    lock.mode = mode as LockMode;
    lock.retainUntil = new Date(at);
  }
  if (hold !== undefined) {
    // UNVERIFIED(S3): the answer to a legal hold other than ON/OFF (docs/spec/versioning.md §12).
    if (hold !== 'ON' && hold !== 'OFF') throw new S3Error('InvalidArgument', "Legal Hold must be either of 'ON' or 'OFF'", { ArgumentName: LOCK_HEADERS.legalHold, ArgumentValue: hold });
    lock.legalHold = hold;
  }
  return lock;
}

/** §9 K6: a write with lock parameters (its own, or a bucket default that applies) needs a checksum. */
export function requireLockChecksum(ctx: S3Context, bucket: BucketInfo, lock: ObjectLock | undefined, what: 'Put Object' | 'Put Part'): void {
  const applies = lock !== undefined || bucket.objectLock?.rule !== undefined;
  if (applies && !hasIntegrityHeader(ctx)) {
    throw new S3Error('InvalidRequest', `Content-MD5 OR x-amz-checksum- HTTP header is required for ${what} requests with Object Lock parameters`);
  }
}

/**
 * §6 D4, §9 K11: `x-amz-bypass-governance-retention` — refused on a bucket without lock; counts
 * only when `true` and sent by a caller allowed s3:BypassGovernanceRetention (the bucket owner).
 */
export function bypassGovernance(ctx: S3Context, bucket: BucketInfo): boolean {
  const value = headerValue(ctx.headers, LOCK_HEADERS.bypass);
  if (value === undefined) return false;
  if (!bucket.objectLock) {
    throw new S3Error('InvalidArgument', 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.', { ArgumentName: LOCK_HEADERS.bypass, ArgumentValue: value });
  }
  return value.trim().toLowerCase() === 'true' && ctx.auth.user?.id === bucket.owner;
}

/** §9 K8: mode and date while a retention is set, the legal hold once ever set. */
export function lockHeaders(info: ObjectInfo): Record<string, string> {
  const out: Record<string, string> = {};
  const lock = info.lock;
  if (lock?.mode !== undefined && lock.retainUntil !== undefined) {
    out[LOCK_HEADERS.mode] = lock.mode;
    out[LOCK_HEADERS.retainUntil] = lock.retainUntil.toISOString();
  }
  if (lock?.legalHold !== undefined) out[LOCK_HEADERS.legalHold] = lock.legalHold;
  return out;
}
