/**
 * The event stream of an embedded server (docs/embedding.md, docs/console.md): `start()` →
 * `Running.events` says why a browser's upload was refused, who was denied, what was stored; the
 * same events over the signed admin API as Server-Sent Events; a client that stops reading slows
 * nothing down and is told what it lost.
 */
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { CreateBucketCommand, PutBucketCorsCommand, PutObjectCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { start, type Running } from '../../index';
import { STREAM_EVENTS_PER_SECOND, type AccessDecisionEvent, type CorsVerdictEvent, type CrossbucketEvent, type ObjectChangeEvent } from '../../server/events';
import { makeUser } from '../../server/config';
import { signRequest } from '../helpers/s3-inject';

async function server(t: Test) {
  const s3 = await start({ port: 0 });
  t.teardown(() => s3.close());
  const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: 'uploads' }));
  await client.send(new PutBucketCorsCommand({
    Bucket: 'uploads',
    CORSConfiguration: { CORSRules: [{ ID: 'app', AllowedOrigins: ['http://app.test'], AllowedMethods: ['PUT'], AllowedHeaders: ['content-type'] }] },
  }));
  return { s3, client };
}

function preflight(s3: Running, key: string, headers: string) {
  return fetch(`${s3.endpoint}/uploads/${key}`, {
    method: 'OPTIONS',
    headers: { origin: 'http://app.test', 'access-control-request-method': 'PUT', 'access-control-request-headers': headers },
  }).then(async (r) => { await r.arrayBuffer(); return r.status; });
}

t.test('events – the refused upload says AllowedHeaders lacks x-amz-checksum-crc32', async (t) => {
  const { s3 } = await server(t);
  const refusal = s3.events.waitFor<CorsVerdictEvent>((e) => e.type === 'cors' && !e.allowed);
  t.equal(await preflight(s3, 'photo.jpg', 'content-type,x-amz-checksum-crc32'), 403, 'the browser would be refused');
  const e = await refusal;
  t.match(e, {
    type: 'cors', kind: 'preflight', origin: 'http://app.test', method: 'PUT', bucket: 'uploads', key: 'photo.jpg',
    requestHeaders: ['content-type', 'x-amz-checksum-crc32'], allowed: false, status: 403, code: 'AccessForbidden',
    summary: 'no rule matched (1 rule tried)',
  });
  t.equal(e.matchedRule, undefined);
  t.same(e.rules.map((r) => [r.index, r.id, r.matched, r.failed]), [[0, 'app', false, 'header']]);
  t.equal(e.rules[0]?.detail, 'header "x-amz-checksum-crc32" not allowed by ["content-type"]');

  const allowed = s3.events.waitFor<CorsVerdictEvent>((x) => x.type === 'cors' && x.allowed);
  t.equal(await preflight(s3, 'photo.jpg', 'content-type'), 200);
  t.match(await allowed, { matchedRule: 0, summary: 'rule 0 (ID "app") matched' });
});

