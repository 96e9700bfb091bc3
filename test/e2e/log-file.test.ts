/**
 * The request log with stdout redirected to a file (`crossbucket > server.log`, docs/operations.md
 * "Logs"): the lines of a turn are written together at its end, so each request's line is in the
 * file while the server runs, not only at exit; the shutdown lines are there after a SIGTERM.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { spawnCrossbucket, until } from '../helpers/spawn-server';

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

t.test('log to a file – every request line is in the file while the server runs; the shutdown lines after it stops', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-log-file-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const logFile = join(dir, 'server.log');
  const child = spawnCrossbucket(['--port', '0', '--data-dir', join(dir, 'data'), '--seed', 'none', '--log-format', 'json'], {
    wrap: ['sh', '-c', 'exec "$0" "$@" > "$LOG_FILE"'],
    env: { LOG_FILE: logFile },
  });
  t.teardown(() => { if (child.proc.exitCode === null) child.proc.kill('SIGKILL'); });
  const [, endpoint] = await child.waitFor(/listening on (http:\/\/\S+)/, 'stderr');

  const requests = () => lines(logFile).filter((l) => l.msg === 'request');
  for (let i = 1; i <= 3; i++) {
    const res = await fetch(`${endpoint}/no-such-bucket-${i}`);
    t.equal(res.status, 404, `request ${i}: NoSuchBucket`);
    await res.arrayBuffer();
    t.ok(await until(() => requests().length === i, 2000), `request ${i}: its line is in the file while the server runs`);
  }
  t.same(requests().map((l) => [l.method, l.url, l.status]), [1, 2, 3].map((i) => ['GET', `/no-such-bucket-${i}`, 404]), 'one line per request, in order');

  child.proc.kill('SIGTERM');
  t.equal((await child.exited).code, 0);
  const last = lines(logFile).map((l) => l.msg);
  t.ok(last.includes('stopped: database closed'), 'the lines logged while stopping are in the file');
  t.equal(child.stdout(), '', 'nothing went to the pipe');
});
