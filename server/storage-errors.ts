/** Storage's failures as S3 errors, with the elements S3 adds (BucketName, Key). */
import { StorageError } from '../storage';
import type { S3Context } from './context';
import { S3Error } from './errors';

export function toS3Error(err: unknown, ctx: Pick<S3Context, 'bucket' | 'key'>): unknown {
  if (!(err instanceof StorageError)) return err;
  switch (err.code) {
    case 'NoSuchBucket':
    case 'BucketNotEmpty':
      return new S3Error(err.code, undefined, { BucketName: ctx.bucket });
    case 'NoSuchKey':
      return new S3Error('NoSuchKey', undefined, { Key: ctx.key });
    case 'PreconditionFailed':
      return new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
    default:
      return new S3Error(err.code, err.message === err.code ? undefined : err.message);
  }
}

/** Runs a storage call, rethrowing its failures as S3 errors. */
export async function storageCall<T>(ctx: Pick<S3Context, 'bucket' | 'key'>, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toS3Error(err, ctx);
  }
}
