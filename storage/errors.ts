/** Failures storage reports in S3's own vocabulary; the server maps them onto S3 errors. */
export type StorageErrorCode =
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'NoSuchUpload'
  | 'BucketNotEmpty'
  | 'PreconditionFailed'
  | 'EntityTooLarge'
  | 'IncompleteBody'
  | 'InvalidPart'
  | 'InvalidPartOrder'
  | 'EntityTooSmall'
  /** Object Lock forbids the change (docs/spec/versioning.md §9 K9, K11). */
  | 'AccessDenied';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message?: string) {
    super(message ?? code);
    this.name = 'StorageError';
    this.code = code;
  }
}
