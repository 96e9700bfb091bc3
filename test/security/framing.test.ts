/**
 * Hostile framing over a real socket (issue 12, items 7-11): absolute-form targets, a signed
 * hex x-amz-content-sha256 in presigned and anonymous requests, idle bodies and forms, a
 * keep-alive connection after a failed upload, `Expect: 100-continue` over 5 GiB. Every
 * exchange has a client-side time limit, so no test can hang; the server's body idle timeout
 * is 500 ms here.
 */
import t, { type Test } from 'tap';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { startServer } from '../helpers/server';
import { s3Http, sha256Hex, signRequest, xmlText, xmlTexts } from '../helpers/s3-inject';
import { converse, head, statuses } from '../stress/raw-http';
import type { Running } from '../../server/cli/start';

const IDLE_MS = 500;
const BUCKET = 'framing';

async function setup(t: Test): Promise<Running> {
  const server = await startServer({ config: { bodyIdleTimeoutMs: IDLE_MS } });
  t.teardown(() => server.close());
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: BUCKET })).statusCode, 200);
  return server;
}

async function keys(server: Running, bucket = BUCKET): Promise<string[]> {
  const res = await s3Http(server.endpoint, { method: 'GET', bucket, query: { 'list-type': '2' } });
  return xmlTexts(res.body.toString(), 'Key');
}

/** A presigned URL (path and query) made by the SDK's signer, for `host`. */
async function presign(host: string, method: string, path: string, headers: Record<string, string> = {}, unhoistable: string[] = []): Promise<string> {
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: { accessKeyId: 'crossbucket', secretAccessKey: 'crossbucket-secret' }, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const hostname = host.split(':')[0] ?? host;
  const port = Number(host.split(':')[1]);
  const signed = await signer.presign(
    // As @aws-sdk/s3-request-presigner does: UNSIGNED-PAYLOAD unless a hash is given.
    { method, protocol: 'http:', hostname, port, path, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers } } as never,
    { expiresIn: 300, unhoistableHeaders: new Set(unhoistable) },
  );
  const query = (signed as unknown as { query: Record<string, string> }).query;
  return `${path}?${Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

t.test('absolute-form target – the key is the signed path, other schemes are refused (item 7)', async (t) => {
  const server = await setup(t);
  const host = `${BUCKET}.localhost:${server.port}`;
  const url = await presign(host, 'PUT', '/x.txt');
  const body = 'absolute';
  const asProxy = await converse(server.port, [head('PUT', `http://${host}${url}`, { host, 'content-length': body.length, connection: 'close' }), body]);
  t.equal(statuses(asProxy.text)[0], 200, `http://host/path is served by its path (${asProxy.text})`);
  t.same(await keys(server), ['x.txt'], 'stored as x.txt, the signed path');

  const other = await converse(server.port, [head('PUT', `uploads://anything${url}`, { host, 'content-length': body.length, connection: 'close' }), body]);
  t.equal(statuses(other.text)[0], 400, 'another scheme: 400');
  t.match(other.text, '<Code>InvalidURI</Code>');
  const foreign = await converse(server.port, [head('PUT', `http://elsewhere.example${url}`, { host, 'content-length': body.length, connection: 'close' }), body]);
  t.equal(statuses(foreign.text)[0], 400, 'an authority that is not the Host: 400');
  t.same(await keys(server), ['x.txt'], 'nothing else stored');
});

