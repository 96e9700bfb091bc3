/**
 * SIGTERM / SIGINT with a request in flight: the request completes, the process exits 0, the
 * database is closed cleanly. The server runs as a child process (test/helpers/spawn-server.ts).
 */
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { openSqliteStorage } from '../../storage';
import { sdkClient, tempDir } from '../helpers/server';
import { spawnCrossbucket, type Child } from '../helpers/spawn-server';

/** A PUT whose body is sent by the test, piece by piece, once the server has read the headers. */
function slowPut(url: string, size: number) {
  let onContinue: () => void = () => undefined;
  const continued = new Promise<void>((resolve) => { onContinue = resolve; });
  const req = httpRequest(url, { method: 'PUT', headers: { 'content-length': size, expect: '100-continue' } });
  req.on('continue', onContinue);
  const response = new Promise<{ status: number; etag: string | undefined; body: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => req.write(chunk, (err) => (err ? reject(err) : resolve())));
  return { continued, write, end: () => req.end(), response };
}

async function startChild(t: Test, dataDir: string, extra: string[] = []): Promise<{ child: Child; endpoint: string }> {
  const child = spawnCrossbucket(['--port', '0', '--data-dir', dataDir, '--log-format', 'json', '--seed', 'none', ...extra]);
  t.teardown(() => { if (child.proc.exitCode === null) child.proc.kill('SIGKILL'); });
  const m = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stderr');
  return { child, endpoint: m[1] ?? '' };
}

function checkDatabase(t: Test, dataDir: string): void {
  const file = join(dataDir, 'crossbucket.sqlite');
  t.notOk(existsSync(`${file}-wal`), 'the WAL was checkpointed and removed: the database was closed');
  const db = new Database(file, { readonly: true });
  try {
    t.same(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  } finally {
    db.close();
  }
}

t.test('shutdown – SIGTERM lets an upload in flight finish, then exits 0 with the database closed', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const dataDir = join(d.dir, 'data');
  const { child, endpoint } = await startChild(t, dataDir);
  // This client keeps an idle keep-alive connection open: it must not hold the shutdown up.
  const client = sdkClient(endpoint);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: 'slow' }));
  const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'slow', Key: 'big.bin' }), { expiresIn: 300 });

  const body = randomBytes(2 * 1024 * 1024);
  const put = slowPut(url, body.length);
  await put.continued; // the server has the request
  await put.write(body.subarray(0, 1024 * 1024));
  child.proc.kill('SIGTERM');
  await child.waitFor(/"msg":"shutting down: finishing in-flight requests"/, 'stdout');
  await t.rejects(fetch(`${endpoint}/_crossbucket/health`), 'new connections are refused while draining');
  await put.write(body.subarray(1024 * 1024));
  put.end();

  const res = await put.response;
  t.equal(res.status, 200, `upload completed: ${res.body}`);
  t.equal(res.etag, `"${createHash('md5').update(body).digest('hex')}"`);
  t.same(await child.exited, { code: 0, signal: null });
  t.match(child.stdout(), /"msg":"stopped: database closed"/);
  checkDatabase(t, dataDir);
  const storage = openSqliteStorage({ dataDir });
  t.teardown(() => storage.close());
  t.equal(storage.headObject('slow', 'big.bin')?.etag, res.etag, 'the object is there after a restart');
});

t.test('shutdown – a request that never ends is cut after --shutdown-timeout; the database still closes cleanly', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const dataDir = join(d.dir, 'data');
  const { child, endpoint } = await startChild(t, dataDir, ['--shutdown-timeout', '0.2']);
  const client = sdkClient(endpoint);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: 'stuck' }));
  await client.send(new PutObjectCommand({ Bucket: 'stuck', Key: 'done.txt', Body: 'done' }));
  const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'stuck', Key: 'never.bin' }), { expiresIn: 300 });
  const put = slowPut(url, 1024);
  await put.continued;
  await put.write(Buffer.alloc(10));
  child.proc.kill('SIGINT');
  await t.rejects(put.response, 'the stuck upload is cut');
  t.same(await child.exited, { code: 0, signal: null });
  t.match(child.stdout(), /"msg":"shutdown timeout: closing the connections still open"/);
  checkDatabase(t, dataDir);
  const storage = openSqliteStorage({ dataDir });
  t.teardown(() => storage.close());
  t.equal(storage.headObject('stuck', 'never.bin'), undefined, 'no torn object');
  t.equal(storage.headObject('stuck', 'done.txt')?.size, 4);
});
