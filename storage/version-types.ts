/** The versioning and Object Lock types of storage/types.ts (docs/spec/versioning.md §1, §6, §7, §9). */
import type { ListedObject } from './types';

/** docs/spec/versioning.md §1 M1: absent = never configured (Unversioned). */
export type VersioningStatus = 'Enabled' | 'Suspended';
export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';
/** A bucket's default retention: exactly one of days and years. */
export interface DefaultRetention { mode: LockMode; days?: number; years?: number }
/** The Object Lock configuration of a lock-enabled bucket (docs/spec/versioning.md §9 K1–K3). */
export interface ObjectLockConfig {
  enabled: true;
  rule?: DefaultRetention;
}

/** Retention and legal hold of one version (docs/spec/versioning.md §9). */
export interface ObjectLock {
  mode?: LockMode;
  retainUntil?: Date;
  /** Absent: never set; 'OFF' once set off. */
  legalHold?: 'ON' | 'OFF';
}

export interface DeleteOptions {
  /** Remove exactly this entry (docs/spec/versioning.md §6 D2); absent: D1. */
  versionId?: string;
  /** `x-amz-bypass-governance-retention: true`, from a caller allowed to use it. */
  bypassGovernance?: boolean;
  /** Owner of a delete marker this adds (default: the bucket owner). */
  owner?: string;
}

export interface DeleteResult {
  removed: boolean;
  /** The version acted on (D2, D3) or the marker added (D1); absent in a never-configured bucket. */
  versionId?: string;
  /** The marker added (D1) or the entry removed was a delete marker (D2). */
  deleteMarker?: boolean;
}

export interface VersionListQuery {
  prefix: string;
  delimiter: string;
  /** Exclusive: entries of later keys, or with versionIdMarker the older entries of this key first. */
  keyMarker: string;
  /** `null`, a well-formed id, or '' (none). */
  versionIdMarker: string;
  maxKeys: number;
}

/** One entry of ListObjectVersions. */
export interface ListedVersion extends ListedObject {
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
}

export interface VersionListPage {
  entries: ListedVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}
