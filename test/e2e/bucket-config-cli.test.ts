/**
 * Bucket configurations through the real `aws` CLI (docs/spec/bucket-config.md §B): one shell
 * script of s3api calls (each ~1 s of CLI start-up), every answer checked.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { clientEnv } from '../helpers/client-env';
import { startServer, tempDir } from '../helpers/server';

const version = spawnSync('aws', ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  const missing = 'bucket-config aws-cli e2e: `aws` is not installed';
  if (process.env.CI) t.fail(`${missing}; CI must install it`);
  else t.plan(0, `SKIPPED: ${missing}`);
} else {
  t.test('aws s3api – tagging, lifecycle, encryption, object tags and attributes', async (t) => {
    const s = await startServer();
    t.teardown(() => s.close());
    const dir = tempDir('cb-cfgcli-');
    t.teardown(() => dir.remove());
    writeFileSync(join(dir.dir, 'lifecycle.json'), JSON.stringify({ Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 2 } }] }));
    writeFileSync(join(dir.dir, 'encryption.json'), JSON.stringify({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'cli-key' } }] }));
    const calls: string[][] = [
      ['put-bucket-tagging', '--bucket', 'cli-config', '--tagging', 'TagSet=[{Key=env,Value=dev}]'],
      ['get-bucket-tagging', '--bucket', 'cli-config'],
      ['put-bucket-lifecycle-configuration', '--bucket', 'cli-config', '--lifecycle-configuration', 'file://lifecycle.json'],
      ['get-bucket-lifecycle-configuration', '--bucket', 'cli-config'],
      ['put-bucket-encryption', '--bucket', 'cli-config', '--server-side-encryption-configuration', 'file://encryption.json'],
      ['get-bucket-encryption', '--bucket', 'cli-config'],
      ['put-object', '--bucket', 'cli-config', '--key', 'tmp/a', '--body', 'lifecycle.json', '--tagging', 'k=v', '--storage-class', 'ONEZONE_IA'],
      ['head-object', '--bucket', 'cli-config', '--key', 'tmp/a'],
      ['get-object-tagging', '--bucket', 'cli-config', '--key', 'tmp/a'],
      ['get-object-attributes', '--bucket', 'cli-config', '--key', 'tmp/a', '--object-attributes', 'ObjectSize', 'StorageClass'],
      ['get-bucket-replication', '--bucket', 'cli-config'],
    ];
    const script = [
      'set -u',
      `aws --endpoint-url http://127.0.0.1:${s.port} s3api create-bucket --bucket cli-config >/dev/null`,
      ...calls.map((c) => `echo '=== call ${c[0]}'; aws --endpoint-url http://127.0.0.1:${s.port} --output json s3api ${c.map((a) => `'${a}'`).join(' ')} 2>&1; echo "=== rc $?"`),
    ].join('\n');
    const env = clientEnv({
      AWS_ACCESS_KEY_ID: 'crossbucket', AWS_SECRET_ACCESS_KEY: 'crossbucket-secret', AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(dir.dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir.dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const run = await new Promise<string>((resolve, reject) => {
        const child = spawn('bash', ['-c', script], { cwd: dir.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    const answers = new Map<string, { rc: string; text: string }>();
    for (const block of run.split(/^=== call /m).slice(1)) {
      const name = block.slice(0, block.indexOf('\n'));
      const rc = /=== rc (\d+)/.exec(block)?.[1] ?? '?';
      answers.set(name, { rc, text: block.slice(name.length + 1).replace(/=== rc \d+\s*$/, '') });
    }
    const json = (name: string): Record<string, unknown> => {
      const a = answers.get(name);
      t.equal(a?.rc, '0', `${name} succeeded: ${a?.text ?? ''}`);
      const text = a?.text.trim() ?? '';
      return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    };
    t.equal(answers.get('put-bucket-tagging')?.rc, '0');
    t.same(json('get-bucket-tagging'), { TagSet: [{ Key: 'env', Value: 'dev' }] });
    json('put-bucket-lifecycle-configuration');
    t.match(json('get-bucket-lifecycle-configuration'), { Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 2 } }] });
    json('put-bucket-encryption');
    t.match(json('get-bucket-encryption'), { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'cli-key' } }] } });
    t.match(json('put-object'), { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:us-east-1:000000000000:key/cli-key' });
    t.match(json('head-object'), { StorageClass: 'ONEZONE_IA', ServerSideEncryption: 'aws:kms', TagCount: 1, Expiration: /rule-id="tmp"/ });
    t.same(json('get-object-tagging'), { TagSet: [{ Key: 'k', Value: 'v' }] });
    t.match(json('get-object-attributes'), { StorageClass: 'ONEZONE_IA', ObjectSize: Number });
    const repl = answers.get('get-bucket-replication');
    t.not(repl?.rc, '0');
    t.match(repl?.text, /ReplicationConfigurationNotFoundError/);
  });
}
