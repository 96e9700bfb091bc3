/**
 * The request-rate workloads (preflight, GET, HEAD, PUT... at each concurrency), run with every
 * server up at once on the server core and their windows interleaved: for each workload,
 * crossbucket's window, then crossbucket logging, then s3rver's, then the ceiling's in the first
 * round; each round after starts one server further on, crossbucket's two windows staying side
 * by side (bench/order.ts `windowOrder`). A server waiting for its turn is idle. Run server by
 * server (a session of minutes each), a busy host's slow spell had landed on one server's whole session: in one full run crossbucket's pool GET
 * cost 170, 112 and 179 µs per request in its three sessions while s3rver's sessions were all
 * normal. Windows seconds apart see the same host.
 *
 * A round is one pass over every concurrency and workload; the rounds follow each other. With a
 * workload's rounds back to back (~35 s), one slow spell of the host (30 s to minutes in which
 * every process on the core costs up to 2.4 times its CPU per request) covered all three rounds
 * of that workload, and the median could not drop it: GET with Origin at c=16 cost 212, 216 and
 * 220 µs in one full run against 100-105 µs for the GET windows right after it. Rounds ~2.5
 * minutes apart see different spells, and five of them (BENCH_RATE_ROUNDS) leave a median that
 * two spoiled rounds do not move.
 */
import { flushDisks, log, type LoadGen } from './load-process';
import { putRequestsFor, RATE_WORKLOADS, VERSIONED_WORKLOADS, type BenchConfig, type RateWorkload, type ServerKind } from './config';
import type { Job } from './loadgen';
import {
  CROSSBUCKET_CREDENTIALS, S3RVER_CREDENTIALS, SMALL_KEY, VERSIONED_BUCKET, VERSIONING_XML, corsXml, createBucketRequest, digestOf,
  putBucketCorsRequest, putBucketVersioningRequest, putObjectRequest, type Target,
} from './requests';
import { windowOrder } from './order';
import { launch, waitQuiet, type ServerHandle } from './servers';
import { send } from './setup';
import type { RunResult } from './stats';

export function targetFor(kind: ServerKind, origin: string): Target {
  return { origin, creds: kind === 's3rver' ? S3RVER_CREDENTIALS : CROSSBUCKET_CREDENTIALS };
}

/** The versioned workloads run where there is versioning (crossbucket), a pool and no log session. */
function runsVersioned(kind: ServerKind, cfg: BenchConfig, logged: boolean): boolean {
  return kind === 'crossbucket' && !logged && cfg.poolKeys > 0 && VERSIONED_WORKLOADS.some((w) => cfg.workloads.includes(w));
}

function workloadsFor(kind: ServerKind, cfg: BenchConfig, logged: boolean): RateWorkload[] {
  const versioned = runsVersioned(kind, cfg, logged);
  return RATE_WORKLOADS.filter((w) => cfg.workloads.includes(w) && (versioned || !VERSIONED_WORKLOADS.includes(w)));
}

/**
 * The bucket, its CORS rules and the 4 KiB object the hot-key workloads read; for crossbucket
 * also the versioned bucket (versioning Enabled).
 */
export async function setUp(kind: ServerKind, target: Target, cfg: BenchConfig, logged: boolean): Promise<void> {
  if (kind === 'crossbucket') {
    await send(createBucketRequest(target), target.origin);
    const xml = corsXml();
    await send(putBucketCorsRequest(target, xml), target.origin, Buffer.from(xml));
    if (runsVersioned(kind, cfg, logged)) {
      await send(createBucketRequest(target, VERSIONED_BUCKET), target.origin);
      await send(putBucketVersioningRequest(target, VERSIONED_BUCKET), target.origin, Buffer.from(VERSIONING_XML));
    }
  }
  const body = Buffer.alloc(cfg.smallSize, 'b');
  await send(putObjectRequest(target, SMALL_KEY, digestOf(body)), target.origin, body);
}

/** The pool of 4 KiB objects the GET/HEAD/get-origin workloads read (the ceiling needs none). */
async function seedPool(load: LoadGen, kind: ServerKind, target: Target, cfg: BenchConfig, bucket?: string): Promise<void> {
  if (kind === 'ceiling' || cfg.poolKeys === 0) return;
  const r = await load.run({ kind: 'seed-pool', target, size: cfg.smallSize, keys: cfg.poolKeys, ...(bucket === undefined ? {} : { bucket }) });
  if (r.errors > 0) throw new Error(`seeding the pool on ${kind}: ${r.firstError ?? ''}`);
  log(`  ${kind.padEnd(11)} pool of ${cfg.poolKeys} keys PUT${bucket === undefined ? '' : ` to ${bucket}`} in ${r.seconds.toFixed(1)} s`);
}

