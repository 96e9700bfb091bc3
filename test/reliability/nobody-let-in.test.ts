/**
 * Nobody let in – no key reaches a file outside the data dir (dot segments, encoded dots,
 * absolute paths, backslashes, NUL), the admin endpoints are off the S3 namespace and listen
 * only where the server listens (127.0.0.1 by default), and no log line, at any level, holds a
 * secret: not the secret key, not a signature from a header, a presigned URL or a POST policy.
 */
import {
  CreateBucketCommand, GetObjectCommand, PutBucketAclCommand, PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { request } from 'undici';
import { sdkClient, startServer, tempDir } from '../helpers/server';
import { postForm, signPolicy } from '../helpers/post-policy';
import { s3Http, xmlText } from '../helpers/s3-inject';
import { objectFiles } from '../helpers/stored-bodies';
import { buildServer } from '../stress/build';
import { startChild } from '../stress/child';
import { head, rawRequest } from '../stress/raw-http';

const BUCKET = 'fortress';

t.test('nobody let in – no key reaches outside the data dir', async (t) => {
  const root = tempDir('cb-escape-');
  t.teardown(() => root.remove());
  const dataDir = join(root.dir, 'data');
  mkdirSync(dataDir);
  const server = await startServer({ dataDir });
  t.teardown(() => server.close());
  // A policy letting anyone read, write and list: anonymous requests, so the odd paths below go
  // out exactly as written (a signature would pin how each is canonicalised). Made as on S3: the
  // public access block removed first.
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: BUCKET })).statusCode, 200);
  t.equal((await s3Http(server.endpoint, { method: 'DELETE', bucket: BUCKET, query: { publicAccessBlock: '' } })).statusCode, 204);
  const open = JSON.stringify({ Statement: [
    { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${BUCKET}/*` },
    { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}` },
  ] });
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: BUCKET, query: { policy: '' }, body: open })).statusCode, 204);
  const send = (method: string, path: string, body?: string) => rawRequest(server.endpoint, [
    head(method, `/${BUCKET}/${path}`, { host: 'localhost', connection: 'close', ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) }),
    ...(body === undefined ? [] : [body]),
  ]);
  const marker = `cb-escape-${process.pid}`;
  // Raw paths, sent on a socket exactly as written (no client normalises them).
  const paths = [
    `../${marker}`, `../../${marker}`, `${'../'.repeat(30)}tmp/${marker}`, `%2e%2e/${marker}`, `%2e%2e%2f%2e%2e%2f${marker}`,
    `..%2f..%2f${marker}`, `%2E%2E%5C%2E%2E%5C${marker}`, `..\\..\\${marker}`, `/tmp/${marker}`, `%2Ftmp%2F${marker}`,
    `blobs/../../${marker}`, `tmp/../../${marker}`, `a/./../../${marker}`, `${marker}%00.txt`, `crossbucket.sqlite`, `blobs`, `.`, `..`,
  ];
  /** Decoded key → [a raw path for it, the last body written]: `%2e%2e/x` and `../x` are one key. */
  const stored = new Map<string, [string, string]>();
  for (const [i, path] of paths.entries()) {
    const body = `body ${i}`;
    const res = await send('PUT', path, body);
    t.ok(res.status === 200 || res.status === 400, `PUT /${BUCKET}/${path}: stored as a key or refused (${res.status} ${xmlText(res.body, 'Code') ?? ''})`);
    if (res.status === 200) stored.set(decodeURIComponent(path), [path, body]);
  }
  t.ok(stored.size > 10, `${stored.size} distinct odd keys were stored as keys`);
  for (const [path, body] of stored.values()) {
    const res = await send('GET', path);
    t.equal(res.body, body, `GET /${BUCKET}/${path}: the stored object, nothing else`);
  }
  // Reads of keys never written: NoSuchKey, never a file of the host or of the data dir.
  for (const path of ['../../../../../../etc/passwd', '%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/etc/passwd', '..%2f..%2fcrossbucket.sqlite', '../crossbucket.sqlite', 'blobs/..']) {
    const res = await send('GET', path);
    t.ok(res.status === 404 || res.status === 400, `GET /${BUCKET}/${path}: 404 or 400 (${res.status})`);
    t.notMatch(res.body, /root:|SQLite format/, `GET /${BUCKET}/${path}: no host or database file content`);
  }
  t.same(readdirSync(root.dir), ['data'], 'nothing was created beside the data dir');
  t.notOk(existsSync(`/tmp/${marker}`), 'nothing was created at an absolute path');
  t.same(readdirSync(dataDir).filter((n) => !/^crossbucket\.sqlite(-wal|-shm)?$/.test(n)).sort(), ['blobs', 'crossbucket.lock', 'tmp'], 'the data dir holds only the database, its lock, blobs/ and tmp/');
  t.same(readdirSync(join(dataDir, 'blobs')).filter((n) => !/^[0-9a-f]{2}$/.test(n)), ['crossbucket-store'], 'blobs/ holds the store marker and object file directories');
  const blobNames = objectFiles(join(dataDir, 'blobs'));
  t.ok(blobNames.every((n) => /^[0-9a-f]{24}$/.test(n)), 'blob files are named by id, never by key');
});

t.test('nobody let in – policies: explicit Deny beats the owner, BPA refuses public policies, ACL-disabled buckets refuse ACLs', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const owner = sdkClient(server.endpoint);
  t.teardown(() => owner.destroy());
  await owner.send(new CreateBucketCommand({ Bucket: 'guarded' }));
  await owner.send(new PutObjectCommand({ Bucket: 'guarded', Key: 'k', Body: 'secret' }));
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { name?: string }) => e.name ?? 'error');
  // A new bucket blocks public policies (docs/spec/access.md §5 R5.3).
  const everyone = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::guarded/*' }] });
  t.equal(await code(owner.send(new PutBucketPolicyCommand({ Bucket: 'guarded', Policy: everyone }))), 'AccessDenied', 'a public policy is refused');
  t.equal((await request(`${server.endpoint}/guarded/k`)).statusCode, 403, 'and nobody reads anonymously');
  // ACLs are disabled (§6 R6.3): no ACL can open the bucket or the object.
  t.equal(await code(owner.send(new PutBucketAclCommand({ Bucket: 'guarded', ACL: 'public-read' }))), 'AccessControlListNotSupported');
  t.equal(await code(owner.send(new PutObjectAclCommand({ Bucket: 'guarded', Key: 'k', ACL: 'public-read' }))), 'AccessControlListNotSupported');
  t.equal(await code(owner.send(new PutObjectCommand({ Bucket: 'guarded', Key: 'open', Body: 'x', ACL: 'public-read-write' }))), 'AccessControlListNotSupported');
  t.equal((await request(`${server.endpoint}/guarded/k`)).statusCode, 403, 'still private');
  // An explicit Deny beats the owner account (§1 R1.5 step 2).
  const deny = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::guarded/k' }] });
  t.equal(await code(owner.send(new PutBucketPolicyCommand({ Bucket: 'guarded', Policy: deny }))), 'ok');
  t.equal(await code(owner.send(new GetObjectCommand({ Bucket: 'guarded', Key: 'k' }))), 'AccessDenied', 'the owner is denied');
  const url = await getSignedUrl(owner, new GetObjectCommand({ Bucket: 'guarded', Key: 'k' }), { expiresIn: 60 });
  t.equal((await request(url)).statusCode, 403, 'its presigned URL too');
});

t.test('nobody let in – admin endpoints are off the S3 namespace and bind where the server binds', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  t.equal(server.host, '127.0.0.1', 'the default bind address is 127.0.0.1');
  const health = await request(`${server.endpoint}/_crossbucket/health`);
  t.equal(health.statusCode, 200, 'health answers on the server\'s address');
  await health.body.dump();
  const create = await s3Http(server.endpoint, { method: 'PUT', bucket: '_crossbucket' });
  t.equal(create.statusCode, 400, 'a bucket named _crossbucket cannot be created');
  t.equal(xmlText(create.body.toString(), 'Code'), 'InvalidBucketName');
  const put = await s3Http(server.endpoint, { method: 'PUT', bucket: '_crossbucket', key: 'health', body: 'x' });
  t.equal(put.statusCode, 404, 'PUT /_crossbucket/health is S3 (NoSuchBucket), not the admin API');
  t.equal(xmlText(put.body.toString(), 'Code'), 'NoSuchBucket');
  // Virtual-hosted, the path is a key: `site.localhost/_crossbucket/health` is an object, not the admin API.
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: 'site' })).statusCode, 200);
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: 'site', key: '_crossbucket/health', body: 'my object', style: 'virtual' })).statusCode, 200);
  const asKey = await s3Http(server.endpoint, { bucket: 'site', key: '_crossbucket/health', style: 'virtual' });
  t.equal(asKey.body.toString(), 'my object', 'a virtual-hosted GET of key _crossbucket/health is the object (was the admin JSON)');
  const explainAsKey = await s3Http(server.endpoint, { bucket: 'site', key: '_crossbucket/explain', style: 'virtual' });
  t.equal(xmlText(explainAsKey.body.toString(), 'Code'), 'NoSuchKey', 'and _crossbucket/explain is a (missing) key there');
  const reset = await request(`${server.endpoint}/_crossbucket/reset?mode=all`, { method: 'POST', headers: { 'x-crossbucket-admin': 'reset' } });
  t.equal(reset.statusCode, 403, 'reset needs a signature (its old header alone no longer does it)');
  await reset.body.dump();
  const explain = await request(`${server.endpoint}/_crossbucket/explain?bucket=site&origin=http://a.test`);
  t.equal(explain.statusCode, 403, 'explain needs a signature');
  await explain.body.dump();
  t.equal((await s3Http(server.endpoint, { method: 'HEAD', bucket: 'site' })).statusCode, 200, 'and the bucket is still there');
  // Every non-loopback IPv4 address of this machine refuses the connection.
  const external = Object.values(networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => i?.address ?? '');
  for (const address of external) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(server.port, address);
      socket.once('connect', () => { socket.destroy(); resolve(false); });
      socket.once('error', () => resolve(true));
    });
    t.ok(refused, `not reachable on ${address}:${server.port}`);
  }
  if (external.length === 0) t.comment('no non-loopback IPv4 address on this machine: the bind check ran on 127.0.0.1 only');
});

/** A log destination that keeps every line. */
function capture(): { stream: Writable; text(): string } {
  const lines: string[] = [];
  return {
    stream: new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString()); cb(); } }),
    text: () => lines.join(''),
  };
}

