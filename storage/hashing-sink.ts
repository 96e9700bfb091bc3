/**
 * The sink every staged body that gets a file is written through (storage/blob-files.ts
 * `stage`): it hashes each chunk and writes the body to its temp file.
 */
import { createWriteStream, writeFile, type WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import type { MultiHasher } from './checksums';
import { FILE_MODE } from './data-dir';
import { StorageError } from './errors';

/** Bodies up to this size are kept in memory until their end (and, staged `inline`, never written). */
export const SMALL_BODY_BYTES = 64 * 1024;
/**
 * How much of a large body may wait for the disk: hashing goes on while earlier chunks are being
 * written (one `writev` for all that waited), instead of hashing and writing taking turns.
 */
const WRITE_BEHIND_BYTES = 4 * 1024 * 1024;

/**
 * Hashes a body and writes it to `path`. Up to SMALL_BODY_BYTES it is kept in memory and
 * written with one `writeFile` at the end; past that, everything goes to a write stream, up to
 * WRITE_BEHIND_BYTES ahead of the disk.
 */
export class HashingSink extends Writable {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private file: WriteStream | undefined;
  /** The write stream's first error (a full disk): the next write, or the end, fails with it. */
  private fileError: Error | undefined;

  constructor(private readonly path: string, private readonly hasher: MultiHasher, private readonly maxSize: number) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.hasher.update(chunk);
    if (this.hasher.size > this.maxSize) return cb(new StorageError('EntityTooLarge'));
    if (this.file === undefined && this.buffered + chunk.length <= SMALL_BODY_BYTES) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      return cb();
    }
    if (this.file === undefined) {
      this.file = createWriteStream(this.path, { flags: 'wx', mode: FILE_MODE, highWaterMark: WRITE_BEHIND_BYTES });
      this.file.on('error', (err) => { this.fileError ??= err; });
      for (const early of this.chunks) this.file.write(early);
      this.chunks = [];
    }
    if (this.fileError !== undefined) return cb(this.fileError);
    const file = this.file;
    if (file.write(chunk)) return cb();
    // WRITE_BEHIND_BYTES are waiting for the disk: the next chunk waits for them.
    const onDrain = (): void => { file.off('error', onError); cb(); };
    const onError = (err: Error): void => { file.off('drain', onDrain); cb(err); };
    file.once('drain', onDrain);
    file.once('error', onError);
  }

  override _final(cb: (err?: Error | null) => void): void {
    const file = this.file;
    if (this.fileError !== undefined) return cb(this.fileError);
    if (file === undefined) {
      const whole = this.chunks.length === 1 ? this.chunks[0] as Buffer : Buffer.concat(this.chunks);
      writeFile(this.path, whole, { flag: 'wx', mode: FILE_MODE }, (err) => cb(err));
      return;
    }
    file.end((err?: Error | null) => {
      if (err) return cb(err);
      if (file.closed) return cb();
      file.once('close', () => cb());
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.file !== undefined && !this.file.closed) {
      this.file.once('close', () => cb(err));
      this.file.destroy();
      return;
    }
    cb(err);
  }
}
