/** What the numbers were measured on: `nproc`, `lscpu`, `free -h` and the Node version. */
import { execFileSync } from 'node:child_process';
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
