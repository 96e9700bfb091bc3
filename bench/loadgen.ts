/**
 * The load generator: its own process, pinned by the orchestrator to the client core. Reads jobs
 * (one JSON line each) on stdin, signs every request it can before each timed window, runs the job
 * with fresh keep-alive connections (the rate workloads and large GETs through `raw-sender.ts`,
 * large PUTs, scans and pages through undici) and prints one JSON result line. Its own CPU use over the window is in
 * the result, so a saturated client shows.
 */
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { RateWorkload } from './config';
import {
  SMALL_KEY, VERSIONED_BUCKET, digestOf, poolKey, getObjectRequest, listRequest, preflightRequest, putObjectRequest,
  CORS_ORIGIN, type Target,
} from './requests';
import { rawSender, type Outcome, type Sender } from './raw-sender';
import type { SignedRequest } from './sigv4';
import { summarise, type RunResult } from './stats';

export type Job =
  | { kind: 'rate'; workload: RateWorkload; target: Target; concurrency: number; warmupMs: number; durationMs: number; size: number; maxRequests: number; keyPrefix: string; poolKeys: number }
  | { kind: 'large-put' | 'large-get'; target: Target; size: number; key: string; unsigned?: boolean; repeat?: number }
  | { kind: 'seed-pool'; target: Target; size: number; keys: number; bucket?: string }
  | { kind: 'scan'; target: Target; pageSize: number; expectedKeys: number; budgetMs: number }
  | { kind: 'page'; target: Target; params: Record<string, string>; durationMs: number };

function undiciSender(target: Target, connections: number): Sender {
  const pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 600_000, bodyTimeout: 600_000 });
  return {
    async send(r, body, keepBody = false) {
      const options: Dispatcher.RequestOptions = { method: r.method as Dispatcher.HttpMethod, path: r.url, headers: r.headers };
      if (body !== undefined) options.body = body;
      const res = await pool.request(options);
      let bytes = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) {
        bytes += (chunk as Buffer).length;
        if (keepBody || res.statusCode >= 300) chunks.push(chunk as Buffer);
      }
      const end = performance.now();
      const out: Outcome = { status: res.statusCode, bytes, cors: res.headers['access-control-allow-origin'] !== undefined, end };
      if (chunks.length > 0) out.body = Buffer.concat(chunks).toString('utf8');
      return out;
    },
    close: () => pool.close(),
  };
}

function patterned(size: number): Buffer {
  const body = Buffer.allocUnsafe(size);
  randomFillSync(body, 0, Math.min(size, 1 << 20));
  for (let at = 1 << 20; at < size; at += 1 << 20) body.copy(body, at, 0, Math.min(1 << 20, size - at));
  return body;
}