t.test('presigned and anonymous hex x-amz-content-sha256 – checked against the body (item 8)', async (t) => {
  const server = await setup(t);
  const host = `localhost:${server.port}`;
  const signedFor = 'the signed body';
  const hash = sha256Hex(signedFor);
  const cases: Array<[string, string, Record<string, string>]> = [
    ['as the X-Amz-Content-Sha256 query parameter', await presign(host, 'PUT', `/${BUCKET}/in-query`, { 'x-amz-content-sha256': hash }), {}],
    ['as a signed header', await presign(host, 'PUT', `/${BUCKET}/in-header`, { 'x-amz-content-sha256': hash }, ['x-amz-content-sha256']), { 'x-amz-content-sha256': hash }],
  ];
  for (const [label, url, headers] of cases) {
    t.match(label === 'as a signed header' ? url : url, label === 'as a signed header' ? /X-Amz-SignedHeaders=host%3Bx-amz-content-sha256/ : /X-Amz-Content-Sha256=/i, `${label}: the URL carries it`);
    const other = 'another body!!';
    const bad = await converse(server.port, [head('PUT', url, { host, ...headers, 'content-length': other.length, connection: 'close' }), other]);
    t.equal(statuses(bad.text)[0], 400, `${label}: another body is refused`);
    t.match(bad.text, '<Code>XAmzContentSHA256Mismatch</Code>');
    const good = await converse(server.port, [head('PUT', url, { host, ...headers, 'content-length': signedFor.length, connection: 'close' }), signedFor]);
    t.equal(statuses(good.text)[0], 200, `${label}: the signed body is stored`);
  }
  t.same(await keys(server), ['in-header', 'in-query'], 'only the matching bodies were stored');

  // Anyone may write: a policy, after the public access block is removed (as on S3).
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: 'open' })).statusCode, 200);
  t.equal((await s3Http(server.endpoint, { method: 'DELETE', bucket: 'open', query: { publicAccessBlock: '' } })).statusCode, 204);
  const anyoneWrites = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::open/*' }] });
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: 'open', query: { policy: '' }, body: anyoneWrites })).statusCode, 204);
  const anon = await converse(server.port, [head('PUT', '/open/anon', { host, 'x-amz-content-sha256': hash, 'content-length': 5, connection: 'close' }), 'other']);
  t.equal(statuses(anon.text)[0], 400, 'anonymous: a hex hash that does not match is refused');
  t.match(anon.text, '<Code>XAmzContentSHA256Mismatch</Code>');
  t.same(await keys(server, 'open'), [], 'nothing stored anonymously');
});

t.test('idle body – 400 RequestTimeout and the connection closed (item 9)', async (t) => {
  const server = await setup(t);
  const s = await signRequest({ method: 'PUT', bucket: BUCKET, key: 'slow', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': '10' } });
  const res = await converse(server.port, [head('PUT', s.url, s.headers), 'ab'], { waitMs: 5000 });
  t.equal(statuses(res.text)[0], 400, `answered (${res.text.slice(0, 60)})`);
  t.match(res.text, '<Code>RequestTimeout</Code>');
  t.match(res.text, 'Your socket connection to the server was not read from or written to within the timeout period.');
  t.match(res.text, /connection: close/i);
  t.ok(res.closed, 'the server closed the connection');
  t.ok(res.ms >= IDLE_MS && res.ms < IDLE_MS + 2000, `after about the idle time (${res.ms} ms)`);
  t.same(await keys(server), [], 'nothing stored');

  // A body that keeps sending (a byte every 200 ms < 500 ms) is not idle.
  const drip = await signRequest({ method: 'PUT', bucket: BUCKET, key: 'drip', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': '4', connection: 'close' } });
  const slow = await converse(server.port, [head('PUT', drip.url, drip.headers), 'a', 200, 'b', 200, 'c', 200, 'd'], { waitMs: 5000, until: (x) => x.includes('\r\n\r\n') });
  t.equal(statuses(slow.text)[0], 200, 'a slow but steady body is stored');
});

t.test('POST Object – an anonymous form to a private bucket cannot hold the connection (item 9)', async (t) => {
  const server = await setup(t);
  const boundary = 'XyZ';
  const headers = { host: `localhost:${server.port}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 100000 };
  // The fields arrive a byte every 100 ms: never idle, never done (and the rest is too large to drain).
  const drip: Array<string | number> = [head('POST', `/${BUCKET}`, { ...headers, 'content-length': 100 * 1024 * 1024 }), `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n`];
  for (let i = 0; i < 40; i++) drip.push('k', 100);
  const res = await converse(server.port, drip, { waitMs: 5000, until: (x) => /<\/Error>/.test(x) });
  t.equal(statuses(res.text)[0], 400, `refused while the fields still drip (${res.text.slice(0, 60)})`);
  t.match(res.text, '<Code>RequestTimeout</Code>');
  t.ok(res.ms < IDLE_MS + 2000, `within the form's time (${res.ms} ms)`);

  // A form whose fields never end: refused once it passes the bytes allowed before `file`.
  const start = `--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\n`;
  const big = await converse(server.port, [head('POST', `/${BUCKET}`, headers), start, 'v'.repeat(100000 - start.length)], { waitMs: 5000, until: (x) => /<\/Error>/.test(x) });
  t.equal(statuses(big.text)[0], 400, 'too many bytes before the file: 400');
  t.match(big.text, '<Code>MaxPostPreDataLengthExceededError</Code>');
});

/** An aws-chunked body whose first chunk header is broken, then `size` more bytes. */
function tamperedChunked(size: number): string {
  return `zz;chunk-signature=${'0'.repeat(64)}\r\n${'x'.repeat(size)}`;
}

