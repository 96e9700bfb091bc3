/**
 * test/helpers/client-env.ts: where the first `aws` on PATH is pyenv's shim, a client's PATH
 * starts with the directory the shim would run it from, and that is the same aws-cli; elsewhere
 * PATH is left as it is. No AWS_* of this process reaches a client.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { clientEnv } from '../helpers/client-env';

const firstAws = (path: string | undefined) => (path ?? '').split(delimiter).find((dir) => dir !== '' && existsSync(join(dir, 'aws')));

t.test('clientEnv – aws-cli without the pyenv shim, the same aws-cli', async (t) => {
  const mine = firstAws(process.env.PATH);
  const theirs = firstAws(clientEnv().PATH);
  if (mine === undefined || basename(mine) !== 'shims') {
    t.equal(clientEnv().PATH, process.env.PATH, `PATH unchanged: the first aws is ${mine ?? 'nowhere'}`);
    return;
  }
  t.ok(theirs !== undefined && basename(theirs) !== 'shims', `a client runs ${theirs}/aws, not ${mine}/aws`);
  const version = async (dir: string) => (await promisify(execFile)(join(dir, 'aws'), ['--version'], { env: { ...process.env, AWS_PAGER: '' } })).stdout.trim();
  t.equal(await version(theirs ?? ''), await version(mine), 'the shim runs the same aws-cli');
});

t.test('clientEnv – no AWS_* of this process, extra settings on top', async (t) => {
  process.env.AWS_MAX_ATTEMPTS = '9';
  t.teardown(() => { delete process.env.AWS_MAX_ATTEMPTS; });
  const env = clientEnv({ AWS_REGION: 'eu-west-1' });
  t.equal(env.AWS_MAX_ATTEMPTS, undefined);
  t.equal(env.AWS_REGION, 'eu-west-1');
  t.equal(env.AWS_PAGER, '');
});
