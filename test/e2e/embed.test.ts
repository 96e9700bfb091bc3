/**
 * crossbucket embedded in a test suite, used as the README shows: start() on port 0, an S3Client
 * built from what it returns, reset() between tests, close() at the end.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  CreateBucketCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutBucketCorsCommand,
  GetBucketCorsCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { start } from '../../index';
import { tempDir } from '../helpers/server';

t.test('embed – start({ port: 0 }), an S3Client from its fields, reset() and close()', async (t) => {
  const s3 = await start({ port: 0 });
  t.match(s3.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.equal(s3.endpoint, `http://127.0.0.1:${s3.port}`);
  t.not(s3.port, 0);
  t.same(s3.credentials, { accessKeyId: 'crossbucket', secretAccessKey: 'crossbucket-secret' });
  t.equal(s3.region, 'us-east-1');
  t.ok(s3.dataDir.startsWith(tmpdir()), 'a temp data dir');
  t.ok(existsSync(s3.dataDir));
  const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
  t.teardown(() => client.destroy());

  await client.send(new CreateBucketCommand({ Bucket: 'photos' }));
  await client.send(new PutBucketCorsCommand({ Bucket: 'photos', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] } }));
  await client.send(new PutObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', Body: 'meow' }));
  const got = await client.send(new GetObjectCommand({ Bucket: 'photos', Key: 'cat.jpg' }));
  t.equal(await got.Body?.transformToString(), 'meow');

  await s3.reset();
  t.same((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['photos'], 'reset() keeps buckets');
  t.equal((await client.send(new ListObjectsV2Command({ Bucket: 'photos' }))).KeyCount, 0, 'and empties them');
  t.same((await client.send(new GetBucketCorsCommand({ Bucket: 'photos' }))).CORSRules?.[0]?.AllowedOrigins, ['*'], 'and keeps their CORS rules');

  await s3.reset('all');
  t.same((await client.send(new ListBucketsCommand({}))).Buckets ?? [], [], "reset('all') removes the buckets too");
  const preflight = await fetch(`${s3.endpoint}/photos/cat.jpg`, { method: 'OPTIONS', headers: { origin: 'http://a.test', 'access-control-request-method': 'GET' } });
  t.equal(preflight.status, 403, 'and forgets their cached CORS rules');
  await preflight.arrayBuffer();

  await s3.close();
  t.notOk(existsSync(s3.dataDir), 'close() removes the temp data dir');
  await s3.close();
  t.pass('close() twice is fine');
  await t.rejects(fetch(`${s3.endpoint}/_crossbucket/health`), 'no longer listening');
});

t.test('embed – a given data dir is kept, and reused by the next start()', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const first = await start({ port: 0, dataDir: d.dir, credentials: { accessKeyId: 'tester', secretAccessKey: 'tester-secret' } });
  t.same(first.credentials, { accessKeyId: 'tester', secretAccessKey: 'tester-secret' });
  const c1 = new S3Client({ endpoint: first.endpoint, region: first.region, credentials: first.credentials, forcePathStyle: true });
  await c1.send(new CreateBucketCommand({ Bucket: 'kept' }));
  await c1.send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'v' }));
  c1.destroy();
  await first.close();
  t.ok(existsSync(d.dir));

  const second = await start({ port: 0, dataDir: d.dir, credentials: { accessKeyId: 'tester', secretAccessKey: 'tester-secret' } });
  t.teardown(() => second.close());
  const c2 = new S3Client({ endpoint: second.endpoint, region: second.region, credentials: second.credentials, forcePathStyle: true });
  t.teardown(() => c2.destroy());
  const got = await c2.send(new GetObjectCommand({ Bucket: 'kept', Key: 'k' }));
  t.equal(await got.Body?.transformToString(), 'v');
});

t.test('embed – two servers side by side are independent', async (t) => {
  const [a, b] = await Promise.all([start({ port: 0 }), start({ port: 0 })]);
  t.teardown(() => Promise.all([a.close(), b.close()]));
  t.not(a.port, b.port);
  t.not(a.dataDir, b.dataDir);
  const ca = new S3Client({ endpoint: a.endpoint, region: a.region, credentials: a.credentials, forcePathStyle: true });
  const cb = new S3Client({ endpoint: b.endpoint, region: b.region, credentials: b.credentials, forcePathStyle: true });
  t.teardown(() => { ca.destroy(); cb.destroy(); });
  await ca.send(new CreateBucketCommand({ Bucket: 'only-in-a' }));
  t.same((await cb.send(new ListBucketsCommand({}))).Buckets ?? [], []);
});

t.test('embed – a port in use is an error, and nothing is left behind', async (t) => {
  const a = await start({ port: 0 });
  t.teardown(() => a.close());
  await t.rejects(start({ port: a.port }), { code: 'EADDRINUSE' });
});
