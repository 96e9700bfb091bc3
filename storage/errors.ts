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

/**
 * Why a data directory was refused at start-up (docs/data-directory.md): the message is one line
 * saying what is wrong and what to do; the command line prints it and exits with code 2.
 */
export type DataDirErrorCode =
  /** Another crossbucket holds the data directory's lock. */
  | 'DataDirInUse'
  /** Not a directory, not writable, the disk is full. */
  | 'DataDirUnusable'
  /** The database and the object files do not belong together (missing, empty, another store's). */
  | 'DataDirMismatch'
  /** The database is damaged, not crossbucket's, or from a newer crossbucket. */
  | 'DataDirDatabase';

export class DataDirError extends Error {
  readonly code: DataDirErrorCode;
  constructor(code: DataDirErrorCode, message: string) {
    super(message);
    this.name = 'DataDirError';
    this.code = code;
  }
}
