/**
 * docs/spec/bucket-config.md §B7: the calls a Terraform `aws_s3_bucket` refresh makes, in order,
 * each answered with success or a code the provider reads as "not configured" — on a fresh
 * bucket and on a configured one. Stricter than the provider: none of the calls may answer 501;
 * the provider's tolerated codes are kept only to show which "not configured" answer each has.
 */
import t, { type Test } from 'tap';
import { injectApp } from '../helpers/server';
import { md5Base64, s3, xmlText } from '../helpers/s3-inject';

const BASE = ['MethodNotAllowed', 'NotImplemented', 'XNotImplemented'];

const REFRESH: Array<{ name: string; query?: string; method?: string; signed?: boolean; tolerated: string[] }> = [
  { name: 'HeadBucket', method: 'HEAD', tolerated: [] },
  { name: 'GetBucketPolicy', query: 'policy', tolerated: ['NoSuchBucketPolicy', ...BASE] },
  { name: 'GetBucketAcl', query: 'acl', tolerated: BASE },
  { name: 'GetBucketCors', query: 'cors', tolerated: ['NoSuchCORSConfiguration', ...BASE] },
  { name: 'GetBucketWebsite', query: 'website', tolerated: ['NoSuchWebsiteConfiguration', ...BASE] },
  { name: 'GetBucketVersioning', query: 'versioning', tolerated: BASE },
  { name: 'GetBucketAccelerateConfiguration', query: 'accelerate', tolerated: ['UnsupportedArgument', 'UnsupportedOperation', ...BASE] },
  { name: 'GetBucketRequestPayment', query: 'requestPayment', tolerated: BASE },
  { name: 'GetBucketLogging', query: 'logging', tolerated: BASE },
  { name: 'GetBucketLifecycleConfiguration', query: 'lifecycle', tolerated: ['NoSuchLifecycleConfiguration', ...BASE] },
  { name: 'GetBucketReplication', query: 'replication', tolerated: ['ReplicationConfigurationNotFoundError', ...BASE] },
  { name: 'GetBucketEncryption', query: 'encryption', tolerated: ['ServerSideEncryptionConfigurationNotFoundError', 'UnsupportedOperation', ...BASE] },
  { name: 'GetObjectLockConfiguration', query: 'object-lock', tolerated: ['ObjectLockConfigurationNotFoundError', ...BASE] },
  { name: 'HeadBucket (unsigned region lookup)', method: 'HEAD', signed: false, tolerated: [] },
  { name: 'GetBucketTagging', query: 'tagging', tolerated: ['NoSuchTagSet', 'UnsupportedOperation', ...BASE] },
];

async function replay(t: Test, app: Parameters<typeof s3>[0], bucket: string): Promise<Map<string, { status: number; body: string; code?: string }>> {
  const seen = new Map<string, { status: number; body: string; code?: string }>();
  for (const call of REFRESH) {
    const res = await s3(app, { method: call.method ?? 'GET', bucket, ...(call.query ? { query: { [call.query]: '' } } : {}), signed: call.signed ?? true });
    if (call.method === 'HEAD') {
      t.ok(res.headers['x-amz-bucket-region'], `${call.name}: x-amz-bucket-region on ${res.statusCode}`);
      if (call.signed !== false) t.equal(res.statusCode, 200, call.name);
      seen.set(call.name, { status: res.statusCode, body: res.body });
      continue;
    }
    const code = res.statusCode >= 300 ? xmlText(res.body, 'Code') : undefined;
    if (code !== undefined) t.ok(call.tolerated.includes(code), `${call.name}: ${res.statusCode} ${code} is read as "not configured"`);
    else t.equal(res.statusCode, 200, `${call.name}: 200`);
    t.not(res.statusCode, 501, `${call.name}: not 501`);
    seen.set(call.name, { status: res.statusCode, body: res.body, ...(code !== undefined ? { code } : {}) });
  }
  return seen;
}

t.test('terraform refresh – a fresh private bucket', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'tf-fresh' })).statusCode, 200);
  const seen = await replay(t, h.app, 'tf-fresh');
  t.equal(seen.get('HeadBucket (unsigned region lookup)')?.status, 403, 'the anonymous lookup is a 403 that still names the region');
  t.equal(seen.get('GetBucketWebsite')?.code, 'NoSuchWebsiteConfiguration');
  t.equal(seen.get('GetBucketLifecycleConfiguration')?.code, 'NoSuchLifecycleConfiguration');
  t.equal(seen.get('GetBucketReplication')?.code, 'ReplicationConfigurationNotFoundError');
  t.equal(seen.get('GetBucketTagging')?.code, 'NoSuchTagSet');
  t.equal(seen.get('GetBucketPolicy')?.code, 'NoSuchBucketPolicy');
  t.equal(seen.get('GetObjectLockConfiguration')?.code, 'ObjectLockConfigurationNotFoundError');
  t.match(seen.get('GetBucketEncryption')?.body ?? '', /<SSEAlgorithm>AES256<\/SSEAlgorithm><\/ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false<\/BucketKeyEnabled>/);
  t.match(seen.get('GetBucketRequestPayment')?.body ?? '', /<Payer>BucketOwner<\/Payer>/);
  t.match(seen.get('GetBucketAccelerateConfiguration')?.body ?? '', /<AccelerateConfiguration xmlns="[^"]+"><\/AccelerateConfiguration>/);
  t.notMatch(seen.get('GetBucketLogging')?.body ?? '', /LoggingEnabled/);
  for (const q of ['analytics', 'metrics', 'inventory', 'intelligent-tiering']) {
    const res = await s3(h.app, { bucket: 'tf-fresh', query: { [q]: '' } });
    t.equal(res.statusCode, 200, `list ${q}`);
    t.equal(xmlText(res.body, 'IsTruncated'), 'false');
  }
  const notification = await s3(h.app, { bucket: 'tf-fresh', query: { notification: '' } });
  t.equal(notification.statusCode, 200);
  t.match(notification.body, /<NotificationConfiguration xmlns="[^"]+"><\/NotificationConfiguration>/);
  const missing = await s3(h.app, { method: 'HEAD', bucket: 'tf-missing', signed: false });
  t.equal(missing.statusCode, 404, 'a missing bucket: 404 without a region (the provider drops it from state)');
  t.notOk(missing.headers['x-amz-bucket-region']);
});

