/**
 * bench/raw-sender.ts – the rate workloads' client reads each answer's framing right: a wrong
 * byte count or a missed CORS header would be counted as a failure (or worse, hidden) in a run.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { rawSender } from '../../bench/raw-sender';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A large GET's size in these tests: 3 MiB. */
const BIG = 3 * 1024 * 1024;

/** BIG bytes in 48 writes of 64 KiB, each after the last was flushed: the body arrives over many reads. */
function writeBig(res: ServerResponse): void {
  const piece = Buffer.alloc(BIG / 48, 7);
  const write = (n: number): void => { if (n === 0) { res.end(); return; } res.write(piece, () => write(n - 1)); };
  write(48);
}

t.test('raw sender: lengths, chunks, HEAD, errors, a closed connection and a PUT body', async (t) => {
  let connections = 0;
  /** The client ports that sent requests: one per connection. */
  const ports = new Set<number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    ports.add(req.socket.remotePort ?? 0);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      switch (req.url) {
        case '/length': res.writeHead(200, { 'content-length': '5', 'access-control-allow-origin': '*' }).end('hello'); break;
        case '/chunked': res.writeHead(200); res.write('ab'); setImmediate(() => { res.write('cde'); res.end('f'); }); break;
        case '/head': res.writeHead(200, { 'content-length': '4096' }).end(); break;
        case '/error': res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>'); break;
        case '/close': res.writeHead(200, { connection: 'close', 'content-length': '2' }).end('ok'); break;
        case '/big': writeBig(res.writeHead(200, { 'content-length': String(BIG) })); break;
        case '/big-chunked': writeBig(res.writeHead(200)); break;
        case '/put': res.writeHead(200, { 'content-length': String(String(body.length).length) }).end(String(body.length)); break;
        default: res.writeHead(404).end();
      }
    });
  });
  server.on('connection', () => { connections++; });
  const origin = await listen(server);
  t.teardown(() => server.close());
  const sender = rawSender(origin, 2);
  const host = origin.slice('http://'.length);
  const req = (method: string, url: string): { method: string; url: string; headers: Record<string, string> } => ({ method, url, headers: { host } });

  t.match(await sender.send(req('GET', '/length')), { status: 200, bytes: 5, cors: true }, 'Content-Length framing, the CORS header seen');
  t.match(await sender.send(req('GET', '/chunked'), undefined, true), { status: 200, bytes: 6, cors: false, body: 'abcdef' }, 'chunked framing across packets');
  t.match(await sender.send(req('HEAD', '/head')), { status: 200, bytes: 0 }, 'HEAD: no body despite Content-Length');
  t.match(await sender.send(req('GET', '/error')), { status: 403, body: '<Error><Code>AccessDenied</Code></Error>' }, 'an error keeps its body');
  const before = connections;
  t.match(await sender.send(req('GET', '/close')), { status: 200, bytes: 2 }, 'Connection: close answered');
  t.match(await sender.send(req('GET', '/length')), { status: 200, bytes: 5 }, 'the next request goes out');
  t.equal(connections, before + 1, 'on a new connection');
  // A large body nobody keeps is counted as it arrives; a kept chunked one is gathered whole.
  t.match(await sender.send(req('GET', '/big')), { status: 200, bytes: BIG }, 'a large Content-Length body counted over many reads');
  t.match(await sender.send(req('GET', '/length')), { status: 200, bytes: 5 }, 'the connection reads the next answer after counting');
  const bigChunked = await sender.send(req('GET', '/big-chunked'), undefined, true);
  t.match(bigChunked, { status: 200, bytes: BIG }, 'a large chunked body over many reads');
  t.equal(bigChunked.body?.length, BIG, 'kept whole, every chunk once');
  // Reads land in one reused buffer: what is kept must be a copy, not a view the next read overwrites.
  t.ok(Buffer.from(bigChunked.body ?? '', 'latin1').every((b) => b === 7), 'every byte kept is the byte sent');
  t.match(await sender.send(req('GET', '/big-chunked')), { status: 200, bytes: BIG }, 'a large chunked body not kept');
  const body = Buffer.alloc(100_000, 1);
  const put = req('PUT', '/put');
  t.match(await sender.send(put, body, true), { status: 200, body: '100000' }, 'a PUT body sent whole, Content-Length added');
  ports.clear();
  const many = await Promise.all(Array.from({ length: 50 }, (_, i) => sender.send(req('GET', i % 2 === 0 ? '/length' : '/chunked'))));
  t.same(many.map((o) => o.bytes), Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 5 : 6)), '50 requests at once, each answer framed right');
  t.equal(ports.size, 2, 'the 50 requests went over two connections');
  await sender.close();
});