t.test('events – EventEmitter and async iterator: actual requests, access denials, object changes', async (t) => {
  const { s3, client } = await server(t);
  const seen: CrossbucketEvent[] = [];
  const onEvent = (e: CrossbucketEvent) => seen.push(e);
  s3.events.on('event', onEvent);
  const iterator = s3.events[Symbol.asyncIterator]();

  await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'a.txt', Body: 'hello' }));
  // Anonymous, with an Origin: an actual request no rule allows (GET is not listed) and an access denial (no policy, no ACL grant: the default deny).
  const anonymous = await fetch(`${s3.endpoint}/uploads/a.txt`, { headers: { origin: 'http://app.test' } });
  await anonymous.arrayBuffer();
  t.equal(anonymous.status, 403);
  await client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'a.txt' }));
  await s3.events.waitFor((e) => e.type === 'object' && e.action === 'delete');

  const put = seen.find((e): e is ObjectChangeEvent => e.type === 'object' && e.action === 'put');
  t.match(put, { bucket: 'uploads', key: 'a.txt', size: 5, etag: '"5d41402abc4b2a76b9719d911017c592"' });
  const actual = seen.find((e): e is CorsVerdictEvent => e.type === 'cors' && e.kind === 'actual');
  t.match(actual, { operation: 'GetObject', method: 'GET', allowed: false, summary: /no rule matched.*no CORS headers/ });
  t.equal(actual?.rules[0]?.detail, 'method "GET" is not one of ["PUT"]');
  const denied = seen.find((e): e is AccessDecisionEvent => e.type === 'access' && !e.allowed);
  t.match(denied, { operation: 'GetObject', bucket: 'uploads', key: 'a.txt', allowed: false, source: 'default-deny', reason: /^s3:GetObject on arn:aws:s3:::uploads\/a\.txt: .*default deny/ });
  t.equal(denied?.accessKeyId, undefined);
  t.notOk(seen.some((e) => e.type === 'access' && e.allowed), 'only refusals are reported by the access checks');
  const ids = seen.map((e) => e.id);
  t.same(ids, [...ids].sort((a, b) => a - b), 'ids increase');

  const first = await iterator.next();
  t.equal(first.done, false);
  t.equal(first.value?.id, seen[0]?.id, 'the iterator sees the same events, in order');
  await iterator.return?.();
  s3.events.off('event', onEvent);
  t.equal(s3.app.services.events.active, false, 'nobody listens any more: the bus is idle');
});

