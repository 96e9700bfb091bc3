/**
 * Options from flags and environment variables: a flag wins over its variable, which wins over
 * the default. Every value is validated; a mistake is a ConfigError naming the flag or variable.
 */
import { parseArgs } from 'node:util';
import { closest, ConfigError } from './config-file';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, makeUser, type AuthMode, type ServerConfig } from '../config';
import { readUsersFile, validAccessKeyId } from './users-file';

export type LogFormat = 'auto' | 'json' | 'pretty';
export const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** The seed file used when none is named, if it exists in the working directory. */
export const DEFAULT_SEED_FILE = 'crossbucket.json';

export interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  durability: 'normal' | 'full';
  logLevel: string;
  logFormat: LogFormat;
  /** Set from logFormat by main (auto: when stdout is a terminal). */
  prettyLogs?: boolean;
  seed?: string;
  /** true when `seed` is the default file: applied only if it exists. */
  seedIfPresent: boolean;
  shutdownTimeoutMs: number;
  /** How often lifecycle rules are applied (0: never). */
  lifecycleIntervalMs: number;
  config: Partial<ServerConfig>;
  /** Things worth telling the user that are not errors (unknown CROSSBUCKET_* variables). */
  warnings: string[];
}

/** `arg: ''`: a switch (`--admin-reset`), whose variable takes 1/true/on or 0/false/off. */
export interface OptionSpec { flag: string; env: string; arg: string; default: string; help: string }

const SWITCH_ON = ['1', 'true', 'on', 'yes'];
const SWITCH_OFF = ['0', 'false', 'off', 'no'];

export const OPTIONS: OptionSpec[] = [
  { flag: 'port', env: 'CROSSBUCKET_PORT', arg: 'n', default: '9000', help: 'TCP port (0: any free port)' },
  { flag: 'host', env: 'CROSSBUCKET_HOST', arg: 'addr', default: '127.0.0.1', help: 'address to bind (0.0.0.0: every interface, as in Docker)' },
  { flag: 'data-dir', env: 'CROSSBUCKET_DATA_DIR', arg: 'dir', default: './data', help: 'where the metadata and bodies up to 64 KiB (SQLite) and the larger object files live' },
  { flag: 'access-key', env: 'CROSSBUCKET_ACCESS_KEY_ID', arg: 'id', default: DEFAULT_ACCESS_KEY_ID, help: 'access key ID of the single user' },
  { flag: 'secret-key', env: 'CROSSBUCKET_SECRET_ACCESS_KEY', arg: 'secret', default: DEFAULT_SECRET_ACCESS_KEY, help: 'secret access key of the single user' },
  { flag: 'users-file', env: 'CROSSBUCKET_USERS_FILE', arg: 'file', default: '', help: 'JSON file of several users [{"accessKeyId", "secretAccessKey", "displayName"}] (replaces --access-key/--secret-key; the first one owns seeded buckets)' },
  { flag: 'region', env: 'CROSSBUCKET_REGION', arg: 'region', default: DEFAULT_REGION, help: 'the region of every bucket, and the one SigV4 signatures must name' },
  { flag: 'base-domain', env: 'CROSSBUCKET_BASE_DOMAIN', arg: 'domains', default: '', help: 'extra base domains for virtual-hosted buckets, comma-separated (localhost and s3.localhost always work)' },
  { flag: 'auth', env: 'CROSSBUCKET_AUTH', arg: 'mode', default: 'sigv4', help: 'sigv4 (signatures verified) or permissive (any credentials accepted: for clients you cannot configure)' },
  { flag: 'durability', env: 'CROSSBUCKET_DURABILITY', arg: 'mode', default: 'normal', help: 'normal (writes survive a killed process) or full (fsync every object: survives power loss, slower)' },
  { flag: 'log-level', env: 'CROSSBUCKET_LOG_LEVEL', arg: 'level', default: 'info', help: `${LOG_LEVELS.join(', ')} (debug adds the reason behind every CORS refusal)` },
  { flag: 'log-format', env: 'CROSSBUCKET_LOG_FORMAT', arg: 'format', default: 'auto', help: 'json (one JSON object per line), pretty, or auto (pretty when stdout is a terminal)' },
  { flag: 'seed', env: 'CROSSBUCKET_SEED', arg: 'file', default: DEFAULT_SEED_FILE, help: 'JSON seed file: buckets, ACLs, CORS rules, folders to upload; the default is used only if it exists; "none" for no seed' },
  { flag: 'lifecycle-interval', env: 'CROSSBUCKET_LIFECYCLE_INTERVAL', arg: 'seconds', default: '60', help: 'how often bucket lifecycle rules run (expirations, AbortIncompleteMultipartUpload, storage-class transitions); 0: never' },
  { flag: 'admin-reset', env: 'CROSSBUCKET_ADMIN_RESET', arg: '', default: 'off', help: 'allow POST /_crossbucket/reset (signed by the first user) to delete every bucket and object; the variable takes 1 or 0 (docs/security.md)' },
  { flag: 'console', env: 'CROSSBUCKET_CONSOLE', arg: 'on|off', default: 'on', help: 'serve the web console at /_crossbucket/console/ (docs/console.md); off: not served (the signed admin API stays)' },
  { flag: 'body-timeout', env: 'CROSSBUCKET_BODY_TIMEOUT', arg: 'seconds', default: '20', help: 'a request body that sends nothing for this long gets 400 RequestTimeout and its connection is closed, as in S3 (0: never; fractions allowed)' },
  { flag: 'shutdown-timeout', env: 'CROSSBUCKET_SHUTDOWN_TIMEOUT', arg: 'seconds', default: '30', help: 'on SIGINT/SIGTERM, how long in-flight requests may take before their connections are closed' },
];

