/**
 * `npm run stress`: the long runs of the reliability suite, with their figures.
 *
 *   1. kill points: the crash driver over many SIGKILLs (default 25) on one data dir;
 *   2. load: the mixed workload at concurrency 64 for 60 s against a child server, its RSS sampled;
 *   3. fuzz: the fuzz tests with many more cases (CB_FUZZ_RUNS, default 20000).
 *
 * Options: --kill-points N  --load-seconds N  --concurrency N  --fuzz-runs N (0 skips)  --seed N
 * Exit code 1 if anything went wrong; the figures are printed either way (and as JSON at the end).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { buildServer, ROOT } from './build';
import { startChild } from './child';
import { runCrash, type CrashFigures } from './crash';
import { runLoad, type LoadFigures } from './load';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { values } = parseArgs({
  options: {
    'kill-points': { type: 'string', default: '25' },
    'load-seconds': { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '64' },
    'fuzz-runs': { type: 'string', default: '20000' },
    seed: { type: 'string' },
  },
});
const seed = Number(values.seed ?? Date.now() % 1_000_000);
function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
const log = (line: string) => process.stdout.write(`${line}\n`);

/** RSS growth past which the load run fails: from the 5th sample on, generous for SQLite's cache. */
const RSS_GROWTH_LIMIT_MIB = 150;

async function main(): Promise<number> {
  const problems: string[] = [];
  const started = Date.now();
  const build = buildServer();
  log(`server transpiled: ${build.files} files in ${build.dir}; seed ${seed}`);
  let crash: CrashFigures | undefined;
  let load: LoadFigures | undefined;
  let fuzz: { runs: number; ok: boolean; summary: string } | undefined;
  try {
    const killPoints = Number(values['kill-points']);
    if (killPoints > 0) {
      log(`\n== kill points: ${killPoints} ==`);
      const data = tempDir('cb-stress-crash-');
      try {
        crash = await runCrash({ build, dataDir: data.dir, rounds: killPoints, concurrency: 96, keys: 300, killAfterAcks: [20, 600], seed, log });
      } finally {
        data.remove();
      }
      problems.push(...crash.problems.map((p) => `crash: ${p}`));
      log(`kill points survived: ${crash.killPoints}/${killPoints}; acknowledged ${JSON.stringify(crash.acked)}; cut by a kill ${crash.cut} (${crash.cutApplied} had committed); keys verified ${crash.keysVerified}; integrity ${[...new Set(crash.integrity)].join(',')}; sweep wait max ${Math.max(0, ...crash.sweepMs)} ms; problems ${crash.problems.length}`);
    }

    const seconds = Number(values['load-seconds']);
    if (seconds > 0) {
      log(`\n== load: ${seconds} s at concurrency ${values.concurrency} ==`);
      const data = tempDir('cb-stress-load-');
      const child = await startChild(build, { dataDir: data.dir });
      try {
        load = await runLoad({ endpoint: child.endpoint, seconds, concurrency: Number(values.concurrency), keys: 2000, seed, rss: () => child.rss(), log });
      } finally {
        await child.stop();
        data.remove();
      }
      problems.push(...load.firstErrors.map((e) => `load: ${e}`));
      if (load.errors > load.firstErrors.length) problems.push(`load: ${load.errors} errors in all`);
      const rss = load.rssMiB;
      const base = rss?.samples[Math.min(4, rss.samples.length - 1)] ?? 0;
      if (rss && rss.last - base > RSS_GROWTH_LIMIT_MIB) problems.push(`load: RSS grew from ${base} MiB to ${rss.last} MiB`);
      log(`requests ${load.total} (${load.perSecond}/s): ${JSON.stringify(load.ops)}; errors ${load.errors}, 5xx ${load.status5xx}, wrong bytes ${load.wrongBytes}; ` +
        `written ${(load.bytesWritten / 1048576).toFixed(1)} MiB, read ${(load.bytesRead / 1048576).toFixed(1)} MiB; latency p50 ${load.latencyMs.p50} ms p99 ${load.latencyMs.p99} ms; ` +
        `server RSS MiB first ${rss?.first} peak ${rss?.peak} last ${rss?.last} (every 10 s: ${rss?.samples.filter((_, i) => i % 10 === 0).join(' ')})`);
    }

    const runs = Number(values['fuzz-runs']);
    if (runs > 0) {
      log(`\n== fuzz: ${runs} cases per property ==`);
      const res = spawnSync('npx', ['tap', 'test/fuzz', '-R', 'terse', '--disable-coverage', '--timeout', '900'], {
        cwd: ROOT, env: { ...process.env, CB_FUZZ_RUNS: String(runs) }, encoding: 'utf8',
      });
      const summary = /# \{ total: .* \}/.exec(res.stdout)?.[0] ?? res.stdout.slice(-400);
      fuzz = { runs, ok: res.status === 0, summary };
      log(`fuzz ${fuzz.ok ? 'passed' : 'FAILED'}: ${summary}`);
      if (!fuzz.ok) problems.push(`fuzz: ${res.stdout.slice(-2000)}${res.stderr.slice(-1000)}`);
    }
  } finally {
    build.remove();
  }
  log(`\n== ${problems.length === 0 ? 'PASS' : 'FAIL'} in ${Math.round((Date.now() - started) / 1000)} s ==`);
  for (const p of problems.slice(0, 50)) log(`  ${p}`);
  log(JSON.stringify({ seed, crash: crash && { ...crash, problems: crash.problems.length }, load: load && { ...load, rssMiB: load.rssMiB && { ...load.rssMiB, samples: undefined } }, fuzz }));
  return problems.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
