/**
 * Admin API – trust (issue 12, items 1 and 2; docs/security.md). Every admin route that reveals
 * or changes data (explain, reset) refuses an anonymous caller, a wrong secret, a user who is not
 * the bucket owner (reset: not the first user) and a foreign Host, with nothing changed; reset
 * is off unless enabled; `crossbucket explain` signs with the credentials aws-cli would use.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { parseCliConfig } from '../../server/cli/cli-config';
import { runExplain } from '../../server/cli/explain-cli';
import type { ServerConfig } from '../../server/config';
import type { Storage } from '../../storage';
import { OTHER, OWNER, USERS, send, xml, type Req, type Who } from '../server/auth-fixtures';
import { injectApp, startServer, tempDir } from '../helpers/server';
import { s3Http } from '../helpers/s3-inject';
import { runCrossbucket, spawnCrossbucket } from '../helpers/spawn-server';

const CORS = '<CORSConfiguration><CORSRule><AllowedOrigin>http://app.test</AllowedOrigin><AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>';
const CORS_MD5 = createHash('md5').update(CORS).digest('base64');
/** Reset carries the header that was its only guard: the attack as reproduced. */
const ROUTES: Record<string, Req> = {
  explain: { method: 'GET', path: '/_crossbucket/explain', query: { bucket: 'vault', origin: 'http://app.test', method: 'PUT' } },
  'reset objects': { method: 'POST', path: '/_crossbucket/reset', query: { mode: 'objects' }, headers: { 'x-crossbucket-admin': 'reset' } },
  'reset all': { method: 'POST', path: '/_crossbucket/reset', query: { mode: 'all' }, headers: { 'x-crossbucket-admin': 'reset' } },
};

function counts(storage: Storage): string {
  const buckets = storage.listBuckets();
  const objects = buckets.reduce((n, b) => n + storage.listObjects(b.name, { prefix: '', delimiter: '', after: '', maxKeys: 1000 }).objects.length, 0);
  return `${buckets.length} buckets, ${objects} objects`;
}

/** A server with three users; OWNER owns `vault` (one object, CORS rules), OTHER owns `theirs`. */
async function fixture(t: Test, config: Partial<ServerConfig> = {}) {
  const h = injectApp({ users: USERS, adminReset: true, ...config });
  t.teardown(() => h.close());
  for (const r of [
    { method: 'PUT', path: '/vault' }, { method: 'PUT', path: '/vault/doc', body: 'private' },
    { method: 'PUT', path: '/vault', query: { cors: '' }, headers: { 'content-md5': CORS_MD5 }, body: CORS }, { method: 'PUT', path: '/theirs', who: OTHER },
  ] as Req[]) {
    const res = await send(h.app, r);
    if (res.statusCode !== 200) t.fail(`setup ${r.method} ${r.path}: ${res.statusCode} ${res.body}`);
  }
  t.equal(counts(h.storage), '2 buckets, 1 objects', 'setup');
  return h;
}

type Caller = 'anonymous' | 'wrong secret' | 'other user' | 'foreign Host';
const CALLERS: Record<Caller, { who: Who; host?: string; code: string }> = {
  anonymous: { who: 'anonymous', code: 'AccessDenied' },
  'wrong secret': { who: { accessKeyId: OWNER.accessKeyId, secretAccessKey: 'not-the-secret' }, code: 'SignatureDoesNotMatch' },
  'other user': { who: OTHER, code: 'AccessDenied' },
  // Signed by the owner, correctly, for the attacker's name: what a DNS-rebinding page would send.
  'foreign Host': { who: OWNER, host: 'attacker.example', code: 'AccessDenied' },
};

