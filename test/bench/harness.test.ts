/**
 * bench harness – one tiny round (BENCH_QUICK=1) against all three servers, so CI proves that
 * `npm run bench` still starts everything, signs requests the server accepts and writes its JSON.
 * No timing is asserted: only that every workload ran without a failed request.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import t from 'tap';
import { bundle } from '../../scripts/bundle';
import { buildServer } from '../stress/build';

const root = resolve(__dirname, '..', '..');

interface Report {
  rows: Array<{ id: string; label: string; cells: Record<string, string> }>;
  rounds: Record<string, Record<string, unknown[]>>;
  medians: Record<string, Record<string, { errors: number; ops: number; missingCors?: number; keys?: number; startupMs?: number; listeningMs?: number; rssGrowthMiB?: number }>>;
  machine: { nproc: string; node: string; cpu: string; lscpu: string };
  crossbucketEntry: string;
}

t.test('bench – a quick round over crossbucket, s3rver and the ceiling', async (t) => {
  // Compile into a private directory under the repository (so node_modules resolves), never dist/.
  mkdirSync(join(root, '.tap'), { recursive: true });
  const build = mkdtempSync(join(root, '.tap', 'bench-smoke-'));
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-out-'));
  t.teardown(() => {
    rmSync(build, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });
  // The bench and the server transpiled by swc (~0.3 s; tsc -p tsconfig.bench.json took ~25 s of
  // CPU here, and `npm run typecheck` already checks the types of the same files).
  buildServer({ extraDirs: ['bench'], into: build });
  t.ok(existsSync(join(build, 'bench', 'run.js')), 'bench compiled');
  // The one-file bundle that bin/crossbucket.js runs, as `npm run bench` builds it.
  t.ok(await bundle(build) > 0, 'server bundled');

  const outFile = join(out, 'latest.json');
  // A report from another CPU in its place: the run says the two are not comparable.
  writeFileSync(outFile, JSON.stringify({ machine: { cpu: 'an older CPU' } }));
  // BENCH_LARGE_MIN_MIB=2: the 1 MiB GET and overwrites of the quick round run twice in a row.
  // BENCH_RATE_ROUNDS=2: the order of the rate windows across rounds is checked below.
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_QUICK: '1', BENCH_OUT: outFile, BENCH_LARGE_MIN_MIB: '2', BENCH_RATE_ROUNDS: '2' };
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, [join(build, 'bench', 'run.js')], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  t.equal(run.status, 0, `bench exited 0\n${run.stderr}`);
  t.match(run.stdout, /\| workload \| crossbucket \| s3rver \| node:http ceiling \|/, 'prints the table');

  const report = JSON.parse(readFileSync(outFile, 'utf8')) as Report;
  t.ok(report.machine.nproc !== '' && report.machine.node === process.version, 'describes the machine');
  t.equal(report.crossbucketEntry, relative(root, join(build, 'crossbucket.js')), 'crossbucket ran from the bundle');
  const rate = ['preflight', 'get-origin', 'get', 'head', 'get-hot', 'head-hot', 'put'].map((w) => `${w}@4`);
  const large = ['1'].flatMap((m) => [`large-put-${m}`, `large-put-${m}-overwrite`, `large-put-unsigned-${m}`, `large-put-unsigned-${m}-overwrite`, `large-get-${m}`]);
  const versioned = ['put-versioned@4', 'get-versioned@4'];
  const rest = ['list-scan', 'list-prefix-delimiter', 'list-delimiter', 'startup-empty', 'startup-100k'];
  t.same(report.rows.map((r) => r.id), [...rate, ...versioned, ...rate.map((id) => `${id}+log`), ...large, ...rest], 'one row per workload');
  const ran: Record<string, string[]> = {
    crossbucket: [...rate, ...versioned, ...rate.map((id) => `${id}+log`), ...large, ...rest],
    s3rver: [...rate, ...large, ...rest],
    ceiling: [...rate, ...large, 'large-put-hashing-1', ...rest],
  };
  for (const server of ['crossbucket', 's3rver', 'ceiling']) {
    const byId = report.medians[server] ?? {};
    for (const id of ran[server] ?? []) {
      const r = byId[id];
      t.ok(r, `${server} ran ${id}`);
      if (!r) continue;
      t.equal(r.errors, 0, `${server} ${id}: no failed request`);
      if (id.startsWith('startup')) t.ok((r.startupMs ?? 0) > 0, `${server} ${id}: start-up measured`);
      else t.ok(r.ops > 0, `${server} ${id}: requests completed`);
      if (id.startsWith('startup') && server === 'crossbucket') t.ok((r.listeningMs ?? 0) > 0, `${server} ${id}: the listening line timed`);
      if (id.startsWith('large-')) t.ok(Number.isFinite(r.rssGrowthMiB), `${server} ${id}: RSS growth measured`);
      if (id.startsWith('preflight') || id.startsWith('get-origin')) t.equal(r.missingCors, 0, `${server} ${id}: CORS headers on every response`);
    }
    t.equal(byId['list-scan']?.keys, 300, `${server}: the scan saw every key`);
    for (const id of ['large-get-1', 'large-put-1-overwrite', 'large-put-unsigned-1-overwrite']) t.equal(byId[id]?.ops, 2, `${server} ${id}: two transfers in a row`);
    t.equal(byId['large-put-1']?.ops, 1, `${server} large-put-1: a new key, once`);
  }
  // Runs on different hosts are not comparable: the report says which CPU it ran on.
  t.match(run.stderr, /the report it replaced was measured on another CPU \(an older CPU\)/, 'a report from another CPU is named as such');
  const family = /^CPU family:\s*(\d+)/m.exec(report.machine.lscpu)?.[1];
  t.match(report.machine.cpu, family === undefined ? /\S/ : new RegExp(`family ${family} model \\d+`), `the CPU described: ${report.machine.cpu}`);
  t.match(report.rows.find((r) => r.id === 'large-get-1'), { label: 'GET 1 MiB, 2 in a row per round' }, 'the row says so');
  t.equal(report.rounds.crossbucket?.['preflight@4']?.length, 2, 'BENCH_RATE_ROUNDS rounds of each rate workload');
  t.equal(report.rounds.crossbucket?.['large-get-1']?.length, 1, 'BENCH_ROUNDS rounds of the large ones');

  // The order of the windows (bench/small-session.ts, bench/run.ts), from the progress lines.
  const at = (server: string, id: string, nth = 1): number => {
    const lines = run.stderr.split('\n');
    let seen = 0;
    const i = lines.findIndex((l) => new RegExp(`^\\s*[\\d.]+s\\s+${server}\\s+${id.replace(/[.+]/g, '\\$&')}\\s`).test(l) && ++seen === nth);
    return i < 0 ? NaN : i; // a window not found fails every comparison
  };
  t.ok(at('crossbucket', 'preflight@4', 2) > at('crossbucket', 'get-versioned@4', 1), 'a rate round runs every workload before the next round');
  t.ok(at('s3rver', 'preflight@4', 1) > at('crossbucket', 'preflight@4', 1) && at('s3rver', 'preflight@4', 1) < at('crossbucket', 'get-origin@4', 1), 'within a round, each workload runs on every server in turn');
  // Round 2 starts one server on (bench/small-session.ts windowOrder): s3rver, the ceiling, then
  // crossbucket's two windows side by side, the logging one first.
  t.ok(at('s3rver', 'preflight@4', 2) < at('ceiling', 'preflight@4', 2) && at('ceiling', 'preflight@4', 2) < at('crossbucket', 'preflight@4+log', 2)
    && at('crossbucket', 'preflight@4+log', 2) + 1 === at('crossbucket', 'preflight@4', 2), 'the next round moves the order on by one');
  t.ok(at('ceiling', 'large-put-1') > at('s3rver', 'large-put-1') && at('s3rver', 'large-put-1') > at('crossbucket', 'large-put-1')
    && at('ceiling', 'large-put-1') < at('crossbucket', 'large-put-1-overwrite'), 'each large step runs on every server in turn');
  t.ok(at('ceiling', 'large-put-hashing-1') > at('ceiling', 'large-put-1') && at('ceiling', 'large-put-hashing-1') < at('crossbucket', 'large-put-1-overwrite'),
    'the hashing ceiling runs right after the signed PUTs to a new key it is compared with');

  // npm run bench:alloc, from the same build: every workload measured, with a plausible figure.
  const alloc = spawnSync(process.execPath, [join(build, 'bench', 'alloc.js')], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  t.equal(alloc.status, 0, `bench:alloc exited 0\n${alloc.stderr}`);
  const rows = [...alloc.stdout.matchAll(/^\| ([\w-]+) \| (\d+) \| (\d+) \| ([\d.]+) \|/gm)];
  t.same(rows.map((m) => m[1]), ['get', 'get-origin', 'head', 'preflight', 'put'], 'bench:alloc: one row per workload');
  for (const m of rows) {
    t.ok(Number(m[2]) > 0, `bench:alloc ${m[1]}: requests completed`);
    // V8 collects the young generation every few MiB: a window of a few hundred requests may
    // see none, and then the figure is 0. When one was seen, a request allocates more than 1 KiB.
    const kib = Number(m[4]);
    t.ok(Number(m[3]) === 0 || (kib > 1 && kib < 1024), `bench:alloc ${m[1]}: ${kib} KiB per request`);
  }

  // npm run bench:ab, one short round both ways round: the same build on both sides, B logging to a file.
  const abEnv = { ...env, BENCH_AB_ROUNDS: '1', BENCH_AB_MS: '200', BENCH_POOL_KEYS: '20', BENCH_AB_LOG: 'b', BENCH_AB_BOTH_WAYS: '1' };
  const ab = spawnSync(process.execPath, [join(build, 'bench', 'ab.js')], { cwd: root, env: abEnv, encoding: 'utf8', timeout: 120_000 });
  t.equal(ab.status, 0, `bench:ab exited 0\n${ab.stderr}`);
  t.match(ab.stdout, new RegExp(`^CPU: ${family === undefined ? '\\S' : `.*family ${family} model \\d+`}`, 'm'), 'bench:ab names the CPU its figures were measured on');
  for (const side of ['A', 'B']) t.match(ab.stdout, new RegExp(`^${side}: node ${relative(root, join(build, 'crossbucket.js')).replace(/[.]/g, '\\.')}$`, 'm'), `bench:ab names what side ${side} ran: the bundle`);
  const abRows = [...ab.stdout.matchAll(/^\| ([\w-]+) \| (\d+), \d+ \| (\d+), \d+ \| ([\d.]+) \|.* \| ([AB]) \|$/gm)];
  t.same(abRows.map((m) => `${m[1]} ${m[5]}`), ['get A', 'preflight A', 'put A', 'get B', 'preflight B', 'put B'],
    'bench:ab: one row per workload and pass, A\'s server launched first, then B\'s');
  for (const m of abRows) t.ok(Number(m[2]) > 0 && Number(m[3]) > 0 && Number(m[4]) > 0, `bench:ab ${m[1]}, ${m[5]} first: both sides measured`);
  t.match(ab.stdout, /^B\/A both ways round \(geometric mean of the two passes' medians\): get [\d.]+, preflight [\d.]+, put [\d.]+$/m, 'bench:ab: both ways round, per workload');
});
