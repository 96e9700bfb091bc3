/**
 * For the tests of the requests answered in front of fastify (server/pipeline/answer-first.ts): a
 * request sent over a real connection, answers put in a form where one from `inject` (always
 * fastify's route) and one over a socket can be compared, and an app that shows who answered.
 */
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Test } from 'tap';
import { buildApp } from '../../server/app';
import { makeLogger } from '../../server/http/logging';
import { openSqliteStorage } from '../../storage';
import { tempDir } from '../helpers/server';

export interface Answer { status: number; headers: Record<string, string>; body: Buffer }

/** Headers only a socket answer has (node's framing) or that differ on every answer. */
const UNCOMPARED = new Set(['date', 'connection', 'keep-alive', 'x-amz-request-id', 'x-amz-id-2']);

/** An answer without what differs on every answer: the ids, the date, node's framing, an error page's ids. */
export function comparable(a: Answer): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(a.headers)) if (!UNCOMPARED.has(name)) headers[name] = value;
  const body = a.body.toString('latin1')
    .replace(/<RequestId>[^<]*<\/RequestId><HostId>[^<]*<\/HostId>/, '')
    .replace(/<li>(?:RequestId|HostId): [^<]*<\/li>\n?/g, '');
  return { status: a.status, headers, body };
}

/** One request on a connection of its own. */
export function overSocket(port: number, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: url, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes `bytes` on a connection and reads one answer's head and Content-Length body. */
export function exchange(socket: Socket, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer): void => {
      text += d.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      socket.off('data', onData);
      socket.off('error', reject);
      resolve(text);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(bytes);
  });
}

/**
 * An app on a fresh data directory, logging at `info` into `lines`, that counts the requests
 * fastify's pipeline takes (`throughFastify`) and runs `whileClosing` once the server has begun to
 * close; closed and removed when `t` ends.
 */
export function watchedApp(t: Test) {
  const tmp = tempDir();
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  const lines: Array<Record<string, unknown>> = [];
  const loggerInstance = makeLogger({ level: 'info', destination: { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } } });
  const app = buildApp({ storage, loggerInstance });
  const watched = { app, dir: tmp.dir, lines, throughFastify: 0, whileClosing: undefined as (() => Promise<void>) | undefined };
  app.addHook('onRequest', async () => { watched.throughFastify++; });
  // Runs after the early answers' own preClose hook (registered by buildApp): the server is closing.
  app.addHook('preClose', (done) => { void (watched.whileClosing?.() ?? Promise.resolve()).then(() => done(), done); });
  t.teardown(async () => { await app.close(); storage.close(); tmp.remove(); });
  return watched;
}
