/**
 * Large GETs over a real socket, the path where the body stream drives the response itself and
 * reuses its read buffers (storage/file-range-stream.ts): exact bytes for the whole object and a
 * range across the 1 MiB buffer boundary; a body file gone from disk is an InternalError
 * answered at once (the stream fails before the headers go out) and the server goes on serving.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import t from 'tap';
import { LARGE_READ_BYTES } from '../../storage/file-range-stream';
import { startServer } from '../helpers/server';
import { s3Http, xmlText } from '../helpers/s3-inject';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

t.test('large GET over a socket – exact bytes, a range across buffers, a missing file answered', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const send = (r: Parameters<typeof s3Http>[1]) => s3Http(s.endpoint, r);
  t.equal((await send({ method: 'PUT', bucket: 'big' })).statusCode, 200);
  const body = randomBytes(3 * LARGE_READ_BYTES + 5);
  for (const key of ['whole', 'gone']) t.equal((await send({ method: 'PUT', bucket: 'big', key, body })).statusCode, 200, `PUT ${key}`);

  const whole = await send({ bucket: 'big', key: 'whole' });
  t.equal(whole.statusCode, 200);
  t.equal(whole.body.length, body.length);
  t.equal(sha(whole.body), sha(body), 'every byte');

  const from = LARGE_READ_BYTES - 10;
  const to = 2 * LARGE_READ_BYTES + 10;
  const range = await send({ bucket: 'big', key: 'whole', headers: { range: `bytes=${from}-${to}` } });
  t.equal(range.statusCode, 206);
  t.equal(range.headers['content-range'], `bytes ${from}-${to}/${body.length}`);
  t.equal(sha(range.body), sha(body.subarray(from, to + 1)), 'the range, across two buffer fills');

  const info = s.storage.headObject('big', 'gone');
  const file = info?.segments[0]?.file;
  t.ok(file !== undefined && info?.segments[0]?.bytes === undefined, 'a body kept in a file');
  rmSync(s.storage.blobs.pathOf(file as string));
  const missing = await send({ bucket: 'big', key: 'gone' });
  t.equal(missing.statusCode, 500, 'answered, not left hanging');
  t.equal(xmlText(missing.body.toString(), 'Code'), 'InternalError');
  const again = await send({ bucket: 'big', key: 'whole' });
  t.equal(sha(again.body), sha(body), 'the server goes on serving');
});
