/**
 * storage/checksums.ts MultiHasher: MD5, SHA-1, SHA-256 and the payload SHA-256 are the same
 * whether a body comes in one chunk (digested with one crypto.hash call), in several (a Hash
 * object from the second chunk on) or empty; CRC32 alongside. Checked against node's createHash
 * and zlib's crc32 over the same bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import t from 'tap';
import { MultiHasher } from '../../storage/checksums';

function crc32Base64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
}

t.test('MultiHasher – one chunk, several chunks and none give the same digests', async (t) => {
  for (const size of [0, 1, 4096, 70_000]) {
    const body = randomBytes(size);
    const splits = [[body], [body.subarray(0, 1), body.subarray(1)], [body.subarray(0, size >> 1), body.subarray(size >> 1, size - 1), body.subarray(size - 1)]];
    for (const [i, chunks] of splits.entries()) {
      for (const algorithms of [['crc32', 'sha1', 'sha256'], ['crc32']] as const) {
        const h = new MultiHasher(algorithms, { sha256: true });
        for (const c of chunks) h.update(c);
        const got = await h.finish();
        const label = `${size} bytes, split ${i}, ${algorithms.join('+')}`;
        t.same(got.md5, createHash('md5').update(body).digest(), `${label}: md5`);
        t.same(got.sha256, createHash('sha256').update(body).digest(), `${label}: payload sha256`);
        t.equal(got.checksums.crc32, crc32Base64(body), `${label}: crc32`);
        if (algorithms.length > 1) {
          t.equal(got.checksums.sha1, createHash('sha1').update(body).digest('base64'), `${label}: sha1`);
          t.equal(got.checksums.sha256, createHash('sha256').update(body).digest('base64'), `${label}: sha256`);
        }
        t.equal(h.size, size, `${label}: size`);
      }
    }
  }
});
