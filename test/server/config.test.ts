import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIONS, flagLabel, parseCliConfig, usage } from '../../server/cli/cli-config';
import { ConfigError } from '../../server/cli/config-file';
import { canonicalIdFor } from '../../server/config';
import { tempDir } from '../helpers/server';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCliConfig(argv, env).options;

function refused(t: Test, argv: string[], env: NodeJS.ProcessEnv, message: string | RegExp): void {
  let caught: unknown;
  try {
    parseCliConfig(argv, env);
  } catch (err) {
    caught = err;
  }
  t.type(caught, ConfigError, `${argv.join(' ')} refused`);
  const text = caught instanceof Error ? caught.message : '';
  if (typeof message === 'string') t.equal(text, message);
  else t.match(text, message);
}

t.test('config – defaults', async (t) => {
  const o = parse([]);
  t.equal(o.port, 9000);
  t.equal(o.host, '127.0.0.1');
  t.equal(o.dataDir, './data');
  t.equal(o.durability, 'normal');
  t.equal(o.logLevel, 'info');
  t.equal(o.logFormat, 'auto');
  t.equal(o.shutdownTimeoutMs, 30000);
  t.equal(o.seed, 'crossbucket.json');
  t.equal(o.seedIfPresent, true, 'the default seed file is optional');
  t.same(o.config.baseDomains, []);
  t.equal(o.config.authMode, 'sigv4');
  t.equal(o.config.region, 'us-east-1');
  t.same(o.config.users?.map((u) => [u.accessKeyId, u.secretAccessKey, u.displayName]), [['crossbucket', 'crossbucket-secret', 'crossbucket']]);
  t.same(o.warnings, []);
});

t.test('config – a flag wins over its environment variable, which wins over the default', async (t) => {
  const env = { CROSSBUCKET_PORT: '4566', CROSSBUCKET_HOST: '0.0.0.0', CROSSBUCKET_REGION: 'eu-west-3', CROSSBUCKET_ACCESS_KEY_ID: 'envkey' };
  const fromEnv = parse([], env);
  t.equal(fromEnv.port, 4566);
  t.equal(fromEnv.host, '0.0.0.0');
  t.equal(fromEnv.config.region, 'eu-west-3');
  t.equal(fromEnv.config.users?.[0]?.accessKeyId, 'envkey');
  t.equal(fromEnv.config.users?.[0]?.secretAccessKey, 'crossbucket-secret');
  const fromFlags = parse(['--port', '5000', '--host=127.0.0.2', '--access-key', 'flagkey'], env);
  t.equal(fromFlags.port, 5000);
  t.equal(fromFlags.host, '127.0.0.2');
  t.equal(fromFlags.config.region, 'eu-west-3', 'variables still apply to options without a flag');
  t.equal(fromFlags.config.users?.[0]?.accessKeyId, 'flagkey');
  t.equal(fromFlags.config.users?.[0]?.id, canonicalIdFor('flagkey'));
});

t.test('config – an empty variable counts as unset', async (t) => {
  t.equal(parse([], { CROSSBUCKET_PORT: '' }).port, 9000);
});

t.test('config – every option has a flag and a variable', async (t) => {
  const env: NodeJS.ProcessEnv = {
    CROSSBUCKET_DATA_DIR: '/d', CROSSBUCKET_BASE_DOMAIN: 's3.test, files.test', CROSSBUCKET_AUTH: 'permissive',
    CROSSBUCKET_DURABILITY: 'full', CROSSBUCKET_LOG_LEVEL: 'debug', CROSSBUCKET_LOG_FORMAT: 'json', CROSSBUCKET_SEED: 'seed.json',
    CROSSBUCKET_SHUTDOWN_TIMEOUT: '2.5', CROSSBUCKET_SECRET_ACCESS_KEY: 's3cret',
  };
  const o = parse([], env);
  t.equal(o.dataDir, '/d');
  t.same(o.config.baseDomains, ['s3.test', 'files.test']);
  t.equal(o.config.authMode, 'permissive');
  t.equal(o.durability, 'full');
  t.equal(o.logLevel, 'debug');
  t.equal(o.logFormat, 'json');
  t.equal(o.seed, 'seed.json');
  t.equal(o.seedIfPresent, false, 'a named seed file must exist');
  t.equal(o.shutdownTimeoutMs, 2500);
  t.equal(o.config.users?.[0]?.secretAccessKey, 's3cret');
  const f = parse(['--data-dir', '/f', '--base-domain', 'x.test', '--auth', 'sigv4', '--durability', 'normal', '--log-level', 'warn',
    '--log-format', 'pretty', '--seed', 'other.json', '--shutdown-timeout', '0', '--secret-key', 'k2'], env);
  t.same([f.dataDir, f.config.baseDomains, f.config.authMode, f.durability, f.logLevel, f.logFormat, f.seed, f.shutdownTimeoutMs, f.config.users?.[0]?.secretAccessKey],
    ['/f', ['x.test'], 'sigv4', 'normal', 'warn', 'pretty', 'other.json', 0, 'k2']);
  t.equal(parse(['--seed', 'none']).seed, undefined, '--seed none: no seed');
  t.equal(parse(['--seed=']).seed, undefined);
});

