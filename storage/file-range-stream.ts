/**
 * A large object body read from its files: byte spans of one or more files, in order, as one
 * Readable. Read as any stream (async iteration, pipeline()), each chunk is a new buffer of up to
 * 1 MiB. Piped into an HTTP response (what fastify does with a stream body), it reuses two
 * buffers instead: the file is read into one while the other is being written, and a buffer is
 * read into again only once the response's write callback for it has run (the socket is done with
 * its bytes).
 *
 * Why: each new 1 MiB buffer is memory outside V8's heap that only a full garbage collection
 * frees, and V8 starts one about every 64 MiB of such memory. A 64 MiB GET cost two full
 * collections, ~20% of the server's CPU for the download (docs/benchmarks.md).
 */
import { close, open, read } from 'node:fs';
import { Readable, type Writable } from 'node:stream';

/** Bytes per read(2). 1 MiB: a sixteenth of the system calls and stream turns of node's 64 KiB default. */
export const LARGE_READ_BYTES = 1024 * 1024;

export interface FileSpan {
  path: string;
  /** First and last byte (inclusive) of the file to read. */
  from: number;
  to: number;
}

const openFile = (path: string) => new Promise<number>((resolve, reject) => { open(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))); });
const closeFile = (fd: number) => new Promise<void>((resolve) => { close(fd, () => resolve()); });
const readInto = (fd: number, buffer: Buffer, length: number, position: number) =>
  new Promise<number>((resolve, reject) => { read(fd, buffer, 0, length, position, (err, n) => (err ? reject(err) : resolve(n))); });

/** What pipe() needs to drive a destination itself: a write with a per-chunk callback. */
interface ChunkSink {
  write(chunk: Buffer, callback: (err?: Error | null) => void): boolean;
  end(): unknown;
}

function isResponse(dest: Writable): boolean {
  // An http.ServerResponse: its write callback runs once the socket has written the chunk.
  return typeof (dest as { writeHead?: unknown }).writeHead === 'function';
}

export class FileRangeStream extends Readable {
  private span = 0;
  private fd: number | undefined;
  private position: number;
  private driven = false;
  /** The open or read in progress: the descriptor is closed only after it (a closed fd's number can be reused at once). */
  private io: Promise<unknown> | undefined;

  constructor(private readonly spans: readonly FileSpan[]) {
    super({ highWaterMark: LARGE_READ_BYTES });
    this.position = spans[0]?.from ?? 0;
  }

  // The ordinary way: a new buffer per read.
  override _read(): void {
    this.nextChunk(undefined).then((chunk) => { this.push(chunk); }, (err: unknown) => { this.destroy(err as Error); });
  }

  override pipe<T extends NodeJS.WritableStream>(dest: T, options?: { end?: boolean }): T {
    if (this.driven || this.readableFlowing !== null || !isResponse(dest as unknown as Writable)) return super.pipe(dest, options);
    this.driven = true;
    void this.drive(dest as unknown as ChunkSink, options?.end !== false);
    return dest;
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    void (this.io ?? Promise.resolve()).catch(() => undefined).then(() => this.closeCurrent()).then(() => callback(err));
  }

  private track<T>(op: Promise<T>): Promise<T> {
    this.io = op;
    return op;
  }

  /**
   * The next chunk into `buffer` (or a new one), null at the end. Opens and closes files on the way.
   * While one read is pending no other starts (_read is not called again before its push).
   */
  private async nextChunk(buffer: Buffer | undefined): Promise<Buffer | null> {
    for (;;) {
      const span = this.spans[this.span];
      if (span === undefined) return null;
      const left = span.to - this.position + 1;
      if (left <= 0) {
        await this.closeCurrent();
        this.span++;
        this.position = this.spans[this.span]?.from ?? 0;
        continue;
      }
      if (this.fd === undefined) {
        const fd = await this.track(openFile(span.path));
        if (this.destroyed) {
          await closeFile(fd);
          return null;
        }
        this.fd = fd;
      }
      const length = Math.min(left, LARGE_READ_BYTES);
      const into = buffer ?? Buffer.allocUnsafeSlow(length);
      const n = await this.track(readInto(this.fd, into, length, this.position));
      if (this.destroyed) return null;
      if (n === 0) {
        // A file shorter than its span ends the span, as a read stream would.
        this.position = span.to + 1;
        continue;
      }
      this.position += n;
      return into.subarray(0, n);
    }
  }

  private async closeCurrent(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeFile(fd);
  }

  /** pipe() into a response: two buffers, each read into again only after its write completed. */
  private async drive(dest: ChunkSink, end: boolean): Promise<void> {
    const closed = new Promise<void>((resolve) => { this.once('close', resolve); });
    const size = Math.min(LARGE_READ_BYTES, this.spans.reduce((n, s) => n + Math.max(0, s.to - s.from + 1), 0));
    const buffers = [Buffer.allocUnsafeSlow(Math.max(1, size)), Buffer.allocUnsafeSlow(Math.max(1, size))];
    const writes: Array<Promise<void> | undefined> = [undefined, undefined];
    try {
      for (let k = 0; ; k ^= 1) {
        await Promise.race([writes[k], closed]);
        if (this.destroyed) return;
        const chunk = await this.nextChunk(buffers[k]);
        if (chunk === null || this.destroyed) break;
        writes[k] = new Promise<void>((resolve, reject) => { dest.write(chunk, (err) => (err ? reject(err) : resolve())); });
        // A failed write (the client went away) is seen when its buffer is next waited for.
        writes[k]?.catch(() => undefined);
      }
      await Promise.race([Promise.all(writes), closed]);
      if (this.destroyed) return;
      await this.closeCurrent();
      if (end) dest.end();
      // Ended as any stream: 'end', then 'close' (what fastify and the file hold wait for).
      this.push(null);
      this.resume();
    } catch (err) {
      this.destroy(err as Error);
    }
  }
}
