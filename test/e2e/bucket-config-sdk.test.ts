/**
 * Bucket configurations through the AWS SDK v3 (docs/spec/bucket-config.md §B): each put, read
 * back, deleted; object tagging, storage class, encryption and GetObjectAttributes as the SDK
 * parses them.
 */
import t from 'tap';
import {
  CreateBucketCommand, DeleteBucketEncryptionCommand, DeleteBucketLifecycleCommand, DeleteBucketTaggingCommand,
  DeleteObjectTaggingCommand, GetBucketAccelerateConfigurationCommand, GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand, GetBucketLoggingCommand, GetBucketNotificationConfigurationCommand,
  GetBucketReplicationCommand, GetBucketRequestPaymentCommand, GetBucketTaggingCommand, GetBucketWebsiteCommand,
  GetObjectAttributesCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command,
  PutBucketAccelerateConfigurationCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand, PutBucketNotificationConfigurationCommand, PutBucketRequestPaymentCommand,
  PutBucketTaggingCommand, PutObjectCommand, PutObjectTaggingCommand, S3ServiceException,
} from '@aws-sdk/client-s3';
import { sdkClient, startServer } from '../helpers/server';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof S3ServiceException ? err.name : String(err);
  }
}

t.test('SDK v3 – bucket configurations round trip', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  const Bucket = 'sdk-config';
  await c.send(new CreateBucketCommand({ Bucket }));
  await c.send(new CreateBucketCommand({ Bucket: 'sdk-logs' }));

  t.equal(await code(c.send(new GetBucketTaggingCommand({ Bucket }))), 'NoSuchTagSet');
  await c.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'web' }] } }));
  t.same((await c.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'web' }]);
  await c.send(new DeleteBucketTaggingCommand({ Bucket }));
  t.equal(await code(c.send(new GetBucketTaggingCommand({ Bucket }))), 'NoSuchTagSet');

  t.equal(await code(c.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))), 'NoSuchLifecycleConfiguration');
  await c.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [
    { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 3 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    { ID: 'cold', Status: 'Disabled', Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'a', Value: 'b' }] } }, Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] },
  ] } }));
  const lc = await c.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
  t.equal(lc.TransitionDefaultMinimumObjectSize, 'all_storage_classes_128K');
  t.match(lc.Rules, [
    { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 3 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    { ID: 'cold', Status: 'Disabled', Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'a', Value: 'b' }] } }, Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] },
  ]);
  const expiring = await c.send(new PutObjectCommand({ Bucket, Key: 'tmp/x', Body: 'x' }));
  t.equal(expiring.Expiration?.endsWith('rule-id="tmp"'), true, 'x-amz-expiration parsed by the SDK');
  await c.send(new DeleteBucketLifecycleCommand({ Bucket }));

  t.same((await c.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules,
    [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
  await c.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' }, BucketKeyEnabled: true }] } }));
  const put = await c.send(new PutObjectCommand({ Bucket, Key: 'enc', Body: 'x' }));
  t.equal(put.ServerSideEncryption, 'aws:kms');
  t.equal(put.BucketKeyEnabled, true);
  await c.send(new DeleteBucketEncryptionCommand({ Bucket }));
  t.equal((await c.send(new PutObjectCommand({ Bucket, Key: 'enc2', Body: 'x' }))).ServerSideEncryption, 'AES256');

  t.equal((await c.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer, 'BucketOwner');
  await c.send(new PutBucketRequestPaymentCommand({ Bucket, RequestPaymentConfiguration: { Payer: 'Requester' } }));
  t.equal((await c.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer, 'Requester');
  t.equal((await c.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status, undefined);
  await c.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status: 'Suspended' } }));
  t.equal((await c.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status, 'Suspended');
  t.equal((await c.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled, undefined);
  await c.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'sdk-logs', TargetPrefix: 'l/' } } }));
  t.same((await c.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled, { TargetBucket: 'sdk-logs', TargetPrefix: 'l/' });
  await c.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {
    QueueConfigurations: [{ Id: 'q', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*'] }],
  } }));
  t.match((await c.send(new GetBucketNotificationConfigurationCommand({ Bucket }))).QueueConfigurations, [{ Id: 'q', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*'] }]);
  t.equal(await code(c.send(new GetBucketReplicationCommand({ Bucket }))), 'ReplicationConfigurationNotFoundError');
  t.equal(await code(c.send(new GetBucketWebsiteCommand({ Bucket }))), 'NoSuchWebsiteConfiguration');
});

t.test('SDK v3 – object tagging, storage class, attributes', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const c = sdkClient(s.endpoint);
  t.teardown(() => c.destroy());
  const Bucket = 'sdk-objects';
  await c.send(new CreateBucketCommand({ Bucket }));
  await c.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'hello', Tagging: 'a=1&b=2', StorageClass: 'STANDARD_IA', WebsiteRedirectLocation: '/x' }));
  const head = await c.send(new HeadObjectCommand({ Bucket, Key: 'k' }));
  t.equal(head.StorageClass, 'STANDARD_IA');
  t.equal(head.WebsiteRedirectLocation, '/x');
  t.equal(head.ServerSideEncryption, 'AES256');
  t.same((await c.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
  await c.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'c', Value: '3' }] } }));
  t.same((await c.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [{ Key: 'c', Value: '3' }]);
  await c.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k' }));
  t.same((await c.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, []);
  t.equal(await code(c.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'x', StorageClass: 'OUTPOSTS' }))), 'InvalidStorageClass');
  t.equal((await c.send(new ListObjectsV2Command({ Bucket }))).Contents?.[0]?.StorageClass, 'STANDARD_IA');
  const attrs = await c.send(new GetObjectAttributesCommand({ Bucket, Key: 'k', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass'] }));
  t.equal(attrs.ObjectSize, 5);
  t.equal(attrs.StorageClass, 'STANDARD_IA');
  t.match(attrs.ETag, /^[0-9a-f]{32}$/);
  t.ok(attrs.LastModified instanceof Date);
});
