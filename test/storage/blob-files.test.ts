/**
 * storage/blob-files.ts – bodies on either side of SMALL_BODY_BYTES (kept in memory and written
 * at once, or streamed to a file) stage the same bytes and hashes; reads of small ranges (read at
 * once) and large ones (streamed) return the same bytes, readBytes the same bytes for small ranges,
 * and a missing file is a stream error.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import t from 'tap';
import { SMALL_BODY_BYTES } from '../../storage/hashing-sink';
import type { Segment } from '../../storage';
import { blobFiles, chunked } from '../helpers/blob-files';

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const SIZES = [0, 1, 4096, SMALL_BODY_BYTES - 1, SMALL_BODY_BYTES, SMALL_BODY_BYTES + 1, 3 * SMALL_BODY_BYTES + 17];

t.test('stage – the bytes, size and MD5 of every body size, in odd chunks', async (t) => {
  const b = blobFiles(t, 'cb-blobs-');
  for (const size of SIZES) {
    const body = randomBytes(size);
    const staged = await b.stage(chunked(body, 1000), { checksums: ['crc32'] });
    t.equal(staged.size, size, `${size}: size`);
    t.same(staged.md5, createHash('md5').update(body).digest(), `${size}: md5`);
    t.ok(readFileSync(b.pathOf(staged.file)).equals(body), `${size}: file holds the body`);
  }
  t.same(readdirSync(b.tmpDir), [], 'no temp file left');
});

t.test('stage – EntityTooLarge below and above the in-memory size; nothing left behind', async (t) => {
  const b = blobFiles(t, 'cb-blobs-');
  for (const [size, max] of [[100, 50], [SMALL_BODY_BYTES + 10, SMALL_BODY_BYTES], [3 * SMALL_BODY_BYTES, 2 * SMALL_BODY_BYTES]] as const) {
    await t.rejects(b.stage(chunked(randomBytes(size), 4000), { checksums: [], maxSize: max }), { name: 'StorageError', code: 'EntityTooLarge' }, `${size} > ${max}`);
  }
  t.same(readdirSync(b.tmpDir), [], 'no temp file left');
  t.same(readdirSync(b.blobDir), [], 'no blob written');
});

t.test('stage – a body that fails midway rejects with its error; nothing left behind', async (t) => {
  const b = blobFiles(t, 'cb-blobs-');
  for (const size of [100, 2 * SMALL_BODY_BYTES]) {
    const failing = Readable.from((async function* () {
      yield randomBytes(size);
      throw new Error('client went away');
    })());
    await t.rejects(b.stage(failing, { checksums: [] }), { message: 'client went away' }, `after ${size} bytes`);
  }
  t.same(readdirSync(b.tmpDir), [], 'no temp file left');
});

t.test('read – small and large ranges over one segment and over several', async (t) => {
  const b = blobFiles(t, 'cb-blobs-');
  const bodies = [randomBytes(3), randomBytes(SMALL_BODY_BYTES + 5), randomBytes(7), randomBytes(2 * SMALL_BODY_BYTES)];
  const segments: Segment[] = [];
  for (const body of bodies) segments.push({ file: (await b.stage(Readable.from([body]), { checksums: [] })).file, size: body.length });
  const whole = Buffer.concat(bodies);
  const one = [segments[1] as Segment];
  const oneBody = bodies[1] as Buffer;
  const ranges: Array<[Segment[], Buffer, number, number]> = [
    [one, oneBody, 0, 0],
    [one, oneBody, 10, 4105],
    [one, oneBody, 0, SMALL_BODY_BYTES - 1],
    [one, oneBody, 0, SMALL_BODY_BYTES],
    [one, oneBody, 100, oneBody.length - 1],
    [segments, whole, 0, 2],
    [segments, whole, 1, 20],
    [segments, whole, 2, SMALL_BODY_BYTES + 9],
    [segments, whole, SMALL_BODY_BYTES, SMALL_BODY_BYTES + 20],
    [segments, whole, 0, whole.length - 1],
    [segments, whole, whole.length - 10, whole.length - 1],
  ];
  for (const [segs, body, start, end] of ranges) {
    const want = body.subarray(start, end + 1);
    const got = await collect(b.read(segs, start, end));
    t.ok(got.equals(want), `${segs.length} segment(s), bytes ${start}-${end}`);
    const bytes = b.readBytes(segs, start, end);
    if (want.length <= SMALL_BODY_BYTES) t.ok(bytes?.equals(want), `readBytes: ${segs.length} segment(s), bytes ${start}-${end}`);
    else t.equal(bytes, undefined, `readBytes: ${start}-${end} is too large`);
  }
  t.same(await collect(b.read(one, 5, 4)), Buffer.alloc(0), 'an empty range');
});

t.test('read – a missing file is an error on the stream, small or large; readBytes throws', async (t) => {
  const b = blobFiles(t, 'cb-blobs-');
  for (const size of [10, 2 * SMALL_BODY_BYTES]) {
    const staged = await b.stage(Readable.from([randomBytes(size)]), { checksums: [] });
    rmSync(b.pathOf(staged.file));
    const stream = b.read([{ file: staged.file, size }], 0, size - 1);
    await t.rejects(collect(stream), { code: 'ENOENT' }, `${size} bytes`);
  }
  t.throws(() => b.readBytes([{ file: 'aa0000', size: 10 }], 0, 9), { code: 'ENOENT' }, 'readBytes throws');
});

t.test('stage – after the blob directories were removed (a reset), bodies land in a new one', async (t) => {
  const b = blobFiles(t, 'cb-blobs-');
  let n = 0;
  b.newId = () => `aa${String(n++).padStart(22, '0')}`;
  const first = await b.stage(Readable.from([Buffer.from('one')]), { checksums: [] });
  rmSync(b.blobDir, { recursive: true, force: true });
  mkdirSync(b.blobDir);
  const second = await b.stage(Readable.from([Buffer.from('two')]), { checksums: [] });
  t.equal(first.file.slice(0, 2), second.file.slice(0, 2), 'the same directory both times');
  t.equal(readFileSync(b.pathOf(second.file), 'utf8'), 'two');
});
