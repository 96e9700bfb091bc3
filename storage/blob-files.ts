/**
 * Object bodies are immutable files named by a random id, never by the key:
 * `blobs/<2 hex>/<id>`. A body is written to `tmp/<id>` while being hashed, then renamed
 * into place before its metadata commits; a file is deleted only after the commit that
 * stopped referencing it. Staged with `inline`, a body up to SMALL_BODY_BYTES is not written at
 * all: it comes back in memory for the database to keep.
 */
import { chmodSync, closeSync, promises as fsp, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MultiHasher } from './checksums';
import { FileRangeStream } from './file-range-stream';
import { HashingSink, SMALL_BODY_BYTES } from './hashing-sink';
import { pump } from './pump';
import { readSmall } from './small-body';
import { orderedPrefix, randomString } from './random-pool';
// Object files are owner-only (docs/data-directory.md): 0600 files in 0700 directories.
import { BLOB_SUBDIR, DIR_MODE } from './data-dir';
import type { Segment, StagedBlob, StageOptions } from './types';

// Small bodies skip the streams. Read: one synchronous open/read/close on the event loop, a few
// microseconds on a page-cached file (each async call is a libuv thread-pool round trip costing
// tens of microseconds of CPU). Write: kept in memory and written with one async `writeFile`
// (creating a file can wait on the filesystem journal). Larger bodies stream, read 1 MiB at a
// time (storage/file-range-stream.ts).

export class BlobFiles {
  readonly blobDir: string;
  readonly tmpDir: string;
  private readonly fsync: boolean;
  /** Blobs written or linked but not yet committed or discarded: never swept. */
  private readonly pending = new Set<string>();
  private readonly removals = new Set<Promise<void>>(); // removeLater() deletions still running
  /** Blobs being read or linked (count per id): a remove() of one waits until it is released. */
  private readonly held = new Map<string, number>();
  /** Held blobs already removed from the metadata: deleted on their last release. */
  private readonly doomed = new Set<string>();
  /** `blobs/<2 hex>` directories known to exist. */
  private readonly madeDirs = new Set<string>();

  constructor(dataDir: string, options: { fsync: boolean }) {
    this.blobDir = join(dataDir, 'blobs');
    this.tmpDir = join(dataDir, 'tmp');
    this.fsync = options.fsync;
    for (const dir of [this.blobDir, this.tmpDir]) {
      mkdirSync(dir, { recursive: true, mode: DIR_MODE });
      // Made by a crossbucket before files were owner-only: made so now (best effort: not ours, not changed).
      try { chmodSync(dir, DIR_MODE); } catch { /* EPERM */ }
    }
  }

  newId(): string {
    return randomString(12, 'hex');
  }

  /**
   * The id of a body the database keeps (no file): 24 hex characters as newId's, but in creation
   * order (milliseconds, a per-millisecond sequence, then 4 random bytes). Its `object_bodies`
   * row and its `objects_by_file` entry then land beside the previous body's, on one index page
   * for a whole group commit; a random id put each on an index page of its own (WAL frames per
   * new 4 KiB PUT: 4.7 with random ids, 2.8 now; docs/benchmarks.md). Never used for a file:
   * files keep random ids, whose first two characters spread them over the `blobs/` directories.
   */
  newBodyId(now = Date.now()): string {
    return orderedPrefix(now) + randomString(4, 'hex');
  }

  pathOf(id: string): string {
    return join(this.blobDir, id.slice(0, 2), id);
  }

  /**
   * Streams `body` into a temp file while hashing it, then renames it into place. With `inline`,
   * a body up to SMALL_BODY_BYTES is read whole first (storage/small-body.ts) and hashed at once;
   * a larger one streams on from where that read stopped.
   */
  async stage(body: Readable, options: StageOptions): Promise<StagedBlob> {
    const maxSize = options.maxSize ?? Number.MAX_SAFE_INTEGER;
    let early: Buffer[] = [];
    if (options.inline === true) {
      const read = await readSmall(body, SMALL_BODY_BYTES, maxSize);
      if ('whole' in read) return this.stageInline(read.whole, options);
      early = read.early;
    }
    const id = this.newId();
    this.pending.add(id);
    const tmp = join(this.tmpDir, id);
    const hasher = new MultiHasher(options.checksums, { sha256: options.sha256 === true });
    const out = new HashingSink(tmp, hasher, maxSize);
    try {
      for (const chunk of early) out.write(chunk);
      await pump(body, out);
      if (this.fsync) await fsyncFile(tmp);
      const { md5, checksums, sha256 } = await hasher.finish();
      await this.renameIntoPlace(tmp, id);
      return { file: id, size: hasher.size, md5, checksums, ...(sha256 === undefined ? {} : { sha256 }) };
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      this.pending.delete(id);
      throw err;
    }
  }

