/**
 * Multipart checksums: the CRC combination behind FULL_OBJECT checksums agrees with a CRC over
 * the concatenated bytes (for every split, empty parts included), composite values follow S3's
 * definition, and the upload settings default as S3 documents.
 */
import t from 'tap';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { MultiHasher, type ChecksumAlgorithm, type PartInfo, type UploadInfo } from '../../storage';
import { combineCrc, objectChecksum, uploadChecksumSettings } from '../../server/operations/multipart-checksums';

async function digest(alg: ChecksumAlgorithm, data: Buffer): Promise<Buffer> {
  const h = new MultiHasher([alg]);
  h.update(data);
  return Buffer.from((await h.finish()).checksums[alg] ?? '', 'base64');
}

const big = (b: Buffer) => BigInt(`0x${b.toString('hex')}`);

function upload(alg: ChecksumAlgorithm, type: 'COMPOSITE' | 'FULL_OBJECT'): UploadInfo {
  return { uploadId: 'u', bucket: 'b', key: 'k', initiated: new Date(0), meta: { content: {}, user: {} }, owner: 'o', acl: 'private', checksumAlgorithm: alg, checksumType: type };
}

async function partsOf(alg: ChecksumAlgorithm, chunks: Buffer[]): Promise<PartInfo[]> {
  return Promise.all(chunks.map(async (c, i) => ({
    partNumber: i + 1, file: `f${i}`, size: c.length, etag: '""', lastModified: new Date(0),
    checksums: { [alg]: (await digest(alg, c)).toString('base64') },
  })));
}

for (const alg of ['crc32', 'crc32c', 'crc64nvme'] as const) {
  t.test(`${alg} – combine(crc(A), crc(B), |B|) = crc(A‖B)`, async (t) => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), async (a, b) => {
      const A = Buffer.from(a);
      const Bb = Buffer.from(b);
      const combined = combineCrc(alg, big(await digest(alg, A)), big(await digest(alg, Bb)), Bb.length);
      return combined === big(await digest(alg, Buffer.concat([A, Bb])));
    }), { numRuns: 200 });
    // Lengths whose bit patterns exercise many squarings.
    const A = randomBytes(1000);
    const Bb = randomBytes(5 * 1024 * 1024 + 12345);
    t.equal(combineCrc(alg, big(await digest(alg, A)), big(await digest(alg, Bb)), Bb.length), big(await digest(alg, Buffer.concat([A, Bb]))));
  });

  t.test(`${alg} – FULL_OBJECT objectChecksum is the CRC of the whole object`, async (t) => {
    const chunks = [randomBytes(70000), Buffer.alloc(0), randomBytes(1), randomBytes(123457)];
    const value = await objectChecksum(upload(alg, 'FULL_OBJECT'), await partsOf(alg, chunks));
    t.equal(value, (await digest(alg, Buffer.concat(chunks))).toString('base64'));
  });
}

t.test('COMPOSITE objectChecksum: checksum of the part checksums, then -N', async (t) => {
  for (const alg of ['crc32', 'crc32c', 'sha1', 'sha256'] as const) {
    const chunks = [randomBytes(1000), randomBytes(20)];
    const parts = await partsOf(alg, chunks);
    const raw = Buffer.concat(parts.map((p) => Buffer.from(p.checksums[alg] ?? '', 'base64')));
    t.equal(await objectChecksum(upload(alg, 'COMPOSITE'), parts), `${(await digest(alg, raw)).toString('base64')}-2`, alg);
  }
  // A value observed on S3 (floci-io/floci#3083): three SHA256 part checksums → composite.
  const sha = ['lcKa6Boe7a167tUCN5C4OaFygGSYD8MBnBARTrdL+1w=', 'gHjhbUT4oo2tSCtSZJdlKi+jeNXJT+VImqdPXsXvkOc=', '4l9PQ3zOPZ0oGFvknFX+J4zZwE4WMzO+l3r8XrbWOeM='];
  const parts = sha.map((v, i): PartInfo => ({ partNumber: i + 1, file: '', size: 5, etag: '', lastModified: new Date(0), checksums: { sha256: v } }));
  t.equal(await objectChecksum(upload('sha256', 'COMPOSITE'), parts), 'rVWtNbadtsaKXJAcgWPWjifHzJaXde/iV4jaJAOdivc=-3');
});

t.test('uploadChecksumSettings – S3 defaults per algorithm', async (t) => {
  t.same(uploadChecksumSettings({}), {});
  t.same(uploadChecksumSettings({ 'x-amz-checksum-algorithm': 'CRC32' }), { algorithm: 'crc32', type: 'COMPOSITE' });
  t.same(uploadChecksumSettings({ 'x-amz-checksum-algorithm': 'crc32c', 'x-amz-checksum-type': 'full_object' }), { algorithm: 'crc32c', type: 'FULL_OBJECT' });
  t.same(uploadChecksumSettings({ 'x-amz-checksum-algorithm': 'SHA1' }), { algorithm: 'sha1', type: 'COMPOSITE' });
  t.same(uploadChecksumSettings({ 'x-amz-checksum-algorithm': 'CRC64NVME' }), { algorithm: 'crc64nvme', type: 'FULL_OBJECT' });
  t.throws(() => uploadChecksumSettings({ 'x-amz-checksum-algorithm': 'CRC64NVME', 'x-amz-checksum-type': 'COMPOSITE' }), { code: 'InvalidRequest' });
  t.throws(() => uploadChecksumSettings({ 'x-amz-checksum-algorithm': 'SHA1', 'x-amz-checksum-type': 'FULL_OBJECT' }), {
    code: 'InvalidRequest', message: 'The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.',
  });
});
