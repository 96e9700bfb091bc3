/** Running a command-line client (aws-cli, python3, curl) from a test: its exit code and output; a loud skip. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Test } from 'tap';
import { startServer, tempDir } from './server';
import { clientEnv } from './client-env';
import { USERS } from '../server/auth-fixtures';

const run = promisify(execFile);

export async function has(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args);
    return true;
  } catch {
    return false;
  }
}

/** Skips the current test loudly: on stderr and in the TAP plan. */
export function skip(t: Test, why: string): void {
  process.stderr.write(`\n!!! ${why}: SKIPPING !!!\n\n`);
  t.plan(0, `SKIPPED: ${why}`);
}

export interface Outcome { code: number; stdout: string; stderr: string }

export async function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export async function setup(t: Test) {
  const s = await startServer({ config: { users: USERS } });
  t.teardown(() => s.close());
  const work = tempDir('cb-auth-cli-');
  t.teardown(() => work.remove());
  const envFor = (accessKeyId: string, secretAccessKey: string, config = join(work.dir, 'no-config')): NodeJS.ProcessEnv => {
    return clientEnv({
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(work.dir, 'no-credentials'),
    });
  };
  const aws = (env: NodeJS.ProcessEnv, ...args: string[]) => exec('aws', ['--endpoint-url', s.endpoint, ...args], env);
  const curl = async (url: string, ...args: string[]) => {
    const out = await exec('curl', ['-s', '-g', '-w', '\n%{http_code}', ...args, url], process.env);
    const i = out.stdout.lastIndexOf('\n');
    return { status: Number(out.stdout.slice(i + 1)), body: out.stdout.slice(0, i) };
  };
  return { s, work, envFor, aws, curl };
}
