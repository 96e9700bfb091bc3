/**
 * `npm run bench:ab`: two crossbucket servers side by side (two builds, or one build with two
 * sets of node flags or log settings), the same workload run on each in turn, round after
 * round, and the server CPU per request of each (docs/benchmarks.md "Measuring a change").
 * On a VM whose host is busy, CPU time per request moves by 2-3× from one minute to the next;
 * the ratio B/A within a round barely does, so its median over the rounds is the figure to read.
 *
 * Settings: BENCH_AB_A_DIST / BENCH_AB_B_DIST (a build's output directory, default this one),
 * BENCH_AB_A_ARGS / BENCH_AB_B_ARGS (node flags, space-separated), BENCH_AB_LOG (`a`, `b` or
 * `ab`: that side logs at `info` to a file, or to a pipe with BENCH_AB_LOG_TO=pipe), BENCH_AB_WORKLOADS (default get,preflight,put),
 * BENCH_AB_ROUNDS (8), BENCH_AB_MS (window, 2000), BENCH_AB_CONCURRENCY (16), BENCH_POOL_KEYS (5000),
 * BENCH_AB_BOTH_WAYS=1 (a second pass with B's server launched first; see `bothWays`).
 * Run it on the client core: `taskset -c 1 node dist/bench/ab.js` (the servers run on core 0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { putRequestsFor, type RateWorkload } from './config';
import { machine } from './machine';
import { runJob } from './loadgen';
import { CROSSBUCKET_CREDENTIALS, type Target } from './requests';
import { cpuSeconds, crossbucketEntry, launch, LOG_TO_PIPE, type ServerHandle } from './servers';
import { setUpPool } from './setup';

interface Side {
  name: 'A' | 'B';
  dist: string;
  args: string[];
  logged: boolean;
  server?: ServerHandle;
  target?: Target;
}

export interface AbRow {
  workload: string;
  /** The side whose server was launched (and had its pool set up) first in this pass. */
  first: 'A' | 'B';
  a: number[];
  b: number[];
  /** B/A per round. */
  ratios: number[];
  /** B/A of requests per second per round: a change that moves waiting (a disk sync) off the event loop shows here, not in CPU. */
  rateRatios: number[];
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/**
 * Each workload's B/A both ways round: the geometric mean of the medians of a pass with A's server
 * launched first and one with B's. The same build on both sides has come out 5% apart
 * (docs/benchmarks.md "Measuring a change"), by the order or by each process's own luck; the mean
 * cancels what the order gives.
 */
export function bothWays(rows: readonly AbRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) {
    if (row.first !== 'A') continue;
    const other = rows.find((r) => r.workload === row.workload && r.first === 'B');
    if (other !== undefined) out.set(row.workload, Math.sqrt(quantile(row.ratios, 0.5) * quantile(other.ratios, 0.5)));
  }
  return out;
}

export async function runAb(env: NodeJS.ProcessEnv = process.env): Promise<AbRow[]> {
  const here = join(__dirname, '..');
  const side = (name: 'A' | 'B'): Side => ({
    name,
    dist: env[`BENCH_AB_${name}_DIST`] ?? here,
    args: (env[`BENCH_AB_${name}_ARGS`] ?? '').split(' ').filter(Boolean),
    logged: (env.BENCH_AB_LOG ?? '').toLowerCase().includes(name.toLowerCase()),
  });
  const sides = [side('A'), side('B')];
  const workloads = (env.BENCH_AB_WORKLOADS ?? 'get,preflight,put').split(',').filter(Boolean) as RateWorkload[];
  const rounds = Number(env.BENCH_AB_ROUNDS ?? 8);
  const windowMs = Number(env.BENCH_AB_MS ?? 2000);
  const concurrency = Number(env.BENCH_AB_CONCURRENCY ?? 16);
  const poolKeys = Number(env.BENCH_POOL_KEYS ?? 5000);
  const settings: PassSettings = { env, workloads, rounds, windowMs, concurrency, poolKeys };
  const rows = await runPass(settings, sides);
  if (env.BENCH_AB_BOTH_WAYS === '1') rows.push(...await runPass(settings, [side('B'), side('A')]));
  return rows;
}

interface PassSettings {
  env: NodeJS.ProcessEnv;
  workloads: RateWorkload[];
  rounds: number;
  windowMs: number;
  concurrency: number;
  poolKeys: number;
}

