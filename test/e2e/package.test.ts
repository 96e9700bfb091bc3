/**
 * crossbucket as another project installs it (`npm install crossbucket`, docs/embedding.md): the
 * files `npm pack` puts in the package, under `node_modules/crossbucket` of a project, and
 * `require('crossbucket')` from that project. The library loads the one-file build (lib/index.js,
 * scripts/bundle.js), exports what index.ts exports, serves an SDK client, and falls back to tsc's
 * output when the bundle is older; deep imports are closed by package.json's `exports`.
 */
import t from 'tap';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { bundle } from '../../scripts/bundle';
import { buildServer } from '../stress/build';
import { ROOT } from '../helpers/spawn-server';

interface Report {
  exports: string[];
  loaded: string[];
  deepImport: string;
  version: string;
  got?: string;
  error?: string;
}

/** Runs `script` in a node whose working directory is the project (`cb` is `require('crossbucket')`). */
function inProject(project: string, script: string): Report {
  const sdk = require.resolve('@aws-sdk/client-s3', { paths: [ROOT] });
  const program = `
    const before = new Set(Object.keys(require.cache));
    const cb = require('crossbucket');
    const report = { exports: Object.keys(cb).sort(), loaded: Object.keys(require.cache).filter((f) => !before.has(f)) };
    try { require('crossbucket/dist/storage'); report.deepImport = 'loaded'; } catch (err) { report.deepImport = err.code; }
    report.version = require('crossbucket/package.json').version;
    const S3 = require(${JSON.stringify(sdk)});
    (async () => { ${script} })().then(
      () => console.log(JSON.stringify(report)),
      (err) => { report.error = String(err && err.stack || err); console.log(JSON.stringify(report)); });`;
  const run = spawnSync(process.execPath, ['-e', program], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
  if (run.status !== 0) throw new Error(`exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Report;
}

t.test('package – require("crossbucket") from a project that installed it', async (t) => {
  mkdirSync(join(ROOT, '.tap'), { recursive: true });
  const work = mkdtempSync(join(ROOT, '.tap', 'package-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  // A checkout whose dist/ is a build of the sources (swc, then the bundle), so that neither this
  // repository's dist/ nor its absence changes what is tested.
  const checkout = join(work, 'checkout');
  const build = buildServer({ into: join(checkout, 'dist') });
  await bundle(build.dir);
  for (const top of ['package.json', 'README.md', 'LICENSE', 'bin', 'lib', 'console']) cpSync(join(ROOT, top), join(checkout, top), { recursive: true });

  // The package as npm lays it out: every file `npm pack` includes, its dependencies one level down
  // (a link to the repository's node_modules). npm gives each file the time it unpacked it, in no
  // set order: here tsc's output is made newer than the bundle, which must load all the same.
  const project = join(work, 'project');
  const installed = join(project, 'node_modules', 'crossbucket');
  const pack = spawnSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: checkout, encoding: 'utf8' });
  t.equal(pack.status, 0, pack.stderr);
  const files = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
  for (const want of ['package.json', 'lib/index.js', 'bin/crossbucket.js', 'dist/crossbucket.js', 'dist/index.js', 'dist/server/app.js']) {
    t.ok(files.includes(want), `npm pack includes ${want}`);
  }
  for (const file of files) {
    mkdirSync(dirname(join(installed, file)), { recursive: true });
    cpSync(join(checkout, file), join(installed, file));
  }
  const later = Date.now() / 1000 + 10;
  for (const file of ['dist/index.js', 'dist/server/cli/main.js']) utimesSync(join(installed, file), later, later);
  symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'), 'dir');
  // The project's own package.json: without it the nearest one is this repository's, and node
  // resolves `crossbucket` to the repository itself (a package may require itself by name).
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-project', private: true }));
  const ownExports = Object.keys(require(join(build.dir, 'index.js')) as object).sort();

  const serve = `
    const s3 = await cb.start({ port: 0, seed: { buckets: [{ name: 'pkg' }] } });
    try {
      const client = new S3.S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
      await client.send(new S3.PutObjectCommand({ Bucket: 'pkg', Key: 'a.txt', Body: 'installed', ChecksumAlgorithm: 'CRC32C' }));
      report.got = await (await client.send(new S3.GetObjectCommand({ Bucket: 'pkg', Key: 'a.txt' }))).Body.transformToString();
      client.destroy();
    } finally { await s3.close(); }`;

  const bundled = inProject(project, serve);
  t.equal(bundled.error, undefined);
  t.same(bundled.exports, ownExports, 'the exports of index.ts, no more (the bundle\'s `main` is the command line\'s)');
  t.same(bundled.loaded.filter((f) => !/\/node_modules\/(better-sqlite3|bindings|file-uri-to-path)\//.test(f)).map((f) => f.slice(installed.length + 1)),
    ['lib/index.js', 'bin/crossbucket.js', 'dist/crossbucket.js'], 'one file of code besides the native SQLite driver');
  t.equal(bundled.got, 'installed', 'PutObject (CRC32C) and GetObject through the SDK');
  t.equal(bundled.deepImport, 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'no second copy of the modules through a deep import');
  t.equal(bundled.version, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);

  // An ES module's named imports: node finds a CommonJS module's names by reading its text.
  const esm = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import * as all from 'crossbucket';
    import { start, corsEngine, DataDirError } from 'crossbucket';
    console.log(JSON.stringify({ names: Object.keys(all).filter((n) => n !== 'default').sort(), start: typeof start, corsEngine: typeof corsEngine, DataDirError: typeof DataDirError }));`],
  { cwd: project, encoding: 'utf8' });
  t.equal(esm.status, 0, esm.stderr);
  t.same(JSON.parse(esm.stdout), { names: ownExports, start: 'function', corsEngine: 'object', DataDirError: 'function' }, "import { start } from 'crossbucket' in an ES module");

  // A checkout linked into a project (`npm link`, a `file:` dependency): its TypeScript sources are
  // beside dist/, so the files' times count. Bundled after tsc, the bundle loads; after tsc wrote
  // dist/ again (a build by `tsc` alone), the bundle is stale and tsc's output loads.
  const linked = join(work, 'linked');
  mkdirSync(join(linked, 'node_modules'), { recursive: true });
  writeFileSync(join(linked, 'package.json'), JSON.stringify({ name: 'another-project', private: true }));
  symlinkSync(checkout, join(linked, 'node_modules', 'crossbucket'), 'dir');
  mkdirSync(join(checkout, 'server', 'cli'), { recursive: true });
  cpSync(join(ROOT, 'server', 'cli', 'main.ts'), join(checkout, 'server', 'cli', 'main.ts'));
  const fresh = inProject(linked, serve);
  t.equal(fresh.error, undefined);
  t.ok(fresh.loaded.some((f) => f.endsWith('/dist/crossbucket.js')), 'checkout, bundled after tsc: the bundle');
  t.equal(fresh.got, 'installed');
  utimesSync(join(checkout, 'dist', 'index.js'), later, later);
  const compiled = inProject(linked, serve);
  t.equal(compiled.error, undefined);
  t.same(compiled.exports, ownExports);
  t.notOk(compiled.loaded.some((f) => f.endsWith('/dist/crossbucket.js')), 'the stale bundle is not loaded');
  t.ok(compiled.loaded.some((f) => f.endsWith('/dist/index.js')) && compiled.loaded.some((f) => f.endsWith('/dist/server/app.js')), "tsc's modules are");
  t.equal(compiled.got, 'installed');
});
