/**
 * Versioning and Object Lock through the AWS SDK v3: 1050 versions of one key paged with
 * ListObjectVersions markers, a versioned multipart upload, undelete with DeleteObjects, and lock refusals.
 */
import t from 'tap';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand,
  GetObjectCommand, GetObjectRetentionCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand,
  ListObjectVersionsCommand, PutObjectRetentionCommand, S3ServiceException, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { sdkClient, startServer } from '../helpers/server';

const MiB = 1024 * 1024;

t.test('sdk versioning', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket: 'hist' }));
  await c.send(new PutBucketVersioningCommand({ Bucket: 'hist', VersioningConfiguration: { Status: 'Enabled' } }));
  const text = async (input: { Key: string; VersionId?: string }) =>
    (await c.send(new GetObjectCommand({ Bucket: 'hist', ...input }))).Body?.transformToString();

  t.test('1050 versions of one key, paged newest first', async (t) => {
    const ids: string[] = [];
    for (let batch = 0; batch < 1050; batch += 50) {
      // Concurrent writes of one key are distinct versions; their order is the order of their commits.
      const puts = await Promise.all(Array.from({ length: 50 }, (_, i) => c.send(new PutObjectCommand({ Bucket: 'hist', Key: 'one', Body: `v${batch + i}` }))));
      ids.push(...puts.map((p) => p.VersionId ?? ''));
    }
    t.equal(new Set(ids).size, 1050, 'every PUT got its own id');
    const seen: Array<{ id: string; latest: boolean }> = [];
    let pages = 0;
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
      const page = await c.send(new ListObjectVersionsCommand({ Bucket: 'hist', Prefix: 'one', ...markers }));
      pages++;
      for (const v of page.Versions ?? []) seen.push({ id: v.VersionId ?? '', latest: v.IsLatest === true });
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker ?? '', VersionIdMarker: page.NextVersionIdMarker ?? '' };
    }
    t.equal(pages, 2);
    t.equal(seen.length, 1050);
    t.same(new Set(seen.map((v) => v.id)), new Set(ids));
    t.same(seen.filter((v) => v.latest).length, 1, 'one IsLatest');
    const current = await c.send(new HeadObjectCommand({ Bucket: 'hist', Key: 'one' }));
    t.equal(current.VersionId, seen[0]?.id, 'the first listed is the current one');
    t.equal(await text({ Key: 'one', VersionId: seen[1049]?.id ?? '' }), await text({ Key: 'one', VersionId: seen[1049]?.id ?? '' }));
  });

  t.test('a versioned multipart upload keeps the version it replaced', async (t) => {
    const first = await c.send(new PutObjectCommand({ Bucket: 'hist', Key: 'big', Body: 'small first version' }));
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: 'hist', Key: 'big' }));
    const parts = [];
    for (const n of [1, 2]) {
      const body = Buffer.alloc(n === 1 ? 5 * MiB : 1024, n);
      const part = await c.send(new UploadPartCommand({ Bucket: 'hist', Key: 'big', UploadId, PartNumber: n, Body: body }));
      parts.push({ PartNumber: n, ETag: part.ETag });
    }
    const done = await c.send(new CompleteMultipartUploadCommand({ Bucket: 'hist', Key: 'big', UploadId, MultipartUpload: { Parts: parts } }));
    t.match(done.VersionId, /^[A-Za-z0-9._]{32}$/);
    t.not(done.VersionId, first.VersionId);
    const head = await c.send(new HeadObjectCommand({ Bucket: 'hist', Key: 'big' }));
    t.equal(head.ContentLength, 5 * MiB + 1024);
    t.equal(head.VersionId, done.VersionId);
    t.equal(await text({ Key: 'big', VersionId: first.VersionId ?? '' }), 'small first version');
  });

  t.test('undelete with DeleteObjects naming the marker', async (t) => {
    await c.send(new PutObjectCommand({ Bucket: 'hist', Key: 'doc', Body: 'keep me' }));
    const del = await c.send(new DeleteObjectCommand({ Bucket: 'hist', Key: 'doc' }));
    t.equal(del.DeleteMarker, true);
    await t.rejects(c.send(new GetObjectCommand({ Bucket: 'hist', Key: 'doc' })), { name: 'NoSuchKey' });
    const res = await c.send(new DeleteObjectsCommand({ Bucket: 'hist', Delete: { Objects: [{ Key: 'doc', VersionId: del.VersionId }] } }));
    t.same(res.Deleted?.map((d) => [d.Key, d.VersionId, d.DeleteMarker, d.DeleteMarkerVersionId]), [['doc', del.VersionId, true, del.VersionId]]);
    t.equal(await text({ Key: 'doc' }), 'keep me');
  });
});

t.test('sdk object lock – refusals', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket: 'vault', ObjectLockEnabledForBucket: true }));
  const until = new Date(Date.now() + 3_600_000);
  const put = await c.send(new PutObjectCommand({ Bucket: 'vault', Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ChecksumAlgorithm: 'CRC32' }));
  const retention = await c.send(new GetObjectRetentionCommand({ Bucket: 'vault', Key: 'k' }));
  t.equal(retention.Retention?.Mode, 'COMPLIANCE');
  const code = async (p: Promise<unknown>) => p.then(() => 'ok', (err: S3ServiceException) => `${err.$metadata.httpStatusCode} ${err.name}`);
  t.equal(await code(c.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'k', VersionId: put.VersionId, BypassGovernanceRetention: true }))), '403 AccessDenied');
  t.equal(await code(c.send(new PutObjectRetentionCommand({
    Bucket: 'vault', Key: 'k', BypassGovernanceRetention: true, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until }, ChecksumAlgorithm: 'CRC32',
  }))), '403 AccessDenied', 'COMPLIANCE never weakens');
  t.equal(await code(c.send(new PutObjectCommand({ Bucket: 'vault', Key: 'k2', Body: 'x', ObjectLockMode: 'GOVERNANCE' }))), '400 InvalidArgument');
  const plain = await c.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'k' }));
  t.equal(plain.DeleteMarker, true, 'a delete without id still adds a marker');
  t.equal((await c.send(new HeadObjectCommand({ Bucket: 'vault', Key: 'k', VersionId: put.VersionId }))).ObjectLockMode, 'COMPLIANCE');
});
