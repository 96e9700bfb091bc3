/**
 * Killed process – the real command line in a child process, hundreds of concurrent writes
 * (PutObject new and overwrite, DeleteObject, CopyObject, multipart completions), SIGKILL at a
 * random moment, restart on the same data dir: every acknowledged write is there with its bytes
 * and ETag, nothing torn, `PRAGMA integrity_check` is ok, the sweep leaves no orphan.
 * Five kill points here; `npm run stress` runs many (test/stress/README.md).
 */
import t from 'tap';
import { buildServer } from '../stress/build';
import { runCrash } from '../stress/crash';
import { tempDir } from '../helpers/server';

const KILL_POINTS = Number(process.env.CB_KILL_POINTS ?? 5);

t.test('killed process – acknowledged writes survive SIGKILL at random moments', async (t) => {
  const build = buildServer();
  t.teardown(() => build.remove());
  const data = tempDir('cb-crash-');
  t.teardown(() => data.remove());
  const seed = Number(process.env.CB_SEED ?? Date.now() % 1_000_000);
  const figures = await runCrash({
    build, dataDir: data.dir, rounds: KILL_POINTS, concurrency: 48, keys: 200, killAfterAcks: [40, 250], seed,
    log: (line) => t.comment(line),
  });
  t.comment(`seed ${seed}: ${JSON.stringify({ ...figures, problems: figures.problems.length })}`);
  t.same(figures.problems, [], 'no lost, torn or stray state');
  t.equal(figures.killPoints, KILL_POINTS, 'every kill point was survived');
  t.same(figures.integrity, Array(KILL_POINTS).fill('ok'), 'integrity_check after each kill');
  t.ok(figures.acked.put > 0 && figures.acked.delete > 0 && figures.acked.copy > 0, 'puts, deletes and copies were acknowledged');
  t.ok(!figures.multipart || figures.acked.complete > 0, 'multipart completions were acknowledged');
});
