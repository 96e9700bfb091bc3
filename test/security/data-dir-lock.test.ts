/**
 * One crossbucket per data directory (docs/data-directory.md): a second server on the same
 * --data-dir exits at once with code 2 naming the holder's pid, touching nothing; a lock left by
 * a killed process never blocks a restart.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openSqliteStorage } from '../../storage';
import { start } from '../../server/cli/start';
import { tempDir } from '../helpers/server';
import { spawnCrossbucket, tsLoaderArgs } from '../helpers/spawn-server';
import { countObjectFiles, LARGE, LISTENING, populate, readBody, snapshot, startCli } from './data-dir-fixtures';

t.test('data dir – two servers on one --data-dir: the second exits 2 at once naming the first\'s pid; a killed holder never blocks a restart', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  await populate(dataDir);
  const first = spawnCrossbucket(['--port', '0', '--data-dir', dataDir, '--seed', 'none', '--log-format', 'json', '--log-level', 'warn']);
  t.teardown(() => { if (first.proc.exitCode === null) first.proc.kill('SIGKILL'); });
  const endpoint = (await first.waitFor(LISTENING, 'stderr'))[1] as string;
  // The first one's sweep has run (it is in the background): from now on nothing may change.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = snapshot(dataDir);

  const second = await startCli(dataDir);
  t.equal(second.result, 'exited', 'the second one never listens');
  t.equal(second.code, 2);
  t.equal(second.stderr, `crossbucket: --data-dir ${dataDir} is in use by another crossbucket (pid ${first.proc.pid})\n`);
  t.same(snapshot(dataDir), before, 'the second one changed and deleted nothing');
  t.equal((await fetch(`${endpoint}/_crossbucket/health`)).status, 200, 'the first one still serves');

  // Killed: its lock goes with it.
  first.proc.kill('SIGKILL');
  await first.exited;
  const restarted = await start({ port: 0, dataDir });
  t.teardown(() => restarted.close());
  t.same(await readBody(restarted.storage, 'b', 'large.bin'), LARGE, 'the restart serves the data');
  t.equal(countObjectFiles(dataDir), 1);
});

t.test('data dir – two storages in one process: the second is refused, the first keeps its lock until closed', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const first = openSqliteStorage({ dataDir: tmp.dir });
  t.throws(() => openSqliteStorage({ dataDir: tmp.dir }), {
    name: 'DataDirError', code: 'DataDirInUse', message: `--data-dir ${tmp.dir} is in use by another crossbucket (pid ${process.pid})`,
  });
  first.close();
  const again = openSqliteStorage({ dataDir: tmp.dir });
  t.equal(again.storeId, first.storeId, 'reopened after close');
  again.close();
});

t.test('data dir – two processes racing for the lock, round after round: never both win', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const rounds = 8;
  const racers = [0, 1].map(() => racer(tmp.dir, rounds));
  await Promise.all(racers.map((r) => r.ready));
  // Both try at the same instants (slots of 150 ms from a common start), hold, release.
  const startAt = Date.now() + 200;
  for (const r of racers) r.go(startAt);
  const results = await Promise.all(racers.map((r) => r.lines));
  let raced = 0;
  for (let r = 0; r < rounds; r++) {
    const round = results.map((lines) => lines[r] ?? '');
    if (round.includes('late')) continue;
    raced++;
    // A loser retries for a moment: it may win the same round after the winner released.
    const held = round.filter((l) => l.startsWith('won')).map((l) => l.split(' ').slice(1).map(Number) as [number, number]);
    const [a, b] = held;
    t.ok(held.length >= 1, `round ${r}: someone won (${round.join(' / ')})`);
    if (a && b) t.ok(a[1] <= b[0] || b[1] <= a[0], `round ${r}: never held by both at once (${round.join(' / ')})`);
  }
  t.ok(raced >= rounds / 2, `${raced} of ${rounds} rounds were raced on time`);
});

/** test/security/lock-racer.ts in a child process. */
function racer(dir: string, rounds: number): { ready: Promise<void>; go(startAt: number): void; lines: Promise<string[]> } {
  const child = spawn(process.execPath, [...tsLoaderArgs(), join(__dirname, 'lock-racer.ts'), dir, String(rounds)], { env: process.env });
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { onReady = resolve; });
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const lines = new Promise<string[]>((resolve) => child.on('exit', () => {
    clearTimeout(timer);
    resolve(out.trim().split('\n').slice(1));
  }));
  return { ready, go: (startAt) => child.stdin.end(`${startAt}\n`), lines };
}

t.test('data dir – a crossbucket.lock that is not a lock: one line naming it, nothing opened', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  writeFileSync(join(tmp.dir, 'crossbucket.lock'), 'not a SQLite file at all, but long enough to have a header '.repeat(100));
  t.throws(() => openSqliteStorage({ dataDir: tmp.dir }), {
    code: 'DataDirUnusable', message: `--data-dir ${tmp.dir}: crossbucket.lock is not a lock crossbucket made (SQLITE_NOTADB): remove it if no crossbucket is running`,
  });
});