function put(app: Parameters<typeof s3>[0], bucket: string, query: string, body: string, headers: Record<string, string> = {}) {
  return s3(app, { method: 'PUT', bucket, query: { [query]: '' }, body, headers: { 'content-md5': md5Base64(body), ...headers } });
}

t.test('terraform refresh – a configured bucket reads back what was put', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'tf-conf' })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'tf-logs' })).statusCode, 200);
  t.equal((await put(h.app, 'tf-conf', 'tagging', '<Tagging><TagSet><Tag><Key>env</Key><Value>dev</Value></Tag></TagSet></Tagging>')).statusCode, 204);
  t.equal((await put(h.app, 'tf-conf', 'lifecycle', '<LifecycleConfiguration><Rule><ID>old</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule></LifecycleConfiguration>')).statusCode, 200);
  t.equal((await put(h.app, 'tf-conf', 'encryption', '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>')).statusCode, 200);
  t.equal((await put(h.app, 'tf-conf', 'logging', '<BucketLoggingStatus><LoggingEnabled><TargetBucket>tf-logs</TargetBucket><TargetPrefix>log/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>')).statusCode, 200);
  t.equal((await put(h.app, 'tf-conf', 'accelerate', '<AccelerateConfiguration><Status>Enabled</Status></AccelerateConfiguration>')).statusCode, 200);
  t.equal((await put(h.app, 'tf-conf', 'requestPayment', '<RequestPaymentConfiguration><Payer>Requester</Payer></RequestPaymentConfiguration>')).statusCode, 200);
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'tf-conf', query: { publicAccessBlock: '' } })).statusCode, 204);
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::tf-conf/*' }] });
  t.equal((await put(h.app, 'tf-conf', 'policy', policy)).statusCode, 204);
  const seen = await replay(t, h.app, 'tf-conf');
  t.equal(seen.get('GetBucketPolicy')?.body, policy, 'the policy as put');
  t.match(seen.get('GetBucketTagging')?.body ?? '', /<Tag><Key>env<\/Key><Value>dev<\/Value><\/Tag>/);
  t.match(seen.get('GetBucketLifecycleConfiguration')?.body ?? '', /<ID>old<\/ID><Filter><Prefix>tmp\/<\/Prefix><\/Filter><Status>Enabled<\/Status><Expiration><Days>7<\/Days><\/Expiration>/);
  t.match(seen.get('GetBucketEncryption')?.body ?? '', /<SSEAlgorithm>aws:kms<\/SSEAlgorithm><KMSMasterKeyID>k1<\/KMSMasterKeyID><\/ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true<\/BucketKeyEnabled>/);
  t.match(seen.get('GetBucketLogging')?.body ?? '', /<LoggingEnabled><TargetBucket>tf-logs<\/TargetBucket><TargetPrefix>log\/<\/TargetPrefix><\/LoggingEnabled>/);
  t.match(seen.get('GetBucketAccelerateConfiguration')?.body ?? '', /<Status>Enabled<\/Status>/);
  t.match(seen.get('GetBucketRequestPayment')?.body ?? '', /<Payer>Requester<\/Payer>/);
});

t.test('HeadBucket – region headers; signed for another region: 301 naming the region', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const conf = '<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>';
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'tf-eu', body: conf })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'tf-us' })).statusCode, 200);
  const ok = await s3(h.app, { method: 'HEAD', bucket: 'tf-us' });
  t.equal(ok.statusCode, 200);
  t.equal(ok.headers['x-amz-bucket-region'], 'us-east-1');
  t.equal(ok.headers['x-amz-access-point-alias'], 'false');
  t.equal(ok.headers['x-amz-bucket-arn'], 'arn:aws:s3:::tf-us');
  const moved = await s3(h.app, { method: 'HEAD', bucket: 'tf-eu' });
  t.equal(moved.statusCode, 301);
  t.equal(moved.headers['x-amz-bucket-region'], 'eu-west-1');
  t.equal(moved.body, '');
  const anonymous = await s3(h.app, { method: 'HEAD', bucket: 'tf-eu', signed: false });
  t.equal(anonymous.statusCode, 403);
  t.equal(anonymous.headers['x-amz-bucket-region'], 'eu-west-1');
});
