/**
 * The one-file command line (scripts/bundle.js → dist/crossbucket.js), which bin/crossbucket.js,
 * `npm start` and the Docker image run: built here from the sources (swc, then esbuild), started
 * with plain node, and used through aws-cli, the AWS SDK and fetch on paths that load modules on
 * first use (bucket CORS, multipart, CRC32C, `explain`) or read files beside the code (the
 * console, the version). The same file as a library: test/e2e/package.test.ts.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { bundle } from '../../scripts/bundle';
import { crossbucketEntry } from '../../bench/servers';
import { buildServer } from '../stress/build';
import { awsCommand } from '../helpers/s3api-cli';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, sdkClient, tempDir } from '../helpers/server';
import { ROOT, runCrossbucket, spawnCrossbucket } from '../helpers/spawn-server';

const { entryFile } = require('../../bin/crossbucket.js') as { entryFile: (dist: string) => string | undefined };

const APP = 'http://localhost:5173';

t.test('bundle – one file that starts, serves and stops like the sources', async (t) => {
  // Under the repository, as dist/ is: the console and package.json are found by walking up.
  mkdirSync(join(ROOT, '.tap'), { recursive: true });
  const build = buildServer({ into: mkdtempSync(join(ROOT, '.tap', 'bundle-')) });
  t.teardown(build.remove);
  t.ok(await bundle(build.dir) > 0, 'bundled');
  const entry = join(build.dir, 'crossbucket.js');
  // node prints the source line of an uncaught error above its stack: a line, not a module.
  const longest = Math.max(...readFileSync(entry, 'utf8').split('\n').map((line) => line.length));
  t.ok(longest < 2000, `the longest line has ${longest} characters`);

  // One file: loading it reads nothing else from disk but the native SQLite driver (compared with
  // a node that loads nothing: tap's process-info hook is preloaded into every child).
  const modules = (script: string) => {
    const run = spawnSync(process.execPath, ['-e', `${script}; console.log(JSON.stringify(Object.keys(require.cache)))`], { encoding: 'utf8' });
    t.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as string[];
  };
  const before = new Set(modules('0'));
  const files = modules(`require(${JSON.stringify(entry)})`).filter((f) => !before.has(f));
  t.equal(files[0], entry);
  t.ok(files.length > 1, 'the native driver');
  t.same(files.slice(1).filter((f) => !/\/node_modules\/(better-sqlite3|bindings|file-uri-to-path)\//.test(f)), [], 'only better-sqlite3 besides the bundle');

  const version = await runCrossbucket(['--version'], { entry });
  t.same(version, { code: 0, stdout: `crossbucket ${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`, stderr: '' });
  t.same(await runCrossbucket(['--help'], { entry }), await runCrossbucket(['--help']), '--help as the sources print it');

  const d = tempDir();
  t.teardown(d.remove);
  mkdirSync(join(d.dir, 'public'));
  writeFileSync(join(d.dir, 'public', 'index.html'), '<p>hi</p>');
  writeFileSync(join(d.dir, 'crossbucket.json'), JSON.stringify({ buckets: [{ name: 'site', upload: './public', cors: { CORSRules: [{ AllowedOrigins: [APP], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'] }] } }] }));
  const child = spawnCrossbucket(['--port', '0', '--log-format', 'json'], { entry, cwd: d.dir, env: { CROSSBUCKET_DATA_DIR: join(d.dir, 'data') } });
  t.teardown(() => { if (child.proc.exitCode === null) child.proc.kill('SIGKILL'); });
  const [, endpoint = ''] = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stderr');
  t.match(child.stderr(), '# seed: crossbucket.json: site (created, 1 uploaded, 0 unchanged)');

  // aws-cli: bucket CORS (loaded on first use), a multipart upload (8 MiB: aws-cli's threshold) and its download.
  const aws = (...args: string[]) => awsCommand(endpoint, args);
  const cors = await aws('s3api', 'get-bucket-cors', '--bucket', 'site');
  t.equal(cors.code, 0, cors.stderr);
  t.same((JSON.parse(cors.stdout) as { CORSRules: Array<{ AllowedOrigins: string[] }> }).CORSRules[0]?.AllowedOrigins, [APP], 'the seeded rules');
  const big = Buffer.alloc(9 * 1024 * 1024, 7);
  writeFileSync(join(d.dir, 'big.bin'), big);
  const up = await aws('s3', 'cp', join(d.dir, 'big.bin'), 's3://site/big.bin');
  t.equal(up.code, 0, up.stderr);
  const head = await aws('s3api', 'head-object', '--bucket', 'site', '--key', 'big.bin');
  t.match(JSON.parse(head.stdout), { ContentLength: big.length, ETag: /-2"$/ }, 'uploaded in two parts');
  const down = await aws('s3', 'cp', 's3://site/big.bin', join(d.dir, 'back.bin'));
  t.equal(down.code, 0, down.stderr);
  t.ok(readFileSync(join(d.dir, 'back.bin')).equals(big), 'the same bytes back');

  // The SDK with a CRC32C checksum (its package is loaded on first use), read back.
  const client = sdkClient(endpoint);
  t.teardown(() => client.destroy());
  const put = await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'note.txt', Body: 'bundled', ChecksumAlgorithm: 'CRC32C' }));
  t.equal(put.ChecksumCRC32C, 'v/Ng0Q==', 'CRC32C of "bundled"');
  const got = await client.send(new GetObjectCommand({ Bucket: 'site', Key: 'note.txt' }));
  t.equal(await got.Body?.transformToString(), 'bundled');

  // A browser's preflight and the console page (its files found beside the sources).
  const preflight = await fetch(`${endpoint}/site/note.txt`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'PUT' } });
  t.equal(preflight.status, 200);
  t.equal(preflight.headers.get('access-control-allow-origin'), APP);
  const page = await fetch(`${endpoint}/_crossbucket/console/`);
  t.equal(page.status, 200);
  t.match(await page.text(), '<meta name="crossbucket-region" content="us-east-1">');

  // `crossbucket explain` through the same file.
  const explain = await runCrossbucket(['explain', '--endpoint', endpoint, '--bucket', 'site', '--origin', APP, '--method', 'DELETE'], { entry, cleanEnv: true, env: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY } });
  t.equal(explain.code, 1, explain.stderr);
  t.match(explain.stdout, /^REFUSED  DELETE from http:\/\/localhost:5173 on bucket site: 403 /);

  child.proc.kill('SIGTERM');
  t.same(await child.exited, { code: 0, signal: null });
  const lines = child.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.ok(lines.some((l) => l.op === 'GetObject' && l.key === 'note.txt'), 'request log lines');
  t.equal(lines.at(-1)?.msg, 'stopped: database closed');
});

t.test('bin/crossbucket.js and the benchmark – run the bundle unless, in a checkout, tsc wrote dist/ after it', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const dist = join(d.dir, 'dist');
  const bundleFile = join(dist, 'crossbucket.js');
  const main = join(dist, 'server', 'cli', 'main.js');
  const runs = (expected: string, why: string) => {
    t.equal(entryFile(dist), expected, `bin: ${why}`);
    t.equal(crossbucketEntry(dist), expected, `bench: ${why}`);
  };
  t.equal(entryFile(dist), undefined, 'nothing built');
  mkdirSync(join(dist, 'server', 'cli'), { recursive: true });
  writeFileSync(main, '');
  runs(main, 'tsc only');
  writeFileSync(bundleFile, '');
  const now = Date.now() / 1000;
  // An installed package: npm unpacks each file at its own time, in no set order.
  utimesSync(main, now + 10, now + 10);
  runs(bundleFile, 'installed, tsc\'s output unpacked after the bundle: the bundle');
  // A checkout: the TypeScript sources beside dist/.
  mkdirSync(join(d.dir, 'server', 'cli'), { recursive: true });
  writeFileSync(join(d.dir, 'server', 'cli', 'main.ts'), '');
  runs(main, 'checkout, tsc ran after the bundle: the bundle is stale');
  utimesSync(main, now - 10, now - 10);
  runs(bundleFile, 'checkout, bundled after tsc');
});

t.test('bin/crossbucket.js – turns on V8\'s compile cache where node has one (22.1 and later)', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  // This node (20) has no module.enableCompileCache: a preload gives it one that leaves a mark.
  const stub = join(d.dir, 'stub.js');
  const mark = join(d.dir, 'called');
  writeFileSync(stub, `require('node:module').enableCompileCache = () => { require('node:fs').writeFileSync(${JSON.stringify(mark)}, 'yes'); return { status: 0 }; };\n`);
  const run = spawnSync(process.execPath, ['-r', stub, join(ROOT, 'bin', 'crossbucket.js'), '--version'], { encoding: 'utf8' });
  t.equal(readFileSync(mark, 'utf8'), 'yes', `called before the server loads (${run.stderr.trim() || run.stdout.trim()})`);
  const without = spawnSync(process.execPath, [join(ROOT, 'bin', 'crossbucket.js'), '--version'], { encoding: 'utf8' });
  t.notMatch(without.stderr, /enableCompileCache|TypeError/, 'and nothing to say where it has none');
});
