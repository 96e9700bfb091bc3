/**
 * The request log with stdout a pipe (docker, `| tee`; docs/operations.md "Logs"): each request's
 * line arrives while the server runs; a reader that stops reading does not stall the server (its
 * lines wait in memory, then all arrive once it reads again); the shutdown lines come after SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { spawnCrossbucket, until } from '../helpers/spawn-server';

const PAD = 1000;

t.test('log to a pipe – lines arrive while the server runs; a reader that stops does not stall it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-log-pipe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawnCrossbucket(['--port', '0', '--data-dir', join(dir, 'data'), '--seed', 'none', '--log-format', 'json']);
  t.teardown(() => { if (child.proc.exitCode === null) child.proc.kill('SIGKILL'); });
  const [, endpoint] = await child.waitFor(/listening on (http:\/\/\S+)/, 'stderr');
  const requests = () => child.stdout().split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as Record<string, unknown>);

  const res = await fetch(`${endpoint}/no-such-bucket-0`);
  t.equal(res.status, 404);
  await res.arrayBuffer();
  t.ok(await until(() => requests().length === 1, 2000), 'the line arrives while the server runs');

  // The reader stops: past node's read buffer and the kernel's buffers (a pipe's 64 KiB; for the
  // socket pair node gives a child, ~200 KiB of wmem_default), the server's writes cannot
  // complete. 1,500 lines of ~1.2 KiB (1.8 MiB) are well past both, and far below the 8 MiB bound.
  child.proc.stdout.pause();
  const n = 1500;
  const started = Date.now();
  for (let i = 1; i <= n; i++) {
    const r = await fetch(`${endpoint}/no-such-bucket-${i}?padding=${'p'.repeat(PAD)}`);
    if (r.status !== 404) t.fail(`request ${i}: ${r.status}`);
    await r.arrayBuffer();
  }
  t.ok(Date.now() - started < 60_000, `the server answered all ${n} requests while nobody read its log (${Date.now() - started} ms)`);
  // Lines were written while nobody read them, and node stopped reading the socket once its own
  // buffer was full: from there on the server's writes waited on the kernel's buffers.
  const held = child.proc.stdout;
  t.ok(await until(() => held.readableLength >= held.readableHighWaterMark, 2000), `lines were written while the reader was stopped (${held.readableLength} bytes wait in node's read buffer, high-water mark ${held.readableHighWaterMark})`);
  child.proc.stdout.resume();
  t.ok(await until(() => requests().length === n + 1, 10_000), 'every line arrives once the reader reads again');
  const urls = requests().map((l) => l.url as string);
  t.same(urls.slice(0, 3), ['/no-such-bucket-0', `/no-such-bucket-1?padding=${'p'.repeat(PAD)}`, `/no-such-bucket-2?padding=${'p'.repeat(PAD)}`], 'in order');
  t.notOk(child.stdout().includes('log lines dropped'), 'nothing was dropped: 1,500 lines are far below the bound');

  child.proc.kill('SIGTERM');
  t.equal((await child.exited).code, 0);
  t.ok(child.stdout().includes('"msg":"stopped: database closed"'), 'the lines logged while stopping arrive');
});
