/**
 * `npm run bench:alloc`: bytes the JavaScript heap allocates per request, by workload, for one
 * crossbucket server (docs/benchmarks.md "Allocation per request"). V8 reports every collection
 * with `--trace-gc-nvp`, including how many bytes were allocated since the one before; their
 * sum over a timed window, divided by the requests in it, is a figure that does not move with
 * the machine's load (CPU time on a shared host can move by 3×), so a change that makes the
 * request path allocate less shows up even when timings are too noisy to tell.
 *
 * Settings: BENCH_ALLOC_WORKLOADS (default get,get-origin,head,preflight,put),
 * BENCH_ALLOC_MS (window per workload, default 3000), BENCH_POOL_KEYS (default 5000),
 * BENCH_SERVER_CPU (default 0), BENCH_QUICK=1 (a few hundred ms, 50 keys).
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putRequestsFor, type RateWorkload } from './config';
import { runJob } from './loadgen';
import { crossbucketEntry, freePort } from './servers';
import { CROSSBUCKET_CREDENTIALS, type Target } from './requests';
import { setUpPool } from './setup';

export interface AllocResult {
  workload: string;
  requests: number;
  collections: number;
  kibPerRequest: number;
  gcPauseUsPerRequest: number;
}

/** Sums the `allocated=` and `pause=` fields of the --trace-gc-nvp lines after `from` bytes of the trace. */
function collections(trace: string, from: number): { bytes: number; count: number; pauseMs: number } {
  let bytes = 0;
  let count = 0;
  let pauseMs = 0;
  for (const m of readFileSync(trace, 'utf8').slice(from).matchAll(/pause=([\d.]+).*?allocated=(\d+)/g)) {
    pauseMs += Number(m[1]);
    bytes += Number(m[2]);
    count++;
  }
  return { bytes, count, pauseMs };
}

export async function measureAllocation(env: NodeJS.ProcessEnv = process.env): Promise<AllocResult[]> {
  const quick = env.BENCH_QUICK === '1';
  const workloads = (env.BENCH_ALLOC_WORKLOADS ?? 'get,get-origin,head,preflight,put').split(',').filter(Boolean) as RateWorkload[];
  const windowMs = Number(env.BENCH_ALLOC_MS ?? (quick ? 300 : 3000));
  const poolKeys = Number(env.BENCH_POOL_KEYS ?? (quick ? 50 : 5000));
  const dir = mkdtempSync(join(env.BENCH_TMPDIR ?? tmpdir(), 'crossbucket-alloc-'));
  const trace = join(dir, 'gc-trace.txt');
  const out = openSync(trace, 'w');
  const port = await freePort();
  const main = crossbucketEntry(join(__dirname, '..'));
  const child = spawn('taskset', ['-c', env.BENCH_SERVER_CPU ?? '0', process.execPath, '--trace-gc-nvp', main, '--port', String(port), '--data-dir', join(dir, 'data'), '--log-level', 'silent'], { stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  try {
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); if (/ listening on /.test(stderr)) resolve(); });
      child.once('exit', (code) => reject(new Error(`crossbucket exited (${code}): ${stderr}`)));
    });
    const target: Target = { origin: `http://127.0.0.1:${port}`, creds: CROSSBUCKET_CREDENTIALS };
    await setUpPool(target, poolKeys);
    const results: AllocResult[] = [];
    let run = 0;
    for (const workload of workloads) {
      const job = (durationMs: number) => ({ kind: 'rate' as const, workload, target, concurrency: 16, warmupMs: 0, durationMs, size: 4096, maxRequests: workload.startsWith('put') ? putRequestsFor(durationMs) : 0, keyPrefix: `alloc-${run++}-`, poolKeys });
      // A run-in (V8 optimises the path, the object cache fills), then the measured window.
      await runJob(job(windowMs / 2));
      const from = statSync(trace).size;
      const r = await runJob(job(windowMs));
      // The trace line of a collection is written when it ends.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const c = collections(trace, from);
      results.push({ workload, requests: r.ops, collections: c.count, kibPerRequest: c.bytes / r.ops / 1024, gcPauseUsPerRequest: (c.pauseMs * 1000) / r.ops });
    }
    return results;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => { if (child.exitCode !== null) resolve(undefined); else child.once('exit', resolve); });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  measureAllocation().then((results) => {
    process.stdout.write('| workload (c=16, pool of keys) | requests | collections | KiB allocated per request | GC pause per request |\n| --- | --- | --- | --- | --- |\n');
    for (const r of results) {
      process.stdout.write(`| ${r.workload} | ${r.requests} | ${r.collections} | ${r.kibPerRequest.toFixed(1)} | ${r.gcPauseUsPerRequest.toFixed(1)} µs |\n`);
    }
  }).catch((err: unknown) => {
    process.stderr.write(`bench:alloc: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
