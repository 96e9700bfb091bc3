/**
 * The three servers under test, each started as its own process pinned to the server core:
 * crossbucket from dist exactly as users run it, s3rver, and the node:http ceiling. Also the
 * start-up clock (spawn → first answered request) and /proc readings of the server's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ServerKind } from './config';

export interface LaunchOptions {
  kind: ServerKind;
  dataDir: string;
  cpu: string;
  listKeys: number;
  pageSize: number;
  /** Extra node flags for this server (e.g. --cpu-prof), from BENCH_NODE_ARGS_<KIND>. */
  nodeArgs: string[];
  /**
   * crossbucket only: log at the CLI's default level (`info`, JSON lines) with stdout sent to this
   * file, or to a pipe this process reads and discards (`pipe`: as under docker or `| tee`).
   */
  logFile?: string;
}

/** `logFile` value for a pipe instead of a file. */
export const LOG_TO_PIPE = 'pipe';

export interface ServerHandle {
  kind: ServerKind;
  pid: number;
  origin: string;
  startupMs: number;
  /** crossbucket: spawn → its "… listening on …" line on stderr. */
  listeningMs?: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The file that starts crossbucket from a build directory, picked by bin/crossbucket.js's own
 * `entryFile` (the one-file bundle `npm run bench` writes, unless, in a checkout, tsc wrote its
 * output after it: a stale bundle would measure the code before the change), else tsc's output.
 * The bench runs from dist/bench or a test's build under .tap/: bin/ is found by walking up.
 */
export function crossbucketEntry(dist: string): string {
  return binEntryFile()(dist) ?? join(dist, 'server', 'cli', 'main.js');
}

function binEntryFile(): (dist: string) => string | undefined {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const bin = join(dir, 'bin', 'crossbucket.js');
    if (existsSync(bin)) return (require(bin) as { entryFile: (dist: string) => string | undefined }).entryFile;
  }
  throw new Error(`bin/crossbucket.js not found above ${__dirname}`);
}

function command(o: LaunchOptions, port: number): { args: string[]; env: NodeJS.ProcessEnv } {
  const here = __dirname;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  switch (o.kind) {
    case 'crossbucket':
      // BENCH_CROSSBUCKET_DIST: another build's output directory (A/B runs of two versions).
      return { env, args: [crossbucketEntry(process.env.BENCH_CROSSBUCKET_DIST ?? join(here, '..')), '--port', String(port), '--data-dir', o.dataDir, '--log-level', o.logFile === undefined ? 'silent' : 'info', '--log-format', 'json'] };
    case 's3rver':
      env.NODE_OPTIONS = '--openssl-legacy-provider';
      return { env, args: [join(here, 's3rver-server.js'), '--port', String(port), '--dir', o.dataDir] };
    case 'ceiling':
      return { env, args: [join(here, 'ceiling-server.js'), '--port', String(port), '--dir', o.dataDir, '--list-keys', String(o.listKeys), '--page-size', String(o.pageSize)] };
  }
}

/** One HTTP request on a fresh connection; resolves with the status, rejects if nothing answers. */
function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('probe timeout')));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function launch(o: LaunchOptions): Promise<ServerHandle> {
  const port = await freePort();
  const { args, env } = command(o, port);
  let stderr = '';
  const t0 = performance.now();
  const out = o.logFile === undefined ? 'ignore' : o.logFile === LOG_TO_PIPE ? 'pipe' : openSync(o.logFile, 'a');
  const child = spawn('taskset', ['-c', o.cpu, process.execPath, ...o.nodeArgs, ...args], { env, stdio: ['ignore', out, 'pipe'] });
  if (typeof out === 'number') closeSync(out);
  child.stdout?.resume();
  let listeningMs: number | undefined;
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    if (listeningMs === undefined && o.kind === 'crossbucket' && / listening on /.test(stderr)) listeningMs = performance.now() - t0;
  });
  let startupMs = NaN;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${o.kind} exited with ${child.exitCode} before answering: ${stderr}`);
    try {
      await probe(port);
      startupMs = performance.now() - t0;
      break;
    } catch {
      if (performance.now() - t0 > 30_000) { child.kill('SIGKILL'); throw new Error(`${o.kind} did not answer within 30 s: ${stderr}`); }
      await sleep(2);
    }
  }
  return {
    kind: o.kind,
    pid: child.pid as number,
    origin: `http://127.0.0.1:${port}`,
    startupMs,
    ...(listeningMs === undefined ? {} : { listeningMs }),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

/** VmRSS and VmHWM in MiB. */
export function memory(pid: number): { rssMiB: number; hwmMiB: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

/** Resets the peak RSS (VmHWM) to the current RSS; false where the kernel does not allow it. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** User + system CPU of the whole process (all threads), in seconds. */
export function cpuSeconds(pid: number): number {
  return cpuTicks(pid) / 100;
}

function cpuTicks(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

/** Waits until the process has used (almost) no CPU for two intervals in a row, or maxMs. */
export async function waitQuiet(pid: number, intervalMs = 100, maxMs = 15_000): Promise<void> {
  const start = performance.now();
  let quiet = 0;
  let last = cpuTicks(pid);
  while (quiet < 2 && performance.now() - start < maxMs) {
    await sleep(intervalMs);
    const now = cpuTicks(pid);
    quiet = now - last <= 1 ? quiet + 1 : 0;
    last = now;
  }
}