t.test('admin API – every route × {anonymous, wrong secret, other user, foreign Host}: refused, nothing changed', async (t) => {
  const h = await fixture(t);
  for (const [route, line] of Object.entries(ROUTES)) {
    for (const [caller, c] of Object.entries(CALLERS)) {
      const before = counts(h.storage);
      const res = await send(h.app, { ...line, who: c.who, ...(c.host === undefined ? {} : { host: c.host }) });
      const label = `${route} × ${caller}`;
      t.equal(res.statusCode, 403, `${label}: 403`);
      t.equal(xml(res.body, 'Code'), c.code, `${label}: ${c.code}`);
      t.match(res.headers['content-type'], /xml/, `${label}: an S3 XML error`);
      t.notMatch(res.body, /AllowedOrigin|http:\/\/app\.test/, `${label}: no rule revealed`);
      if (caller === 'foreign Host') t.match(xml(res.body, 'Message'), /not Host "attacker\.example"/, label);
      t.equal(counts(h.storage), before, `${label}: nothing changed`);
    }
  }
  for (const host of ['attacker.example:9000', 'localhost.attacker.example', '127.0.0.1.nip.io']) {
    const res = await send(h.app, { ...ROUTES['reset all'] as Req, host });
    t.equal(res.statusCode, 403, `reset with Host "${host}": refused`);
  }
  t.equal(counts(h.storage), '2 buckets, 1 objects', 'still everything there');
});

t.test('admin API – allowed: the owner explains, the first user resets, with this server\'s Host names', async (t) => {
  const h = await fixture(t, { baseDomains: ['s3.example.test'], serverAddresses: ['10.1.2.3', 'fd00::5'] });
  for (const host of ['localhost:9000', 'localhost', '127.0.0.1:9000', '[::1]:9000', 's3.example.test:9000', '10.1.2.3:9000', '[fd00::5]:9000']) {
    const res = await send(h.app, { ...ROUTES.explain as Req, host });
    t.equal(res.statusCode, 200, `explain with Host ${host}`);
    t.match(JSON.parse(res.body), { bucketState: 'has-cors', preflight: { allowed: true } });
  }
  const theirs = await send(h.app, { ...ROUTES.explain as Req, query: { bucket: 'theirs', origin: 'http://app.test' }, who: OTHER });
  t.equal(theirs.statusCode, 200, 'OTHER explains its own bucket');
  const notMine = await send(h.app, { ...ROUTES.explain as Req, query: { bucket: 'theirs', origin: 'http://app.test' } });
  t.equal(notMine.statusCode, 403, 'and OWNER may not explain OTHER\'s bucket (as GetBucketCors)');
  const getCors = await send(h.app, { method: 'GET', path: '/vault', query: { cors: '' }, who: OTHER });
  t.equal(getCors.statusCode, 403, 'GetBucketCors agrees: OTHER may not read vault\'s rules');
  const missing = await send(h.app, { ...ROUTES.explain as Req, query: { bucket: 'nope', origin: 'http://app.test' }, who: OTHER });
  t.match(JSON.parse(missing.body), { bucketState: 'missing' }, 'a missing bucket is reported to any signed user (S3 says NoSuchBucket to all)');

  t.equal((await send(h.app, { ...ROUTES['reset objects'] as Req, host: '127.0.0.1:9000' })).statusCode, 200);
  t.equal(counts(h.storage), '2 buckets, 0 objects', 'reset objects: buckets kept');
  t.equal((await send(h.app, { ...ROUTES['reset all'] as Req, query: { mode: 'bogus' } })).statusCode, 400, 'an unknown mode is refused');
  t.equal((await send(h.app, ROUTES['reset all'] as Req)).statusCode, 200);
  t.equal(counts(h.storage), '0 buckets, 0 objects', 'reset all');
});