t.test('nobody let in – no secret in any log line (trace level): header, presigned and policy signatures', async (t) => {
  const secretAccessKey = 'super-secret-key-0123456789abcdefghij';
  const credentials = { accessKeyId: 'AKIDLOGTEST000000001', secretAccessKey };
  const log = capture();
  const server = await startServer({ credentials, logLevel: 'trace', logDestination: log.stream });
  t.teardown(() => server.close());
  const client = sdkClient(server.endpoint, { credentials });
  t.teardown(() => client.destroy());
  const signatures: string[] = [];
  client.middlewareStack.add((next) => async (args) => {
    const auth = String((args.request as { headers?: Record<string, string> }).headers?.authorization ?? '');
    const sig = /Signature=([0-9a-f]{64})/.exec(auth)?.[1];
    if (sig) signatures.push(sig);
    return next(args);
  }, { step: 'finalizeRequest', priority: 'low' });

  await s3Http(server.endpoint, { method: 'PUT', bucket: BUCKET, credentials });
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'hello' }));
  await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }));
  const presignedGet = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }), { expiresIn: 60 });
  const presignedPut = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: 'p' }), { expiresIn: 60 });
  for (const url of [presignedGet, presignedPut]) signatures.push(new URL(url).searchParams.get('X-Amz-Signature') ?? '');
  t.equal((await request(presignedGet)).statusCode, 200, 'presigned GET');
  t.equal((await request(presignedPut, { method: 'PUT', body: 'presigned' })).statusCode, 200, 'presigned PUT');
  // A tampered presigned URL and a wrong secret: the refusals are logged too.
  const tampered = presignedGet.replace(/X-Amz-Signature=[0-9a-f]{8}/, 'X-Amz-Signature=00000000');
  t.equal((await request(tampered)).statusCode, 403);
  signatures.push(new URL(tampered).searchParams.get('X-Amz-Signature') ?? '');
  const wrong = await s3Http(server.endpoint, { bucket: BUCKET, key: 'k', credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'another-secret-value-xyz' } });
  t.equal(wrong.statusCode, 403);
  // SigV2 query authentication (refused or not, its Signature must not be logged).
  const v2Signature = 'c2lnbmF0dXJlLXYyLXZhbHVlLXNob3VsZC1ub3QtbG9n';
  await request(`${server.endpoint}/${BUCKET}/k?AWSAccessKeyId=${credentials.accessKeyId}&Expires=${Math.floor(Date.now() / 1000) + 60}&Signature=${encodeURIComponent(v2Signature)}`);
  // A POST policy form.
  const fields = signPolicy({ bucket: BUCKET, accessKeyId: credentials.accessKeyId, secretAccessKey, conditions: [['starts-with', '$key', '']] });
  signatures.push(fields['x-amz-signature'] ?? '');
  const posted = await postForm(server.app, { key: 'form', ...fields }, { data: 'form body' }, [], { url: `/${BUCKET}` });
  t.ok(posted.statusCode < 300, `form upload (${posted.statusCode})`);

  const text = log.text();
  t.ok(text.split('\n').filter((l) => l.includes('"msg":"request"')).length >= 8, 'the requests were logged');
  t.notOk(text.includes(secretAccessKey), 'the secret key is in no log line');
  t.notOk(text.includes('another-secret-value-xyz'), 'a wrong secret is in no log line');
  t.notOk(text.includes(v2Signature) || text.includes(encodeURIComponent(v2Signature)), 'the SigV2 signature is in no log line');
  t.ok(signatures.length >= 5, `${signatures.length} signatures collected`);
  for (const sig of signatures) t.notOk(text.includes(sig), `signature ${sig.slice(0, 8)}… is in no log line`);
  t.notOk(/policy=ey|"policy"/.test(text), 'the POST policy document is in no log line');
});

