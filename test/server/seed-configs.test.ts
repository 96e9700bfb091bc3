/** The seed file's tags, lifecycle and encryption (docs/spec/bucket-config.md §B1–§B3): checked as PUT checks them, applied at start. */
import t from 'tap';
import { GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketTaggingCommand } from '@aws-sdk/client-s3';
import { ConfigError } from '../../server/cli/config-file';
import { planSeed } from '../../server/cli/seed';
import { start } from '../../server/cli/start';
import { sdkClient } from '../helpers/server';

function seedError(bucket: Record<string, unknown>): string {
  try {
    planSeed({ buckets: [{ name: 'seeded', ...bucket }] }, 'seed.json', '/');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '(accepted)';
}

t.test('seed configs – mistakes name the bucket and field with S3’s refusal', async (t) => {
  t.equal(seedError({ tags: { TagSet: [{ Key: 'aws:x', Value: '1' }] } }), 'seed.json: buckets[0] ("seeded").tags: System tags cannot be added/updated by requester [InvalidTag]');
  t.equal(seedError({ lifecycle: { Rules: [{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Date: '2026-01-01T02:00:00Z' } }] } }),
    'seed.json: buckets[0] ("seeded").lifecycle: \'Date\' must be at midnight GMT [InvalidArgument]');
  t.match(seedError({ encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'DES' } }] } }), /^seed\.json: buckets\[0\] \("seeded"\)\.encryption: .*\[MalformedXML\]$/);
  t.equal(seedError({ tags: { TagSet: [{ Key: 'a', Value: '1' }] }, lifecycle: null, encryption: null }), '(accepted)');
});

t.test('seed configs – applied at start and read back through the SDK', async (t) => {
  const s = await start({ port: 0, seed: { buckets: [{
    name: 'seeded',
    tags: { TagSet: [{ Key: 'env', Value: 'dev' }] },
    lifecycle: { Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 }, Transitions: [{ Days: 0, StorageClass: 'GLACIER_IR' }] }] },
    encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'seed-key' }, BucketKeyEnabled: true }] },
  }] } });
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  t.same((await c.send(new GetBucketTaggingCommand({ Bucket: 'seeded' }))).TagSet, [{ Key: 'env', Value: 'dev' }]);
  t.match((await c.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'seeded' }))).Rules, [{ ID: 'tmp', Expiration: { Days: 1 }, Transitions: [{ Days: 0, StorageClass: 'GLACIER_IR' }] }]);
  t.match((await c.send(new GetBucketEncryptionCommand({ Bucket: 'seeded' }))).ServerSideEncryptionConfiguration?.Rules,
    [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'seed-key' }, BucketKeyEnabled: true }]);
});