t.test('admin API – reset is off by default in buildApp; permissive auth never opens the admin API; health stays open', async (t) => {
  const h = await fixture(t, { adminReset: false });
  const off = await send(h.app, ROUTES['reset all'] as Req);
  t.equal(off.statusCode, 403);
  t.match(xml(off.body, 'Message'), /--admin-reset/, 'the refusal names the option');
  t.equal(counts(h.storage), '2 buckets, 1 objects');

  const p = await fixture(t, { authMode: 'permissive' });
  const wrong = { accessKeyId: OWNER.accessKeyId, secretAccessKey: 'not-the-secret' };
  t.equal((await send(p.app, { method: 'GET', path: '/vault/doc', who: wrong })).statusCode, 200, 'permissive: S3 takes a wrong secret');
  for (const route of Object.keys(ROUTES)) {
    t.equal((await send(p.app, { ...ROUTES[route] as Req, who: wrong })).statusCode, 403, `permissive: ${route} does not`);
  }
  t.equal(counts(p.storage), '2 buckets, 1 objects');

  for (const host of ['localhost:9000', 'attacker.example']) {
    const health = await h.app.inject({ url: '/_crossbucket/health', headers: { host } });
    t.equal(health.statusCode, 200, `health, anonymous, Host ${host}`);
  }
});

t.test('admin API – start() (embedding) allows reset over HTTP and by reset()', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  t.equal((await s3Http(s.endpoint, { method: 'PUT', bucket: 'embedded' })).statusCode, 200);
  const reset = await s3Http(s.endpoint, { method: 'POST', rawPath: '/_crossbucket/reset', query: { mode: 'all' } });
  t.equal(reset.statusCode, 200, reset.body.toString());
  t.equal(s.storage.listBuckets().length, 0);
});

/** Starts the real CLI on port 0 and returns its endpoint; stopped by pid at teardown. */
async function cli(t: Test, args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir('cb-admin-cli-');
  const child = spawnCrossbucket(['--port', '0', '--data-dir', dir.dir, '--seed', 'none', '--log-level', 'warn', ...args], { env, cleanEnv: true });
  t.teardown(async () => {
    child.proc.kill('SIGTERM');
    await child.exited;
    dir.remove();
  });
  const m = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 'stderr');
  return { endpoint: m[1] ?? '', child };
}

t.test('admin API – a plain `crossbucket` start refuses reset; --admin-reset enables it', async (t) => {
  const plain = await cli(t, []);
  t.equal((await s3Http(plain.endpoint, { method: 'PUT', bucket: 'keep' })).statusCode, 200);
  const refused = await s3Http(plain.endpoint, { method: 'POST', rawPath: '/_crossbucket/reset', query: { mode: 'all' } });
  t.equal(refused.statusCode, 403, 'signed by the first user, still refused');
  t.match(xml(refused.body.toString(), 'Message'), /--admin-reset/);
  t.equal((await s3Http(plain.endpoint, { method: 'HEAD', bucket: 'keep' })).statusCode, 200, 'the bucket is still there');

  const on = await cli(t, ['--admin-reset']);
  t.match(on.child.stderr(), /admin reset: on/, 'the banner says so');
  t.equal((await s3Http(on.endpoint, { method: 'PUT', bucket: 'gone' })).statusCode, 200);
  t.equal((await s3Http(on.endpoint, { method: 'POST', rawPath: '/_crossbucket/reset', query: { mode: 'all' } })).statusCode, 200);
  t.equal((await s3Http(on.endpoint, { method: 'HEAD', bucket: 'gone' })).statusCode, 404, 'reset all removed the bucket');

  t.equal(parseCliConfig([], {}).options.config.adminReset, false, 'off by default');
  t.equal(parseCliConfig([], { CROSSBUCKET_ADMIN_RESET: '1' }).options.config.adminReset, true, 'CROSSBUCKET_ADMIN_RESET=1');
  t.equal(parseCliConfig(['--admin-reset'], {}).options.config.adminReset, true, '--admin-reset');
  t.throws(() => parseCliConfig([], { CROSSBUCKET_ADMIN_RESET: 'maybe' }), /CROSSBUCKET_ADMIN_RESET: "maybe" is not valid/);
});

