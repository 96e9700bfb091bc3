/**
 * `@aws-sdk/client-s3` with its DEFAULT settings against a listening server: it sends CRC32
 * checksums, and for stream bodies an aws-chunked body with a trailing checksum. Bytes are
 * compared by SHA-256 after download.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketLocationCommand,
  GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand, ListObjectVersionsCommand, ListObjectsCommand,
  PutObjectCommand, S3ServiceException, paginateListObjectsV2, type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { sdkClient, startServer } from '../helpers/server';

const MiB = 1024 * 1024;

function sha256(data: Buffer | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function crc32Base64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
}

async function setup(t: { teardown(fn: () => unknown): void }, bucket: string) {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket: bucket }));
  return { s, c };
}

async function download(c: ReturnType<typeof sdkClient>, Bucket: string, Key: string): Promise<Buffer> {
  const got = await c.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

function chunks(data: Buffer, size = 64 * 1024): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  })());
}

const SIZES: Array<[string, number, string]> = [
  ['0 bytes', 0, 'empty'],
  ['1 KiB', 1024, 'ünïcödé/文件 😀 name.txt'],
  ['5 MiB', 5 * MiB, 'big/five.bin'],
];

t.test('PutObject – Buffer, string and stream bodies of 0 B, 1 KiB (unicode key) and 5 MiB round-trip', async (t) => {
  const { c } = await setup(t, 'sdk-bodies');
  // What the SDK put on the wire, to be sure both of its encodings were exercised.
  const sent: Array<Record<string, string>> = [];
  c.middlewareStack.add((next) => async (args) => {
    sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
    return next(args);
  }, { step: 'deserialize', name: 'recordHeaders' });
  for (const [label, size, baseKey] of SIZES) {
    // Printable bytes so the same data can travel as a string.
    const data = Buffer.from(randomBytes(size).toString('base64').slice(0, size));
    const bodies: Array<[string, PutObjectCommandInput['Body'], number | undefined]> = [
      ['Buffer', data, undefined],
      ['string', data.toString('latin1'), undefined],
      // A stream of unknown length is refused by the SDK itself (it needs x-amz-decoded-content-length);
      // such uploads go through lib-storage's Upload (multipart), tested elsewhere.
      ['stream', chunks(data), size],
    ];
    for (const [kind, Body, ContentLength] of bodies) {
      const Key = `${kind}/${baseKey}`;
      const put = await c.send(new PutObjectCommand({ Bucket: 'sdk-bodies', Key, Body, ...(ContentLength !== undefined ? { ContentLength } : {}) }));
      const wire = sent[sent.length - 1] ?? {};
      if (kind === 'stream') {
        t.equal(wire['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', `${label} ${kind}: aws-chunked with a trailer`);
        t.equal(wire['x-amz-trailer'], 'x-amz-checksum-crc32');
      } else {
        t.equal(wire['x-amz-checksum-crc32'], crc32Base64(data), `${label} ${kind}: CRC32 header`);
      }
      t.equal(put.ETag, `"${createHash('md5').update(data).digest('hex')}"`, `${label} ${kind}: ETag`);
      t.equal(put.ChecksumCRC32, crc32Base64(data), `${label} ${kind}: CRC32 echoed`);
      const bytes = await download(c, 'sdk-bodies', Key);
      t.equal(bytes.length, size, `${label} ${kind}: length`);
      t.equal(sha256(bytes), sha256(data), `${label} ${kind}: bytes`);
      const head = await c.send(new HeadObjectCommand({ Bucket: 'sdk-bodies', Key, ChecksumMode: 'ENABLED' }));
      t.equal(head.ContentLength, size);
      t.equal(head.ChecksumCRC32, crc32Base64(data), `${label} ${kind}: stored CRC32`);
      t.equal(head.ContentEncoding, undefined, `${label} ${kind}: aws-chunked is not stored`);
    }
  }
});

t.test('PutObject – other checksum algorithms chosen on the client', async (t) => {
  const { c } = await setup(t, 'sdk-sums');
  const data = Buffer.from('checksum me '.repeat(1000));
  for (const ChecksumAlgorithm of ['CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const) {
    for (const [kind, Body] of [['Buffer', data], ['stream', chunks(data, 1000)]] as const) {
      const Key = `${ChecksumAlgorithm}-${kind}`;
      await c.send(new PutObjectCommand({ Bucket: 'sdk-sums', Key, Body, ChecksumAlgorithm, ...(kind === 'stream' ? { ContentLength: data.length } : {}) }));
      t.equal(sha256(await download(c, 'sdk-sums', Key)), sha256(data), Key);
      const head = await c.send(new HeadObjectCommand({ Bucket: 'sdk-sums', Key, ChecksumMode: 'ENABLED' }));
      const field = `Checksum${ChecksumAlgorithm}` as 'ChecksumCRC32C';
      t.ok(head[field], `${Key}: ${field} stored`);
    }
  }
  t.equal(
    (await c.send(new HeadObjectCommand({ Bucket: 'sdk-sums', Key: 'SHA256-Buffer', ChecksumMode: 'ENABLED' }))).ChecksumSHA256,
    createHash('sha256').update(data).digest('base64'),
  );
});

t.test('GetObject – ranges, metadata, content headers, errors as SDK exceptions', async (t) => {
  const { c } = await setup(t, 'sdk-get');
  await c.send(new PutObjectCommand({
    Bucket: 'sdk-get', Key: 'doc.txt', Body: 'abcdefghij', ContentType: 'text/plain', CacheControl: 'no-cache',
    ContentDisposition: 'inline', Metadata: { Owner: 'me', 'note-x': 'v' },
  }));
  const ranged = await c.send(new GetObjectCommand({ Bucket: 'sdk-get', Key: 'doc.txt', Range: 'bytes=2-4' }));
  t.equal(await ranged.Body?.transformToString(), 'cde');
  t.equal(ranged.ContentRange, 'bytes 2-4/10');
  const head = await c.send(new HeadObjectCommand({ Bucket: 'sdk-get', Key: 'doc.txt' }));
  t.equal(head.ContentType, 'text/plain');
  t.equal(head.CacheControl, 'no-cache');
  t.equal(head.ContentDisposition, 'inline');
  t.same(head.Metadata, { owner: 'me', 'note-x': 'v' });
  const over = await c.send(new GetObjectCommand({ Bucket: 'sdk-get', Key: 'doc.txt', ResponseContentType: 'application/x-test' }));
  t.equal(over.ContentType, 'application/x-test');
  await over.Body?.transformToString();

  const missing = await c.send(new GetObjectCommand({ Bucket: 'sdk-get', Key: 'nope' })).catch((e: unknown) => e);
  t.ok(missing instanceof S3ServiceException);
  t.equal((missing as S3ServiceException).name, 'NoSuchKey');
  t.equal((missing as S3ServiceException).$metadata.httpStatusCode, 404);
  const headMissing = await c.send(new HeadObjectCommand({ Bucket: 'sdk-get', Key: 'nope' })).catch((e: unknown) => e);
  t.equal((headMissing as S3ServiceException).name, 'NotFound');
  const conditional = await c.send(new PutObjectCommand({ Bucket: 'sdk-get', Key: 'doc.txt', Body: 'x', IfNoneMatch: '*' })).catch((e: unknown) => e);
  t.equal((conditional as S3ServiceException).name, 'PreconditionFailed');
  t.equal((conditional as S3ServiceException).$metadata.httpStatusCode, 412);
});

t.test('CopyObject – COPY and REPLACE, unicode source key, result ETag', async (t) => {
  const { c } = await setup(t, 'sdk-copy');
  const data = randomBytes(200_000);
  const put = await c.send(new PutObjectCommand({ Bucket: 'sdk-copy', Key: 'src/ü 1.bin', Body: data, ContentType: 'application/x-src', Metadata: { a: '1' } }));
  const copied = await c.send(new CopyObjectCommand({ Bucket: 'sdk-copy', Key: 'dst/copy.bin', CopySource: `sdk-copy/${encodeURIComponent('src/ü 1.bin')}` }));
  t.equal(copied.CopyObjectResult?.ETag, put.ETag);
  t.ok(copied.CopyObjectResult?.LastModified instanceof Date);
  t.equal(sha256(await download(c, 'sdk-copy', 'dst/copy.bin')), sha256(data));
  const h1 = await c.send(new HeadObjectCommand({ Bucket: 'sdk-copy', Key: 'dst/copy.bin' }));
  t.equal(h1.ContentType, 'application/x-src');
  t.same(h1.Metadata, { a: '1' });
  await c.send(new CopyObjectCommand({
    Bucket: 'sdk-copy', Key: 'dst/replaced.bin', CopySource: `sdk-copy/${encodeURIComponent('src/ü 1.bin')}`,
    MetadataDirective: 'REPLACE', ContentType: 'text/x-new', Metadata: { b: '2' },
  }));
  const h2 = await c.send(new HeadObjectCommand({ Bucket: 'sdk-copy', Key: 'dst/replaced.bin' }));
  t.equal(h2.ContentType, 'text/x-new');
  t.same(h2.Metadata, { b: '2' });
  const self = await c.send(new CopyObjectCommand({ Bucket: 'sdk-copy', Key: 'dst/copy.bin', CopySource: 'sdk-copy/dst/copy.bin' })).catch((e: unknown) => e);
  t.equal((self as S3ServiceException).name, 'InvalidRequest');
  const cond = await c.send(new CopyObjectCommand({ Bucket: 'sdk-copy', Key: 'x', CopySource: 'sdk-copy/dst/copy.bin', CopySourceIfMatch: '"nope"' })).catch((e: unknown) => e);
  t.equal((cond as S3ServiceException).$metadata.httpStatusCode, 412);
});

t.test('DeleteObjects (the SDK sends a CRC32, not Content-MD5), quiet too; ListObjectVersions', async (t) => {
  const { c } = await setup(t, 'sdk-delete');
  const keys = ['a', 'b/c', 'd e', 'ü', 'x/../y'];
  for (const Key of keys) await c.send(new PutObjectCommand({ Bucket: 'sdk-delete', Key, Body: Key }));
  const versions = await c.send(new ListObjectVersionsCommand({ Bucket: 'sdk-delete' }));
  t.same(versions.Versions?.map((v) => v.Key), ['a', 'b/c', 'd e', 'x/../y', 'ü']);
  t.same(versions.Versions?.map((v) => v.VersionId), ['null', 'null', 'null', 'null', 'null']);
  t.same(versions.Versions?.map((v) => v.IsLatest), [true, true, true, true, true]);
  t.equal(versions.DeleteMarkers, undefined);
  // How tools empty a bucket: list versions, delete them all.
  const verbose = await c.send(new DeleteObjectsCommand({
    Bucket: 'sdk-delete',
    Delete: { Objects: (versions.Versions ?? []).slice(0, 3).map((v) => ({ Key: v.Key as string, VersionId: v.VersionId as string })) },
  }));
  t.same(verbose.Deleted?.map((d) => d.Key), ['a', 'b/c', 'd e']);
  t.equal(verbose.Errors, undefined);
  const quiet = await c.send(new DeleteObjectsCommand({ Bucket: 'sdk-delete', Delete: { Quiet: true, Objects: [{ Key: 'ü' }, { Key: 'x/../y' }, { Key: 'never' }] } }));
  t.equal(quiet.Deleted, undefined);
  const left = await c.send(new ListObjectVersionsCommand({ Bucket: 'sdk-delete' }));
  t.equal(left.Versions, undefined);
  await c.send(new DeleteBucketCommand({ Bucket: 'sdk-delete' }));
  const gone = await c.send(new HeadBucketCommand({ Bucket: 'sdk-delete' })).catch((e: unknown) => e);
  t.equal((gone as S3ServiceException).$metadata.httpStatusCode, 404);
});

t.test('listing – paginator over ListObjectsV2, v1 delimiter, ListBuckets, GetBucketLocation', async (t) => {
  const { c } = await setup(t, 'sdk-list');
  const keys = Array.from({ length: 23 }, (_, i) => `k/${String(i).padStart(3, '0')}`).concat(['top', '😀', '\uE000']);
  for (const Key of keys) await c.send(new PutObjectCommand({ Bucket: 'sdk-list', Key, Body: '' }));
  const seen: string[] = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client: c, pageSize: 5 }, { Bucket: 'sdk-list' })) {
    pages++;
    for (const o of page.Contents ?? []) seen.push(o.Key as string);
  }
  t.equal(pages, 6);
  t.same(seen, [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const v1 = await c.send(new ListObjectsCommand({ Bucket: 'sdk-list', Delimiter: '/' }));
  t.same(v1.CommonPrefixes?.map((p) => p.Prefix), ['k/']);
  t.same(v1.Contents?.map((o) => o.Key), ['top', '\uE000', '😀']);
  const buckets = await c.send(new ListBucketsCommand({}));
  t.same(buckets.Buckets?.map((b) => b.Name), ['sdk-list']);
  const loc = await c.send(new GetBucketLocationCommand({ Bucket: 'sdk-list' }));
  t.equal(loc.LocationConstraint, undefined);
  await c.send(new DeleteObjectCommand({ Bucket: 'sdk-list', Key: 'top' }));
  const after = await c.send(new ListObjectsCommand({ Bucket: 'sdk-list', Prefix: 't' }));
  t.equal(after.Contents, undefined);
});
