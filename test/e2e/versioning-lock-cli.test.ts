/** Object Lock through aws-cli (s3api): a lock-enabled bucket with a default retention, legal hold, retention, and the refusals. */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/server';
import { aws, json } from '../helpers/s3api-cli';

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