t.test('crossbucket explain – signs with the credentials of the environment or of a credentials file', async (t) => {
  const s = await startServer({ config: { users: USERS } });
  t.teardown(() => s.close());
  t.equal((await s3Http(s.endpoint, { method: 'PUT', bucket: 'site' })).statusCode, 200);
  t.equal((await s3Http(s.endpoint, { method: 'PUT', bucket: 'site', query: { cors: '' }, headers: { 'content-md5': CORS_MD5 }, body: CORS })).statusCode, 200);
  const home = tempDir('cb-home-');
  t.teardown(() => home.remove());
  const args = ['explain', '--endpoint', s.endpoint, '--bucket', 'site', '--origin', 'http://app.test', '--method', 'PUT'];
  const inProcess = async (env: NodeJS.ProcessEnv, ...extra: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runExplain([...args.slice(1), ...extra], { stdout: { write: (x: string) => (stdout += x) }, stderr: { write: (x: string) => (stderr += x) }, env });
    return { code, stdout, stderr };
  };

  const none = await inProcess({ HOME: home.dir });
  t.equal(none.code, 2, 'no credentials anywhere: not asked at all');
  t.match(none.stderr, /no credentials/);
  const fromEnv = await runCrossbucket(args, { cleanEnv: true, env: { HOME: home.dir, AWS_ACCESS_KEY_ID: OWNER.accessKeyId, AWS_SECRET_ACCESS_KEY: OWNER.secretAccessKey } });
  t.equal(fromEnv.code, 0, fromEnv.stderr);
  t.match(fromEnv.stdout, /^ALLOWED  PUT from http:\/\/app\.test on bucket site/);

  const file = join(home.dir, 'creds.ini');
  writeFileSync(file, `[default]\naws_access_key_id = ${OWNER.accessKeyId}\naws_secret_access_key = wrong\n\n# the owner\n[cb]\naws_access_key_id=${OWNER.accessKeyId}\naws_secret_access_key = ${OWNER.secretAccessKey}\n`);
  const fromFile = await runCrossbucket(args, { cleanEnv: true, env: { HOME: home.dir, AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'cb' } });
  t.equal(fromFile.code, 0, fromFile.stderr);
  t.match(fromFile.stdout, /^ALLOWED  PUT/);
  const wrongProfile = await inProcess({ HOME: home.dir, AWS_SHARED_CREDENTIALS_FILE: file });
  t.equal(wrongProfile.code, 2, 'the default profile holds a wrong secret');
  t.match(wrongProfile.stderr, /HTTP 403 .*profile default in .*SignatureDoesNotMatch/s);

  mkdirSync(join(home.dir, '.aws'));
  writeFileSync(join(home.dir, '.aws', 'credentials'), `[default]\naws_access_key_id = ${OTHER.accessKeyId}\naws_secret_access_key = ${OTHER.secretAccessKey}\n`);
  const other = await inProcess({ HOME: home.dir });
  t.equal(other.code, 2, '~/.aws/credentials: OTHER, who does not own the bucket, is refused');
  t.match(other.stderr, /AccessDenied/);
  const flags = await inProcess({ HOME: home.dir }, '--access-key', OWNER.accessKeyId, '--secret-key', OWNER.secretAccessKey);
  t.equal(flags.code, 0, '--access-key/--secret-key win over the file');
  const envWins = await inProcess({ HOME: home.dir, AWS_ACCESS_KEY_ID: OWNER.accessKeyId, AWS_SECRET_ACCESS_KEY: OWNER.secretAccessKey });
  t.equal(envWins.code, 0, 'the environment wins over ~/.aws/credentials');

  // Access-Control-Request-Method is case-sensitive: `put` gets a real preflight's 403, and explain says so.
  const lower = await inProcess({ HOME: home.dir }, '--access-key', OWNER.accessKeyId, '--secret-key', OWNER.secretAccessKey, '--method', 'put');
  t.equal(lower.code, 1, lower.stderr);
  t.match(lower.stdout, /^REFUSED  put from http:\/\/app\.test on bucket site: 403 AccessForbidden/);
  const preflight = await fetch(`${s.endpoint}/site/k`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'put' } });
  t.equal(preflight.status, 403, 'as the real preflight');
});
