/** A BlobFiles over a temp data directory removed after the test, and bodies split into chunks. */
import { Readable } from 'node:stream';
import type { Test } from 'tap';
import { BlobFiles } from '../../storage/blob-files';
import { tempDir } from './server';

export function blobFiles(t: Test, prefix = 'cb-blobs-'): BlobFiles {
  const dir = tempDir(prefix);
  t.teardown(() => dir.remove());
  return new BlobFiles(dir.dir, { fsync: false });
}

/** `body` in chunks of `size` bytes (the last one shorter). */
export function chunked(body: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) parts.push(body.subarray(at, at + size));
  return Readable.from(parts);
}
