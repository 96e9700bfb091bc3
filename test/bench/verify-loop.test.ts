/**
 * `npm run bench:sigv4` (bench/verify-loop.ts) – one quick round, so the micro-benchmark keeps
 * working: every shape's requests verify (a refusal exits 1) and the table names each shape.
 * No timing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { buildServer } from '../stress/build';

const root = resolve(__dirname, '..', '..');

t.test('bench:sigv4 – a quick round verifies every request it signed', async (t) => {
  mkdirSync(join(root, '.tap'), { recursive: true });
  const build = mkdtempSync(join(root, '.tap', 'bench-sigv4-'));
  t.teardown(() => rmSync(build, { recursive: true, force: true }));
  buildServer({ extraDirs: ['bench'], into: build });
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_QUICK: '1' };
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, [join(build, 'bench', 'verify-loop.js')], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  t.equal(run.status, 0, `exited 0\n${run.stderr}`);
  for (const shape of ['SDK GetObject (header)', 'SDK PutObject (header, signed payload)', 'presigned GET (query)']) {
    t.match(run.stdout, new RegExp(`^\\| ${shape.replace(/[()]/g, '\\$&')} \\| \\d+\\.\\d\\d \\| \\d+\\.\\d\\d \\|$`, 'm'), shape);
  }
});