  /** A small body kept for the database: hashed in one pass, no file to sweep or remove. */
  private async stageInline(whole: Buffer, options: StageOptions): Promise<StagedBlob> {
    const hasher = new MultiHasher(options.checksums, { sha256: options.sha256 === true });
    hasher.update(whole);
    const { md5, checksums, sha256 } = await hasher.finish();
    return { file: this.newBodyId(), size: whole.length, md5, checksums, bytes: whole, ...(sha256 === undefined ? {} : { sha256 }) };
  }

  /** Renames a temp file to its blob path; the directory is made once (again if it vanished, as after a reset). */
  private async renameIntoPlace(tmp: string, id: string): Promise<void> {
    const dir = id.slice(0, 2);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(join(this.blobDir, dir), { recursive: true, mode: DIR_MODE });
      this.madeDirs.add(dir);
    }
    try {
      await fsp.rename(tmp, this.pathOf(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(join(this.blobDir, dir), { recursive: true, mode: DIR_MODE });
      await fsp.rename(tmp, this.pathOf(id));
    }
  }

  /** A new hard link to an existing blob, so a copy owns its own file name. */
  async link(id: string): Promise<string> {
    const copy = this.newId();
    this.pending.add(copy);
    // Held from the caller's metadata read on: a concurrent delete of the source cannot unlink it first.
    this.hold([id]);
    try {
      await fsp.mkdir(join(this.blobDir, copy.slice(0, 2)), { recursive: true, mode: DIR_MODE });
      await fsp.link(this.pathOf(id), this.pathOf(copy));
    } finally {
      await this.release([id]);
    }
    return copy;
  }

  private hold(ids: string[]): void {
    for (const id of ids) this.held.set(id, (this.held.get(id) ?? 0) + 1);
  }

  private async release(ids: string[]): Promise<void> {
    for (const id of ids) {
      const n = (this.held.get(id) ?? 1) - 1;
      if (n > 0) {
        this.held.set(id, n);
        continue;
      }
      this.held.delete(id);
      if (this.doomed.delete(id)) await fsp.rm(this.pathOf(id), { force: true });
    }
  }

  /** The blob is now referenced by committed metadata, or has been removed. */
  settle(id: string): void {
    this.pending.delete(id);
  }

  async remove(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      this.pending.delete(id);
      if (this.held.has(id)) this.doomed.add(id);
      else await fsp.rm(this.pathOf(id), { force: true });
    }
  }

  /**
   * remove() off the response path (an overwrite's replaced files: deleting a large file took as
   * long as writing it). A crash before they are gone leaves orphans the start-up sweep removes.
   */
  removeLater(ids: string[]): void {
    if (ids.length === 0) return;
    const removal = this.remove(ids).catch(() => { /* swept at the next start-up */ });
    this.removals.add(removal);
    void removal.then(() => this.removals.delete(removal));
  }

  /** Resolves once every removeLater() so far has finished (tests). */
  async removalsSettled(): Promise<void> {
    while (this.removals.size > 0) await Promise.all([...this.removals]);
  }

  /** Bytes [start, end] (inclusive) across segments, read lazily in order. */
  read(segments: Segment[], start: number, end: number): Readable {
    if (end < start) return Readable.from([]);
    // Read before returning, in one go: nothing can remove a segment in between. (A body kept
    // in the database is never larger than this.)
    if (end - start + 1 <= SMALL_BODY_BYTES) return this.readNow(segments, start, end);
    const files = this;
    // Every file is held from now (the caller's metadata read): an overwrite or delete of the
    // object cannot remove a segment this reader has not opened yet.
    const ids = segments.map((s) => s.file);
    this.hold(ids);
    const spans = [...segmentSpans(segments, start, end)].map((span) => ({ path: this.pathOf(span.file), from: span.from, to: span.to }));
    const stream = new FileRangeStream(spans);
    // A failed delete of a doomed file is left to the next start-up sweep.
    stream.once('close', () => { this.release(ids).catch(() => undefined); });
    return stream;
  }

