/**
 * A disk that fills up in the middle of a plain (not aws-chunked) PutObject: the client gets an
 * S3 error answer, not a reset socket; nothing is stored; the connection is then closed or
 * usable, never wedged. The full disk is simulated by making the object file's write fail with
 * ENOSPC after its first bytes.
 */
import t from 'tap';
import fs from 'node:fs';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { startServer } from '../helpers/server';
import { s3Http, signRequest } from '../helpers/s3-inject';

const SIZE = 2 * 1024 * 1024;

t.test('disk full – a plain PUT gets an S3 error answer, the body is not stored, the socket is not reset', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: 'full' })).statusCode, 200);

  const real = fs.createWriteStream;
  t.teardown(() => { fs.createWriteStream = real; });
  (fs as { createWriteStream: unknown }).createWriteStream = (path: fs.PathLike, options?: unknown) => {
    if (!String(path).startsWith(server.dataDir)) return real(path, options as never);
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _enc, cb) {
        written += chunk.length;
        if (written <= 64 * 1024) return cb();
        cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }));
      },
    });
  };

  const port = Number(new URL(server.endpoint).port);
  const signed = await signRequest({ method: 'PUT', bucket: 'full', key: 'big.bin', payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-length': String(SIZE) } });
  const head = `PUT ${signed.url} HTTP/1.1\r\n${Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  const answer = await new Promise<{ text: string; reset: boolean }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let reset = false;
    const timer = setTimeout(() => socket.destroy(), 10_000);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (/\r\n\r\n[\s\S]*<\/Error>/.test(Buffer.concat(chunks).toString('latin1'))) socket.end();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'ECONNRESET') reset = true; });
    socket.on('close', () => { clearTimeout(timer); resolve({ text: Buffer.concat(chunks).toString('latin1'), reset }); });
    socket.on('connect', () => {
      socket.write(head);
      const body = Buffer.alloc(SIZE, 7);
      for (let i = 0; i < SIZE; i += 64 * 1024) socket.write(body.subarray(i, i + 64 * 1024));
    });
  });
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer.text)?.[1]);
  t.ok(status >= 500, `an error status (${status}), with an S3 error document`);
  t.match(answer.text, /<Error><Code>[A-Za-z]+<\/Code>/);
  t.notOk(answer.reset && answer.text === '', 'the answer arrived before any reset');
  fs.createWriteStream = real;
  t.equal((await s3Http(server.endpoint, { method: 'HEAD', bucket: 'full', key: 'big.bin' })).statusCode, 404, 'nothing stored');
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: 'full', key: 'after', body: 'ok' })).statusCode, 200, 'the server still stores objects');
});
