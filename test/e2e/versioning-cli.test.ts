/**
 * Versioning and Object Lock through aws-cli (s3api), the commands of the versioning issue in
 * order: enable versioning, two versions, list, read the old one, delete (a marker), undelete;
 * a lock-enabled bucket with a default retention, legal hold, retention, and the refusals.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer } from '../helpers/server';
import { clientEnv } from '../helpers/client-env';

interface Run { code: number | null; stdout: string; stderr: string }

function aws(endpoint: string, args: string[]): Promise<Run> {
  const child = spawn('aws', ['--endpoint-url', endpoint, '--output', 'json', 's3api', ...args], {
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
async function json(endpoint: string, args: string[]): Promise<Record<string, unknown>> {
  const run = await aws(endpoint, args);
  if (run.code !== 0) throw new Error(`aws s3api ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim() === '' ? {} : (JSON.parse(run.stdout) as Record<string, unknown>);
}

t.test('aws-cli – versioning: versions, list, read by id, delete marker, undelete', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const work = mkdtempSync(join(tmpdir(), 'cb-cli-ver-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const e = s.endpoint;
  writeFileSync(join(work, 'v1'), 'version one');
  writeFileSync(join(work, 'v2'), 'version two');

  await json(e, ['create-bucket', '--bucket', 'history']);
  await json(e, ['put-bucket-versioning', '--bucket', 'history', '--versioning-configuration', 'Status=Enabled']);
  t.equal((await json(e, ['get-bucket-versioning', '--bucket', 'history'])).Status, 'Enabled');
  const v1 = (await json(e, ['put-object', '--bucket', 'history', '--key', 'k', '--body', join(work, 'v1')])).VersionId as string;
  const v2 = (await json(e, ['put-object', '--bucket', 'history', '--key', 'k', '--body', join(work, 'v2')])).VersionId as string;
  t.match(v1, /^[A-Za-z0-9._]{32}$/);
  t.not(v1, v2);
  const listed = await json(e, ['list-object-versions', '--bucket', 'history']);
  t.same((listed.Versions as Array<{ VersionId: string; IsLatest: boolean }>).map((v) => [v.VersionId, v.IsLatest]), [[v2, true], [v1, false]]);

  const got = await json(e, ['get-object', '--bucket', 'history', '--key', 'k', '--version-id', v1, join(work, 'out')]);
  t.equal(got.VersionId, v1);
  t.equal(readFileSync(join(work, 'out'), 'utf8'), 'version one');

  const deleted = await json(e, ['delete-object', '--bucket', 'history', '--key', 'k']);
  t.equal(deleted.DeleteMarker, true);
  const marker = deleted.VersionId as string;
  const gone = await aws(e, ['head-object', '--bucket', 'history', '--key', 'k']);
  t.not(gone.code, 0);
  t.match(gone.stderr, /404|Not Found/);
  const undeleted = await json(e, ['delete-object', '--bucket', 'history', '--key', 'k', '--version-id', marker]);
  t.equal(undeleted.DeleteMarker, true);
  t.equal(undeleted.VersionId, marker);
  t.equal((await json(e, ['head-object', '--bucket', 'history', '--key', 'k'])).VersionId, v2, 'undelete: v2 is current again');
});

t.test('aws-cli – Object Lock: default retention, legal hold, retention, refusals', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const work = mkdtempSync(join(tmpdir(), 'cb-cli-lock-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const e = s.endpoint;
  writeFileSync(join(work, 'f'), 'locked bytes');

  await json(e, ['create-bucket', '--bucket', 'locked', '--object-lock-enabled-for-bucket']);
  await json(e, ['put-object-lock-configuration', '--bucket', 'locked', '--object-lock-configuration',
    '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}']);
  const config = await json(e, ['get-object-lock-configuration', '--bucket', 'locked']);
  t.same(config.ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } });
  const put = await json(e, ['put-object', '--bucket', 'locked', '--key', 'k', '--body', join(work, 'f'), '--checksum-algorithm', 'CRC32']);
  const id = put.VersionId as string;
  const head = await json(e, ['head-object', '--bucket', 'locked', '--key', 'k']);
  t.equal(head.ObjectLockMode, 'GOVERNANCE');

  await json(e, ['put-object-legal-hold', '--bucket', 'locked', '--key', 'k', '--legal-hold', 'Status=ON']);
  t.same((await json(e, ['get-object-legal-hold', '--bucket', 'locked', '--key', 'k'])).LegalHold, { Status: 'ON' });
  await json(e, ['put-object-retention', '--bucket', 'locked', '--key', 'k', '--retention', '{"Mode":"GOVERNANCE","RetainUntilDate":"2099-01-01T00:00:00Z"}']);
  const retention = (await json(e, ['get-object-retention', '--bucket', 'locked', '--key', 'k'])).Retention as { Mode: string; RetainUntilDate: string };
  t.equal(retention.Mode, 'GOVERNANCE');
  t.match(retention.RetainUntilDate, /^2099-01-01T00:00:00/);

  const refused = await aws(e, ['delete-object', '--bucket', 'locked', '--key', 'k', '--version-id', id, '--bypass-governance-retention']);
  t.not(refused.code, 0, 'a legal hold is not bypassed');
  t.match(refused.stderr, /AccessDenied/);
  const suspend = await aws(e, ['put-bucket-versioning', '--bucket', 'locked', '--versioning-configuration', 'Status=Suspended']);
  t.match(suspend.stderr, /InvalidBucketState/);
  await json(e, ['put-object-legal-hold', '--bucket', 'locked', '--key', 'k', '--legal-hold', 'Status=OFF']);
  const shortened = await aws(e, ['put-object-retention', '--bucket', 'locked', '--key', 'k', '--retention', '{"Mode":"GOVERNANCE","RetainUntilDate":"2098-01-01T00:00:00Z"}']);
  t.match(shortened.stderr, /AccessDenied/, 'shortening needs the bypass');
  t.equal((await aws(e, ['delete-object', '--bucket', 'locked', '--key', 'k', '--version-id', id, '--bypass-governance-retention'])).code, 0, 'GOVERNANCE is bypassed');
});
