/**
 * The credentials `crossbucket explain` signs with, found where aws-cli finds them:
 *   1. `--access-key` / `--secret-key`;
 *   2. `--profile NAME`: that profile of the shared credentials file (then the config file);
 *   3. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY;
 *   4. the profile AWS_PROFILE (or AWS_DEFAULT_PROFILE, else `default`) of the shared credentials
 *      file (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), then of the config file
 *      (AWS_CONFIG_FILE, else ~/.aws/config, section `[profile NAME]` or `[default]`).
 * A session token is ignored: crossbucket has no temporary credentials.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-file';

export interface FoundCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Where they came from, for messages: `--access-key/--secret-key`, `environment`, `profile default in FILE`. */
  source: string;
}

/** The sections of an INI file: `[name]` then `key = value` lines; `#` and `;` start comments. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      const name = section[1] ?? '';
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq < 0) continue;
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

function fromSection(section: Map<string, string> | undefined, source: string): FoundCredentials | undefined {
  const accessKeyId = section?.get('aws_access_key_id');
  const secretAccessKey = section?.get('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, source };
}

function fromFiles(profile: string, env: NodeJS.ProcessEnv): FoundCredentials | undefined {
  const home = env.HOME || env.USERPROFILE || homedir();
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  if (existsSync(credentialsFile)) {
    const found = fromSection(parseIni(readFileSync(credentialsFile, 'utf8')).get(profile), `profile ${profile} in ${credentialsFile}`);
    if (found) return found;
  }
  const configFile = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  if (existsSync(configFile)) {
    const sections = parseIni(readFileSync(configFile, 'utf8'));
    const section = sections.get(`profile ${profile}`) ?? (profile === 'default' ? sections.get('default') : undefined);
    return fromSection(section, `profile ${profile} in ${configFile}`);
  }
  return undefined;
}

export function findCredentials(flags: { accessKey?: string; secretKey?: string; profile?: string }, env: NodeJS.ProcessEnv): FoundCredentials | undefined {
  if (flags.accessKey !== undefined || flags.secretKey !== undefined) {
    if (!flags.accessKey || !flags.secretKey) throw new ConfigError('explain: --access-key and --secret-key go together');
    return { accessKeyId: flags.accessKey, secretAccessKey: flags.secretKey, source: '--access-key/--secret-key' };
  }
  if (flags.profile !== undefined) {
    const found = fromFiles(flags.profile, env);
    if (!found) throw new ConfigError(`explain: the profile ${flags.profile} has no aws_access_key_id and aws_secret_access_key`);
    return found;
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, source: 'environment' };
  }
  return fromFiles(env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default', env);
}
