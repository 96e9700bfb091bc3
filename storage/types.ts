/** * The storage seam: buckets, objects, uploads and CORS rules in our own types.
 * The server depends on this interface only; `openSqliteStorage` is the embedded default.
 */
import type { Readable } from 'node:stream';
import type { CorsConfiguration } from '../cors-engine';
import type { ChecksumAlgorithm, ChecksumValues } from './checksums';
import type { BucketSettings, Tag } from './bucket-configs';
import type { DeleteOptions, DeleteResult, LockMode, ObjectLock, ObjectLockConfig, VersioningStatus, VersionListPage, VersionListQuery } from './version-types';
export type * from './version-types';
export * from './access-types';
import type { ObjectOwnership, PublicAccessBlock } from './access-types';

/** The canned ACLs a bucket or object can keep (S3 User Guide, "Canned ACL"). */
export const CANNED_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read'] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

export function isCannedAcl(value: string): value is CannedAcl {
  return (CANNED_ACLS as readonly string[]).includes(value);
}

/** A grantee of an ACL grant: a user by canonical ID, or a predefined group by URI. */
export type AclGrantee = { type: 'CanonicalUser'; id: string } | { type: 'Group'; uri: string };
export type AclPermission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
/** One grant of an explicit ACL (S3's AccessControlPolicy Grant). */
export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

/** An object's owner and ACL, without the rest of its metadata (for access checks). */
export interface ObjectAccess {
  owner: string;
  acl: CannedAcl;
  /** Explicit grants; when absent the grants are those of the canned `acl`. */
  grants?: AclGrant[];
}

export interface BucketInfo {
  name: string;
  createdAt: Date;
  owner: string;
  acl: CannedAcl;
  region: string;
  /** Explicit grants; when absent the grants are those of the canned `acl`. */
  grants?: AclGrant[];
  /** Block Public Access; absent: no configuration (every setting off). */
  publicAccessBlock?: PublicAccessBlock;
  /** Object Ownership; absent: no ownership controls (the bucket behaves as ObjectWriter). */
  ownership?: ObjectOwnership;
  versioning?: VersioningStatus;
  /** Set once a PutBucketVersioning named it (docs/spec/versioning.md §2 V4). */
  mfaDelete?: 'Enabled' | 'Disabled';
  objectLock?: ObjectLockConfig;
}

/** Content headers S3 stores with an object and returns on GET/HEAD. */
export interface ContentHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
}

/** The server-side encryption an object reports (docs/spec/bucket-config.md §B3). */
export interface ObjectEncryption {
  algorithm: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** `x-amz-server-side-encryption-context` as sent (base64 JSON). */
  context?: string;
}

export interface ObjectMeta {
  content: ContentHeaders;
  /** `x-amz-meta-*` without the prefix, names lower-case, values as sent. */
  user: Record<string, string>;
  /** Absent: STANDARD (docs/spec/bucket-config.md §B4.8). */
  storageClass?: string;
  /** Object tags, in the order given (docs/spec/bucket-config.md §B1). */
  tags?: Tag[];
  /** Absent: the bucket's default encryption at read time. */
  sse?: ObjectEncryption;
  /** `x-amz-website-redirect-location`. */
  websiteRedirect?: string;
}

/** A routing rule of a website configuration (docs/spec/website.md §1.3); codes kept as given. */
export interface WebsiteRoutingRule {
  condition?: { keyPrefixEquals?: string; httpErrorCodeReturnedEquals?: string };
  redirect: { protocol?: string; hostName?: string; replaceKeyPrefixWith?: string; replaceKeyWith?: string; httpRedirectCode?: string };
}

/** A bucket's website configuration (docs/spec/website.md §1.2): RedirectAllRequestsTo alone, or the rest. */
export interface WebsiteConfiguration {
  redirectAllRequestsTo?: { hostName: string; protocol?: string };
  indexDocument?: { suffix: string };
  errorDocument?: { key: string };
  routingRules?: WebsiteRoutingRule[];
}

