/**
 * What Object Lock allows (docs/spec/versioning.md §9): pure decisions over a version's lock
 * fields and the time, used inside the transactions that change or remove a version.
 */
import type { DefaultRetention, LockMode, ObjectLock } from './types';

export interface LockFields {
  lock_mode: string | null;
  lock_until: number | null;
  legal_hold: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An active retention: a mode with a retain-until date in the future. */
function activeMode(row: LockFields, now: number): LockMode | undefined {
  if (row.lock_mode === null || row.lock_until === null || row.lock_until <= now) return undefined;
  return row.lock_mode as LockMode;
}

/**
 * §9 K11: a version under legal hold or an active retention cannot be removed; the bypass lifts
 * GOVERNANCE only, never COMPLIANCE or a hold.
 */
export function removalAllowed(row: LockFields, bypassGovernance: boolean, now: number): boolean {
  if (row.legal_hold === 'ON') return false;
  const mode = activeMode(row, now);
  if (mode === undefined) return true;
  return mode === 'GOVERNANCE' && bypassGovernance;
}

/**
 * §9 K9 step 5: without an active retention anything goes; the same mode with an equal or later
 * date is an extension; any other change (shorter, removed, another mode) of GOVERNANCE needs the
 * bypass, and of COMPLIANCE is never allowed.
 */
export function retentionChangeAllowed(
  row: LockFields, next: { mode: LockMode; retainUntil: Date } | undefined, bypassGovernance: boolean, now: number,
): boolean {
  const mode = activeMode(row, now);
  if (mode === undefined) return true;
  if (next && next.mode === mode && next.retainUntil.getTime() >= (row.lock_until ?? 0)) return true;
  return mode === 'GOVERNANCE' && bypassGovernance;
}

/** §9 K7: the bucket default counted from the version's creation. */
export function defaultRetainUntil(rule: DefaultRetention, createdAt: number): number {
  if (rule.days !== undefined) return createdAt + rule.days * DAY_MS;
  // UNVERIFIED(S3): Years are calendar years (docs/spec/versioning.md §12).
  const d = new Date(createdAt);
  d.setUTCFullYear(d.getUTCFullYear() + (rule.years ?? 0));
  return d.getTime();
}

/** The lock columns of a new version: the request's retention, else the bucket default (§9 K7). */
export function newVersionLock(requested: ObjectLock | undefined, rule: DefaultRetention | undefined, createdAt: number): LockFields {
  const fields: LockFields = { lock_mode: null, lock_until: null, legal_hold: requested?.legalHold ?? null };
  if (requested?.mode !== undefined && requested.retainUntil !== undefined) {
    fields.lock_mode = requested.mode;
    fields.lock_until = requested.retainUntil.getTime();
  } else if (rule) {
    fields.lock_mode = rule.mode;
    fields.lock_until = defaultRetainUntil(rule, createdAt);
  }
  return fields;
}

/** The message of the AccessDenied a lock causes (docs/spec/versioning.md §9 K9). */
export const LOCKED_MESSAGE = 'Access Denied because object protected by object lock.';
