/** Options from flags and environment variables (flags win), validated with clear messages. */
import { parseArgs } from 'node:util';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_REGION, DEFAULT_SECRET_ACCESS_KEY, makeUser, type ServerConfig } from './config';

export interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  durability: 'normal' | 'full';
  logLevel: string;
  prettyLogs?: boolean;
  seed?: string;
  config: Partial<ServerConfig>;
}

interface OptionSpec { flag: string; env: string; default: string; help: string }

export const OPTIONS: OptionSpec[] = [
  { flag: 'port', env: 'CROSSBUCKET_PORT', default: '9000', help: 'TCP port (0: any free port)' },
  { flag: 'host', env: 'CROSSBUCKET_HOST', default: '127.0.0.1', help: 'address to bind' },
  { flag: 'data-dir', env: 'CROSSBUCKET_DATA_DIR', default: './data', help: 'where metadata (SQLite) and object files live' },
  { flag: 'access-key', env: 'CROSSBUCKET_ACCESS_KEY_ID', default: DEFAULT_ACCESS_KEY_ID, help: 'access key id of the default user' },
  { flag: 'secret-key', env: 'CROSSBUCKET_SECRET_ACCESS_KEY', default: DEFAULT_SECRET_ACCESS_KEY, help: 'secret access key of the default user' },
  { flag: 'region', env: 'CROSSBUCKET_REGION', default: DEFAULT_REGION, help: 'region reported for buckets' },
  { flag: 'base-domain', env: 'CROSSBUCKET_BASE_DOMAIN', default: '', help: 'extra base domain(s) for virtual-hosted buckets, comma-separated (localhost and s3.localhost always work)' },
  { flag: 'auth', env: 'CROSSBUCKET_AUTH', default: 'sigv4', help: 'sigv4 (signatures verified) or permissive (any credentials accepted)' },
  { flag: 'durability', env: 'CROSSBUCKET_DURABILITY', default: 'normal', help: 'normal (survives a killed process) or full (fsync each object: survives power loss)' },
  { flag: 'log-level', env: 'CROSSBUCKET_LOG_LEVEL', default: 'info', help: 'fatal, error, warn, info, debug (CORS explanations), trace, silent' },
  { flag: 'seed', env: 'CROSSBUCKET_SEED', default: '', help: 'JSON seed file: buckets, ACLs, CORS rules, folders to upload' },
];

export function usage(): string {
  const rows = OPTIONS.map((o) => `  --${o.flag.padEnd(12)} ${o.env.padEnd(30)} ${o.help}${o.default === '' ? '' : ` (default: ${o.default})`}`);
  return [
    'Usage: crossbucket [serve] [options]',
    '       crossbucket explain --endpoint URL --bucket B --origin O --method M [--header H ...] [--key K]',
    '',
    'Options (flag, environment variable, meaning):',
    ...rows,
    '  --help                                                 this text',
    '',
  ].join('\n');
}

export function parseCliConfig(argv: string[], env: NodeJS.ProcessEnv): { help: boolean; options: CliOptions } {
  const spec: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const o of OPTIONS) spec[o.flag] = { type: 'string' };
  const { values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
  const get = (flag: string): string => {
    const o = OPTIONS.find((x) => x.flag === flag);
    const v = values[flag];
    if (typeof v === 'string') return v;
    return (o && env[o.env]) ?? o?.default ?? '';
  };
  const port = Number(get('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: "${get('port')}" is not a port number (0-65535)`);
  const auth = get('auth');
  if (auth !== 'sigv4' && auth !== 'permissive') throw new Error(`--auth: "${auth}" must be sigv4 or permissive`);
  const durability = get('durability');
  if (durability !== 'normal' && durability !== 'full') throw new Error(`--durability: "${durability}" must be normal or full`);
  const options: CliOptions = {
    port,
    host: get('host'),
    dataDir: get('data-dir'),
    durability,
    logLevel: get('log-level'),
    config: {
      region: get('region'),
      baseDomains: get('base-domain').split(',').map((d) => d.trim()).filter((d) => d !== ''),
      users: [makeUser(get('access-key'), get('secret-key'))],
      authMode: auth,
    },
  };
  const seed = get('seed');
  if (seed !== '') options.seed = seed;
  return { help: values.help === true, options };
}
