/**
 * Killed process over a versioned bucket (the unversioned run: killed-process.test.ts): every
 * acknowledged version and delete marker survives SIGKILL and is read back by its id.
 */
import t from 'tap';
import { buildServer } from '../stress/build';
import { runCrash } from '../stress/crash';
import { tempDir } from '../helpers/server';

const KILL_POINTS = Number(process.env.CB_KILL_POINTS ?? 5);

t.test('killed process – versioned bucket: acknowledged versions and markers survive SIGKILL', async (t) => {
  const build = buildServer();
  t.teardown(() => build.remove());
  const data = tempDir('cb-crash-ver-');
  t.teardown(() => data.remove());
  const seed = Number(process.env.CB_SEED ?? Date.now() % 1_000_000);
  const figures = await runCrash({
    build, dataDir: data.dir, rounds: KILL_POINTS, concurrency: 48, keys: 200, killAfterAcks: [40, 250], seed, versioned: true,
    log: (line) => t.comment(line),
  });
  t.comment(`seed ${seed}: ${JSON.stringify({ ...figures, problems: figures.problems.length })}`);
  t.same(figures.problems, [], 'no lost version, torn body or stray state');
  t.equal(figures.killPoints, KILL_POINTS);
  t.ok(figures.versionsVerified > 0, 'acknowledged versions were read back by id');
  t.ok(figures.acked.put > 0 && figures.acked.delete > 0, 'versions and delete markers were acknowledged');
});
