/**
 * Concurrency on one key – concurrent overwrites (PutObject, CopyObject, multipart completion)
 * of the same key end with one complete version whose bytes match its ETag, and readers running
 * all the while never see a mix: each GET body's MD5 equals the ETag of that same response.
 */
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { describe, md5Hex, multipartEtag, stressClient } from '../stress/client';
import { diskState, waitForSweep } from '../stress/data-dir';
import { startServer } from '../helpers/server';

const BUCKET = 'one-key';
const KEY = 'contended';
const WRITERS = 24;
const READERS = 8;

async function get(client: S3Client, key: string): Promise<{ etag: string; body: Uint8Array; length: number | undefined }> {
  const res = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const body = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
  return { etag: res.ETag ?? '', body, length: res.ContentLength };
}

t.test('one key – concurrent overwrites and readers', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = stressClient(server.endpoint, 64);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const first = randomBytes(100_000);
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: first }));
  const sources: Buffer[] = [];
  for (let i = 0; i < 4; i++) {
    const body = randomBytes(50_000 + i * 1000);
    sources.push(body);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `source-${i}`, Body: body }));
  }

  /** ETag → MD5 of the bytes that ETag stands for. */
  const written = new Map<string, string>([[`"${md5Hex(first)}"`, md5Hex(first)]]);
  for (const s of sources) written.set(`"${md5Hex(s)}"`, md5Hex(s));
  const failures: string[] = [];
  let writing = true;
  let reads = 0;

  const writer = async (i: number) => {
    try {
      if (i % 6 === 4) {
        await client.send(new CopyObjectCommand({ Bucket: BUCKET, Key: KEY, CopySource: `${BUCKET}/source-${i % 4}` }));
      } else if (i % 6 === 5) {
        const part = randomBytes(200_000 + i);
        written.set(multipartEtag([part]), md5Hex(part));
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY }));
        const { ETag } = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: KEY, UploadId, PartNumber: 1, Body: part }));
        await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: KEY, UploadId, MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] } }));
      } else {
        const body = randomBytes(256 * 1024 + i * 30_000);
        written.set(`"${md5Hex(body)}"`, md5Hex(body));
        const res = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: body }));
        if (res.ETag !== `"${md5Hex(body)}"`) failures.push(`PUT ${i}: ETag ${res.ETag}`);
      }
    } catch (err) {
      failures.push(`writer ${i}: ${describe(err)}`);
    }
  };
  const reader = async (i: number) => {
    while (writing) {
      try {
        const r = await get(client, KEY);
        reads++;
        const expected = written.get(r.etag);
        if (expected === undefined) failures.push(`reader ${i}: unknown ETag ${r.etag}`);
        else if (expected !== md5Hex(r.body)) failures.push(`reader ${i}: body of ${r.body.length} B does not match ETag ${r.etag}`);
        if (r.length !== r.body.length) failures.push(`reader ${i}: Content-Length ${r.length}, ${r.body.length} B received`);
      } catch (err) {
        failures.push(`reader ${i}: ${describe(err)}`);
      }
    }
  };
  const readers = Array.from({ length: READERS }, (_, i) => reader(i));
  await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
  writing = false;
  await Promise.all(readers);

  t.same(failures, [], 'no write failed, no read saw a mix');
  t.ok(reads >= READERS, `${reads} reads ran during the writes`);
  const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }));
  const final = await get(client, KEY);
  t.equal(final.etag, head.ETag, 'GET and HEAD agree');
  t.equal(written.get(final.etag), md5Hex(final.body), 'the final version is one complete write');
  t.equal(Number(head.ContentLength), final.body.length);
  const disk = diskState(server.dataDir);
  t.same({ orphans: disk.orphans, missing: disk.missing, temp: disk.temp, orphanBodies: disk.orphanBodies }, { orphans: [], missing: [], temp: [], orphanBodies: [] }, 'replaced files and bodies were removed, none is missing');
  t.equal(disk.blobs + disk.bodies, 1 + sources.length, 'one body for the key, one per source');
});

/** A 2-part object (5 MiB + 1 MiB): its second file is opened only when the reader gets there. */
async function multipartObject(client: S3Client, key: string): Promise<Buffer> {
  const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1024 * 1024)];
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  const done = [];
  for (const [i, body] of parts.entries()) {
    const { ETag } = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: body }));
    done.push({ ETag, PartNumber: i + 1 });
  }
  await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: done } }));
  return Buffer.concat(parts);
}

/** Starts a GET, takes its first chunk, runs `meanwhile`, then reads the rest. */
async function slowRead(client: S3Client, key: string, meanwhile: () => Promise<unknown>): Promise<{ etag: string; body: Buffer }> {
  const res = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const stream = res.Body as Readable;
  const chunks: Buffer[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (!first.done) chunks.push(first.value as Buffer);
  await meanwhile();
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) chunks.push(r.value as Buffer);
  return { etag: res.ETag ?? '', body: Buffer.concat(chunks) };
}

t.test('one key – a reader of a multipart object gets all of it while the key is overwritten or deleted', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = stressClient(server.endpoint, 8);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));

  for (const [what, change] of [
    ['overwritten', (key: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'new' }))],
    ['deleted', (key: string) => client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }))],
  ] as const) {
    const key = `big-${what}`;
    const bytes = await multipartObject(client, key);
    let read: { etag: string; body: Buffer } | undefined;
    try {
      read = await slowRead(client, key, () => change(key));
    } catch (err) {
      t.fail(`the read broke off when the key was ${what}: ${describe(err)}`);
      continue;
    }
    t.equal(read.body.length, bytes.length, `${what} mid-read: every byte arrives`);
    t.ok(read.body.equals(bytes), `${what} mid-read: the version that was being read`);
  }
  // The held files are deleted just after the response's last byte: poll briefly (the server is idle).
  const disk = await waitForSweep(server.dataDir, 5000);
  t.same({ orphans: disk.orphans, missing: disk.missing }, { orphans: [], missing: [] }, 'the old parts were removed once the reads ended');
});

t.test('one key – copies from a source that is overwritten and deleted meanwhile: a whole version or NoSuchKey, never a 500', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = stressClient(server.endpoint, 32);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const versions = new Map<string, string>();
  const failures: string[] = [];
  let copied = 0;
  let missing = 0;
  for (let round = 0; round < 60; round++) {
    const body = randomBytes(1000 + round);
    versions.set(`"${md5Hex(body)}"`, md5Hex(body));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'source', Body: body }));
    const next = randomBytes(2000 + round);
    versions.set(`"${md5Hex(next)}"`, md5Hex(next));
    await Promise.all([
      ...Array.from({ length: 4 }, async (_, i) => {
        try {
          await client.send(new CopyObjectCommand({ Bucket: BUCKET, Key: `copy-${i}`, CopySource: `${BUCKET}/source` }));
          copied++;
          const got = await get(client, `copy-${i}`);
          if (versions.get(got.etag) !== md5Hex(got.body)) failures.push(`copy-${i}: body does not match ETag ${got.etag}`);
        } catch (err) {
          if ((err as { name?: string }).name === 'NoSuchKey') missing++;
          else failures.push(`copy ${round}/${i}: ${describe(err)}`);
        }
      }),
      round % 2 === 0
        ? client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'source' }))
        : client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'source', Body: next })),
    ]);
  }
  t.same(failures, [], 'every copy is a whole version of the source, or NoSuchKey');
  t.ok(copied > 0, `${copied} copies, ${missing} found the source deleted`);
});