/** `--port <n>`, or `--admin-reset` for a switch. */
export function flagLabel(o: OptionSpec): string {
  return o.arg === '' ? `--${o.flag}` : `--${o.flag} <${o.arg}>`;
}

/** `crossbucket --help` */
export function usage(): string {
  const rows: string[] = [];
  for (const o of OPTIONS) {
    const left = `  ${flagLabel(o)}`;
    const def = o.default === '' ? '' : `default: ${o.default}`;
    rows.push(`${left.padEnd(30)} ${o.env.padEnd(31)} ${def}`.trimEnd());
    rows.push(`${''.padEnd(31)}${o.help}`);
  }
  return [
    'Usage: crossbucket [serve] [options]        start the server',
    '       crossbucket explain --endpoint URL --bucket B --origin O --method M [--header H ...] [--key K]',
    '                           [--access-key ID --secret-key SECRET] [--region R]',
    '                                            ask a running server whether a browser request passes CORS',
    '                                            (signed with the AWS credentials of the environment, as aws-cli finds them)',
    '       crossbucket health [--endpoint URL]   exit 0 if a running server answers its health check',
    '       crossbucket --version                 print the version',
    '       crossbucket COMMAND --help            the options of explain or health',
    '',
    'Options: a flag wins over its environment variable, which wins over the default.',
    ...rows,
    `  ${'-h, --help'.padEnd(29)}this text`,
    '',
  ].join('\n');
}

/**
 * The options table of docs/configuration.md, from OPTIONS (test/server/config-readme.test.ts keeps them equal).
 * Print it with `node -e "console.log(require('./dist/server/cli/cli-config').optionsTable())"`.
 */
