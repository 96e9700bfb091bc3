/**
 * `npm run bench`: crossbucket, s3rver and a bare node:http ceiling. Start-up and listings run
 * one server at a time, interleaved (A, B, C, then B, C, A: bench/order.ts) for several rounds; the large objects
 * and the request-rate workloads run with every server up and their windows interleaved
 * (bench/small-session.ts). Medians reported as a Markdown table and written as JSON. Each server runs pinned to one core, the load generator to the other.
 * Settings: see bench/config.ts (BENCH_* environment variables).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { largeRepeat, listLayout, loadConfig, mibLabel, type BenchConfig, type ServerKind } from './config';
import type { Job } from './loadgen';
import { LoadGen, flushDisks, log } from './load-process';
import { machine, reportCpu, waitDiskIdle } from './machine';
import { inTurn } from './order';
import { buildRows, markdownTable, type Medians } from './report';
import { largeKey, type Target } from './requests';
import { seedCrossbucket, seedS3rver } from './seed';
import { crossbucketEntry, launch, memory, resetPeak, waitQuiet, type ServerHandle } from './servers';
import { setUp, smallSession, targetFor } from './small-session';
import { medianResult, type RunResult } from './stats';

type Results = Partial<Record<ServerKind, Record<string, RunResult[]>>>;

/** Runs a job while watching the server's resident memory; adds before/peak/growth to the result. */
async function withRss(load: LoadGen, server: ServerHandle, job: Job): Promise<RunResult> {
  flushDisks();
  const before = memory(server.pid).rssMiB;
  const canReset = resetPeak(server.pid);
  let sampled = before;
  const timer = setInterval(() => {
    try { sampled = Math.max(sampled, memory(server.pid).rssMiB); } catch { /* exited */ }
  }, 10);
  try {
    const result = await load.run(job);
    const peak = Math.max(sampled, canReset ? memory(server.pid).hwmMiB : 0);
    result.rssBeforeMiB = before;
    result.rssPeakMiB = peak;
    result.rssGrowthMiB = peak - before;
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** A server of the round, up, and how to reach it. */
interface RunningServer { kind: ServerKind; server: ServerHandle; target: Target }

/** One large workload: the same job for every server that runs it, `only` one kind if set. */
interface LargeStep { id: string; job(target: Target): Job; only?: ServerKind; untimed?(target: Target): Job }

/**
 * Each size: a signed PUT to a new key, the same PUT again (an overwrite), the same two with
 * UNSIGNED-PAYLOAD, a GET (after an untimed one). The ceiling also runs its hashing variant of
 * the signed PUT, right after the signed PUTs to a new key it is compared with: run after all the
 * PUT steps (until the eighteenth round of issue 19), it came ~10 s and five transfers after
 * crossbucket's, and a change of the host's pace in between moved the ratio from round to round
 * (0.76-1.39 in the runs of the seventeenth round).
 */
function largeSteps(cfg: BenchConfig): LargeStep[] {
  const steps: LargeStep[] = [];
  for (const size of cfg.largeSizes) {
    const mib = mibLabel(size);
    for (const unsigned of [false, true]) {
      const key = largeKey(mib, unsigned);
      const id = `large-put${unsigned ? '-unsigned' : ''}-${mib}`;
      steps.push({ id, job: (target) => ({ kind: 'large-put', target, size, key, unsigned }) });
      if (!unsigned) steps.push({ id: `large-put-hashing-${mib}`, only: 'ceiling', job: (target) => ({ kind: 'large-put', target, size, key: largeKey(mib, false, true) }) });
      steps.push({ id: `${id}-overwrite`, job: (target) => ({ kind: 'large-put', target, size, key, unsigned, repeat: largeRepeat(cfg, size) }) });
    }
    // One untimed GET first: a process's first large download runs at a fraction of the later
    // ones on the client's side (64 MiB: 116, then 304, 458, 516 MiB/s from the bare ceiling),
    // which made every server's 64 MiB GET the same client-bound ~200 MiB/s.
    steps.push({
      id: `large-get-${mib}`,
      untimed: (target) => ({ kind: 'large-get', target, size, key: largeKey(mib, false) }),
      job: (target) => ({ kind: 'large-get', target, size, key: largeKey(mib, false), repeat: largeRepeat(cfg, size) }),
    });
  }
  return steps;
}

/**
 * The large workloads with every server of the round up, each step's windows in turn (as the
 * request-rate windows are, bench/small-session.ts): run server by server, each server's
 * transfers came 20-60 s after the previous server's, and a slow spell of the host could land on
 * one of them: in one full run crossbucket's 64 MiB GET made 750, 410 and 308 MiB/s in its three
 * rounds against s3rver's 355, 425 and 448, a worst round of 0.69×.
 */
async function largeWorkloads(cfg: BenchConfig, load: LoadGen, up: RunningServer[], results: Results): Promise<void> {
  for (const step of largeSteps(cfg)) {
    for (const { kind, server, target } of up) {
      if (step.only !== undefined && step.only !== kind) continue;
      if (step.untimed) await load.run(step.untimed(target));
      await waitQuiet(server.pid, cfg.quick ? 50 : 100);
      record(results, kind, step.id, await withRss(load, server, step.job(target)));
    }
  }
}

function record(results: Results, kind: ServerKind, id: string, r: RunResult): void {
  const perServer = (results[kind] ??= {});
  (perServer[id] ??= []).push(r);
  const f = (n: number | null | undefined, digits = 0) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '–');
  const detail = r.mibPerSec !== undefined ? `${f(r.mibPerSec)} MiB/s rss+${f(r.rssGrowthMiB, 1)}`
    : r.scanSeconds !== undefined ? `${f(r.scanSeconds, 2)} s${r.complete === false ? ' (extrapolated)' : ''}`
      : r.startupMs !== undefined ? `${f(r.startupMs)} ms${r.listeningMs !== undefined ? ` (listening line ${f(r.listeningMs)} ms)` : ''}`
        : `${f(r.opsPerSec)}/s p50 ${f(r.p50Ms, 2)} p99 ${f(r.p99Ms, 2)} ms client ${f((r.clientCpu ?? NaN) * 100)}%${r.serverCpuUsPerOp !== undefined ? ` server ${f(r.serverCpuUsPerOp)} µs/op` : ''}`;
  log(`  ${kind.padEnd(11)} ${id.padEnd(22)} ${detail}${r.errors > 0 ? `  ERRORS ${r.errors}: ${r.firstError ?? ''}` : ''}${r.exhausted ? ' (pre-signed PUTs exhausted)' : ''}`);
}

function nodeArgs(kind: ServerKind): string[] {
  return (process.env[`BENCH_NODE_ARGS_${kind.toUpperCase()}`] ?? '').split(' ').filter((a) => a !== '');
}

/**
 * Start-up on a fresh empty data directory, server after server (the ones already up are idle);
 * then the large objects with all of them up. The servers start, and take each step, in the
 * round's turn (bench/order.ts).
 */
async function emptySession(cfg: BenchConfig, root: string, round: number, results: Results): Promise<void> {
  const up: RunningServer[] = [];
  let load: LoadGen | undefined;
  try {
    for (const kind of inTurn(cfg.servers, round)) {
      const dataDir = mkdtempSync(join(root, `${kind}-`));
      const server = await launch({ kind, dataDir, cpu: cfg.serverCpu, listKeys: 0, pageSize: cfg.pageSize, nodeArgs: nodeArgs(kind) });
      up.push({ kind, server, target: targetFor(kind, server.origin) });
      if (cfg.groups.has('startup')) record(results, kind, 'startup-empty', startupResult(server));
      await waitQuiet(server.pid, cfg.quick ? 50 : 100);
    }
    if (!cfg.groups.has('large')) return;
    for (const { kind, target } of up) await setUp(kind, target, cfg, false);
    load = new LoadGen(cfg);
    await largeWorkloads(cfg, load, up, results);
  } finally {
    await load?.close();
    // The data directories stay until the run ends: deleting thousands of files now would slow
    // every file creation after it (ext4 checks recently deleted inodes when allocating one).
    for (const { kind, server } of up) {
      await server.stop();
      log(`  ${kind} stopped`);
    }
  }
}

/** Start-up and listings over the seeded 100k-key bucket (the same directory every round). */
async function listSession(cfg: BenchConfig, kind: ServerKind, seeded: string, results: Results): Promise<void> {
  const server = await launch({ kind, dataDir: seeded, cpu: cfg.serverCpu, listKeys: cfg.listKeys, pageSize: cfg.pageSize, nodeArgs: nodeArgs(kind) });
  let load: LoadGen | undefined;
  try {
    if (cfg.groups.has('startup')) record(results, kind, 'startup-100k', startupResult(server));
    // crossbucket sweeps orphan files in the background after start-up: let it finish.
    await waitQuiet(server.pid, cfg.quick ? 50 : 100);
    log(`  ${kind} quiet`);
    if (!cfg.groups.has('list')) return;
    const target = targetFor(kind, server.origin);
    const layout = listLayout(cfg.listKeys);
    load = new LoadGen(cfg);
    const budgetMs = kind === 's3rver' ? cfg.scanBudgetMs : 10 * cfg.scanBudgetMs;
    record(results, kind, 'list-scan', await load.measured(server, { kind: 'scan', target, pageSize: cfg.pageSize, expectedKeys: cfg.listKeys, budgetMs }));
    const middle = layout.dir(Math.floor(layout.dirs / 2));
    record(results, kind, 'list-prefix-delimiter', await load.measured(server, { kind: 'page', target, params: { prefix: middle, delimiter: '/' }, durationMs: cfg.pageDurationMs }));
    record(results, kind, 'list-delimiter', await load.measured(server, { kind: 'page', target, params: { delimiter: '/' }, durationMs: cfg.pageDurationMs }));
  } finally {
    await load?.close();
    await server.stop();
    log(`  ${kind} stopped`);
  }
}

function startupResult(server: ServerHandle): RunResult {
  const r: RunResult = { ops: 0, seconds: 0, opsPerSec: NaN, p50Ms: NaN, p99Ms: NaN, meanMs: NaN, errors: 0, startupMs: server.startupMs };
  if (server.listeningMs !== undefined) r.listeningMs = server.listeningMs;
  return r;
}

async function seed(cfg: BenchConfig, root: string): Promise<Partial<Record<ServerKind, string>>> {
  const dirs: Partial<Record<ServerKind, string>> = {};
  for (const kind of cfg.servers) {
    const dir = join(root, `${kind}-seeded`);
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    if (kind === 'crossbucket') await seedCrossbucket(dir, cfg.listKeys);
    if (kind === 's3rver') seedS3rver(dir, cfg.listKeys);
    if (kind !== 'ceiling') log(`seeded ${cfg.listKeys} keys for ${kind} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    dirs[kind] = dir;
  }
  return dirs;
}

export async function runBench(cfg: BenchConfig): Promise<{ medians: Medians; failed: boolean }> {
  // Described before pinning: `nproc` counts only the cores this process may use.
  const described = machine();
  log(`CPU: ${described.cpu}`);
  const entry = relative(process.cwd(), crossbucketEntry(process.env.BENCH_CROSSBUCKET_DIST ?? join(__dirname, '..')));
  log(`crossbucket: node ${entry}`);
  // This orchestrator shares the client core: the server core stays the server's alone.
  try { execFileSync('taskset', ['-a', '-p', '-c', cfg.clientCpu, String(process.pid)], { stdio: 'ignore' }); } catch { /* best effort */ }
  const root = mkdtempSync(join(cfg.tmpDir, 'crossbucket-bench-'));
  const started = Date.now();
  // Other work on the machine shows here (the benchmark cannot keep it off the cores).
  const loadBefore = loadavg();
  const results: Results = {};
  try {
    const needSeed = cfg.groups.has('list') || cfg.groups.has('startup');
    const seeded = needSeed ? await seed(cfg, root) : {};
    if (needSeed && !cfg.quick) log(`disks idle after ${(await waitDiskIdle() / 1000).toFixed(1)} s`);
    for (let round = 1; round <= cfg.rounds; round++) {
      log(`round ${round}/${cfg.rounds}`);
      if (cfg.groups.has('startup') || cfg.groups.has('large')) await emptySession(cfg, root, round, results);
      for (const kind of inTurn(cfg.servers, round)) {
        const dir = seeded[kind];
        if (dir !== undefined) await listSession(cfg, kind, dir, results);
      }
    }
    if (cfg.groups.has('small')) {
      const load = new LoadGen(cfg);
      try {
        await smallSession({
          cfg, load, logFile: join(root, 'crossbucket-logging.log'), nodeArgs,
          dataDir: (kind, logged) => mkdtempSync(join(root, `${kind}${logged ? '-log' : ''}-small-`)),
          record: (kind, id, r) => record(results, kind, id, r),
        });
      } finally {
        await load.close();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const medians: Medians = {};
  for (const [kind, byId] of Object.entries(results) as Array<[ServerKind, Record<string, RunResult[]>]>) {
    medians[kind] = Object.fromEntries(Object.entries(byId).map(([id, runs]) => [id, medianResult(runs)]));
  }
  const rows = buildRows(medians, cfg.concurrency, cfg.largeSizes.map(mibLabel), results, (mib) => largeRepeat(cfg, Number(mib) * 1024 * 1024));
  const table = markdownTable(rows);
  process.stdout.write(`${table}\n`);
  const seconds = (Date.now() - started) / 1000;
  log(`done in ${seconds.toFixed(0)} s`);
  const report = {
    date: new Date().toISOString(),
    machine: described,
    crossbucketEntry: entry,
    config: { ...cfg, groups: [...cfg.groups] },
    seconds,
    loadAverage: { before: loadBefore, after: loadavg() },
    rows,
    table,
    medians,
    rounds: results,
  };
  // A run on another CPU is not a comparison with the one it replaces (docs/benchmarks.md,
  // "Issue 19, eleventh round"): say so where the two would be compared.
  const before = reportCpu(cfg.out);
  mkdirSync(dirname(cfg.out), { recursive: true });
  writeFileSync(cfg.out, JSON.stringify(report, null, 2) + '\n');
  log(`wrote ${cfg.out}`);
  if (before !== undefined && before !== described.cpu) log(`the report it replaced was measured on another CPU (${before}); the ratios of the two are not comparable`);
  const failed = Object.values(medians).some((byId) => Object.values(byId ?? {}).some((r) => r.errors > 0));
  return { medians, failed };
}

if (require.main === module) {
  const cfg = loadConfig(process.env, resolve(__dirname, '..', '..', 'bench', 'results', 'latest.json'));
  runBench(cfg).then(
    ({ failed }) => { if (failed) { log('some requests failed: see the table'); process.exitCode = 1; } },
    (err: unknown) => { log(err instanceof Error ? err.stack ?? err.message : String(err)); process.exitCode = 1; },
  );
}
