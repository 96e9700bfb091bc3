/**
 * The `aws` CLI against a listening server: s3 mb / cp / ls / sync / rm --recursive / rb and
 * s3api calls, with the documented default credentials and `--endpoint-url`. Bytes are compared
 * by SHA-256 after download.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer, tempDir } from '../helpers/server';
import { clientEnv } from '../helpers/client-env';

const run = promisify(execFile);

async function hasAwsCli(): Promise<boolean> {
  try {
    await run('aws', ['--version']);
    return true;
  } catch {
    return false;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Every file under `dir`, relative path (with /) → SHA-256. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = sha256(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

t.test('aws cli – mb, cp, ls, sync, head-object, list-objects-v2, rm --recursive, rb', async (t) => {
  if (!(await hasAwsCli())) {
    console.error('SKIP: the aws CLI is not installed, the aws-cli e2e test did not run');
    t.plan(0, 'SKIP: the aws CLI is not installed');
    return;
  }
  const s = await startServer();
  t.teardown(() => s.close());
  const work = tempDir('cb-cli-');
  t.teardown(() => work.remove());
  const env: NodeJS.ProcessEnv = clientEnv({
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(work.dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work.dir, 'no-credentials'),
    AWS_PAGER: '',
  });
  delete env.AWS_SESSION_TOKEN;
  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await run('aws', ['--endpoint-url', s.endpoint, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`aws ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
    }
  };

  t.match(await aws('s3', 'mb', 's3://site'), /make_bucket: site/);

  // cp up and down, a file larger than the CLI's 8 MiB multipart threshold's little brother.
  const index = Buffer.from('<!doctype html><title>hi</title>\n');
  const big = randomBytes(3 * 1024 * 1024 + 17);
  writeFileSync(join(work.dir, 'index.html'), index);
  writeFileSync(join(work.dir, 'big.bin'), big);
  await aws('s3', 'cp', join(work.dir, 'index.html'), 's3://site/');
  await aws('s3', 'cp', join(work.dir, 'big.bin'), 's3://site/data/big.bin');
  mkdirSync(join(work.dir, 'down'));
  await aws('s3', 'cp', 's3://site/index.html', join(work.dir, 'down', 'index.html'));
  await aws('s3', 'cp', 's3://site/data/big.bin', join(work.dir, 'down', 'big.bin'));
  t.equal(sha256(readFileSync(join(work.dir, 'down', 'index.html'))), sha256(index));
  t.equal(sha256(readFileSync(join(work.dir, 'down', 'big.bin'))), sha256(big));

  const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', 'site', '--key', 'index.html')) as Record<string, unknown>;
  t.equal(head.ContentLength, index.length);
  t.equal(head.ETag, `"${createHash('md5').update(index).digest('hex')}"`);
  t.equal(head.ContentType, 'text/html', 'the CLI guesses the type and it is stored');

  // sync a folder with nested and oddly named files.
  const pub = join(work.dir, 'public');
  const files: Record<string, Buffer> = {
    'a.txt': Buffer.from('a'),
    'css/site.css': Buffer.from('body{}'),
    'deep/er/still/x.json': Buffer.from('{}'),
    'space name.txt': Buffer.from('spaces'),
    'plus+sign.txt': Buffer.from('plus'),
    'ünïcödé/文件 😀.txt': Buffer.from('unicode'),
    'percent%20literal.txt': Buffer.from('percent'),
    "quote'and(paren).txt": Buffer.from('quote'),
    'empty.bin': Buffer.alloc(0),
  };
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(pub, name, '..'), { recursive: true });
    writeFileSync(join(pub, name), data);
  }
  await aws('s3', 'sync', pub, 's3://site/assets/');
  const listed = JSON.parse(await aws('s3api', 'list-objects-v2', '--no-paginate', '--bucket', 'site', '--prefix', 'assets/')) as { Contents: Array<{ Key: string; Size: number }>; KeyCount: number };
  t.same(listed.Contents.map((o) => o.Key).sort(), Object.keys(files).map((f) => `assets/${f}`).sort(), 'every synced key, exactly');
  t.equal(listed.KeyCount, Object.keys(files).length);

  // A second sync uploads nothing.
  t.equal((await aws('s3', 'sync', pub, 's3://site/assets/')).trim(), '', 'nothing changed, nothing uploaded');

  // ls: top level shows prefixes and objects; --recursive shows all.
  const ls = await aws('s3', 'ls', 's3://site/');
  t.match(ls, /PRE assets\//);
  t.match(ls, /PRE data\//);
  t.match(ls, /\s33 index\.html/);
  const lsAssets = await aws('s3', 'ls', 's3://site/assets/');
  t.match(lsAssets, /PRE ünïcödé\//);
  t.match(lsAssets, /space name\.txt/);
  const recursive = await aws('s3', 'ls', '--recursive', 's3://site/');
  t.equal(recursive.trim().split('\n').length, Object.keys(files).length + 2);

  // Download it all back and compare.
  const back = join(work.dir, 'back');
  await aws('s3', 'sync', 's3://site/assets/', back);
  t.same(tree(back), Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha256(v)])));

  // rm --recursive, rb.
  const rb = await aws('s3', 'rb', 's3://site').catch((e: Error) => e);
  t.ok(rb instanceof Error && /BucketNotEmpty/.test(rb.message), 'rb of a non-empty bucket fails');
  await aws('s3', 'rm', '--recursive', 's3://site/');
  const empty = JSON.parse(await aws('s3api', 'list-objects-v2', '--no-paginate', '--bucket', 'site')) as { KeyCount: number };
  t.equal(empty.KeyCount, 0);
  t.match(await aws('s3', 'rb', 's3://site'), /remove_bucket: site/);
  const buckets = JSON.parse(await aws('s3api', 'list-buckets')) as { Buckets: unknown[] };
  t.same(buckets.Buckets, []);
});
