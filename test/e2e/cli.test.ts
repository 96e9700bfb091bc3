/** The `crossbucket` command line, run as a child process (see test/helpers/spawn-server.ts). */
import t from 'tap';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { OPTIONS, flagLabel } from '../../server/cli/cli-config';
import { main, PERMISSIVE_WARNING } from '../../server/cli/main';
import { start } from '../../server/cli/start';
import { sdkClient, tempDir } from '../helpers/server';
import { spawnCrossbucket } from '../helpers/spawn-server';
import { clientEnv } from '../helpers/client-env';
import { spawnSync } from 'node:child_process';

/** main() in this process, with its output captured. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, {
    stdout: { write: (s: string) => { out.stdout += s; } },
    stderr: { write: (s: string) => { out.stderr += s; } },
    env,
  });
  return { code, ...out };
}

t.test('cli – help, and mistakes refused with exit code 2 before anything starts', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const badSeed = join(d.dir, 'crossbucket.json');
  writeFileSync(badSeed, JSON.stringify({ buckets: [{ name: 'site', cors: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GTE'] }] } }] }));
  const dataDir = join(d.dir, 'data');
  const help = await cli(['--help']);
  t.equal(help.code, 0);
  for (const o of OPTIONS) t.match(help.stdout, new RegExp(`${flagLabel(o)} +${o.env}`), `--${o.flag} in --help`);
  t.same(await cli(['serve', '--help']), help, 'serve is the default command');
  t.same(await cli(['--prot', '9000']), { code: 2, stdout: '', stderr: 'crossbucket: unknown option --prot (did you mean --port?); crossbucket --help lists the options\n' });
  t.same(await cli([], { CROSSBUCKET_AUTH: 'none' }), { code: 2, stdout: '', stderr: 'crossbucket: CROSSBUCKET_AUTH: "none" is not valid: expected sigv4 or permissive\n' });
  t.same(await cli(['--seed', badSeed, '--data-dir', dataDir, '--port', '0']), {
    code: 2, stdout: '',
    stderr: `crossbucket: ${badSeed}: buckets[0] ("site").cors.CORSRules[0].AllowedMethods[0]: Found unsupported HTTP method in CORS config. Unsupported method is GTE [InvalidRequest]\n`,
  });
  t.notOk(existsSync(dataDir), 'a bad seed is refused before the data dir is created');
  const missing = await cli(['--seed', join(d.dir, 'nope.json'), '--data-dir', dataDir]);
  t.same(missing, { code: 2, stdout: '', stderr: `crossbucket: ${join(d.dir, 'nope.json')}: cannot read: no such file\n` }, 'a named seed file must exist');
});

t.test('cli – health', async (t) => {
  const s3 = await start({ port: 0 });
  t.teardown(() => s3.close());
  t.same(await cli(['health', '--endpoint', s3.endpoint]), { code: 0, stdout: `${s3.endpoint}: 200\n`, stderr: '' });
  t.same(await cli(['health'], { CROSSBUCKET_PORT: String(s3.port) }), { code: 0, stdout: `http://127.0.0.1:${s3.port}: 200\n`, stderr: '' }, 'on the configured port by default');
  t.same(await cli(['health', `--endpoint=${s3.endpoint}`]), { code: 0, stdout: `${s3.endpoint}: 200\n`, stderr: '' });
  const wrong = await cli(['health', '--url', s3.endpoint]);
  t.equal(wrong.code, 2);
  t.match(wrong.stderr, /^crossbucket: health: Unknown option '--url'/);
  await s3.close();
  const down = await cli(['health', '--endpoint', s3.endpoint]);
  t.equal(down.code, 1);
  t.match(down.stderr, s3.endpoint);
});

t.test('cli – serve in a child process: seed found in the working directory, permissive warning, Ctrl-C', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  mkdirSync(join(d.dir, 'public'));
  writeFileSync(join(d.dir, 'public', 'index.html'), '<p>hi</p>');
  writeFileSync(join(d.dir, 'crossbucket.json'), JSON.stringify({ buckets: [{ name: 'site', acl: 'public-read', upload: './public' }] }));
  const child = spawnCrossbucket(['--port', '0', '--auth', 'permissive', '--log-format', 'json'], {
    cwd: d.dir, env: { CROSSBUCKET_DATA_DIR: join(d.dir, 's3-data'), CROSSBUCKET_SECRET_ACCES_KEY: 'typo' },
  });
  t.teardown(() => { if (child.proc.exitCode === null) child.proc.kill('SIGKILL'); });
  const [, endpoint] = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stderr');
  t.ok(endpoint);
  const stderr = child.stderr();
  t.ok(stderr.includes(PERMISSIVE_WARNING), 'the loud warning is on the terminal');
  t.match(stderr, `(data: ${join(d.dir, 's3-data')})`);
  t.match(stderr, '# seed: crossbucket.json: site (created, 1 uploaded, 0 unchanged)');
  t.match(stderr, 'crossbucket: warning: environment variable CROSSBUCKET_SECRET_ACCES_KEY is not an option of crossbucket and is ignored (did you mean CROSSBUCKET_SECRET_ACCESS_KEY?)');
  t.match(stderr, `export AWS_ACCESS_KEY_ID=crossbucket\nexport AWS_SECRET_ACCESS_KEY=crossbucket-secret\nexport AWS_DEFAULT_REGION=us-east-1\nexport AWS_ENDPOINT_URL=${endpoint}\naws s3 ls\n`);
  t.equal(stderr.match(/listening/g)?.length, 1, 'one listening line');
  await child.waitFor(/"msg":"permissive auth/, 'stdout');
  const warn = child.stdout().split('\n').map((l) => (l.startsWith('{') ? JSON.parse(l) as Record<string, unknown> : {})).find((l) => String(l.msg).startsWith('permissive auth'));
  t.equal(warn?.level, 40, 'and in the logs, at warn level');

  const client = sdkClient(endpoint ?? '', { credentials: { accessKeyId: 'anyone', secretAccessKey: 'anything' } });
  t.teardown(() => client.destroy());
  t.same((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['site'], 'any credentials act as the first user');
  const page = await fetch(`${endpoint}/site/index.html`);
  t.equal(page.status, 200);
  t.equal(await page.text(), '<p>hi</p>');

  child.proc.kill('SIGINT');
  const exit = await child.exited;
  t.same(exit, { code: 0, signal: null });
  t.match(child.stdout(), /"msg":"shutting down: finishing in-flight requests"/);
  t.match(child.stdout(), /"msg":"stopped: database closed"/);
  await t.rejects(fetch(`${endpoint}/_crossbucket/health`), 'no longer listening');
});

t.test('cli – --version, and --help on every subcommand', async (t) => {
  const version = await cli(['--version']);
  t.equal(version.code, 0);
  t.match(version.stdout, /^crossbucket \d+\.\d+\.\d+\n$/);
  for (const argv of [['-h'], ['explain', '--help'], ['health', '--help'], ['health', '-h']]) {
    const r = await cli(argv);
    t.equal(r.code, 0, argv.join(' '));
    t.match(r.stdout, /usage/i, argv.join(' '));
  }
});

t.test('cli – the banner pasted into bash makes aws-cli work', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const child = spawnCrossbucket(['--port', '0', '--seed', 'none', '--log-format', 'json'], { cwd: d.dir, env: { CROSSBUCKET_DATA_DIR: join(d.dir, 'data') } });
  t.teardown(() => { if (child.proc.exitCode === null) child.proc.kill('SIGKILL'); });
  await child.waitFor(/aws s3 ls\n/, 'stderr');
  const pasted = child.stderr().split('\n').filter((l) => l.startsWith('export ') || l.startsWith('aws ')).join('\n');
  const script = `${pasted.replace('aws s3 ls', 'aws s3 mb s3://pasted && aws s3 ls')}\n`;
  const env = clientEnv({ AWS_CONFIG_FILE: join(d.dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(d.dir, 'none') });
  const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8', timeout: 60_000 });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /pasted/);
});
