/**
 * Multipart uploads through the AWS SDK v3 with its default checksum settings: lib-storage
 * `Upload` of a stream, reads of the completed object (ranges across parts, partNumber,
 * checksums the SDK validates), the low-level commands and their paginators.
 */
import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 as zlibCrc32 } from 'node:zlib';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, S3Client, UploadPartCommand,
  UploadPartCopyCommand, paginateListParts,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sdkClient, startServer } from '../helpers/server';
import { countFiles } from '../helpers/stored-bodies';

const MiB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const crc32 = (b: Buffer) => { const out = Buffer.alloc(4); out.writeUInt32BE(zlibCrc32(b) >>> 0); return out.toString('base64'); };

async function bytesOf(c: S3Client, input: ConstructorParameters<typeof GetObjectCommand>[0]) {
  const res = await c.send(new GetObjectCommand(input));
  return { res, body: Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()) };
}

t.test('sdk multipart', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket: 'media' }));

  t.test('lib-storage Upload of a ~12 MiB Readable stream, read back whole, by range and by part', async (t) => {
    const data = randomBytes(12 * MiB + 12345);
    // A stream of odd-sized chunks, so lib-storage has to re-chunk it into parts.
    const body = Readable.from((function* () { for (let i = 0; i < data.length; i += 100_003) yield data.subarray(i, i + 100_003); })());
    const done = await new Upload({ client: c, params: { Bucket: 'media', Key: 'clip.mp4', Body: body, ContentType: 'video/mp4' }, partSize: 5 * MiB }).done();
    t.match(done.ETag, /^"[0-9a-f]{32}-3"$/);
    t.match(done.ChecksumCRC32, /^[A-Za-z0-9+/]{6}==-3$/, 'lib-storage asks for CRC32: a COMPOSITE value');
    t.equal(done.ChecksumType, 'COMPOSITE');
    t.equal(done.Location, `${s.endpoint}/media/clip.mp4`);

    const whole = await bytesOf(c, { Bucket: 'media', Key: 'clip.mp4', ChecksumMode: 'ENABLED' });
    t.equal(sha256(whole.body), sha256(data), 'round-trips byte for byte');
    t.equal(whole.res.ContentType, 'video/mp4');
    t.equal(whole.res.ChecksumCRC32, done.ChecksumCRC32);
    t.equal(whole.res.ChecksumType, 'COMPOSITE');

    for (const [start, end] of [[5 * MiB - 1, 5 * MiB], [5 * MiB - 100, 10 * MiB + 100], [0, data.length - 1], [10 * MiB, data.length - 1]] as const) {
      const r = await bytesOf(c, { Bucket: 'media', Key: 'clip.mp4', Range: `bytes=${start}-${end}` });
      t.equal(r.res.ContentRange, `bytes ${start}-${end}/${data.length}`);
      t.equal(sha256(r.body), sha256(data.subarray(start, end + 1)), `bytes=${start}-${end}`);
    }
    for (const n of [1, 2, 3]) {
      const r = await bytesOf(c, { Bucket: 'media', Key: 'clip.mp4', PartNumber: n });
      const start = (n - 1) * 5 * MiB;
      const end = Math.min(n * 5 * MiB, data.length) - 1;
      t.equal(r.res.PartsCount, 3);
      t.equal(r.res.ContentRange, `bytes ${start}-${end}/${data.length}`);
      t.equal(sha256(r.body), sha256(data.subarray(start, end + 1)), `partNumber=${n}`);
    }
    // With ChecksumMode a part read answers the part's own CRC32, which the SDK checks the part's
    // bytes against (the whole object's COMPOSITE value would fail that check).
    for (const n of [1, 3]) {
      const r = await bytesOf(c, { Bucket: 'media', Key: 'clip.mp4', PartNumber: n, ChecksumMode: 'ENABLED' });
      const part = data.subarray((n - 1) * 5 * MiB, Math.min(n * 5 * MiB, data.length));
      t.equal(r.res.ChecksumCRC32, crc32(part), `partNumber=${n}: the part's CRC32`);
      t.equal(r.res.ChecksumType, 'COMPOSITE');
      t.equal(sha256(r.body), sha256(part), `partNumber=${n}: the body passed the SDK's CRC32 validation`);
    }
    const head = await c.send(new HeadObjectCommand({ Bucket: 'media', Key: 'clip.mp4', PartNumber: 2, ChecksumMode: 'ENABLED' }));
    t.equal(head.ContentLength, 5 * MiB);
    t.equal(head.PartsCount, 3);
    t.equal(head.ChecksumCRC32, crc32(data.subarray(5 * MiB, 10 * MiB)), 'HEAD of a part: its CRC32');
    const noMode = await c.send(new HeadObjectCommand({ Bucket: 'media', Key: 'clip.mp4', PartNumber: 2 }));
    t.equal(noMode.ChecksumCRC32, undefined, 'no checksum without ChecksumMode');
    const beyond = (await c.send(new HeadObjectCommand({ Bucket: 'media', Key: 'clip.mp4', PartNumber: 4 })).catch((e: unknown) => e)) as { $metadata?: { httpStatusCode?: number } };
    t.equal(beyond.$metadata?.httpStatusCode, 416, 'a part number past the last part');
  });

  t.test('CRC64NVME (FULL_OBJECT): the SDK validates the combined checksum on GET', async (t) => {
    const create = await c.send(new CreateMultipartUploadCommand({ Bucket: 'media', Key: 'full.bin', ChecksumAlgorithm: 'CRC64NVME' }));
    t.equal(create.ChecksumAlgorithm, 'CRC64NVME');
    t.equal(create.ChecksumType, 'FULL_OBJECT');
    const parts = [randomBytes(5 * MiB + 7), randomBytes(5 * MiB), randomBytes(333)];
    const uploaded = [];
    for (const [i, p] of parts.entries()) {
      const r = await c.send(new UploadPartCommand({ Bucket: 'media', Key: 'full.bin', UploadId: create.UploadId, PartNumber: i + 1, Body: p, ChecksumAlgorithm: 'CRC64NVME' }));
      t.ok(r.ChecksumCRC64NVME, `part ${i + 1} checksum`);
      uploaded.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC64NVME: r.ChecksumCRC64NVME });
    }
    const done = await c.send(new CompleteMultipartUploadCommand({ Bucket: 'media', Key: 'full.bin', UploadId: create.UploadId, MultipartUpload: { Parts: uploaded } }));
    t.equal(done.ChecksumType, 'FULL_OBJECT');
    t.match(done.ChecksumCRC64NVME, /^[A-Za-z0-9+/]{11}=$/);
    const whole = await bytesOf(c, { Bucket: 'media', Key: 'full.bin', ChecksumMode: 'ENABLED' });
    t.equal(whole.res.ChecksumCRC64NVME, done.ChecksumCRC64NVME);
    t.equal(sha256(whole.body), sha256(Buffer.concat(parts)), 'the body passed the SDK\'s CRC64NVME validation');
    const second = await bytesOf(c, { Bucket: 'media', Key: 'full.bin', PartNumber: 2, ChecksumMode: 'ENABLED' });
    t.equal(second.res.ChecksumCRC64NVME, uploaded[1]?.ChecksumCRC64NVME, 'partNumber=2: the part\'s CRC64NVME');
    t.equal(sha256(second.body), sha256(parts[1] ?? Buffer.alloc(0)), 'and its bytes passed the SDK\'s validation');
  });

  t.test('UploadPartCopy with ranges, ListParts and ListMultipartUploads paginators, abort', async (t) => {
    const source = randomBytes(6 * MiB);
    await c.send(new PutObjectCommand({ Bucket: 'media', Key: 'source.bin', Body: source }));
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: 'media', Key: 'joined.bin' }));
    const ranges = [[0, 5 * MiB - 1], [MiB, 6 * MiB - 1], [10, 19]] as const;
    const parts = [];
    for (const [i, [a, b]] of ranges.entries()) {
      const r = await c.send(new UploadPartCopyCommand({ Bucket: 'media', Key: 'joined.bin', UploadId, PartNumber: i + 1, CopySource: 'media/source.bin', CopySourceRange: `bytes=${a}-${b}` }));
      t.equal(r.CopyPartResult?.ETag, `"${createHash('md5').update(source.subarray(a, b + 1)).digest('hex')}"`);
      t.ok(r.CopyPartResult?.LastModified instanceof Date);
      parts.push({ PartNumber: i + 1, ETag: r.CopyPartResult?.ETag });
    }
    const listed = [];
    let pages = 0;
    for await (const page of paginateListParts({ client: c, pageSize: 1 }, { Bucket: 'media', Key: 'joined.bin', UploadId })) {
      if (++pages > 10) break;
      t.ok((page.Parts ?? []).length <= 1);
      listed.push(...(page.Parts ?? []).map((p) => [p.PartNumber, p.Size, p.ETag]));
    }
    t.same(listed, [[1, 5 * MiB, parts[0]?.ETag], [2, 5 * MiB, parts[1]?.ETag], [3, 10, parts[2]?.ETag]]);

    const others = [];
    for (const k of ['x/1', 'x/2', 'y']) others.push((await c.send(new CreateMultipartUploadCommand({ Bucket: 'media', Key: k }))).UploadId);
    // The SDK has no paginator for ListMultipartUploads (two markers): follow them by hand.
    const keys = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (let i = 0; i < 10; i++) {
      const page = await c.send(new ListMultipartUploadsCommand({ Bucket: 'media', MaxUploads: 2, ...markers }));
      keys.push(...(page.Uploads ?? []).map((u) => u.Key));
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
    t.same(keys, ['joined.bin', 'x/1', 'x/2', 'y']);

    await c.send(new CompleteMultipartUploadCommand({ Bucket: 'media', Key: 'joined.bin', UploadId, MultipartUpload: { Parts: parts } }));
    const joined = await bytesOf(c, { Bucket: 'media', Key: 'joined.bin' });
    t.equal(sha256(joined.body), sha256(Buffer.concat([source.subarray(0, 5 * MiB), source.subarray(MiB), source.subarray(10, 20)])));

    for (const [i, k] of ['x/1', 'x/2', 'y'].entries()) {
      await c.send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: k, UploadId: others[i] }));
    }
    await t.rejects(c.send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'y', UploadId: others[2] })), { name: 'NoSuchUpload' });
    const none = await c.send(new ListMultipartUploadsCommand({ Bucket: 'media' }));
    t.same(none.Uploads ?? [], []);
  });

  t.test('nothing is left behind: one file per part of each object, no temp file', async (t) => {
    // clip.mp4 (3 parts), full.bin (3), source.bin (1), joined.bin (3).
    t.equal(countFiles(join(s.dataDir, 'blobs')), 10);
    t.equal(countFiles(join(s.dataDir, 'tmp')), 0);
  });
});
