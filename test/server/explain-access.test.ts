/**
 * `crossbucket explain` for access (docs/access.md): the signed admin endpoint without `origin`
 * and the CLI, naming the deciding statement, exit codes 0 / 1 / 2, `--json`, `--anonymous`,
 * `--action`; the policy's statements only for the bucket owner's account; and the debug log line
 * of a refused request naming its deciding source.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { buildApp } from '../../server/app';
import { runExplain } from '../../server/cli/explain-cli';
import { makeUser } from '../../server/config';
import { openSqliteStorage } from '../../storage';
import { s3, type S3Request } from '../helpers/s3-inject';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer, tempDir } from '../helpers/server';

const OWNER = makeUser(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
const CAROL = makeUser('carol', 'carol-secret', { accountId: '222222222222', userName: 'carol' });
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/public/*' },
    { Sid: 'NoSecrets', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/secret/*' },
  ],
});

async function site(app: Parameters<typeof s3>[0]) {
  for (const r of <S3Request[]>[
    { method: 'PUT', bucket: 'site' },
    { method: 'DELETE', bucket: 'site', query: { publicAccessBlock: '' } },
    { method: 'PUT', bucket: 'site', query: { policy: '' }, body: POLICY },
    { method: 'PUT', bucket: 'site', key: 'public/index.html', body: 'hi' },
    { method: 'PUT', bucket: 'site', key: 'secret/key.txt', body: 'no' },
  ]) {
    const res = await s3(app, r);
    if (res.statusCode >= 300) throw new Error(`${r.method} ${res.statusCode} ${res.body}`);
  }
}

t.test('explain access – the CLI: ALLOWED / DENIED, the deciding statement, one line per statement, exit codes', async (t) => {
  const s = await startServer({ config: { users: [OWNER, CAROL] } });
  t.teardown(() => s.close());
  await site(s.app);
  const run = async (env: NodeJS.ProcessEnv, ...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runExplain(['--endpoint', s.endpoint, ...argv], { stdout: { write: (x: string) => (stdout += x) }, stderr: { write: (x: string) => (stderr += x) }, env });
    return { code, stdout, stderr };
  };
  const asOwner = { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, HOME: '/nonexistent' };
  const asCarol = { AWS_ACCESS_KEY_ID: 'carol', AWS_SECRET_ACCESS_KEY: 'carol-secret', HOME: '/nonexistent' };

  const anon = await run(asOwner, '--bucket', 'site', '--key', 'public/index.html', '--method', 'GET', '--anonymous');
  t.equal(anon.code, 0, anon.stderr);
  t.equal(anon.stdout, [
    'ALLOWED  anonymous s3:GetObject (GetObject) on site/public/index.html',
    '  deciding source: policy statement 0 (Sid "PublicRead")',
    '  allowed by policy statement 0 (Sid "PublicRead")',
    '  bucket: policy public; block public access: none; object ownership: BucketOwnerEnforced',
    '  statement 0 (Sid "PublicRead") Allow: MATCHED - anonymous matches Principal "*"; s3:GetObject matches Action "s3:GetObject"; arn:aws:s3:::site/public/index.html matches Resource "arn:aws:s3:::site/public/*"',
    '  statement 1 (Sid "NoSecrets") Deny: no - arn:aws:s3:::site/public/index.html matches none of Resource ["arn:aws:s3:::site/secret/*"]',
    '',
  ].join('\n'));

  const secret = await run(asOwner, '--bucket', 'site', '--key', 'secret/key.txt', '--action', 's3:GetObject');
  t.equal(secret.code, 1, 'denied: exit 1');
  t.match(secret.stdout, /^DENIED {2}arn:aws:iam::\d{12}:user\/crossbucket s3:GetObject \(GetObject\) on site\/secret\/key.txt \(403\)\n {2}deciding source: policy statement 1 \(Sid "NoSecrets"\)\n/);
  t.match(secret.stdout, /statement 1 \(Sid "NoSecrets"\) Deny: MATCHED/);

  const list = await run(asOwner, '--bucket', 'site', '--method', 'GET', '--anonymous', '--json');
  t.equal(list.code, 1);
  const json = JSON.parse(list.stdout) as Record<string, unknown>;
  t.match(json, { operation: 'ListObjectsV2', action: 's3:ListBucket', allowed: false, status: 403, source: 'default deny', principal: 'anonymous' });
  t.equal((json.statements as string[]).length, 2, 'one line per statement');

  const missing = await run(asOwner, '--bucket', 'site', '--key', 'nothing-here', '--method', 'HEAD', '--anonymous');
  t.equal(missing.code, 1);
  t.match(missing.stdout, /^DENIED .*\(403\)\n {2}deciding source: default deny/, 'a missing key without s3:ListBucket: 403 (docs/spec/access.md §9 R9.2)');

  const carol = await run(asCarol, '--bucket', 'site', '--key', 'secret/key.txt', '--method', 'PUT');
  t.equal(carol.code, 1);
  t.match(carol.stdout, /^DENIED {2}arn:aws:iam::222222222222:user\/carol s3:PutObject \(PutObject\)/);
  t.match(carol.stdout, /shown to the bucket owner's account only/, 'another account does not see the statements');
  t.notMatch(carol.stdout, /NoSecrets/);

  const usage = await run(asOwner, '--bucket', 'site', '--method', 'FETCH');
  t.equal(usage.code, 2);
  t.match(usage.stderr, /names no S3 operation/);
  t.equal((await run(asOwner, '--bucket', 'site', '--action', 'GetObject')).code, 2, 'an action without s3:');
  t.equal((await run(asOwner, '--bucket', 'site', '--origin', 'http://a.test', '--anonymous')).code, 2, '--anonymous is for access');
  t.equal((await run(asOwner)).code, 2, 'no bucket');
  t.equal((await run({ HOME: '/nonexistent' }, '--bucket', 'site')).code, 2, 'no credentials');
  const nobucket = await run(asOwner, '--bucket', 'nowhere', '--method', 'GET');
  t.equal(nobucket.code, 1);
  t.match(nobucket.stdout, /no such bucket/);
});

t.test('explain access – the admin endpoint answers only signed requests; a refused request logs its deciding source at debug', async (t) => {
  const d = tempDir();
  t.teardown(() => d.remove());
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString()); cb(); } });
  const storage = openSqliteStorage({ dataDir: d.dir });
  const app = buildApp({ storage, config: { users: [OWNER, CAROL] }, loggerInstance: pino({ level: 'debug' }, stream) });
  t.teardown(async () => { await app.close(); storage.close(); });
  await site(app);
  const unsigned = await app.inject({ method: 'GET', url: '/_crossbucket/explain?bucket=site&method=GET', headers: { host: 'localhost:9000' } });
  t.equal(unsigned.statusCode, 403, 'unsigned: refused');
  const signed = await s3(app, { rawPath: '/_crossbucket/explain', query: { bucket: 'site', key: 'secret/key.txt', action: 's3:GetObject', anonymous: '1' } });
  t.equal(signed.statusCode, 200);
  t.match(JSON.parse(signed.body), { allowed: false, result: 'explicitDeny', source: 'policy statement 1 (Sid "NoSecrets")' });
  const refused = await app.inject({ method: 'GET', url: '/site/secret/key.txt', headers: { host: 'localhost:9000' } });
  t.equal(refused.statusCode, 403);
  const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'access denied');
  t.match(line, { level: 20, operation: 'GetObject', action: 's3:GetObject', principal: 'anonymous', source: 'policy statement 1 (Sid "NoSecrets")', result: 'explicitDeny' });
});