t.test('a failed upload never wedges its keep-alive connection (item 10)', async (t) => {
  const server = await setup(t);
  for (const size of [256 * 1024, 4 * 1024 * 1024]) {
    const body = tamperedChunked(size);
    const s = await signRequest({
      method: 'PUT', bucket: BUCKET, key: `tampered-${size}`, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(size), 'content-length': String(body.length) },
    });
    // The whole body and then a second request on the same connection.
    const l = await signRequest({ method: 'GET', bucket: BUCKET, query: { 'list-type': '2' } });
    const list = head('GET', l.url, l.headers);
    const res = await converse(server.port, [head('PUT', s.url, s.headers), body, list], { waitMs: 5000, until: (x) => statuses(x).length >= 2 && x.includes('</ListBucketResult>') });
    const [first, second] = statuses(res.text);
    t.equal(first, 400, `${size} B: the upload is refused`);
    if (second !== undefined) t.equal(second, 200, `${size} B: the next request on the connection is answered`);
    else {
      t.ok(res.closed, `${size} B: or the connection is closed`);
      t.match(res.text, /connection: close/i, `${size} B: and the refusal said so`);
    }
    t.ok(res.ms < 4000, `${size} B: no wait (${res.ms} ms)`);
  }
  // The small rest is drained (keep-alive kept); the large one closes.
  t.same(await keys(server), [], 'nothing stored');
});

t.test('Expect: 100-continue over 5 GiB – EntityTooLarge instead of 100 Continue (item 11)', async (t) => {
  const server = await setup(t);
  const size = String(5 * 1024 ** 3 + 1);
  const s = await signRequest({ method: 'PUT', bucket: BUCKET, key: 'huge', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': size, expect: '100-continue' } });
  const res = await converse(server.port, [head('PUT', s.url, s.headers)], { waitMs: 3000, until: (x) => x.includes('</Error>') });
  t.equal(statuses(res.text)[0], 400, `the first answer is the refusal (${res.text.slice(0, 40)})`);
  t.match(res.text, '<Code>EntityTooLarge</Code>');
  t.notMatch(res.text, 'HTTP/1.1 100', 'no 100 Continue');

  const created = await s3Http(server.endpoint, { method: 'POST', bucket: BUCKET, key: 'parts', query: { uploads: '' } });
  const uploadId = xmlText(created.body.toString(), 'UploadId') ?? '';
  const p = await signRequest({ method: 'PUT', bucket: BUCKET, key: 'parts', query: { partNumber: '1', uploadId }, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': size, expect: '100-continue' } });
  const part = await converse(server.port, [head('PUT', p.url, p.headers)], { waitMs: 3000, until: (x) => x.includes('</Error>') });
  t.equal(statuses(part.text)[0], 400, 'UploadPart: refused up front');
  t.match(part.text, '<Code>EntityTooLarge</Code>');

  // Under the limit, 100 Continue still comes.
  const ok = await signRequest({ method: 'PUT', bucket: BUCKET, key: 'small', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': '2', expect: '100-continue' } });
  const cont = await converse(server.port, [head('PUT', ok.url, ok.headers)], { waitMs: 3000, until: (x) => x.includes('HTTP/1.1 100') });
  t.match(cont.text, 'HTTP/1.1 100', 'a normal size gets 100 Continue');
});

t.test('a header sent twice – verified from the headers as sent, each value kept apart', async (t) => {
  const server = await setup(t);
  const l = await signRequest({ method: 'GET', bucket: BUCKET, query: { 'list-type': '2' } });
  const raw = head('GET', l.url, { host: `localhost:${server.port}`, ...l.headers });
  const withHeaders = (extra: string) => raw.replace('\r\n\r\n', `\r\n${extra}connection: close\r\n\r\n`);
  const once = await converse(server.port, [withHeaders('')]);
  t.equal(statuses(once.text)[0], 200, 'the request as signed');
  const unsigned = await converse(server.port, [withHeaders('x-extra: 1\r\nx-extra: 2\r\n')]);
  t.equal(statuses(unsigned.text)[0], 200, 'an unsigned header twice: the signature still holds');
  const signedTwice = await converse(server.port, [withHeaders(`x-amz-date: ${String(l.headers['x-amz-date'])}\r\n`)]);
  const date = String(l.headers['x-amz-date']);
  t.equal(statuses(signedTwice.text)[0], 403, 'a signed header twice: refused');
  t.match(signedTwice.text, '<Code>SignatureDoesNotMatch</Code>');
  t.match(signedTwice.text, `x-amz-date:${date},${date}`, 'its canonical value is both values, joined with a comma');
});