/** One file holding a run of an object's bytes (a whole object, or one part of a multipart object). */
export interface Segment {
  file: string;
  size: number;
  /** Part ETag (quoted) and its checksums, kept for partNumber reads and GetObjectAttributes. */
  etag?: string;
  /** The part's checksums (multipart objects), for GetObjectAttributes. */
  checksums?: ChecksumValues;
  /** The bytes themselves, for a small object kept in the database (no file is named `file`). */
  bytes?: Buffer;
}

export interface ObjectInfo {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
  meta: ObjectMeta;
  checksums: ChecksumValues;
  /** COMPOSITE or FULL_OBJECT for multipart objects. */
  checksumType?: string;
  owner: string;
  acl: CannedAcl;
  /** Explicit grants; when absent the grants are those of the canned `acl`. */
  grants?: AclGrant[];
  segments: Segment[];
  /** `null` for the null version (docs/spec/versioning.md §1 M3). */
  versionId: string;
  /** A delete marker: no body, metadata or ACL of its own. */
  deleteMarker: boolean;
  /** Set when a retention or legal hold was ever set on this version. */
  lock?: ObjectLock;
}

/** A body written to a temp file and hashed, not yet visible. */
export interface StagedBlob {
  file: string;
  size: number;
  /** A small body kept in memory, to be stored in the database (`file` is its id; no file was written). */
  bytes?: Buffer;
  md5: Buffer;
  checksums: ChecksumValues;
  /** The bytes' SHA-256, when StageOptions.sha256 asked for it. */
  sha256?: Buffer;
}

export interface WriteConditions {
  /** `If-None-Match: *`: only if the key does not exist. */
  ifNoneMatchAny?: boolean;
  /** `If-Match: "etag"`: only if the current object has this ETag. */
  ifMatch?: string;
}

export interface NewObject {
  meta: ObjectMeta;
  etag: string;
  checksums: ChecksumValues;
  checksumType?: string;
  owner: string;
  acl: CannedAcl;
  /** Explicit grants, stored instead of the canned `acl`'s. */
  grants?: AclGrant[];
  /** The request's retention and legal hold; without a mode, the bucket's default retention applies. */
  lock?: ObjectLock;
}

export interface ListQuery {
  prefix: string;
  delimiter: string;
  /** Exclusive start: keys (and common prefixes) strictly greater than this. */
  after: string;
  maxKeys: number;
}

/** An object as a listing shows it: no metadata, ACL or body (a page is 1000 of them). */
export type ListedObject = Pick<ObjectInfo, 'key' | 'size' | 'etag' | 'lastModified' | 'checksums' | 'checksumType' | 'owner'> & {
  /** Absent: STANDARD. */
  storageClass?: string;
};

export interface ListPage {
  objects: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, for NextMarker / continuation tokens. */
  last?: string;
}

export interface StageOptions {
  checksums: ChecksumAlgorithm[];
  /** Refuse bodies larger than this (EntityTooLarge). */
  maxSize?: number;
  /** Keep a small object body (≤ SMALL_BODY_BYTES) in memory for the database (a part needs a file). */
  inline?: boolean;
  /** Also compute the bytes' SHA-256 (StagedBlob.sha256), to compare with a signed payload hash. */
  sha256?: boolean;
}

/** A multipart upload in progress (Create .. Complete/Abort); owner and ACL become the object's. */
export interface UploadInfo extends ObjectAccess {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: Date;
  meta: ObjectMeta;
  /** The algorithm every part is checksummed with (`x-amz-checksum-algorithm` at creation). */
  checksumAlgorithm?: ChecksumAlgorithm;
  /** COMPOSITE or FULL_OBJECT; set when checksumAlgorithm is. */
  checksumType?: 'COMPOSITE' | 'FULL_OBJECT';
  /** Retention and legal hold from CreateMultipartUpload, applied at completion (docs/spec/versioning.md §9 K7). */
  lock?: ObjectLock;
}

