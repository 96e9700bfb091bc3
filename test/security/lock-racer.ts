/**
 * A child process of data-dir-lock.test.ts: `lock-racer.ts DIR ROUNDS` prints `ready`, reads a
 * start time (ms since the epoch) from stdin, then tries to take DIR's lock at START + k × 150 ms,
 * holds it for 100 ms and releases it; prints per round `won ACQUIRED RELEASED` (ms since the epoch)
 * or `busy` (`late` if the round began more than 20 ms after its time: then it raced nobody).
 */
import { readSync } from 'node:fs';
import { DataDirLock } from '../../storage/data-dir-lock';

const [dir, rounds] = [process.argv[2] as string, Number(process.argv[3])];
const SLOT_MS = 150;

function sleepUntil(at: number): void {
  const ms = at - Date.now();
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

process.stdout.write('ready\n');
const buf = Buffer.alloc(64);
const startAt = Number(buf.subarray(0, readSync(0, buf, 0, 64, null)).toString().trim());
for (let r = 0; r < rounds; r++) {
  const at = startAt + r * SLOT_MS;
  sleepUntil(at);
  const late = Date.now() - at > 20;
  let lock: DataDirLock | undefined;
  try {
    lock = DataDirLock.acquire(dir);
  } catch (err) {
    if ((err as { code?: string }).code !== 'DataDirInUse') throw err;
  }
  const acquired = Date.now();
  sleepUntil(at + 100);
  lock?.release();
  process.stdout.write(late ? 'late\n' : lock ? `won ${acquired} ${Date.now()}\n` : 'busy\n');
}
