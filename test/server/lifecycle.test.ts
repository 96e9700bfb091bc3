/**
 * Lifecycle (docs/spec/bucket-config.md §B2): the document's validation, x-amz-expiration, and
 * the sweep — expiring objects, aborting uploads and changing storage classes as rules say,
 * touching nothing else — both called directly with a clock and run by start() on a short interval.
 */
import t from 'tap';
import { sweepLifecycle } from '../../storage';
import { injectApp, startServer } from '../helpers/server';
import { md5Base64, s3, s3Http, xmlText } from '../helpers/s3-inject';

type App = Parameters<typeof s3>[0];
const DAY = 24 * 60 * 60 * 1000;

function putLifecycle(app: App, bucket: string, rules: string, headers: Record<string, string> = {}) {
  const body = `<LifecycleConfiguration>${rules}</LifecycleConfiguration>`;
  return s3(app, { method: 'PUT', bucket, query: { lifecycle: '' }, body, headers: { 'content-md5': md5Base64(body), ...headers } });
}

const rule = (id: string, filter: string, action: string, status = 'Enabled') => `<Rule><ID>${id}</ID>${filter}<Status>${status}</Status>${action}</Rule>`;

t.test('PutBucketLifecycleConfiguration – round trip with the minimum-size header (§B6 #8)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'lc-b' });
  const put = await putLifecycle(h.app, 'lc-b', rule('wholebucket', '<Filter><Prefix></Prefix></Filter>', '<Expiration><Days>7</Days></Expiration>'));
  t.equal(put.statusCode, 200);
  t.equal(put.headers['x-amz-transition-default-minimum-object-size'], 'all_storage_classes_128K');
  const get = await s3(h.app, { bucket: 'lc-b', query: { lifecycle: '' } });
  t.equal(get.statusCode, 200);
  t.equal(get.headers['x-amz-transition-default-minimum-object-size'], 'all_storage_classes_128K');
  t.match(get.body, '<Rule><ID>wholebucket</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>');
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'lc-b', query: { lifecycle: '' } })).statusCode, 204);
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'lc-b', query: { lifecycle: '' } })).statusCode, 204, 'idempotent');
  const gone = await s3(h.app, { bucket: 'lc-b', query: { lifecycle: '' } });
  t.equal(gone.statusCode, 404);
  t.equal(xmlText(gone.body, 'Code'), 'NoSuchLifecycleConfiguration');
  t.equal(xmlText(gone.body, 'Message'), 'The lifecycle configuration does not exist');
  t.equal(xmlText(gone.body, 'BucketName'), 'lc-b');
});

t.test('PutBucketLifecycleConfiguration – each refusal of §B2.3', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'lc-b' });
  const cases: Array<[string, string, number, string, string?]> = [
    ['no Filter nor Prefix', rule('a', '', '<Expiration><Days>1</Days></Expiration>'), 400, 'MalformedXML'],
    ['Filter with two members', rule('a', '<Filter><Prefix>x</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter>', '<Expiration><Days>1</Days></Expiration>'), 400, 'MalformedXML'],
    ['Days + ExpiredObjectDeleteMarker', rule('a', '<Filter/>', '<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>'), 400, 'MalformedXML'],
    ['empty NoncurrentVersionExpiration', rule('a', '<Filter/>', '<NoncurrentVersionExpiration></NoncurrentVersionExpiration>'), 400, 'MalformedXML'],
    ['Status lower case', rule('a', '<Filter/>', '<Expiration><Days>1</Days></Expiration>', 'enabled'), 400, 'MalformedXML'],
    ['Date not at midnight (§B6 #9)', rule('a', '<Filter/>', '<Expiration><Date>2026-03-10T02:02:00Z</Date></Expiration>'), 400, 'InvalidArgument', "'Date' must be at midnight GMT"],
    ['duplicate tag keys in And', rule('a', '<Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter>', '<Expiration><Days>1</Days></Expiration>'), 400, 'InvalidRequest', 'Duplicate Tag Keys are not allowed.'],
    ['duplicate IDs', rule('a', '<Filter/>', '<Expiration><Days>1</Days></Expiration>') + rule('a', '<Filter/>', '<Expiration><Days>2</Days></Expiration>'), 400, 'InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule'],
    ['ID over 255', rule('x'.repeat(256), '<Filter/>', '<Expiration><Days>1</Days></Expiration>'), 400, 'InvalidArgument'],
    ['Days 0', rule('a', '<Filter/>', '<Expiration><Days>0</Days></Expiration>'), 400, 'InvalidArgument'],
    ['no rules', '', 400, 'MalformedXML'],
  ];
  for (const [name, rules, status, code, message] of cases) {
    const res = await putLifecycle(h.app, 'lc-b', rules);
    t.equal(res.statusCode, status, name);
    t.equal(xmlText(res.body, 'Code'), code, name);
    if (message) t.equal(xmlText(res.body, 'Message'), message, name);
  }
  const bad = await putLifecycle(h.app, 'lc-b', rule('a', '<Filter/>', '<Expiration><Days>1</Days></Expiration>'), { 'x-amz-transition-default-minimum-object-size': 'tiny' });
  t.equal(xmlText(bad.body, 'Message'), 'Invalid TransitionDefaultMinimumObjectSize found: tiny');
  t.equal((await s3(h.app, { bucket: 'lc-b', query: { lifecycle: '' } })).statusCode, 404, 'nothing was stored');
});

