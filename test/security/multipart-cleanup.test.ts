/**
 * Multipart clean-up as S3 does it (issue 12, "Also"), through the AWS SDK: DeleteBucket of a
 * bucket whose only content is in-progress uploads deletes it and aborts them; a repeated
 * CompleteMultipartUpload of an upload that just completed answers 200 with the same result.
 */
import t from 'tap';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand,
  HeadBucketCommand, ListMultipartUploadsCommand, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sdkClient, startServer } from '../helpers/server';

/** Files under the blob directory (the part files of open uploads among them). */
function blobFiles(dataDir: string): number {
  let n = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name !== 'crossbucket.sqlite' && !e.name.startsWith('crossbucket.sqlite')) n++;
    }
  };
  walk(dataDir);
  return n;
}

t.test('DeleteBucket – a bucket holding only in-progress uploads is deleted, the uploads aborted', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = sdkClient(server.endpoint);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: 'left-open' }));
  const big = Buffer.alloc(200 * 1024, 1);
  for (const key of ['a', 'b']) {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'left-open', Key: key }));
    await client.send(new UploadPartCommand({ Bucket: 'left-open', Key: key, UploadId, PartNumber: 1, Body: big }));
  }
  t.equal((await client.send(new ListMultipartUploadsCommand({ Bucket: 'left-open' }))).Uploads?.length, 2);
  const before = blobFiles(server.dataDir);
  t.ok(before >= 2, `the parts are files (${before})`);
  await client.send(new DeleteBucketCommand({ Bucket: 'left-open' }));
  await t.rejects(client.send(new HeadBucketCommand({ Bucket: 'left-open' })), { name: 'NotFound' }, 'the bucket is gone');
  await new Promise((r) => setTimeout(r, 200));
  t.equal(blobFiles(server.dataDir), before - 2, 'the part files are removed');

  // Objects still make a bucket not empty.
  await client.send(new CreateBucketCommand({ Bucket: 'has-object' }));
  await client.send(new PutObjectCommand({ Bucket: 'has-object', Key: 'k', Body: 'x' }));
  await t.rejects(client.send(new DeleteBucketCommand({ Bucket: 'has-object' })), { name: 'BucketNotEmpty' });
});

t.test('CompleteMultipartUpload – a retry of a completed upload answers 200 with the same result', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = sdkClient(server.endpoint);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: 'retry' }));
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'retry', Key: 'obj' }));
  const part = await client.send(new UploadPartCommand({ Bucket: 'retry', Key: 'obj', UploadId, PartNumber: 1, Body: 'only part' }));
  const complete = new CompleteMultipartUploadCommand({ Bucket: 'retry', Key: 'obj', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } });
  const first = await client.send(complete);
  const again = await client.send(complete);
  t.equal(again.ETag, first.ETag, 'the same ETag');
  t.equal(again.Key, 'obj');
  t.equal(again.Location, first.Location);

  // Another key with the same upload ID is not a retry; neither is one after the object changed.
  await t.rejects(client.send(new CompleteMultipartUploadCommand({ Bucket: 'retry', Key: 'other', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } })), { name: 'NoSuchUpload' });
  await client.send(new PutObjectCommand({ Bucket: 'retry', Key: 'obj', Body: 'replaced' }));
  await t.rejects(client.send(complete), { name: 'NoSuchUpload' }, 'the object was replaced since');
});
