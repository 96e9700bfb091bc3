/** aws-cli (s3api, and any command) as a child process with a clean environment and the default credentials: exit code, output, JSON. */
import { spawn } from 'node:child_process';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY } from './server';
import { clientEnv } from './client-env';

export interface Run { code: number | null; stdout: string; stderr: string }

export function aws(endpoint: string, args: string[]): Promise<Run> {
  return awsCommand(endpoint, ['--output', 'json', 's3api', ...args]);
}

/** Any aws-cli command (`s3 cp ...`, `s3api ...`) against `endpoint`, in the same environment. */
export function awsCommand(endpoint: string, args: string[]): Promise<Run> {
  const child = spawn('aws', ['--endpoint-url', endpoint, ...args], {
    env: clientEnv({
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The JSON an s3api command printed (throws with its stderr when it failed). */
export async function json(endpoint: string, args: string[]): Promise<Record<string, unknown>> {
  const run = await aws(endpoint, args);
  if (run.code !== 0) throw new Error(`aws s3api ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>);
}
