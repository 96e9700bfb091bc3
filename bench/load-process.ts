/**
 * The benchmark's load-generator process (bench/loadgen.ts on the client core, fed one job at a
 * time) and the progress log on stderr.
 */
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { BenchConfig } from './config';
import type { Job } from './loadgen';
import { cpuSeconds, type ServerHandle } from './servers';
import type { RunResult } from './stats';

const t0 = Date.now();

/** Progress on stderr, stamped with the seconds since the run started. */
export function log(line: string): void {
  process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s ${line}\n`);
}

/** A load-generator process on the client core, running one job at a time. */
export class LoadGen {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly lines: AsyncIterator<string>;

  constructor(cfg: BenchConfig) {
    this.child = spawn('taskset', ['-c', cfg.clientCpu, process.execPath, join(__dirname, 'loadgen.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async run(job: Job): Promise<RunResult> {
    this.child.stdin.write(JSON.stringify(job) + '\n');
    const next = await this.lines.next();
    if (next.done === true) throw new Error(`load generator exited (${this.child.exitCode})`);
    return JSON.parse(next.value) as RunResult;
  }

  /** Runs a job and adds the server's CPU time per completed request. */
  async measured(server: ServerHandle, job: Job): Promise<RunResult> {
    const before = cpuSeconds(server.pid);
    const result = await this.run(job);
    const used = cpuSeconds(server.pid) - before;
    // Warm-up requests are not counted in ops: the window's share of the CPU is estimated by time.
    const window = job.kind === 'rate' ? job.durationMs / (job.durationMs + job.warmupMs) : 1;
    if (result.ops > 0) result.serverCpuUsPerOp = (used * window * 1e6) / result.ops;
    return result;
  }

  async close(): Promise<void> {
    const done = new Promise((r) => this.child.once('close', r));
    this.child.stdin.end();
    await done;
  }
}

/**
 * Writes dirty pages out (`sync`) so a write-heavy run does not pay for the writeback of the
 * runs before it (the kernel's flusher competes for the same cores).
 */
export function flushDisks(): void {
  try { execFileSync('sync', { stdio: 'ignore' }); } catch { /* best effort */ }
}