/** Two fresh servers, launched in the order of `sides`, and every workload's rounds on them. */
async function runPass({ env, workloads, rounds, windowMs, concurrency, poolKeys }: PassSettings, sides: Side[]): Promise<AbRow[]> {
  const first = sides[0]?.name ?? 'A';
  const root = mkdtempSync(join(env.BENCH_TMPDIR ?? tmpdir(), 'crossbucket-ab-'));
  try {
    for (const s of sides) {
      process.env.BENCH_CROSSBUCKET_DIST = s.dist;
      s.server = await launch({ kind: 'crossbucket', dataDir: join(root, s.name), cpu: env.BENCH_SERVER_CPU ?? '0', listKeys: 0, pageSize: 1000, nodeArgs: s.args, ...(s.logged ? { logFile: env.BENCH_AB_LOG_TO === LOG_TO_PIPE ? LOG_TO_PIPE : join(root, `${s.name}.log`) } : {}) });
      const target: Target = { origin: s.server.origin, creds: CROSSBUCKET_CREDENTIALS };
      s.target = target;
      await setUpPool(target, poolKeys);
    }
    const rows = new Map<string, AbRow>(workloads.map((w) => [w, { workload: w, first, a: [], b: [], ratios: [], rateRatios: [] }]));
    let run = 0;
    // Round -1 warms both servers up and is not counted; the order alternates every round.
    for (let round = -1; round < rounds; round++) {
      for (const workload of workloads) {
        const perSide: Record<string, number> = {};
        const rate: Record<string, number> = {};
        for (const s of round % 2 === 0 ? sides : [...sides].reverse()) {
          const server = s.server as ServerHandle;
          const before = cpuSeconds(server.pid);
          const r = await runJob({ kind: 'rate', workload, target: s.target as Target, concurrency, warmupMs: 0, durationMs: windowMs, size: 4096, maxRequests: workload.startsWith('put') ? putRequestsFor(windowMs) : 0, keyPrefix: `ab-${run++}-`, poolKeys });
          if (r.errors > 0) throw new Error(`${s.name} ${workload}: ${r.errors} failed requests (${r.firstError ?? ''})`);
          perSide[s.name] = ((cpuSeconds(server.pid) - before) * 1e6) / r.ops;
          rate[s.name] = r.ops;
        }
        if (round < 0) continue;
        const row = rows.get(workload) as AbRow;
        row.a.push(perSide.A as number);
        row.b.push(perSide.B as number);
        row.ratios.push((perSide.B as number) / (perSide.A as number));
        row.rateRatios.push((rate.B as number) / (rate.A as number));
      }
    }
    return [...rows.values()];
  } finally {
    for (const s of sides) await s.server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runAb().then((rows) => {
    const f = (v: number) => v.toFixed(0);
    // CPU per request depends on the host first: a figure means little without the CPU it ran on.
    process.stdout.write(`CPU: ${machine().cpu}\n`);
    // What each side ran: a build's bundle, or tsc's output where it has none (scripts/bundle.js).
    for (const n of ['A', 'B']) process.stdout.write(`${n}: node ${relative(process.cwd(), crossbucketEntry(process.env[`BENCH_AB_${n}_DIST`] ?? join(__dirname, '..')))}\n`);
    process.stdout.write('\n');
    process.stdout.write('| workload | A µs/request (min, median) | B µs/request (min, median) | B/A per round, median | rounds | B/A requests per second, median | launched first |\n| --- | --- | --- | --- | --- | --- | --- |\n');
    for (const r of rows) {
      process.stdout.write(`| ${r.workload} | ${f(quantile(r.a, 0))}, ${f(quantile(r.a, 0.5))} | ${f(quantile(r.b, 0))}, ${f(quantile(r.b, 0.5))} | ${quantile(r.ratios, 0.5).toFixed(3)} | ${r.ratios.map((x) => x.toFixed(2)).join(' ')} | ${quantile(r.rateRatios, 0.5).toFixed(3)} | ${r.first} |\n`);
    }
    const both = bothWays(rows);
    if (both.size > 0) process.stdout.write(`\nB/A both ways round (geometric mean of the two passes' medians): ${[...both].map(([w, v]) => `${w} ${v.toFixed(3)}`).join(', ')}\n`);
  }).catch((err: unknown) => {
    process.stderr.write(`bench:ab: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