async function rate(job: Extract<Job, { kind: 'rate' }>): Promise<RunResult> {
  const { target, workload } = job;
  const isPut = workload === 'put' || workload === 'put-versioned';
  const body = isPut ? patterned(job.size) : undefined;
  let requests: SignedRequest[];
  if (workload === 'put') {
    const digest = digestOf(body as Buffer);
    const now = new Date();
    requests = Array.from({ length: job.maxRequests }, (_, i) => putObjectRequest(target, `${job.keyPrefix}${i}`, digest, now));
  } else if (workload === 'put-versioned') {
    // The versioned pool's keys round-robin: every PUT adds a version to a key that has some.
    const digest = digestOf(body as Buffer);
    const now = new Date();
    const keys = Math.max(1, job.poolKeys);
    requests = Array.from({ length: job.maxRequests }, (_, i) => putObjectRequest(target, poolKey(i % keys), digest, now, false, VERSIONED_BUCKET));
  } else if (workload === 'preflight') {
    requests = [preflightRequest(target, SMALL_KEY)];
  } else {
    const method = workload === 'head' || workload === 'head-hot' ? 'HEAD' : 'GET';
    const origin = workload === 'get-origin' ? CORS_ORIGIN : undefined;
    // The pool's keys in a random order (a fresh shuffle per run), read round and round.
    const keys = workload.endsWith('-hot') || job.poolKeys === 0 ? [SMALL_KEY] : shuffled(Array.from({ length: job.poolKeys }, (_, i) => poolKey(i)));
    const bucket = workload === 'get-versioned' ? VERSIONED_BUCKET : undefined;
    requests = keys.map((key) => getObjectRequest(target, key, method, origin, bucket));
  }
  const wantsCors = workload === 'preflight' || workload === 'get-origin';
  const pool = rawSender(target.origin, job.concurrency);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let missingCors = 0;
  let firstError: string | undefined;
  let next = 0;
  let exhausted = false;
  const started = performance.now();
  const windowStart = started + job.warmupMs;
  const windowEnd = windowStart + job.durationMs;
  let cpuAtWindow: NodeJS.CpuUsage | undefined;
  let lastDone = windowStart;
  const cpuTimer = setTimeout(() => { cpuAtWindow = process.cpuUsage(); }, job.warmupMs);

  async function worker(): Promise<void> {
    for (;;) {
      const t0 = performance.now();
      // The window closes on time once it holds at least one measured request.
      if (t0 >= windowEnd && latencies.length > 0) return;
      let r: SignedRequest | undefined;
      if (isPut) {
        r = requests[next++];
        if (r === undefined) { exhausted = true; return; }
      } else {
        r = requests[next++ % requests.length] as SignedRequest;
      }
      let outcome: Outcome;
      try {
        outcome = await pool.send(r, body);
      } catch (err) {
        errors++;
        firstError ??= String(err);
        continue;
      }
      const t1 = outcome.end;
      if (t0 < windowStart) continue;
      latencies.push(t1 - t0);
      if (t1 > lastDone) lastDone = t1;
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      if (outcome.status !== 200) { errors++; firstError ??= `${outcome.status} ${outcome.body ?? ''}`.slice(0, 400); }
      if (wantsCors && !outcome.cors) missingCors++;
    }
  }
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  clearTimeout(cpuTimer);
  const cpu = process.cpuUsage(cpuAtWindow);
  const seconds = Math.max(1e-9, (lastDone - windowStart) / 1000);
  await pool.close();
  const result = summarise(latencies, seconds);
  result.errors = errors;
  result.statuses = statuses;
  result.clientCpu = (cpu.user + cpu.system) / 1e6 / seconds;
  if (exhausted) result.exhausted = true;
  if (wantsCors) result.missingCors = missingCors;
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** The pool the GET/HEAD workloads read: `keys` objects of `size` bytes, PUT 32 at a time. */
async function seedPool(job: Extract<Job, { kind: 'seed-pool' }>): Promise<RunResult> {
  const pool = undiciSender(job.target, 32);
  const body = patterned(job.size);
  const digest = digestOf(body);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let i = next++; i < job.keys; i = next++) {
      const outcome = await pool.send(putObjectRequest(job.target, poolKey(i), digest, undefined, false, job.bucket), body);
      if (outcome.status !== 200) { errors++; firstError ??= `${outcome.status} ${outcome.body ?? ''}`.slice(0, 400); }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  const result = summarise([], seconds);
  result.ops = job.keys;
  result.opsPerSec = job.keys / seconds;
  result.errors = errors;
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

/** Large bodies are built once per size and reused (building 256 MiB takes a while). */
const bodies = new Map<number, Buffer>();

async function large(job: Extract<Job, { kind: 'large-put' | 'large-get' }>): Promise<RunResult> {
  // A download is counted as it arrives (bench/raw-sender.ts): through undici's body stream the
  // client core sat at 93-98% during every server's 64 MiB GETs, so that row measured the client.
  const pool = job.kind === 'large-get' ? rawSender(job.target.origin, 1) : undiciSender(job.target, 1);
  let request: SignedRequest;
  let body: Buffer | undefined;
  if (job.kind === 'large-put') {
    body = bodies.get(job.size) ?? patterned(job.size);
    bodies.clear();
    bodies.set(job.size, body);
    request = putObjectRequest(job.target, job.key, digestOf(body), undefined, job.unsigned === true);
  } else {
    request = getObjectRequest(job.target, job.key);
  }
  // `repeat` transfers one after the other on one connection (a PUT overwrites the key each
  // time): the figure is the bytes of all of them over the time from the first request to the last byte.
  const repeat = Math.max(1, job.repeat ?? 1);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes = 0;
  let outcome: Awaited<ReturnType<typeof pool.send>> | undefined;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    outcome = await pool.send(request, body);
    latencies.push(outcome.end - start);
    const got = job.kind === 'large-put' ? job.size : outcome.bytes;
    bytes += got;
    if (outcome.status !== 200 || got !== job.size) {
      errors++;
      firstError ??= `${outcome.status} ${got} bytes ${outcome.body ?? ''}`.slice(0, 400);
    }
  }
  const last = outcome as NonNullable<typeof outcome>;
  const seconds = (last.end - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  const result = summarise(latencies, seconds);
  result.bytes = bytes;
  result.mibPerSec = bytes / 1024 / 1024 / seconds;
  result.clientCpu = (cpu.user + cpu.system) / 1e6 / seconds;
  result.statuses = { [last.status]: repeat };
  result.errors = errors;
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

function count(text: string, tag: string): number {
  let n = 0;
  for (let at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + tag.length)) n++;
  return n;
}

/** ListObjectsV2 over the whole bucket, page after page. Only the requests are timed. */
async function scan(job: Extract<Job, { kind: 'scan' }>): Promise<RunResult> {
  const pool = undiciSender(job.target, 1);
  const latencies: number[] = [];
  let token: string | undefined;
  let keys = 0;
  let errors = 0;
  let firstError: string | undefined;
  let complete = false;
  let busy = 0;
  const cpu0 = process.cpuUsage();
  for (;;) {
    const params: Record<string, string> = { 'max-keys': String(job.pageSize) };
    if (token !== undefined) params['continuation-token'] = token;
    const request = listRequest(job.target, params);
    const t0 = performance.now();
    const outcome = await pool.send(request, undefined, true);
    const ms = outcome.end - t0;
    busy += ms;
    latencies.push(ms);
    const text = outcome.body ?? '';
    if (outcome.status !== 200) { errors++; firstError = `${outcome.status} ${text}`.slice(0, 400); break; }
    keys += count(text, '<Key>');
    const truncated = text.includes('<IsTruncated>true</IsTruncated>');
    token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(text)?.[1];
    if (!truncated) { complete = true; break; }
    if (token === undefined) { errors++; firstError = 'truncated page without NextContinuationToken'; break; }
    if (busy > job.budgetMs) break;
  }
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  const seconds = busy / 1000;
  const result = summarise(latencies, seconds);
  result.pages = latencies.length;
  result.keys = keys;
  result.complete = complete;
  // An interrupted scan is extrapolated from the keys it saw.
  result.scanSeconds = complete || keys === 0 ? seconds : (seconds * job.expectedKeys) / keys;
  result.clientCpu = (cpu.user + cpu.system) / 1e6 / seconds;
  result.errors = errors + (complete && keys !== job.expectedKeys ? 1 : 0);
  if (complete && keys !== job.expectedKeys) firstError ??= `scan saw ${keys} keys, expected ${job.expectedKeys}`;
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

/** One list page, repeated one at a time (after one untimed request) for about durationMs. */
async function page(job: Extract<Job, { kind: 'page' }>): Promise<RunResult> {
  const pool = undiciSender(job.target, 1);
  const request = listRequest(job.target, job.params);
  const first = await pool.send(request, undefined, true);
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  let busy = 0;
  let errors = first.status === 200 ? 0 : 1;
  do {
    const t0 = performance.now();
    const outcome = await pool.send(request);
    const ms = outcome.end - t0;
    busy += ms;
    latencies.push(ms);
    if (outcome.status !== 200) errors++;
  } while (busy < job.durationMs);
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  const result = summarise(latencies, busy / 1000);
  const text = first.body ?? '';
  result.keys = count(text, '<Key>');
  result.prefixes = count(text, '<CommonPrefixes>');
  result.clientCpu = (cpu.user + cpu.system) / 1e6 / (busy / 1000);
  result.errors = errors;
  if (errors > 0) result.firstError = `${first.status} ${text}`.slice(0, 400);
  return result;
}

export function runJob(job: Job): Promise<RunResult> {
  switch (job.kind) {
    case 'rate': return rate(job);
    case 'large-put':
    case 'large-get': return large(job);
    case 'scan': return scan(job);
    case 'page': return page(job);
    case 'seed-pool': return seedPool(job);
  }
}

/** Jobs arrive one JSON line at a time on stdin; each result goes out as one JSON line. */
if (require.main === module) {
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    queue = queue
      .then(() => runJob(JSON.parse(line) as Job))
      .then((result) => { process.stdout.write(JSON.stringify(result) + '\n'); })
      .catch((err: unknown) => {
        process.stderr.write(`loadgen: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exit(1);
      });
  });
}