/**
 * One untimed pass of GETs over the pool, right after it was PUT: the first timed workload to
 * read the pool (GET with Origin) had paid alone for what every later one found done: the path
 * compiled by V8, crossbucket's object cache filled (the PUTs had emptied it of these keys), the
 * files back in s3rver's page cache. Its CPU per request came out 20-30% above the plain GET's
 * in the full run, against 3-8% when both are measured warm (`bench:ab`). Every server gets it.
 */
async function readPoolOnce(load: LoadGen, kind: ServerKind, target: Target, cfg: BenchConfig): Promise<void> {
  if (cfg.poolKeys === 0 || !cfg.workloads.some((w) => w === 'get' || w === 'head' || w === 'get-origin')) return;
  const durationMs = 2 * cfg.warmupMs;
  const r = await load.run({ kind: 'rate', workload: 'get', target, concurrency: cfg.concurrency[0] ?? 16, warmupMs: 0, durationMs, size: cfg.smallSize, maxRequests: 0, keyPrefix: 'warm-', poolKeys: cfg.poolKeys });
  if (r.errors > 0) throw new Error(`reading the pool on ${kind}: ${r.firstError ?? ''}`);
}

interface Instance { kind: ServerKind; logged: boolean; server: ServerHandle; target: Target; workloads: RateWorkload[] }

export interface SmallSessionOptions {
  cfg: BenchConfig;
  load: LoadGen;
  /** A fresh data directory for one server. */
  dataDir(kind: ServerKind, logged: boolean): string;
  /** Where the logging crossbucket's stdout goes. */
  logFile: string;
  nodeArgs(kind: ServerKind): string[];
  record(kind: ServerKind, id: string, r: RunResult): void;
}

/** Every rate workload, `cfg.rateRounds` windows per server, interleaved (see the top of this file). */
export async function smallSession(o: SmallSessionOptions): Promise<void> {
  const { cfg, load } = o;
  const instances: Instance[] = [];
  try {
    for (const kind of cfg.servers) {
      for (const logged of kind === 'crossbucket' && cfg.logged ? [false, true] : [false]) {
        const server = await launch({
          kind, dataDir: o.dataDir(kind, logged), cpu: cfg.serverCpu, listKeys: 0, pageSize: cfg.pageSize, nodeArgs: o.nodeArgs(kind),
          ...(logged ? { logFile: o.logFile } : {}),
        });
        const instance = { kind, logged, server, target: targetFor(kind, server.origin), workloads: workloadsFor(kind, cfg, logged) };
        instances.push(instance);
        await waitQuiet(server.pid, cfg.quick ? 50 : 100);
        await setUp(kind, instance.target, cfg, logged);
        await seedPool(load, kind, instance.target, cfg);
        if (runsVersioned(kind, cfg, logged)) await seedPool(load, kind, instance.target, cfg, VERSIONED_BUCKET);
      }
    }
    // The pools' files and rows written back now, not by the kernel during the first windows.
    flushDisks();
    // The untimed read of each pool, every server's right before the first timed window.
    for (const i of instances) await readPoolOnce(load, i.kind, i.target, cfg);
    const maxRequests = putRequestsFor(cfg.warmupMs + cfg.durationMs, cfg.putBudgetPerSecond);
    for (let round = 1; round <= cfg.rateRounds; round++) {
      for (const concurrency of cfg.concurrency) {
        for (const workload of RATE_WORKLOADS) {
          for (const i of windowOrder(instances, round)) {
            if (!i.workloads.includes(workload)) continue;
            const job: Job = {
              kind: 'rate', workload, target: i.target, concurrency, warmupMs: cfg.warmupMs, durationMs: cfg.durationMs,
              size: cfg.smallSize, maxRequests, keyPrefix: `put-r${round}-c${concurrency}/key-`, poolKeys: cfg.poolKeys,
            };
            if (workload === 'put' || workload === 'put-versioned') flushDisks();
            o.record(i.kind, `${workload}@${concurrency}${i.logged ? '+log' : ''}`, await load.measured(i.server, job));
          }
        }
      }
    }
  } finally {
    for (const i of instances) await i.server.stop();
    log(`  small-request servers stopped`);
  }
}