t.test('x-amz-expiration – the first matching rule, date rounded to the next midnight (§B6 #10, #11)', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'lc-b' });
  await putLifecycle(h.app, 'lc-b', rule('rule_one', '<Filter><Prefix>testobject</Prefix></Filter>', '<Expiration><Days>7</Days></Expiration>')
    + rule('rule_two', '<Filter><Prefix>test</Prefix></Filter>', '<Expiration><Days>3</Days></Expiration>')
    + rule('rule_three', '<Filter><Prefix>t</Prefix></Filter>', '<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>'));
  const expected = (days: number) => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + (days + 1) * DAY).toUTCString();
  };
  const one = await s3(h.app, { method: 'PUT', bucket: 'lc-b', key: 'testobject-1', body: 'x' });
  t.equal(one.headers['x-amz-expiration'], `expiry-date="${expected(7)}", rule-id="rule_one"`);
  await s3(h.app, { method: 'PUT', bucket: 'lc-b', key: 'test-one-rule', body: 'x' });
  const head = await s3(h.app, { method: 'HEAD', bucket: 'lc-b', key: 'test-one-rule' });
  t.equal(head.headers['x-amz-expiration'], `expiry-date="${expected(3)}", rule-id="rule_two"`);
  const none = await s3(h.app, { method: 'PUT', bucket: 'lc-b', key: 'no-rules', body: 'x' });
  t.notOk(none.headers['x-amz-expiration']);
  const marker = await s3(h.app, { method: 'PUT', bucket: 'lc-b', key: 'tx', body: 'x' });
  t.notOk(marker.headers['x-amz-expiration'], 'a delete-marker-only rule announces nothing');
});

async function seedSweepBucket(app: App) {
  await s3(app, { method: 'PUT', bucket: 'lc-b' });
  for (const key of ['tmp/a', 'tmp/b', 'keep/a', 'tagged/a', 'tagged/b', 'cold/a']) {
    const headers: Record<string, string> = key === 'tagged/a' ? { 'x-amz-tagging': 'expire=yes' } : {};
    t.equal((await s3(app, { method: 'PUT', bucket: 'lc-b', key, body: key, headers })).statusCode, 200);
  }
  await s3(app, { method: 'PUT', bucket: 'other' });
  await s3(app, { method: 'PUT', bucket: 'other', key: 'tmp/a', body: 'x' });
  const uploads: Record<string, string> = {};
  for (const key of ['tmp/up', 'keep/up']) {
    const res = await s3(app, { method: 'POST', bucket: 'lc-b', key, query: { uploads: '' } });
    uploads[key] = xmlText(res.body, 'UploadId') ?? '';
  }
  const res = await putLifecycle(app, 'lc-b',
    rule('tmp', '<Filter><Prefix>tmp/</Prefix></Filter>', '<Expiration><Days>1</Days></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>')
    + rule('tag', '<Filter><Tag><Key>expire</Key><Value>yes</Value></Tag></Filter>', '<Expiration><Days>1</Days></Expiration>')
    + rule('cold', '<Filter><Prefix>cold/</Prefix></Filter>', '<Transition><Days>1</Days><StorageClass>GLACIER_IR</StorageClass></Transition>')
    + rule('off', '<Filter><Prefix>keep/</Prefix></Filter>', '<Expiration><Days>1</Days></Expiration>', 'Disabled'));
  t.equal(res.statusCode, 200);
  return uploads;
}

async function keys(app: App, bucket: string): Promise<string[]> {
  const res = await s3(app, { bucket, query: { 'list-type': '2' } });
  return [...res.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1] ?? '');
}

t.test('sweep – expires, aborts and transitions what the rules name, and nothing else', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  const uploads = await seedSweepBucket(h.app);
  // Due at the midnight after creation plus the days: objects (1 day) at midnight + 2, the upload (2) at midnight + 3.
  const now = new Date();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const early = await sweepLifecycle(h.storage, new Date(midnight + 1.9 * DAY));
  t.same(early, { expired: 0, transitioned: 0, aborted: 0 }, 'nothing is due yet');
  const report = await sweepLifecycle(h.storage, new Date(midnight + 2.5 * DAY));
  t.same(report, { expired: 3, transitioned: 1, aborted: 0 });
  t.same(await keys(h.app, 'lc-b'), ['cold/a', 'keep/a', 'tagged/b']);
  t.same(await keys(h.app, 'other'), ['tmp/a'], 'a bucket without rules is untouched');
  const cold = await s3(h.app, { method: 'HEAD', bucket: 'lc-b', key: 'cold/a' });
  t.equal(cold.headers['x-amz-storage-class'], 'GLACIER_IR', 'a transition changes the storage class');
  const later = await sweepLifecycle(h.storage, new Date(midnight + 3.5 * DAY));
  t.equal(later.aborted, 1, 'the upload under tmp/ is aborted after its days');
  const listed = await s3(h.app, { bucket: 'lc-b', query: { uploads: '' } });
  t.same([...listed.body.matchAll(/<UploadId>([^<]*)<\/UploadId>/g)].map((m) => m[1]), [uploads['keep/up']]);
});

t.test('sweep – start() runs it on --lifecycle-interval', async (t) => {
  const clock = () => new Date(Date.now() + 5 * DAY);
  const server = await startServer({ lifecycleIntervalMs: 50, lifecycleClock: clock });
  t.teardown(() => server.close());
  const app = server.app;
  await seedSweepBucket(app);
  let left: string[] = [];
  for (let i = 0; i < 100; i++) {
    left = await keys(app, 'lc-b');
    if (left.length === 3) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  t.same(left, ['cold/a', 'keep/a', 'tagged/b']);
  const res = await s3Http(server.endpoint, { bucket: 'other', query: { 'list-type': '2' } });
  t.match(res.body.toString(), '<Key>tmp/a</Key>');
});
