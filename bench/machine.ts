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
  lscpu: string;
  free: string;
  memoryGiB: number;
  kernel: string;
  node: string;
}

export function machine(): Machine {
  const lscpu = run('lscpu');
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1] ?? cpus()[0]?.model ?? '';
  return {
    nproc: run('nproc'),
    cpuModel: model.trim(),
    lscpu,
    free: run('free', ['-h']),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
  };
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