/** A signed GET of /_crossbucket/events, as a raw response stream. */
async function openStream(s3: Running, credentials = s3.credentials): Promise<IncomingMessage> {
  const host = `127.0.0.1:${s3.port}`;
  const { url, headers } = await signRequest({ rawPath: '/_crossbucket/events', host, credentials });
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s3.port, path: url, headers }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function readUntil(res: IncomingMessage, pattern: RegExp | ((text: string) => boolean), timeoutMs = 5000): Promise<string> {
  const done = typeof pattern === 'function' ? pattern : (text: string) => pattern.test(text);
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms in ${JSON.stringify(text.slice(0, 500))}`)), timeoutMs);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      if (done(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

t.test('events over SSE – signed only; verdicts arrive as text/event-stream frames', async (t) => {
  const { s3 } = await server(t);
  const anonymous = await fetch(`${s3.endpoint}/_crossbucket/events`);
  t.equal(anonymous.status, 403);
  t.match(await anonymous.text(), '<Code>AccessDenied</Code>');
  const wrong = await openStream(s3, { accessKeyId: 'crossbucket', secretAccessKey: 'not-the-secret' });
  t.equal(wrong.statusCode, 403, 'a wrong secret is refused');
  wrong.resume();

  const res = await openStream(s3);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'text/event-stream');
  const reading = readUntil(res, /event: cors\ndata: .*x-amz-checksum-crc32.*\n\n/);
  // The subscription is registered once the response has started.
  await new Promise((r) => setTimeout(r, 50));
  await preflight(s3, 'photo.jpg', 'x-amz-checksum-crc32');
  const text = await reading;
  const frame = /id: (\d+)\nevent: cors\ndata: (.*)\n\n/.exec(text);
  t.ok(frame, 'an SSE frame');
  const event = JSON.parse(frame?.[2] ?? '{}') as CorsVerdictEvent;
  t.equal(String(event.id), frame?.[1]);
  t.match(event, { type: 'cors', allowed: false, requestHeaders: ['x-amz-checksum-crc32'] });
  res.destroy();
});

t.test('events over SSE – a client that stops reading slows nothing and is told what it lost or was skipped', async (t) => {
  const { s3 } = await server(t);
  const res = await openStream(s3);
  t.equal(res.statusCode, 200);
  res.pause();
  await new Promise((r) => setTimeout(r, 50));
  // Big verdicts (60 long requested headers each), enough to fill the socket buffers and then the
  // subscription's queue of 1000.
  const acrh = Array.from({ length: 60 }, (_, i) => `x-amz-meta-${String(i).padStart(2, '0')}-${'h'.repeat(90)}`).join(',');
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  t.teardown(() => agent.destroy());
  const options = (key: string) => new Promise<number>((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port: s3.port, method: 'OPTIONS', path: `/uploads/${key}`, agent,
      headers: { origin: 'http://app.test', 'access-control-request-method': 'PUT', 'access-control-request-headers': acrh },
    }, (r) => { r.resume(); r.on('end', () => resolve(r.statusCode ?? 0)); });
    req.on('error', reject);
    req.end();
  });
  const started = Date.now();
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push(...await Promise.all(Array.from({ length: 100 }, (_, j) => options(`k${i * 100 + j}`))));
  t.ok(statuses.every((s) => s === 403), 'every preflight answered');
  const elapsed = Date.now() - started;
  t.ok(elapsed < 60_000, `4000 preflights answered in ${elapsed} ms with a stalled stream open`);
  res.resume();
  // Every preflight is accounted for: delivered, skipped (past the stream's rate: never built) or
  // dropped (built, but this reader fell behind).
  const counts = { delivered: 0, skipped: 0, dropped: 0 };
  const sum = (text: string) => {
    counts.delivered = (text.match(/^event: cors$/gm) ?? []).length;
    counts.skipped = [...text.matchAll(/"skipped":(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    counts.dropped = [...text.matchAll(/"dropped":(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    return counts.delivered + counts.skipped + counts.dropped;
  };
  await readUntil(res, (text) => sum(text) >= 4000, 10_000);
  t.equal(counts.delivered + counts.skipped + counts.dropped, 4000, `4000 = ${counts.delivered} delivered + ${counts.skipped} skipped + ${counts.dropped} dropped`);
  t.ok(counts.skipped > 0, 'the client is told how many were skipped');
  t.ok(counts.delivered <= STREAM_EVENTS_PER_SECOND * Math.ceil(elapsed / 1000 + 1), `at most ${STREAM_EVENTS_PER_SECOND} a second built (${counts.delivered} in ${elapsed} ms)`);
  res.destroy();
});

t.test('events over SSE – close() ends open streams instead of waiting for them', async (t) => {
  const s3 = await start({ port: 0 });
  const res = await openStream(s3);
  t.equal(res.statusCode, 200);
  const ended = new Promise<void>((resolve) => res.on('end', () => resolve()).resume());
  const started = Date.now();
  await s3.close();
  await ended;
  t.ok(Date.now() - started < 3000, 'closed promptly');
});

t.test('events over SSE – another user sees only the events of the buckets they own', async (t) => {
  const owner = makeUser('crossbucket', 'crossbucket-secret');
  const other = makeUser('other-user', 'other-secret');
  const s3 = await start({ port: 0, config: { users: [owner, other] } });
  t.teardown(() => s3.close());
  const asOther = { accessKeyId: 'other-user', secretAccessKey: 'other-secret' };
  const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: asOther, forcePathStyle: true });
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: 'theirs' }));
  const first = await openStream(s3);
  const res = await openStream(s3, asOther);
  t.equal(res.statusCode, 200);
  const theirs = readUntil(res, /"key":"mine\.txt"/);
  const all = readUntil(first, /"key":"mine\.txt"/);
  await new Promise((r) => setTimeout(r, 50));
  // A verdict on a bucket the other user does not own, then one on their own.
  await fetch(`${s3.endpoint}/uploads/secret.txt`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'GET' } }).then((r) => r.arrayBuffer());
  await client.send(new PutObjectCommand({ Bucket: 'theirs', Key: 'mine.txt', Body: 'x' }));
  const text = await theirs;
  t.notMatch(text, 'secret.txt', 'nothing about a bucket they do not own');
  t.match(await all, 'secret.txt', 'the first user sees everything');
  res.destroy();
  first.destroy();
});
