/**
 * FileRangeStream (storage/file-range-stream.ts): the bytes of file spans, in order. Read as a
 * stream, every chunk is a new buffer. Piped into an HTTP response it reuses two buffers, each
 * read into again only after the response's write of it completed: a client that reads slowly
 * (so that writes stay pending in the socket) still gets exact bytes, and a client that goes away
 * leaves no file open.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { FileRangeStream, LARGE_READ_BYTES, type FileSpan } from '../../storage/file-range-stream';

function files(t: Test): { a: string; b: string; bytesA: Buffer; bytesB: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'cb-frs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bytesA = randomBytes(3 * LARGE_READ_BYTES + 12_345);
  const bytesB = randomBytes(LARGE_READ_BYTES + 7);
  writeFileSync(join(dir, 'a'), bytesA);
  writeFileSync(join(dir, 'b'), bytesB);
  return { a: join(dir, 'a'), b: join(dir, 'b'), bytesA, bytesB };
}

const openFds = () => readdirSync('/proc/self/fd').length;

t.test('read as a stream – exact bytes across spans, each chunk a buffer of its own', async (t) => {
  const f = files(t);
  const spans: FileSpan[] = [{ path: f.a, from: 100, to: f.bytesA.length - 1 }, { path: f.b, from: 0, to: 999 }];
  const chunks: Buffer[] = [];
  for await (const c of new FileRangeStream(spans)) chunks.push(c as Buffer);
  t.same(Buffer.concat(chunks), Buffer.concat([f.bytesA.subarray(100), f.bytesB.subarray(0, 1000)]));
  t.equal(new Set(chunks.map((c) => c.buffer)).size, chunks.length, 'no two chunks share memory');
  t.ok(chunks.every((c) => c.length <= LARGE_READ_BYTES), 'at most 1 MiB per read');
  // A span past the end of a shorter file ends at the file's end, as a read stream would.
  const short: Buffer[] = [];
  for await (const c of new FileRangeStream([{ path: f.b, from: 10, to: f.bytesB.length + 500 }])) short.push(c as Buffer);
  t.same(Buffer.concat(short), f.bytesB.subarray(10));
});

t.test('read as a stream – a missing file is an error on the stream', async (t) => {
  const stream = new FileRangeStream([{ path: '/nonexistent/file', from: 0, to: 10 }]);
  await t.rejects(async () => { for await (const c of stream) void c; }, { code: 'ENOENT' });
});

async function serve(t: Test, handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return (server.address() as AddressInfo).port;
}

t.test('piped into a response – a slow reader gets exact bytes; the stream ends and closes', async (t) => {
  const f = files(t);
  // More than the kernel buffers of a loopback connection whose reader waits (the sender's up to
  // 4 MiB, tcp_wmem): the server's writes stay pending while later reads go on.
  const big = join(f.a, '..', 'big');
  const bytesBig = randomBytes(12 * LARGE_READ_BYTES + 333);
  writeFileSync(big, bytesBig);
  const spans: FileSpan[] = [{ path: f.a, from: 0, to: f.bytesA.length - 1 }, { path: big, from: 0, to: bytesBig.length - 1 }, { path: f.b, from: 5, to: f.bytesB.length - 1 }];
  const expected = Buffer.concat([f.bytesA, bytesBig, f.bytesB.subarray(5)]);
  let ended = false;
  let closed = false;
  const port = await serve(t, (_req, res) => {
    const body = new FileRangeStream(spans);
    body.on('end', () => { ended = true; });
    body.on('close', () => { closed = true; });
    res.setHeader('content-length', expected.length);
    body.pipe(res);
  });
  const hash = createHash('sha256');
  let length = 0;
  await new Promise<void>((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/' }, (res) => {
      // Nothing read for 300 ms, then a chunk at a time with pauses: the server's writes wait on a full socket.
      res.pause();
      setTimeout(() => res.resume(), 300);
      res.on('data', (c: Buffer) => {
        hash.update(c);
        length += c.length;
        res.pause();
        setTimeout(() => res.resume(), 1);
      });
      res.on('end', resolve);
      res.on('error', reject);
    }).on('error', reject).end();
  });
  t.equal(length, expected.length, 'every byte');
  t.equal(hash.digest('hex'), createHash('sha256').update(expected).digest('hex'), 'the right bytes: no buffer was read into while its write was pending');
  t.ok(ended && closed, 'the stream ended and closed (what fastify and the file hold wait for)');
});

t.test('piped into a response – a client that goes away: the stream is destroyed and its file closed', async (t) => {
  const f = files(t);
  const before = openFds();
  let closedStream: Promise<void> | undefined;
  const port = await serve(t, (_req, res) => {
    const body = new FileRangeStream([{ path: f.a, from: 0, to: f.bytesA.length - 1 }]);
    closedStream = new Promise((resolve) => body.on('close', () => resolve()));
    res.setHeader('content-length', f.bytesA.length);
    // What fastify does: destroy the source when the response closes early.
    res.on('close', () => { if (!res.writableFinished) body.destroy(); });
    body.pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/' }, (res) => {
      res.once('data', () => { req.destroy(); resolve(); });
    });
    req.on('error', () => undefined);
    req.end();
    setTimeout(() => reject(new Error('no data')), 5000);
  });
  await closedStream;
  await new Promise((r) => setTimeout(r, 50));
  t.ok(openFds() <= before + 1, `no file left open (${before} descriptors before, ${openFds()} after)`);
});

t.test('piped into anything but a response – the ordinary stream path (new buffers)', async (t) => {
  const f = files(t);
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  new FileRangeStream([{ path: f.b, from: 0, to: f.bytesB.length - 1 }]).pipe(out);
  await done;
  t.same(Buffer.concat(chunks), f.bytesB);
});
