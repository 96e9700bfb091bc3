/**
 * The cost of a streaming console (docs/console.md, issue 18): the preflight and GET (with an
 * Origin) request rates with nobody listening, and with a signed `GET /_crossbucket/events`
 * stream open and read, alternated round by round.
 *
 *   node --import=./test/loader/import.mjs bench/console-overhead.ts
 *
 * The server runs in a child process pinned to CPU 0 (taskset, when there is one), the load and
 * the stream reader in this process (pin it with `taskset -c 1`). Settings: CONSOLE_BENCH_ROUNDS
 * (default 5), CONSOLE_BENCH_MS (window, default 3000), CONSOLE_BENCH_CONCURRENCY (default 16).
 */
import { spawn, spawnSync } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { start } from '../server/cli/start';
import { Pool } from 'undici';
import { BUCKET, CORS_ORIGIN, CROSSBUCKET_CREDENTIALS, SMALL_KEY, getObjectRequest, preflightRequest, type Target } from './requests';
import { EMPTY_SHA256, signRequest, type SignedRequest } from './sigv4';

async function serve(): Promise<void> {
  const s = await start({ port: 0 });
  const owner = s.app.services.config.users[0];
  if (!owner) throw new Error('no user');
  s.storage.createBucket({ name: BUCKET, createdAt: new Date(), owner: owner.id, acl: 'private', region: s.region });
  s.storage.setBucketCors(BUCKET, { rules: [{ allowedOrigins: [CORS_ORIGIN], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'], exposeHeaders: ['ETag'] }] });
  const staged = await s.storage.stage(Readable.from([Buffer.alloc(4096, 'x')]), { checksums: [], inline: true });
  await s.storage.commitObject(BUCKET, SMALL_KEY, staged, {
    meta: { content: { contentType: 'application/octet-stream' }, user: {} }, etag: `"${staged.md5.toString('hex')}"`, checksums: {}, owner: owner.id, acl: 'private',
  });
  process.stdout.write(`${s.port}\n`);
  // `cpu` on stdin: this process's CPU time so far, in microseconds.
  createInterface({ input: process.stdin }).on('line', () => {
    const u = process.cpuUsage();
    process.stdout.write(`${u.user + u.system}\n`);
  });
}

async function rate(pool: Pool, req: SignedRequest, concurrency: number, ms: number): Promise<{ perSecond: number; count: number }> {
  let done = 0;
  let failed = 0;
  const until = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < until) {
      const res = await pool.request({ method: req.method as 'GET', path: req.url, headers: req.headers });
      await res.body.dump();
      if (res.statusCode >= 300) failed++;
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failed > 0) throw new Error(`${failed} requests failed`);
  return { perSecond: done / ((performance.now() - started) / 1000), count: done };
}

/** A signed event stream, read and thrown away; resolves with a close function. */
async function openStream(port: number): Promise<{ events: () => number; close: () => void }> {
  const host = `127.0.0.1:${port}`;
  const signed = signRequest({ method: 'GET', path: '/_crossbucket/events', headers: { host }, payloadHash: EMPTY_SHA256 }, CROSSBUCKET_CREDENTIALS);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: signed.url, headers: signed.headers }, resolve);
    req.on('error', reject);
    req.end();
  });
  if (res.statusCode !== 200) throw new Error(`events: ${res.statusCode}`);
  let events = 0;
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => { events += chunk.split('\nevent: ').length - 1; });
  res.on('error', () => undefined);
  return { events: () => events, close: () => res.destroy() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const rounds = Number(process.env.CONSOLE_BENCH_ROUNDS ?? 5);
  const ms = Number(process.env.CONSOLE_BENCH_MS ?? 3000);
  const concurrency = Number(process.env.CONSOLE_BENCH_CONCURRENCY ?? 16);
  const loader = ['--import=./test/loader/import.mjs', __filename, 'serve'];
  const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const child = pinned ? spawn('taskset', ['-c', '0', process.execPath, ...loader], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn(process.execPath, loader, { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const lines$ = createInterface({ input: child.stdout! });
    const nextLine = () => new Promise<string>((resolve) => lines$.once('line', resolve));
    const port = Number(await nextLine());
    const serverCpu = async () => { const line = nextLine(); child.stdin!.write('cpu\n'); return Number(await line); };
    const target: Target = { origin: `http://127.0.0.1:${port}`, creds: CROSSBUCKET_CREDENTIALS };
    const workloads: Record<string, SignedRequest> = {
      preflight: preflightRequest(target, SMALL_KEY),
      'get-origin': getObjectRequest(target, SMALL_KEY, 'GET', CORS_ORIGIN),
    };
    const lines: string[] = [];
    for (const [name, req] of Object.entries(workloads)) {
      const off: number[] = [];
      const on: number[] = [];
      const cpuOff: number[] = [];
      const cpuOn: number[] = [];
      let streamed = 0;
      for (let r = 0; r < rounds; r++) {
        for (const streaming of r % 2 === 0 ? [false, true] : [true, false]) {
          const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1 });
          const stream = streaming ? await openStream(port) : undefined;
          await rate(pool, req, concurrency, 500); // warm-up
          const cpu0 = await serverCpu();
          const { perSecond, count } = await rate(pool, req, concurrency, ms);
          const cpu = (await serverCpu() - cpu0) / count;
          (streaming ? on : off).push(perSecond);
          (streaming ? cpuOn : cpuOff).push(cpu);
          await new Promise((resolve) => setTimeout(resolve, 200));
          if (stream) { streamed += stream.events(); stream.close(); }
          await pool.close();
        }
      }
      const a = median(off);
      const b = median(on);
      const ca = median(cpuOff);
      const cb = median(cpuOn);
      lines.push(`${name.padEnd(11)} without: ${a.toFixed(0).padStart(6)} req/s, ${ca.toFixed(1)} µs server CPU/request   ` +
        `with a streaming console: ${b.toFixed(0).padStart(6)} req/s, ${cb.toFixed(1)} µs/request   ` +
        `change: ${(((b - a) / a) * 100).toFixed(1)}% req/s, ${(((cb - ca) / ca) * 100).toFixed(1)}% CPU/request   ` +
        `(medians of ${rounds}; ${streamed} events streamed; req/s off ${off.map((x) => x.toFixed(0)).join('/')} on ${on.map((x) => x.toFixed(0)).join('/')})`);
    }
    process.stdout.write(`console overhead (server ${pinned ? 'pinned to CPU 0' : 'unpinned'}, concurrency ${concurrency}, ${ms} ms windows)\n${lines.join('\n')}\n`);
  } finally {
    child.kill();
  }
}

if (process.argv[2] === 'serve') void serve();
else main().catch((err: unknown) => { console.error(err); process.exit(1); });