export type NewUpload = Omit<UploadInfo, 'uploadId' | 'initiated'>;

/** One uploaded part of a multipart upload. */
export interface PartInfo {
  partNumber: number;
  file: string;
  size: number;
  /** Quoted hex MD5 of the part. */
  etag: string;
  checksums: ChecksumValues;
  lastModified: Date;
}

export interface UploadListQuery {
  prefix: string;
  delimiter: string;
  /** Uploads of keys after keyMarker, or of keyMarker itself with an upload ID after uploadIdMarker. */
  keyMarker: string;
  uploadIdMarker: string;
  maxUploads: number;
}

export interface UploadListPage {
  uploads: UploadInfo[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Where the next page starts (set when truncated). */
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

/** An object committed or deleted (Storage.onObjectChange). */
export type ObjectChange =
  | { action: 'put'; bucket: string; key: string; object: ObjectInfo }
  | { action: 'delete'; bucket: string; key: string };

export interface Storage {
  readonly dataDir: string;
  listBuckets(): BucketInfo[];
  getBucket(name: string): BucketInfo | undefined;
  /** Returns false when the bucket already exists. */
  createBucket(bucket: BucketInfo): boolean;
  /** PutBucketVersioning (NoSuchBucket). */
  setBucketVersioning(name: string, status: VersioningStatus, mfaDelete?: 'Enabled' | 'Disabled'): void;
  /** PutObjectLockConfiguration: the bucket is lock-enabled for good (NoSuchBucket). */
  setBucketObjectLock(name: string, config: ObjectLockConfig): void;
  /** `null` or a generated id this data directory could have made (docs/spec/versioning.md §1 M4). */
  isVersionId(id: string): boolean;
  /** Throws StorageError NoSuchBucket / BucketNotEmpty (objects, versions or delete markers left; in-progress uploads are aborted). */
  deleteBucket(name: string): void;
  setBucketAcl(name: string, acl: CannedAcl): void;
  /** Block Public Access of a bucket; undefined removes the configuration. NoSuchBucket. */
  setPublicAccessBlock(name: string, block: PublicAccessBlock | undefined): void;
  /** Object Ownership of a bucket; undefined removes the ownership controls. NoSuchBucket. */
  setObjectOwnership(name: string, ownership: ObjectOwnership | undefined): void;

  /** The bucket policy exactly as put (validated by policy-engine before it is set), or undefined. */
  getBucketPolicy(name: string): string | undefined;
  /** Sets or (undefined) removes the policy; notifies onBucketChange. NoSuchBucket. */
  setBucketPolicy(name: string, policy: string | undefined): void;

  /** The bucket's CORS rules (validated by cors-engine before they are set), or undefined. */
  getBucketCors(name: string): CorsConfiguration | undefined;
  setBucketCors(name: string, cors: CorsConfiguration | undefined): void;
  /**
   * Calls `listener` after every change to what a bucket's CORS answer or its policy depends on
   * (the bucket created or deleted, its rules or policy set or removed; `undefined`: every
   * bucket, after a reset).
   */
  onBucketChange(listener: (bucket: string | undefined) => void): void;
  /** Calls `listener` after every object commit (put, copy, completed upload) and delete. */
  onObjectChange(listener: (change: ObjectChange) => void): void;

  stage(body: Readable, options: StageOptions): Promise<StagedBlob>;
  discard(staged: StagedBlob): Promise<void>;
  /** Makes a staged blob the object's body in one transaction, honouring the conditions. */
  commitObject(bucket: string, key: string, staged: StagedBlob, object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo>;
  /** Creates `dst` sharing `src`'s bytes (hard links) with new metadata. */
  copyObject(src: ObjectInfo, bucket: string, key: string, object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo>;
  /** The current entry of a key, or the entry `versionId` names; either may be a delete marker. */
  headObject(bucket: string, key: string, versionId?: string): ObjectInfo | undefined;
  /** Streams bytes [start, end] inclusive of an object's segments. */
  readObject(info: ObjectInfo, start?: number, end?: number): Readable;
  /** Bytes [start, end] inclusive of a small range (up to 64 KiB), read at once; undefined for a larger range. */
  readObjectBytes(info: ObjectInfo, start?: number, end?: number): Buffer | undefined;
  /** DeleteObject under the bucket's versioning state; AccessDenied when Object Lock forbids it. */
  deleteObject(bucket: string, key: string, options?: DeleteOptions): Promise<DeleteResult>;
  /** The current entry's ACL, or that of the version named. */
  setObjectAcl(bucket: string, key: string, acl: CannedAcl, versionId?: string): boolean;
  /** Explicit grants replace a bucket's canned ACL (setBucketAcl clears them). NoSuchBucket. */
  setBucketGrants(name: string, grants: AclGrant[]): void;
  /** Explicit grants replace an object's canned ACL (setObjectAcl clears them); false if no such object. */
  setObjectGrants(bucket: string, key: string, grants: AclGrant[], versionId?: string): boolean;
  /** Owner and ACL of an object, read without its metadata. */
  objectAccess(bucket: string, key: string, versionId?: string): ObjectAccess | undefined;
  /**
   * PutObjectRetention on one version (undefined removes it): AccessDenied when the change would
   * shorten or weaken an active retention (docs/spec/versioning.md §9 K9); false if no such version.
   */
  setObjectRetention(bucket: string, key: string, versionId: string, retention: { mode: LockMode; retainUntil: Date } | undefined, bypassGovernance: boolean): boolean;
  /** PutObjectLegalHold on one version; false if no such version. */
  setObjectLegalHold(bucket: string, key: string, versionId: string, status: 'ON' | 'OFF'): boolean;
  /** ListObjects / V2: only keys whose current entry is an object version. */
  listObjects(bucket: string, query: ListQuery): ListPage;
  /** ListObjectVersions: every entry, keys ascending, newest first within a key. */
  listObjectVersions(bucket: string, query: VersionListQuery): VersionListPage;

  /** Multipart uploads. Throws StorageError NoSuchBucket / NoSuchUpload / InvalidPart / PreconditionFailed. */
  createUpload(upload: NewUpload): UploadInfo;
  /** The upload, if it exists and belongs to (bucket, key). */
  getUpload(bucket: string, key: string, uploadId: string): UploadInfo | undefined;
  /** Makes a staged blob part N of the upload (replacing an earlier part N); the staged file is removed on failure. */
  commitPart(upload: UploadInfo, partNumber: number, staged: StagedBlob, part: { etag: string; checksums: ChecksumValues }): Promise<PartInfo>;
  /** Parts with numbers > afterPart, in order, at most maxParts. */
  listParts(uploadId: string, afterPart: number, maxParts: number): { parts: PartInfo[]; isTruncated: boolean };
  listUploads(bucket: string, query: UploadListQuery): UploadListPage;
  /** Removes the upload and its part files; false if it does not exist. */
  abortUpload(bucket: string, key: string, uploadId: string): Promise<boolean>;
  /**
   * Makes `parts` (as read from listParts, in order) the object's body in one transaction: no
   * bytes are copied. InvalidPart if a part changed since it was read; unused part files and
   * the replaced object's files are deleted after the commit.
   */
  completeUpload(upload: UploadInfo, parts: PartInfo[], object: NewObject, conditions?: WriteConditions): Promise<ObjectInfo>;

  /** Bucket configurations and object settings (docs/spec/bucket-config.md §B). */
  readonly settings: BucketSettings;

  /** Empties every bucket (keeping buckets and their settings), or removes everything. */
  reset(mode: 'objects' | 'all'): Promise<void>;
  close(): void;
}
