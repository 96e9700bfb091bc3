import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sdkClient, startServer } from '../helpers/server';

const MiB = 1024 * 1024;

t.test('lib-storage Upload of a ~12 MiB stream round-trips', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket: 'media' }));
  const data = randomBytes(12 * MiB + 12345);
  const body = Readable.from((function* () { for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024); })());
  const up = new Upload({ client: c, params: { Bucket: 'media', Key: 'big.bin', Body: body, ContentType: 'video/mp4' }, partSize: 5 * MiB });
  const res = await up.done();
  t.comment(JSON.stringify(res));
  const head = await c.send(new HeadObjectCommand({ Bucket: 'media', Key: 'big.bin', ChecksumMode: 'ENABLED' }));
  t.comment(JSON.stringify(head));
  const got = await c.send(new GetObjectCommand({ Bucket: 'media', Key: 'big.bin' }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  t.equal(createHash('sha256').update(bytes).digest('hex'), createHash('sha256').update(data).digest('hex'));
});