t.test('config – validation names the flag or variable and the value', async (t) => {
  refused(t, ['--port', 'abc'], {}, '--port: "abc" is not valid: expected a port number, 0 to 65535');
  refused(t, ['--port', '70000'], {}, '--port: "70000" is not valid: expected a port number, 0 to 65535');
  refused(t, ['--port', '-1'], {}, /--port/);
  refused(t, [], { CROSSBUCKET_PORT: '80a' }, 'CROSSBUCKET_PORT: "80a" is not valid: expected a port number, 0 to 65535');
  refused(t, ['--auth', 'none'], {}, '--auth: "none" is not valid: expected sigv4 or permissive');
  refused(t, [], { CROSSBUCKET_AUTH: 'off' }, 'CROSSBUCKET_AUTH: "off" is not valid: expected sigv4 or permissive');
  refused(t, ['--durability', 'fsync'], {}, '--durability: "fsync" is not valid: expected normal or full');
  refused(t, ['--log-level', 'verbose'], {}, '--log-level: "verbose" is not valid: expected fatal, error, warn, info, debug, trace, silent');
  refused(t, ['--log-format', 'text'], {}, '--log-format: "text" is not valid: expected auto, json or pretty');
  refused(t, ['--region', 'US East'], {}, /^--region: "US East" is not valid/);
  refused(t, ['--access-key', 'a/b'], {}, /^--access-key: "a\/b" is not valid/);
  refused(t, ['--shutdown-timeout', 'soon'], {}, /^--shutdown-timeout: "soon" is not valid/);
  refused(t, ['--host', ''], {}, /^--host: "" is not valid/);
});

t.test('config – unknown flags, stray arguments and missing values', async (t) => {
  refused(t, ['--prot', '9000'], {}, 'unknown option --prot (did you mean --port?); crossbucket --help lists the options');
  refused(t, ['--datadir=./x'], {}, 'unknown option --datadir (did you mean --data-dir?); crossbucket --help lists the options');
  refused(t, ['--frobnicate'], {}, 'unknown option --frobnicate; crossbucket --help lists the options');
  refused(t, ['9000'], {}, /^unexpected argument "9000"/);
  refused(t, ['--port'], {}, /^--port needs a value/);
});

t.test('config – unknown CROSSBUCKET_ variables are warned about', async (t) => {
  const o = parse([], { CROSSBUCKET_ACCESS_KEY: 'x', PATH: '/bin' });
  t.same(o.warnings, ['environment variable CROSSBUCKET_ACCESS_KEY is not an option of crossbucket and is ignored (did you mean CROSSBUCKET_ACCESS_KEY_ID?)']);
});

t.test('config – --help lists every option with its variable and default', async (t) => {
  t.equal(parseCliConfig(['--help'], {}).help, true);
  const text = usage();
  for (const o of OPTIONS) {
    const line = text.split('\n').find((l) => l.startsWith(`  ${flagLabel(o)} `));
    t.ok(line, `--${o.flag} listed`);
    t.match(line ?? '', o.env);
    if (o.default !== '') t.match(line ?? '', `default: ${o.default}`);
    t.ok(text.includes(o.help), `help of --${o.flag}`);
  }
});

t.test('config – several users from a users file', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const file = join(d.dir, 'users.json');
  writeFileSync(file, JSON.stringify([
    { accessKeyId: 'alice', secretAccessKey: 'alice-secret', displayName: 'Alice' },
    { accessKeyId: 'bob', secretAccessKey: 'bob/secret+1' },
  ]));
  const users = parse(['--users-file', file]).config.users ?? [];
  t.same(users.map((u) => [u.accessKeyId, u.secretAccessKey, u.displayName, u.id]), [
    ['alice', 'alice-secret', 'Alice', canonicalIdFor('alice')],
    ['bob', 'bob/secret+1', 'bob', canonicalIdFor('bob')],
  ]);
  t.equal(parse([], { CROSSBUCKET_USERS_FILE: file }).config.users?.length, 2, 'from the variable too');
  refused(t, ['--users-file', file, '--access-key', 'x'], {}, `--access-key and --users-file cannot be combined: list every user in the users file`);
  refused(t, ['--users-file', file], { CROSSBUCKET_SECRET_ACCESS_KEY: 'y' }, `CROSSBUCKET_SECRET_ACCESS_KEY and --users-file cannot be combined: list every user in the users file`);
});

t.test('config – a bad users file is refused with its name and the entry', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const write = (name: string, text: string) => { const p = join(d.dir, name); writeFileSync(p, text); return p; };
  const cases: Array<[string, string, string | RegExp]> = [
    ['empty.json', '[]', /empty\.json: expected a non-empty array/],
    ['syntax.json', '[\n  {"accessKeyId": "a",}\n]', /syntax\.json: not valid JSON \(line 2, column \d+\)/],
    ['noid.json', '[{"secretAccessKey": "s"}]', /noid\.json: \[0\]\.accessKeyId: expected 1 to 128 characters/],
    ['nosecret.json', '[{"accessKeyId": "a"}]', /nosecret\.json: \[0\]\.secretAccessKey: expected a non-empty string$/],
    ['typo.json', '[{"accessKeyId": "a", "secretKey": "s"}]', /typo\.json: \[0\]: unknown member "secretKey" \(did you mean "secretAccessKey"\?\)/],
    ['twice.json', '[{"accessKeyId": "a", "secretAccessKey": "s"}, {"accessKeyId": "a", "secretAccessKey": "t"}]', /twice\.json: \[1\]\.accessKeyId: "a" is already the access key ID of \[0\]/],
  ];
  for (const [name, text, message] of cases) refused(t, ['--users-file', write(name, text)], {}, message);
  refused(t, ['--users-file', join(d.dir, 'missing.json')], {}, /missing\.json: cannot read: no such file/);
});
