/**
 * Benchmark settings, from environment variables (all optional). `BENCH_QUICK=1` shrinks every
 * workload to a smoke run of a few seconds, for the test that keeps the harness working.
 */
import { tmpdir } from 'node:os';

export type ServerKind = 'crossbucket' | 's3rver' | 'ceiling';
export const SERVER_KINDS: readonly ServerKind[] = ['crossbucket', 's3rver', 'ceiling'];

/**
 * Request-rate workloads. get-origin, get and head read a pool of keys in random order (the
 * headline); get-hot and head-hot read one key again and again (the object cache's best case).
 */
export const RATE_WORKLOADS = ['preflight', 'get-origin', 'get', 'head', 'get-hot', 'head-hot', 'put', 'put-versioned', 'get-versioned'] as const;
export type RateWorkload = (typeof RATE_WORKLOADS)[number];

/**
 * A versioned bucket (crossbucket only: s3rver has no versioning, the ceiling no buckets):
 * put-versioned overwrites the pool's keys round-robin (every PUT adds a version), then
 * get-versioned reads the current versions of that pool in random order.
 */
export const VERSIONED_WORKLOADS: readonly RateWorkload[] = ['put-versioned', 'get-versioned'];

/** How many transfers of `size` a round's timed large GET or overwrite makes, one after the other. */
export function largeRepeat(cfg: Pick<BenchConfig, 'largeMinBytes'>, size: number): number {
  return Math.max(1, Math.ceil(cfg.largeMinBytes / size));
}

/** `64 MiB` → "64", as used in workload ids (`large-get-64`). */
export function mibLabel(size: number): string {
  const mib = size / 1024 / 1024;
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(2);
}

export interface BenchConfig {
  quick: boolean;
  rounds: number;
  /**
   * Rounds of the request-rate workloads. Five, not three: a slow spell of the host lasts about
   * one of their rounds (~2.5 minutes), and in one full run two of three rounds were hit.
   */
  rateRounds: number;
  servers: ServerKind[];
  concurrency: number[];
  /** Untimed run-in before each timed window of a rate workload. */
  warmupMs: number;
  durationMs: number;
  /** Pre-signed PUTs per rate run: ops/s budget × (warmup + duration). */
  putBudgetPerSecond: number;
  smallSize: number;
  /** Keys the GET/HEAD/get-origin workloads read, in random order (the headline); 0 = hot key only. */
  poolKeys: number;
  /** Sizes (bytes) of the large objects: each is PUT to a new key, overwritten, and read back. */
  largeSizes: number[];
  /**
   * A round's timed large GET, and each overwrite, repeats until it has moved at least this many
   * bytes (64 MiB: 4 in a row): a single 64 MiB GET lasts about 0.1 s, too short to mean anything
   * on a host whose speed moves from one tenth of a second to the next.
   */
  largeMinBytes: number;
  /** Also run every small-request workload against crossbucket with `info` logging to a file. */
  logged: boolean;
  listKeys: number;
  pageSize: number;
  /** Repetitions of the single list pages, sequential, for at most this long. */
  pageDurationMs: number;
  /** A full listing scan of s3rver stops after this long and is extrapolated (reported as such). */
  scanBudgetMs: number;
  /** Where the JSON goes. */
  out: string;
  /** Parent of the temp data directories (default: the OS temp dir). */
  tmpDir: string;
  /** CPU cores: server, load generator (and this orchestrator). */
  serverCpu: string;
  clientCpu: string;
  /** Workload groups to run: small, large, list, startup. */
  groups: Set<string>;
  /** Request-rate workloads to run (default: all of RATE_WORKLOADS). */
  workloads: string[];
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: "${v}" is not a non-negative number`);
  return n;
}

function list(env: NodeJS.ProcessEnv, name: string, fallback: string): string[] {
  return (env[name] ?? fallback).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Signed PUTs to prepare for a rate window of `windowMs`: a PUT window sends each once, so it
 * needs more than the server can take in that time (signing them costs client time before the
 * window, none in it).
 */
export function putRequestsFor(windowMs: number, perSecond = PUT_BUDGET_PER_SECOND): number {
  return Math.ceil((perSecond * windowMs) / 1000);
}

/** More 4 KiB PUTs a second than any of the servers takes on one core, the node:http ceiling included. */
const PUT_BUDGET_PER_SECOND = 50_000;

export function loadConfig(env: NodeJS.ProcessEnv, defaultOut: string): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  const servers = list(env, 'BENCH_SERVERS', SERVER_KINDS.join(',')) as ServerKind[];
  for (const s of servers) if (!SERVER_KINDS.includes(s)) throw new Error(`BENCH_SERVERS: unknown server "${s}"`);
  return {
    quick,
    rounds: num(env, 'BENCH_ROUNDS', quick ? 1 : 3),
    rateRounds: num(env, 'BENCH_RATE_ROUNDS', quick ? 1 : 5),
    servers,
    concurrency: list(env, 'BENCH_CONCURRENCY', quick ? '4' : '16,64').map(Number),
    warmupMs: num(env, 'BENCH_WARMUP_MS', quick ? 30 : 1000),
    durationMs: num(env, 'BENCH_DURATION_MS', quick ? 100 : 1500),
    putBudgetPerSecond: num(env, 'BENCH_PUT_BUDGET', PUT_BUDGET_PER_SECOND),
    smallSize: 4096,
    poolKeys: num(env, 'BENCH_POOL_KEYS', quick ? 50 : 5000),
    largeSizes: list(env, 'BENCH_LARGE_MIB', quick ? '1' : '64,256').map((v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`BENCH_LARGE_MIB: "${v}" is not a positive number`);
      return n * 1024 * 1024;
    }),
    largeMinBytes: num(env, 'BENCH_LARGE_MIN_MIB', quick ? 0 : 256) * 1024 * 1024,
    logged: env.BENCH_LOGGED !== '0',
    listKeys: num(env, 'BENCH_LIST_KEYS', quick ? 300 : 100_000),
    pageSize: num(env, 'BENCH_PAGE_SIZE', quick ? 100 : 1000),
    pageDurationMs: num(env, 'BENCH_PAGE_DURATION_MS', quick ? 100 : 1500),
    scanBudgetMs: num(env, 'BENCH_SCAN_BUDGET_MS', quick ? 10_000 : 30_000),
    out: env.BENCH_OUT ?? defaultOut,
    tmpDir: env.BENCH_TMPDIR ?? tmpdir(),
    serverCpu: env.BENCH_SERVER_CPU ?? '0',
    clientCpu: env.BENCH_CLIENT_CPU ?? '1',
    groups: new Set(list(env, 'BENCH_GROUPS', 'startup,small,large,list')),
    workloads: list(env, 'BENCH_WORKLOADS', RATE_WORKLOADS.join(',')),
  };
}

/** Key layout of the listing bucket: `dir-NNN/key-NNNNNN`, about 1000 keys per directory. */
export function listLayout(keys: number): { dirs: number; perDir: number; key(i: number): string; dir(d: number): string } {
  const dirs = Math.max(2, Math.min(100, Math.ceil(keys / 1000)));
  const perDir = Math.ceil(keys / dirs);
  const dir = (d: number) => `dir-${String(d).padStart(3, '0')}/`;
  return { dirs, perDir, dir, key: (i: number) => `${dir(Math.floor(i / perDir))}key-${String(i).padStart(6, '0')}` };
}