export function optionsTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| Flag | Environment variable | Default | Meaning |',
    '| --- | --- | --- | --- |',
    ...OPTIONS.map((o) => `| \`${flagLabel(o)}\` | \`${o.env}\` | ${o.default === '' ? '(none)' : `\`${o.default}\``} | ${cell(o.help)} |`),
  ].join('\n');
}

interface Value { value: string; source: string; explicit: boolean }

/** A parseArgs failure in the words of this tool. */
function argumentError(err: unknown): ConfigError {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = quoted.replace(/^-+/, '').split('=')[0] ?? '';
    const hint = closest(name, [...OPTIONS.map((o) => o.flag), 'help']);
    return new ConfigError(`unknown option ${quoted}${hint ? ` (did you mean --${hint}?)` : ''}; crossbucket --help lists the options`);
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new ConfigError(`unexpected argument "${quoted}"; options take the form --name value (crossbucket --help lists them)`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[a-z-]+/.exec(message)?.[0] ?? quoted;
    return new ConfigError(`${flag} needs a value: ${flag} <value> or ${flag}=<value>`);
  }
  return new ConfigError(message);
}

function invalid(v: Value, expected: string): ConfigError {
  return new ConfigError(`${v.source}: "${v.value}" is not valid: expected ${expected}`);
}

export function parseCliConfig(argv: string[], env: NodeJS.ProcessEnv): { help: boolean; options: CliOptions } {
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const o of OPTIONS) spec[o.flag] = { type: o.arg === '' ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values as typeof values;
  } catch (err) {
    throw argumentError(err);
  }
  const get = (flag: string): Value => {
    const o = OPTIONS.find((x) => x.flag === flag);
    if (!o) throw new Error(`no option ${flag}`);
    const v = values[flag];
    if (typeof v === 'string') return { value: v, source: `--${flag}`, explicit: true };
    if (v === true) return { value: 'on', source: `--${flag}`, explicit: true };
    // An empty variable counts as unset (compose files often pass `${VAR:-}`).
    const e = env[o.env];
    if (e !== undefined && e !== '') return { value: e, source: o.env, explicit: true };
    return { value: o.default, source: `--${flag} default`, explicit: false };
  };

  const portV = get('port');
  const port = Number(portV.value);
  if (!/^\d+$/.test(portV.value.trim()) || port > 65535) throw invalid(portV, 'a port number, 0 to 65535');

  const host = get('host');
  if (host.value.trim() === '') throw invalid(host, 'an address to bind, e.g. 127.0.0.1 or 0.0.0.0');
  const dataDir = get('data-dir');
  if (dataDir.value.trim() === '') throw invalid(dataDir, 'a directory');
  const region = get('region');
  if (!/^[a-z0-9-]{1,64}$/.test(region.value)) throw invalid(region, 'a region name such as us-east-1');

  const auth = get('auth');
  if (auth.value !== 'sigv4' && auth.value !== 'permissive') throw invalid(auth, 'sigv4 or permissive');
  const durability = get('durability');
  if (durability.value !== 'normal' && durability.value !== 'full') throw invalid(durability, 'normal or full');
  const logLevel = get('log-level');
  if (!LOG_LEVELS.includes(logLevel.value)) throw invalid(logLevel, LOG_LEVELS.join(', '));
  const logFormat = get('log-format');
  if (logFormat.value !== 'auto' && logFormat.value !== 'json' && logFormat.value !== 'pretty') throw invalid(logFormat, 'auto, json or pretty');
  const timeout = get('shutdown-timeout');
  const timeoutSeconds = Number(timeout.value);
  if (timeout.value.trim() === '' || !Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw invalid(timeout, 'a number of seconds (0 or more)');

  const lifecycle = get('lifecycle-interval');
  const lifecycleSeconds = Number(lifecycle.value);
  if (lifecycle.value.trim() === '' || !Number.isFinite(lifecycleSeconds) || lifecycleSeconds < 0) throw invalid(lifecycle, 'a number of seconds (0: never)');
  const adminReset = get('admin-reset');
  const resetValue = adminReset.value.trim().toLowerCase();
  if (!SWITCH_ON.includes(resetValue) && !SWITCH_OFF.includes(resetValue)) throw invalid(adminReset, '1 (on) or 0 (off)');
  const bodyTimeout = get('body-timeout');
  const bodyTimeoutSeconds = Number(bodyTimeout.value);
  if (bodyTimeout.value.trim() === '' || !Number.isFinite(bodyTimeoutSeconds) || bodyTimeoutSeconds < 0) throw invalid(bodyTimeout, 'a number of seconds (0 or more)');

  const consoleV = get('console');
  const consoleValue = consoleV.value.trim().toLowerCase();
  if (!SWITCH_ON.includes(consoleValue) && !SWITCH_OFF.includes(consoleValue)) throw invalid(consoleV, 'on or off');

  const domains = get('base-domain').value.split(',').map((d) => d.trim()).filter((d) => d !== '');
  const options: CliOptions = {
    port,
    host: host.value,
    dataDir: dataDir.value,
    durability: durability.value,
    logLevel: logLevel.value,
    logFormat: logFormat.value,
    seedIfPresent: false,
    shutdownTimeoutMs: Math.round(timeoutSeconds * 1000),
    lifecycleIntervalMs: Math.round(lifecycleSeconds * 1000),
    config: {
      region: region.value,
      baseDomains: domains,
      users: usersFrom(get),
      authMode: auth.value as AuthMode,
      adminReset: SWITCH_ON.includes(resetValue),
      console: SWITCH_ON.includes(consoleValue),
      bodyIdleTimeoutMs: Math.round(bodyTimeoutSeconds * 1000),
    },
    warnings: unknownVariables(env),
  };
  const seed = get('seed');
  if (seed.value !== '' && seed.value !== 'none') {
    options.seed = seed.value;
    options.seedIfPresent = !seed.explicit;
  }
  return { help: values.help === true, options };
}

/** One user from --access-key/--secret-key, or several from --users-file (not both). */
function usersFrom(get: (flag: string) => Value) {
  const file = get('users-file');
  const key = get('access-key');
  const secret = get('secret-key');
  if (file.value !== '') {
    const clash = [key, secret].find((v) => v.explicit);
    if (clash) throw new ConfigError(`${clash.source} and ${file.source} cannot be combined: list every user in the users file`);
    return readUsersFile(file.value);
  }
  if (!validAccessKeyId(key.value)) throw invalid(key, '1 to 128 characters among A-Z a-z 0-9 . _ ~ + -');
  if (secret.value === '') throw invalid(secret, 'a non-empty secret');
  return [makeUser(key.value, secret.value)];
}

function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  const known = OPTIONS.map((o) => o.env);
  return Object.keys(env)
    .filter((name) => name.startsWith('CROSSBUCKET_') && !known.includes(name))
    .map((name) => {
      const hint = closest(name, known);
      return `environment variable ${name} is not an option of crossbucket and is ignored${hint ? ` (did you mean ${hint}?)` : ''}`;
    });
}
