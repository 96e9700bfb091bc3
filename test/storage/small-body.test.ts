/**
 * storage/small-body.ts and `stage(…, { inline: true })`: a body up to SMALL_BODY_BYTES is read
 * whole from its `data` events and comes back in memory; a larger one is handed to the file path
 * with the chunks already read, and the file holds every byte once, in order. Failures are
 * pump()'s: the source's error, a premature close, EntityTooLarge with the source paused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import { SMALL_BODY_BYTES } from '../../storage/hashing-sink';
import { readSmall } from '../../storage/small-body';
import { blobFiles, chunked } from '../helpers/blob-files';

t.test('stage inline – every size on either side of the limit, in odd chunks: same bytes and hashes', async (t) => {
  const b = blobFiles(t, 'cb-small-');
  for (const size of [0, 1, 4096, SMALL_BODY_BYTES - 1, SMALL_BODY_BYTES, SMALL_BODY_BYTES + 1, 3 * SMALL_BODY_BYTES + 17]) {
    for (const chunk of [1000, 65536]) {
      const body = randomBytes(size);
      const staged = await b.stage(chunked(body, chunk), { checksums: ['crc32', 'sha256'], inline: true, sha256: true });
      const label = `${size} bytes in chunks of ${chunk}`;
      t.equal(staged.size, size, `${label}: size`);
      t.same(staged.md5, createHash('md5').update(body).digest(), `${label}: md5`);
      t.same(staged.sha256, createHash('sha256').update(body).digest(), `${label}: sha256`);
      t.equal(staged.checksums.sha256, createHash('sha256').update(body).digest('base64'), `${label}: sha256 checksum`);
      if (size <= SMALL_BODY_BYTES) {
        t.ok(staged.bytes?.equals(body), `${label}: kept in memory`);
      } else {
        t.equal(staged.bytes, undefined, `${label}: not in memory`);
        t.ok(readFileSync(b.pathOf(staged.file)).equals(body), `${label}: the file holds every byte once, in order`);
      }
    }
  }
  t.same(readdirSync(b.tmpDir), [], 'no temp file left');
});

t.test('readSmall – past the limit it hands back what it read and leaves the rest paused in the source', async (t) => {
  const source = new PassThrough();
  const first = randomBytes(40_000);
  const second = randomBytes(40_000);
  const read = readSmall(source, SMALL_BODY_BYTES);
  source.write(first);
  source.write(second);
  const got = await read;
  t.notOk('whole' in got, 'not whole');
  if ('whole' in got) return;
  t.equal(got.size, 80_000);
  t.ok(Buffer.concat(got.early).equals(Buffer.concat([first, second])), 'the chunks read so far');
  t.ok(source.isPaused(), 'the source is paused');
  t.equal(source.listenerCount('data'), 0, 'no data listener left');
  source.end(Buffer.from('rest'));
  const rest: Buffer[] = [];
  for await (const c of source) rest.push(c as Buffer);
  t.equal(Buffer.concat(rest).toString(), 'rest', 'the rest is still there to read');
});

t.test('readSmall and stage inline – a source error rejects with it; a premature close rejects; nothing left behind', async (t) => {
  const b = blobFiles(t, 'cb-small-');
  for (const size of [100, 2 * SMALL_BODY_BYTES]) {
    const failing = Readable.from((async function* () {
      yield randomBytes(size);
      throw new Error('client went away');
    })());
    await t.rejects(b.stage(failing, { checksums: [], inline: true }), { message: 'client went away' }, `error after ${size} bytes`);
    const source = new PassThrough();
    const staging = b.stage(source, { checksums: [], inline: true });
    source.write(randomBytes(size));
    setTimeout(() => source.destroy(), 5);
    await t.rejects(staging, { code: 'ERR_STREAM_PREMATURE_CLOSE' }, `closed after ${size} bytes`);
  }
  t.same(readdirSync(b.tmpDir), [], 'no temp file left');
  t.same(readdirSync(b.blobDir), [], 'no blob written');
});

t.test('readSmall – over maxSize: EntityTooLarge, the source paused and not destroyed (the request must still be answered)', async (t) => {
  const source = new PassThrough();
  const read = readSmall(source, SMALL_BODY_BYTES, 100);
  source.write(randomBytes(101));
  await t.rejects(read, { name: 'StorageError', code: 'EntityTooLarge' });
  t.ok(source.isPaused(), 'paused');
  t.notOk(source.destroyed, 'not destroyed');
  t.equal(source.listenerCount('error'), 0, 'no error listener left behind');
  const b = blobFiles(t, 'cb-small-');
  await t.rejects(b.stage(chunked(randomBytes(SMALL_BODY_BYTES + 10), 4000), { checksums: [], inline: true, maxSize: SMALL_BODY_BYTES }),
    { name: 'StorageError', code: 'EntityTooLarge' }, 'past the limit, through the file path');
  t.same(readdirSync(b.tmpDir), [], 'no temp file left');
});
