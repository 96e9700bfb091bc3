/**
 * Bucket and object tagging, default encryption and the stored-only settings
 * (docs/spec/bucket-config.md §B1, §B3, §B4, vectors §B6) over signed inject requests.
 */
import t, { type Test } from 'tap';
import { injectApp } from '../helpers/server';
import { md5Base64, s3, xmlText } from '../helpers/s3-inject';

type App = Parameters<typeof s3>[0];

function put(app: App, bucket: string, query: string, body: string, key?: string) {
  return s3(app, { method: 'PUT', bucket, ...(key !== undefined ? { key } : {}), query: { [query]: '' }, body, headers: { 'content-md5': md5Base64(body) } });
}
const tagging = (tags: Array<[string, string]>) => `<Tagging><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

function setup(t: Test) {
  const h = injectApp();
  t.teardown(() => h.close());
  return h;
}

t.test('bucket tagging – put 204, get in order, empty set deletes, delete idempotent (§B6 #1)', async (t) => {
  const h = setup(t);
  await s3(h.app, { method: 'PUT', bucket: 'tags-b' });
  t.equal((await put(h.app, 'tags-b', 'tagging', tagging([['b', '2'], ['a', ''], ['Team Name', 'x+y@z']]))).statusCode, 204);
  const got = await s3(h.app, { bucket: 'tags-b', query: { tagging: '' } });
  t.match(got.body, '<TagSet><Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>a</Key><Value></Value></Tag><Tag><Key>Team Name</Key><Value>x+y@z</Value></Tag></TagSet>');
  t.equal((await put(h.app, 'tags-b', 'tagging', '<Tagging><TagSet></TagSet></Tagging>')).statusCode, 204);
  const none = await s3(h.app, { bucket: 'tags-b', query: { tagging: '' } });
  t.equal(none.statusCode, 404);
  t.equal(xmlText(none.body, 'Code'), 'NoSuchTagSet');
  t.equal(xmlText(none.body, 'Message'), 'The TagSet does not exist');
  t.equal(xmlText(none.body, 'BucketName'), 'tags-b');
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'tags-b', query: { tagging: '' } })).statusCode, 204);
});

t.test('tag validation – InvalidTag with S3 messages; the set is unchanged (§B1.3, §B1.4)', async (t) => {
  const h = setup(t);
  await s3(h.app, { method: 'PUT', bucket: 'tags-v' });
  await s3(h.app, { method: 'PUT', bucket: 'tags-v', key: 'k', body: 'x' });
  t.equal((await put(h.app, 'tags-v', 'tagging', tagging([['keep', '1']]), 'k')).statusCode, 200);
  const cases: Array<[string, string, string, string | undefined, string]> = [
    ['duplicate', tagging([['a', '1'], ['a', '2']]), 'Cannot provide multiple Tags with the same key', 'a', 'both'],
    ['aws: on an object (§B6 #2)', tagging([['aws:prefixed', '1']]), 'Your TagKey cannot be prefixed with aws:', 'aws:prefixed', 'object'],
    ['aws: on a bucket', tagging([['aws:prefixed', '1']]), 'System tags cannot be added/updated by requester', 'aws:prefixed', 'bucket'],
    ['key too long', tagging([['k'.repeat(129), '1']]), 'The TagKey you have provided is invalid', 'k'.repeat(129), 'both'],
    ['value too long', tagging([['k', 'v'.repeat(257)]]), 'The TagValue you have provided is invalid', 'k', 'both'],
    ['bad character', tagging([['k', 'a,b']]), 'The TagValue you have provided is invalid', 'k', 'both'],
    ['11 object tags', tagging(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'] as [string, string])), '', undefined, 'object'],
  ];
  for (const [name, body, message, tagKey, scope] of cases) {
    for (const key of scope === 'both' ? [undefined, 'k'] : scope === 'object' ? ['k'] : [undefined]) {
      const res = await put(h.app, 'tags-v', 'tagging', body, key);
      t.equal(res.statusCode, 400, name);
      t.equal(xmlText(res.body, 'Code'), 'InvalidTag', name);
      if (message) t.equal(xmlText(res.body, 'Message'), message, name);
      if (tagKey) t.equal(xmlText(res.body, 'TagKey'), tagKey, name);
    }
  }
  t.equal((await put(h.app, 'tags-v', 'tagging', tagging(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'] as [string, string])))).statusCode, 204, '50 bucket tags');
  t.equal((await put(h.app, 'tags-v', 'tagging', tagging(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'] as [string, string])))).statusCode, 400, '51 bucket tags');
  t.equal(xmlText((await put(h.app, 'tags-v', 'tagging', '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>')).body, 'Code'), 'MalformedXML', 'a Tag without Value');
  const kept = await s3(h.app, { bucket: 'tags-v', key: 'k', query: { tagging: '' } });
  t.match(kept.body, '<Key>keep</Key>', 'the object tags are unchanged');
});

t.test('object tagging – x-amz-tagging, count on HEAD, Put/Get/Delete, copy directives (§B6 #3–#6)', async (t) => {
  const h = setup(t);
  await s3(h.app, { method: 'PUT', bucket: 'tags-o' });
  const dup = await s3(h.app, { method: 'PUT', bucket: 'tags-o', key: 'd', body: 'x', headers: { 'x-amz-tagging': 'key1=val1&key1=val2' } });
  t.equal(dup.statusCode, 400);
  t.equal(xmlText(dup.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(dup.body, 'ArgumentName'), 'x-amz-tagging');
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'tags-o', key: 'c', body: 'x', headers: { 'x-amz-tagging': 'k=v1,k2=v2' } })).statusCode, 400);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'tags-o', key: 'k', body: 'x', headers: { 'x-amz-tagging': 'tag1=tag1&tag2=tag2&tag=' } })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'tags-o', key: 'k' })).headers['x-amz-tagging-count'], '3');
  const get = await s3(h.app, { bucket: 'tags-o', key: 'k', query: { tagging: '' } });
  t.match(get.body, '<Tag><Key>tag1</Key><Value>tag1</Value></Tag><Tag><Key>tag2</Key><Value>tag2</Value></Tag><Tag><Key>tag</Key><Value></Value></Tag>');
  t.equal((await put(h.app, 'tags-o', 'tagging', '<Tagging><TagSet/></Tagging>', 'k')).statusCode, 200);
  t.notOk((await s3(h.app, { method: 'HEAD', bucket: 'tags-o', key: 'k' })).headers['x-amz-tagging-count'], 'no header without tags');
  t.match((await s3(h.app, { bucket: 'tags-o', key: 'k', query: { tagging: '' } })).body, /<TagSet><\/TagSet>|<TagSet\/>/, 'untagged: an empty TagSet');
  const missing = await s3(h.app, { bucket: 'tags-o', key: 'fake-key', query: { tagging: '' } });
  t.equal(missing.statusCode, 404);
  t.equal(xmlText(missing.body, 'Key'), 'tags-o/fake-key');
  await s3(h.app, { method: 'PUT', bucket: 'tags-o', key: 'src', body: 'x', headers: { 'x-amz-tagging': 'key1=value1' } });
  for (const [directive, want] of [[undefined, 'key1'], ['COPY', 'key1'], ['REPLACE', 'key2']] as const) {
    const dst = `dst-${directive ?? 'none'}`;
    const headers: Record<string, string> = { 'x-amz-copy-source': '/tags-o/src', 'x-amz-tagging': 'key2=value2' };
    if (directive) headers['x-amz-tagging-directive'] = directive;
    t.equal((await s3(h.app, { method: 'PUT', bucket: 'tags-o', key: dst, headers })).statusCode, 200);
    t.match((await s3(h.app, { bucket: 'tags-o', key: dst, query: { tagging: '' } })).body, `<Key>${want}</Key>`, `directive ${directive ?? '(none)'}`);
  }
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'tags-o', key: 'src', query: { tagging: '' } })).statusCode, 204);
  t.notOk((await s3(h.app, { method: 'HEAD', bucket: 'tags-o', key: 'src' })).headers['x-amz-tagging-count']);
  await s3(h.app, { method: 'PUT', bucket: 'tags-o', key: 'over', body: 'x', headers: { 'x-amz-tagging': 'a=1' } });
  await s3(h.app, { method: 'PUT', bucket: 'tags-o', key: 'over', body: 'y' });
  t.notOk((await s3(h.app, { method: 'HEAD', bucket: 'tags-o', key: 'over' })).headers['x-amz-tagging-count'], 'an overwrite without tags leaves none');
});

t.test('encryption – default AES256, put/get/delete, objects report it (§B6 #12–#14)', async (t) => {
  const h = setup(t);
  await s3(h.app, { method: 'PUT', bucket: 'enc-b' });
  const fresh = await s3(h.app, { bucket: 'enc-b', query: { encryption: '' } });
  t.match(fresh.body, '<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>');
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'enc-b', query: { encryption: '' } })).statusCode, 204);
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'enc-b', query: { encryption: '' } })).statusCode, 204);
  const plain = await s3(h.app, { method: 'PUT', bucket: 'enc-b', key: 'a', body: 'x' });
  t.equal(plain.headers['x-amz-server-side-encryption'], 'AES256');
  const two = '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>';
  t.equal(xmlText((await put(h.app, 'enc-b', 'encryption', two)).body, 'Code'), 'MalformedXML');
  const kmsWithAes = await put(h.app, 'enc-b', 'encryption', '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>');
  t.equal(xmlText(kmsWithAes.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(kmsWithAes.body, 'ArgumentName'), 'ApplyServerSideEncryptionByDefault');
  t.equal((await put(h.app, 'enc-b', 'encryption', '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>my-key</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>')).statusCode, 200);
  const kms = await s3(h.app, { method: 'PUT', bucket: 'enc-b', key: 'b', body: 'x' });
  t.equal(kms.headers['x-amz-server-side-encryption'], 'aws:kms');
  t.equal(kms.headers['x-amz-server-side-encryption-aws-kms-key-id'], 'arn:aws:kms:us-east-1:000000000000:key/my-key');
  t.equal(kms.headers['x-amz-server-side-encryption-bucket-key-enabled'], 'true');
  // Under a KMS default the request still names its context and Bucket Key use.
  const own = await s3(h.app, { method: 'PUT', bucket: 'enc-b', key: 'c', body: 'x', headers: { 'x-amz-server-side-encryption-context': 'e30=', 'x-amz-server-side-encryption-bucket-key-enabled': 'false' } });
  t.equal(own.headers['x-amz-server-side-encryption-context'], 'e30=');
  t.equal(own.headers['x-amz-server-side-encryption-bucket-key-enabled'], undefined);
  const old = await s3(h.app, { method: 'HEAD', bucket: 'enc-b', key: 'a' });
  t.equal(old.headers['x-amz-server-side-encryption'], 'AES256', 'an object keeps the encryption it was written with');
  const get = await s3(h.app, { bucket: 'enc-b', key: 'b' });
  t.equal(get.headers['x-amz-server-side-encryption'], 'aws:kms');
});

t.test('request payment, accelerate, logging, notification, replication, website (§B4, §B6 #16–#18)', async (t) => {
  const h = setup(t);
  await s3(h.app, { method: 'PUT', bucket: 'set-b' });
  await s3(h.app, { method: 'PUT', bucket: 'set.dotted' });
  t.equal(xmlText((await put(h.app, 'set-b', 'requestPayment', '<RequestPaymentConfiguration><Payer>Nobody</Payer></RequestPaymentConfiguration>')).body, 'Code'), 'MalformedXML');
  const dotted = await put(h.app, 'set.dotted', 'accelerate', '<AccelerateConfiguration><Status>random</Status></AccelerateConfiguration>');
  t.equal(xmlText(dotted.body, 'Code'), 'InvalidRequest');
  t.equal(xmlText(dotted.body, 'Message'), 'S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
  t.equal(xmlText((await put(h.app, 'set-b', 'accelerate', '<AccelerateConfiguration><Status>enabled</Status></AccelerateConfiguration>')).body, 'Code'), 'MalformedXML');
  const noTarget = await put(h.app, 'set-b', 'logging', '<BucketLoggingStatus><LoggingEnabled><TargetBucket>nowhere</TargetBucket><TargetPrefix>x</TargetPrefix></LoggingEnabled></BucketLoggingStatus>');
  t.equal(noTarget.statusCode, 400);
  t.equal(xmlText(noTarget.body, 'Code'), 'InvalidTargetBucketForLogging');
  t.equal(xmlText(noTarget.body, 'TargetBucket'), 'nowhere');
  await s3(h.app, { method: 'PUT', bucket: 'set-eu', body: '<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>' });
  const cross = await put(h.app, 'set-b', 'logging', '<BucketLoggingStatus><LoggingEnabled><TargetBucket>set-eu</TargetBucket><TargetPrefix>x</TargetPrefix></LoggingEnabled></BucketLoggingStatus>');
  t.equal(cross.statusCode, 403);
  t.equal(xmlText(cross.body, 'Code'), 'CrossLocationLoggingProhibitted');
  t.equal(xmlText(cross.body, 'TargetBucketLocation'), 'eu-west-1');
  const badArn = await put(h.app, 'set-b', 'notification', '<NotificationConfiguration><QueueConfiguration><Queue>not-an-arn</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>');
  t.equal(xmlText(badArn.body, 'Message'), 'The ARN could not be parsed');
  t.equal(xmlText(badArn.body, 'ArgumentName'), 'Queue');
  const badRule = await put(h.app, 'set-b', 'notification', '<NotificationConfiguration><QueueConfiguration><Queue>arn:aws:sqs:us-east-1:000000000000:q</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>middle</Name><Value>x</Value></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>');
  t.equal(xmlText(badRule.body, 'Message'), 'filter rule name must be either prefix or suffix');
  const good = '<NotificationConfiguration><QueueConfiguration><Id>q1</Id><Queue>arn:aws:sqs:us-east-1:000000000000:q</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>img/</Value></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>';
  t.equal((await put(h.app, 'set-b', 'notification', good)).statusCode, 200);
  t.match((await s3(h.app, { bucket: 'set-b', query: { notification: '' } })).body, '<QueueConfiguration><Id>q1</Id><Queue>arn:aws:sqs:us-east-1:000000000000:q</Queue><Event>s3:ObjectCreated:*</Event>');
  t.equal((await put(h.app, 'set-b', 'notification', '<NotificationConfiguration/>')).statusCode, 200);
  t.notMatch((await s3(h.app, { bucket: 'set-b', query: { notification: '' } })).body, 'QueueConfiguration', 'an empty document clears it');
  const repl = await put(h.app, 'set-b', 'replication', '<ReplicationConfiguration><Role>arn:aws:iam::000000000000:role/r</Role><Rule><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::x</Bucket></Destination></Rule></ReplicationConfiguration>');
  t.equal(xmlText(repl.body, 'Message'), "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'set-b', query: { replication: '' } })).statusCode, 204);
  const website = await s3(h.app, { bucket: 'set-b', query: { website: '' } });
  t.equal(xmlText(website.body, 'Message'), 'The specified bucket does not have a website configuration');
  t.equal(xmlText(website.body, 'BucketName'), 'set-b');
  const byId = await s3(h.app, { bucket: 'set-b', query: { metrics: '', id: 'm' } });
  t.equal(byId.statusCode, 404);
  t.equal(xmlText(byId.body, 'Code'), 'NoSuchConfiguration');
});

t.test('configurations are the owner’s; deleting a bucket forgets them', async (t) => {
  const h = setup(t);
  await s3(h.app, { method: 'PUT', bucket: 'own-b' });
  await put(h.app, 'own-b', 'tagging', tagging([['a', '1']]));
  t.equal((await s3(h.app, { bucket: 'own-b', query: { tagging: '' }, signed: false })).statusCode, 403);
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'own-b' })).statusCode, 204);
  await s3(h.app, { method: 'PUT', bucket: 'own-b' });
  t.equal((await s3(h.app, { bucket: 'own-b', query: { tagging: '' } })).statusCode, 404, 'a re-created bucket starts bare');
});
