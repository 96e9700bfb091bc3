/**
 * The AWS SDK v3 and the configurations kept by Id (docs/spec/bucket-config.md §B4.9): for
 * analytics, metrics, inventory and Intelligent-Tiering, Put then Get reads back the same input
 * through the SDK's own serializer and parser, List pages with its tokens, Delete then Get is the
 * SDK's NoSuchConfiguration — the calls Terraform's aws_s3_bucket_metric, _inventory,
 * _analytics_configuration and _intelligent_tiering_configuration make.
 */
import {
  CreateBucketCommand, DeleteBucketAnalyticsConfigurationCommand, DeleteBucketIntelligentTieringConfigurationCommand,
  DeleteBucketInventoryConfigurationCommand, DeleteBucketMetricsConfigurationCommand, GetBucketAnalyticsConfigurationCommand,
  GetBucketIntelligentTieringConfigurationCommand, GetBucketInventoryConfigurationCommand, GetBucketMetricsConfigurationCommand,
  ListBucketAnalyticsConfigurationsCommand, ListBucketIntelligentTieringConfigurationsCommand, ListBucketInventoryConfigurationsCommand,
  ListBucketMetricsConfigurationsCommand, PutBucketAnalyticsConfigurationCommand, PutBucketIntelligentTieringConfigurationCommand,
  PutBucketInventoryConfigurationCommand, PutBucketMetricsConfigurationCommand, type AnalyticsConfiguration, type IntelligentTieringConfiguration, type InventoryConfiguration, type MetricsConfiguration,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { sdkClient, sdkFailure as failure, startServer } from '../helpers/server';

const Bucket = 'sdk-by-id';

t.test('sdk – analytics, metrics, inventory and Intelligent-Tiering round trips', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket }));

  const analytics: AnalyticsConfiguration = {
    Id: 'logs', Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'team', Value: 'a' }, { Key: 'tier', Value: '' }] } },
    StorageClassAnalysis: { DataExport: { OutputSchemaVersion: 'V_1', Destination: { S3BucketDestination: { Format: 'CSV', Bucket: 'arn:aws:s3:::reports', Prefix: 'a/' } } } },
  };
  await c.send(new PutBucketAnalyticsConfigurationCommand({ Bucket, Id: 'logs', AnalyticsConfiguration: analytics }));
  t.same((await c.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id: 'logs' }))).AnalyticsConfiguration, analytics);
  t.same((await c.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket }))).AnalyticsConfigurationList, [analytics]);
  await c.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket, Id: 'logs' }));
  t.equal((await failure(c.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id: 'logs' })))).name, 'NoSuchConfiguration');

  const metrics: MetricsConfiguration = { Id: 'EntireBucket' };
  const images: MetricsConfiguration = { Id: 'images', Filter: { Tag: { Key: 'kind', Value: 'img' } } };
  await c.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'EntireBucket', MetricsConfiguration: metrics }));
  await c.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'images', MetricsConfiguration: images }));
  t.same((await c.send(new GetBucketMetricsConfigurationCommand({ Bucket, Id: 'images' }))).MetricsConfiguration, images);
  const listed = await c.send(new ListBucketMetricsConfigurationsCommand({ Bucket }));
  t.same(listed.MetricsConfigurationList, [metrics, images]);
  t.equal(listed.IsTruncated, false);
  const mismatch = await failure(c.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: 'x', MetricsConfiguration: { Id: 'y' } })));
  t.equal(mismatch.name, 'InvalidArgument');
  await c.send(new DeleteBucketMetricsConfigurationCommand({ Bucket, Id: 'images' }));
  const deleted = await failure(c.send(new DeleteBucketMetricsConfigurationCommand({ Bucket, Id: 'images' })));
  t.equal(deleted.name, 'NoSuchConfiguration');
  t.equal(deleted.$metadata.httpStatusCode, 404);

  const inventory: InventoryConfiguration = {
    Destination: { S3BucketDestination: { AccountId: '000000000000', Bucket: 'arn:aws:s3:::reports', Format: 'CSV', Prefix: 'inv', Encryption: { SSES3: {} } } },
    IsEnabled: true, Filter: { Prefix: 'data/' }, Id: 'daily', IncludedObjectVersions: 'All',
    OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass'], Schedule: { Frequency: 'Daily' },
  };
  await c.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: 'daily', InventoryConfiguration: inventory }));
  t.same((await c.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id: 'daily' }))).InventoryConfiguration, inventory);
  t.same((await c.send(new ListBucketInventoryConfigurationsCommand({ Bucket }))).InventoryConfigurationList, [inventory]);
  await c.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id: 'daily' }));
  t.same((await c.send(new ListBucketInventoryConfigurationsCommand({ Bucket }))).InventoryConfigurationList, undefined);

  const tiering: IntelligentTieringConfiguration = {
    Id: 'archive', Filter: { Prefix: 'cold/' }, Status: 'Enabled',
    Tierings: [{ Days: 90, AccessTier: 'ARCHIVE_ACCESS' }, { Days: 180, AccessTier: 'DEEP_ARCHIVE_ACCESS' }],
  };
  await c.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'archive', IntelligentTieringConfiguration: tiering }));
  t.same((await c.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'archive' }))).IntelligentTieringConfiguration, tiering);
  t.same((await c.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket }))).IntelligentTieringConfigurationList, [tiering]);
  const early = await failure(c.send(new PutBucketIntelligentTieringConfigurationCommand({
    Bucket, Id: 'early', IntelligentTieringConfiguration: { Id: 'early', Status: 'Enabled', Tierings: [{ Days: 10, AccessTier: 'ARCHIVE_ACCESS' }] },
  })));
  t.equal(early.name, 'InvalidArgument');
  await c.send(new DeleteBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'archive' }));
  t.equal((await failure(c.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'archive' })))).name, 'NoSuchConfiguration');
});

t.test('sdk – ListBucketMetricsConfigurations pages of 100 with ContinuationToken', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  await c.send(new CreateBucketCommand({ Bucket }));
  for (let n = 0; n < 130; n++) {
    const Id = `m-${String(n).padStart(3, '0')}`;
    await c.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id, MetricsConfiguration: { Id, Filter: { Prefix: `${n}/` } } }));
  }
  const first = await c.send(new ListBucketMetricsConfigurationsCommand({ Bucket }));
  t.equal(first.IsTruncated, true);
  t.equal(first.MetricsConfigurationList?.length, 100);
  t.ok(first.NextContinuationToken);
  const second = await c.send(new ListBucketMetricsConfigurationsCommand({ Bucket, ContinuationToken: first.NextContinuationToken }));
  t.equal(second.IsTruncated, false);
  t.equal(second.ContinuationToken, first.NextContinuationToken);
  t.same(second.MetricsConfigurationList?.map((m) => m.Id), Array.from({ length: 30 }, (_, i) => `m-${100 + i}`));
});