t.test('nobody let in – the command line with a configured secret prints and logs no secret', async (t) => {
  const build = buildServer();
  t.teardown(() => build.remove());
  const data = tempDir('cb-cli-secret-');
  t.teardown(() => data.remove());
  const secretAccessKey = 'cli-configured-secret-9876543210';
  const child = await startChild(build, { dataDir: data.dir, logLevel: 'trace', args: ['--access-key', 'AKIDCLITEST000000001', '--secret-key', secretAccessKey] });
  t.teardown(() => child.kill());
  const configured = sdkClient(child.endpoint, { credentials: { accessKeyId: 'AKIDCLITEST000000001', secretAccessKey } });
  t.teardown(() => configured.destroy());
  await s3Http(child.endpoint, { method: 'PUT', bucket: BUCKET, credentials: { accessKeyId: 'AKIDCLITEST000000001', secretAccessKey } });
  await configured.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' }));
  const url = await getSignedUrl(configured, new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }), { expiresIn: 60 });
  t.equal((await request(url)).statusCode, 200);
  const stopped = await child.stop();
  t.equal(stopped.code, 0, 'graceful stop');
  const output = child.stdout() + child.stderr();
  t.match(child.stderr(), '# AWS_SECRET_ACCESS_KEY: the secret configured for AKIDCLITEST000000001', 'the banner says the secret is configured');
  t.notOk(output.includes(secretAccessKey), 'the configured secret is printed and logged nowhere');
  t.notOk(output.includes(new URL(url).searchParams.get('X-Amz-Signature') ?? '-'), 'the presigned signature is logged nowhere');
});
