/**
 * The environment of a spawned client (aws-cli, boto3, the crossbucket CLI): the machine's own
 * (PATH, HOME, pyenv...) without any AWS_* setting of the caller's, which would change how the
 * client signs, retries or words its errors (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, AWS_PROFILE...).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';

let pyenvDir: string | null | undefined;

/**
 * Where pyenv installs `aws` and `python3`, it puts a shim first on PATH: a bash script that runs
 * `pyenv exec`, ~0.1 s more on every call on this machine (`aws --version`, five each way:
 * 0.78-0.90 s through the shim, 0.67-0.82 direct), and the aws-cli tests make a few hundred calls. The directory the shim
 * would run them from goes first on a client's PATH: the same aws-cli and interpreter, without the
 * detour. null where the first `aws` on PATH is not a pyenv shim (nothing changes there).
 */
function pyenvBinDir(path: string): string | null {
  if (pyenvDir !== undefined) return pyenvDir;
  pyenvDir = null;
  const first = path.split(delimiter).find((dir) => dir !== '' && existsSync(join(dir, 'aws')));
  if (first !== undefined && basename(first) === 'shims') {
    const which = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
    const aws = which.status === 0 ? which.stdout.trim() : '';
    if (aws !== '' && existsSync(aws)) pyenvDir = dirname(aws);
  }
  return pyenvDir;
}

export function clientEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  const direct = pyenvBinDir(env.PATH ?? '');
  if (direct !== null) env.PATH = `${direct}${delimiter}${env.PATH ?? ''}`;
  return { ...env, AWS_PAGER: '', ...extra };
}