  /**
   * Bytes [start, end] (inclusive) of a range up to SMALL_BODY_BYTES, read synchronously (no
   * hold needed: nothing runs in between); undefined for a larger range. Throws if a file is missing.
   */
  readBytes(segments: Segment[], start: number, end: number): Buffer | undefined {
    if (end - start + 1 > SMALL_BODY_BYTES) return undefined;
    if (end < start) return Buffer.alloc(0);
    const inline = segments.length === 1 ? segments[0]?.bytes : undefined;
    if (inline !== undefined) return inline.subarray(start, end + 1);
    const bytes = Buffer.allocUnsafe(end - start + 1);
    let at = 0;
    for (const span of segmentSpans(segments, start, end)) {
      if (span.bytes !== undefined) {
        at += span.bytes.copy(bytes, at, span.from, span.to + 1);
        continue;
      }
      let pos = span.from;
      let left = span.to - span.from + 1;
      const fd = openSync(this.pathOf(span.file), 'r');
      try {
        while (left > 0) {
          const n = readSync(fd, bytes, at, left, pos);
          if (n === 0) break; // a shorter file ends its segment, as a read stream would
          at += n; pos += n; left -= n;
        }
      } finally {
        closeSync(fd);
      }
    }
    return bytes.subarray(0, at);
  }

  /** A small range read at once; a failure surfaces as a stream error, as for a streamed read. */
  private readNow(segments: Segment[], start: number, end: number): Readable {
    let bytes: Buffer;
    try {
      bytes = this.readBytes(segments, start, end) ?? Buffer.alloc(0);
    } catch (err) {
      return new Readable({ read() { this.destroy(err as Error); } });
    }
    return new Readable({ read() { this.push(bytes); this.push(null); } });
  }

  /** Removes every object file (a reset): the `<2 hex>` directories, not the store marker. */
  async removeAll(): Promise<void> {
    this.madeDirs.clear();
    for (const dir of await fsp.readdir(this.blobDir)) {
      if (BLOB_SUBDIR.test(dir)) await fsp.rm(join(this.blobDir, dir), { recursive: true, force: true });
    }
  }

  /** Removes temp files and blobs that no metadata row references and that predate `before`. */
  async sweep(isReferenced: (id: string) => boolean, before: number): Promise<number> {
    let removed = 0;
    for (const name of await fsp.readdir(this.tmpDir)) {
      const p = join(this.tmpDir, name);
      const st = await fsp.stat(p).catch(() => undefined);
      if (st && st.mtimeMs < before) { await fsp.rm(p, { force: true }); removed++; }
    }
    for (const dir of await fsp.readdir(this.blobDir)) {
      // Only the `<2 hex>` directories hold object files (beside them: the store marker).
      if (!BLOB_SUBDIR.test(dir)) continue;
      const d = join(this.blobDir, dir);
      for (const name of await fsp.readdir(d).catch(() => [] as string[])) {
        if (this.pending.has(name) || this.held.has(name) || isReferenced(name)) continue;
        const p = join(d, name);
        const st = await fsp.stat(p).catch(() => undefined);
        if (st && st.mtimeMs < before) { await fsp.rm(p, { force: true }); removed++; }
      }
    }
    return removed;
  }
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await fsp.open(path, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

/** The part of each segment that bytes [start, end] of the whole object cover: file offsets, inclusive. */
function* segmentSpans(segments: Segment[], start: number, end: number): Generator<{ file: string; bytes: Buffer | undefined; from: number; to: number }> {
  let offset = 0;
  for (const seg of segments) {
    const segStart = offset;
    const segEnd = offset + seg.size - 1;
    offset += seg.size;
    if (segEnd < start || seg.size === 0) continue;
    if (segStart > end) break;
    yield { file: seg.file, bytes: seg.bytes, from: Math.max(start, segStart) - segStart, to: Math.min(end, segEnd) - segStart };
  }
}
