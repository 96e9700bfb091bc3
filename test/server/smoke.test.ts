import t from 'tap';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { injectApp, sdkClient, startServer } from '../helpers/server';

t.test('inject – unsigned ListBuckets is AccessDenied XML with request ids', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const res = await h.app.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 403);
  t.match(res.headers['content-type'], /application\/xml/);
  t.ok(res.headers['x-amz-request-id']);
  t.ok(res.headers['x-amz-id-2']);
  t.match(res.body, /<Code>AccessDenied<\/Code>/);
  t.match(res.body, new RegExp(`<RequestId>${String(res.headers['x-amz-request-id'])}</RequestId>`));
});

t.test('sdk – create bucket, put and get an object', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket: 'smoke' }));
  const put = await c.send(new PutObjectCommand({ Bucket: 'smoke', Key: 'héllo wörld.txt', Body: 'hello' }));
  t.equal(put.ETag, '"5d41402abc4b2a76b9719d911017c592"');
  const got = await c.send(new GetObjectCommand({ Bucket: 'smoke', Key: 'héllo wörld.txt' }));
  t.equal(await got.Body?.transformToString(), 'hello');
  const list = await c.send(new ListObjectsV2Command({ Bucket: 'smoke' }));
  t.same(list.Contents?.map((o) => o.Key), ['héllo wörld.txt']);
});
