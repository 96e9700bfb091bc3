/**
 * Load – concurrency 64 for a few seconds of PUT/GET/range GET/HEAD/LIST/DELETE and CORS
 * preflights (allowed and refused) across many keys: no 5xx, no unexpected status, every byte
 * read is the byte written. `npm run stress` runs it for 60 s against a child process.
 */
import t from 'tap';
import { runLoad } from '../stress/load';
import { startServer } from '../helpers/server';

const SECONDS = Number(process.env.CB_LOAD_SECONDS ?? 8);

t.test('load – mixed workload at concurrency 64, every read verified', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const seed = Number(process.env.CB_SEED ?? Date.now() % 1_000_000);
  const figures = await runLoad({
    endpoint: server.endpoint, seconds: SECONDS, concurrency: 64, keys: 400, seed,
    // In-process: this RSS includes the client side too.
    rss: () => process.memoryUsage().rss,
  });
  t.comment(`seed ${seed}: ${JSON.stringify({ ...figures, rssMiB: figures.rssMiB && { ...figures.rssMiB, samples: undefined } })}`);
  t.same(figures.firstErrors, [], 'no error');
  t.equal(figures.status5xx, 0, 'no 5xx');
  t.equal(figures.wrongBytes, 0, 'no wrong byte, ETag or listing entry');
  for (const [op, n] of Object.entries(figures.ops)) t.ok(n > 0, `${op} ran (${n})`);
});
