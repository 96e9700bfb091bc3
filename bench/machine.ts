/**
 * What the numbers were measured on: `nproc`, `lscpu`, `free -h` and the Node version; and
 * waiting for the disks to go idle.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpus, release, totalmem } from 'node:os';

function run(cmd: string, args: string[] = []): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export interface Machine {
  nproc: string;
  cpuModel: string;
  /**
   * The CPU as lscpu names it beyond its model name, which a VM may reduce to "AMD EPYC": family,
   * model, caches, AVX-512. Runs on different hosts are not comparable: the same VM image has run
   * here on an EPYC of family 26 (Zen 5, 32 MiB L3) and of family 23 (Zen, 8 MiB L3), where every
   * server spent 2-3 times the CPU per request and crossbucket's ratios to s3rver were lower.
   */
  cpu: string;
  lscpu: string;
  free: string;
  memoryGiB: number;
  kernel: string;
  node: string;
}

/** e.g. "AMD EPYC, family 23 model 1, L2 1 MiB (2 instances), L3 8 MiB (1 instance), no AVX-512". */
export function describeCpu(lscpu: string, modelName: string): string {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(lscpu)?.[1]?.trim();
  const parts = [modelName];
  const family = field('CPU family');
  if (family !== undefined) parts.push(`family ${family} model ${field('Model') ?? '?'}`);
  for (const cache of ['L2', 'L3']) {
    const size = field(`${cache} cache`);
    if (size !== undefined) parts.push(`${cache} ${size}`);
  }
  const flags = field('Flags');
  if (flags !== undefined) parts.push(/\bavx512f\b/.test(flags) ? 'AVX-512' : 'no AVX-512');
  return parts.join(', ');
}

export function machine(): Machine {
  const lscpu = run('lscpu');
  const model = (/^Model name:\s*(.+)$/m.exec(lscpu)?.[1] ?? cpus()[0]?.model ?? '').trim();
  return {
    nproc: run('nproc'),
    cpuModel: model,
    cpu: describeCpu(lscpu, model),
    lscpu,
    free: run('free', ['-h']),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
  };
}

/**
 * The CPU a report already at `path` was measured on (its `machine.cpu`, or described from its
 * `lscpu` for a report older than that field); undefined when there is none or it cannot be read.
 */
export function reportCpu(path: string): string | undefined {
  try {
    const m = (JSON.parse(readFileSync(path, 'utf8')) as { machine?: Partial<Machine> }).machine;
    return m?.cpu ?? (m?.lscpu !== undefined ? describeCpu(m.lscpu, m.cpuModel ?? '') : undefined);
  } catch {
    return undefined;
  }
}

/** Sectors written so far, summed over every block device (`/proc/diskstats`, field 10). */
function sectorsWritten(): number {
  try {
    return readFileSync('/proc/diskstats', 'utf8').split('\n')
      .reduce((n, line) => n + (Number(line.trim().split(/\s+/)[9]) || 0), 0);
  } catch {
    return 0;
  }
}

/**
 * `sync`, then waits until the disks write less than 1 MiB in a second (at most `maxMs`): after
 * seeding, ext4 goes on writing metadata for a while after `sync` returns, and the first
 * server measured would pay for it. Returns how long it waited.
 */
export async function waitDiskIdle(maxMs = 60_000): Promise<number> {
  const started = Date.now();
  run('sync');
  let last = sectorsWritten();
  while (Date.now() - started < maxMs) {
    await sleep(1000);
    const now = sectorsWritten();
    if (now - last < 2048) break;
    last = now;
  }
  return Date.now() - started;
}
