/**
 * Versioning meets the bucket configuration (docs/spec/versioning.md §5 R6–R7,
 * docs/spec/bucket-config.md §B1.2, §B2.5, §B4.5, §B5): tags and storage class are per version;
 * tagging and GetObjectAttributes take versionId; lifecycle adds delete markers on versioned
 * buckets and applies NoncurrentVersionExpiration and ExpiredObjectDeleteMarker; replication
 * accepts an Enabled bucket; the website endpoint treats a current delete marker as no object.
 */
import t from 'tap';
import { sweepLifecycle } from '../../storage';
import { md5Base64, s3, xmlText, xmlTexts } from '../helpers/s3-inject';
import { BUCKET, setup, withMd5 } from '../helpers/versioning';
import { websiteApp } from './website-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const tagging = (pairs: Record<string, string>) =>
  `<Tagging><TagSet>${Object.entries(pairs).map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

t.test('object tagging – per version, answering the version id', async (t) => {
  const { send, putId } = await setup(t, 'E');
  const v1 = await putId('k', 'one');
  const v2 = await putId('k', 'two');
  const put = await send({ method: 'PUT', key: 'k', query: { tagging: '', versionId: v1 }, ...withMd5(tagging({ color: 'red' })) });
  t.equal(put.statusCode, 200, put.body);
  t.equal(put.headers['x-amz-version-id'], v1);
  const old = await send({ key: 'k', query: { tagging: '', versionId: v1 } });
  t.same(xmlTexts(old.body, 'Value'), ['red'], 'the version named has the tag');
  t.equal(old.headers['x-amz-version-id'], v1);
  const current = await send({ key: 'k', query: { tagging: '' } });
  t.same(xmlTexts(current.body, 'Value'), [], 'the current version has none');
  t.equal(current.headers['x-amz-version-id'], v2);
  t.equal((await send({ method: 'HEAD', key: 'k', query: { versionId: v1 } })).headers['x-amz-tagging-count'], '1');
  t.equal((await send({ method: 'HEAD', key: 'k' })).headers['x-amz-tagging-count'], undefined);

  const del = await send({ method: 'DELETE', key: 'k', query: { tagging: '', versionId: v1 } });
  t.equal(del.statusCode, 204);
  t.equal(del.headers['x-amz-version-id'], v1);
  t.same(xmlTexts((await send({ key: 'k', query: { tagging: '', versionId: v1 } })).body, 'Value'), []);
});

t.test('object tagging – a delete marker is 405; an unknown version is NoSuchVersion', async (t) => {
  const { send, putId, marker } = await setup(t, 'E');
  const v1 = await putId('k', 'one');
  const m = await marker('k');
  const named = await send({ key: 'k', query: { tagging: '', versionId: m } });
  t.equal(named.statusCode, 405);
  t.equal(xmlText(named.body, 'Code'), 'MethodNotAllowed');
  t.equal(named.headers['x-amz-delete-marker'], 'true');
  const current = await send({ method: 'PUT', key: 'k', query: { tagging: '' }, ...withMd5(tagging({ a: 'b' })) });
  t.equal(current.statusCode, 405, 'PutObjectTagging on a current marker');
  t.equal(current.headers['x-amz-delete-marker'], undefined, 'without marker headers');
  t.equal((await send({ key: 'k', query: { tagging: '', versionId: v1 } })).statusCode, 200, 'the version under the marker still answers');
  await send({ method: 'DELETE', key: 'k', query: { versionId: v1 } });
  const gone = await send({ key: 'k', query: { tagging: '', versionId: v1 } });
  t.equal(gone.statusCode, 404);
  t.equal(xmlText(gone.body, 'Code'), 'NoSuchVersion');
});

t.test('object tagging – an unversioned bucket sends no version header; NoSuchKey keeps bucket/key on GET', async (t) => {
  const { send, put } = await setup(t, 'U');
  await put('k', 'one');
  const res = await send({ method: 'PUT', key: 'k', query: { tagging: '' }, ...withMd5(tagging({ a: 'b' })) });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-amz-version-id'], undefined);
  const missing = await send({ key: 'nope', query: { tagging: '' } });
  t.equal(xmlText(missing.body, 'Key'), `${BUCKET}/nope`);
});

t.test('storage class per version: GetObjectAttributes and ListObjectVersions', async (t) => {
  const { send, putId, versions } = await setup(t, 'E');
  const v1 = await putId('k', 'one', { 'x-amz-storage-class': 'STANDARD_IA' });
  const v2 = await putId('k', 'two');
  const attrs = (versionId?: string) =>
    send({ key: 'k', query: { attributes: '', ...(versionId ? { versionId } : {}) }, headers: { 'x-amz-object-attributes': 'StorageClass,ObjectSize' } });
  const old = await attrs(v1);
  t.equal(old.statusCode, 200, old.body);
  t.equal(xmlText(old.body, 'StorageClass'), 'STANDARD_IA');
  t.equal(xmlText(old.body, 'ObjectSize'), '3');
  t.equal(old.headers['x-amz-version-id'], v1);
  const now = await attrs();
  t.equal(xmlText(now.body, 'StorageClass'), 'STANDARD');
  t.equal(now.headers['x-amz-version-id'], v2);
  t.same(xmlTexts((await versions()).body, 'StorageClass'), ['STANDARD', 'STANDARD_IA'], 'newest first');
});

t.test('GetObjectAttributes – a current marker is 404 with marker headers; one named by id 405', async (t) => {
  const { send, putId, marker } = await setup(t, 'E');
  await putId('k', 'one');
  const m = await marker('k');
  const headers = { 'x-amz-object-attributes': 'ETag' };
  const current = await send({ key: 'k', query: { attributes: '' }, headers });
  t.equal(current.statusCode, 404);
  t.equal(xmlText(current.body, 'Code'), 'NoSuchKey');
  t.equal(current.headers['x-amz-delete-marker'], 'true');
  t.equal(current.headers['x-amz-version-id'], m);
  const named = await send({ key: 'k', query: { attributes: '', versionId: m }, headers });
  t.equal(named.statusCode, 405);
  t.equal(named.headers['last-modified'] !== undefined, true);
});

function lifecycleBody(action: string): { body: string; headers: Record<string, string> } {
  const body = `<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>${action}</Rule></LifecycleConfiguration>`;
  return { body, headers: { 'content-md5': md5Base64(body) } };
}

t.test('lifecycle – an expiration on a versioned bucket adds a delete marker and keeps the version', async (t) => {
  const { h, send, putId, listed } = await setup(t, 'E');
  const v1 = await putId('k', 'one');
  t.equal((await send({ method: 'PUT', query: { lifecycle: '' }, ...lifecycleBody('<Expiration><Days>1</Days></Expiration>') })).statusCode, 200);
  const report = await sweepLifecycle(h.storage, new Date(Date.now() + 3 * DAY));
  t.equal(report.expired, 1);
  const entries = await listed();
  t.same(entries.map((e) => [e.kind, e.isLatest]), [['DeleteMarker', true], ['Version', false]]);
  t.equal(entries[1]?.versionId, v1);
  t.equal((await send({ key: 'k' })).statusCode, 404);
  t.equal((await sweepLifecycle(h.storage, new Date(Date.now() + 3 * DAY))).expired, 0, 'a marker is not expired again');
});

t.test('lifecycle – NoncurrentVersionExpiration: NoncurrentDays, NewerNoncurrentVersions kept', async (t) => {
  const { h, send, putId, listed } = await setup(t, 'E');
  const ids = [await putId('k', '1'), await putId('k', '2'), await putId('k', '3'), await putId('k', '4')];
  t.equal((await send({ method: 'PUT', query: { lifecycle: '' }, ...lifecycleBody('<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>') })).statusCode, 200);
  t.equal((await sweepLifecycle(h.storage, new Date(Date.now() + 0.5 * DAY))).expired, 0, 'not yet due');
  const report = await sweepLifecycle(h.storage, new Date(Date.now() + 3 * DAY));
  t.equal(report.expired, 2, 'the two oldest noncurrent versions');
  t.same((await listed()).map((e) => e.versionId), [ids[3], ids[2]], 'the current one and the newest noncurrent one stay');
});

t.test('lifecycle – ExpiredObjectDeleteMarker removes a lone current marker only', async (t) => {
  const { h, send, putId, marker, listed } = await setup(t, 'E');
  const v1 = await putId('lone', '1');
  await marker('lone');
  await send({ method: 'DELETE', key: 'lone', query: { versionId: v1 } });
  await putId('kept', '1');
  await marker('kept');
  t.equal((await send({ method: 'PUT', query: { lifecycle: '' }, ...lifecycleBody('<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>') })).statusCode, 200);
  t.equal((await sweepLifecycle(h.storage, new Date())).expired, 1);
  t.same((await listed()).map((e) => [e.key, e.kind]), [['kept', 'DeleteMarker'], ['kept', 'Version']]);
});

t.test('lifecycle – a version under retention is never removed', async (t) => {
  const { h, send, putId, listed } = await setup(t, 'L+D');
  const ids = [await putId('k', '1'), await putId('k', '2')];
  t.equal((await send({ method: 'PUT', query: { lifecycle: '' }, ...lifecycleBody('<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>') })).statusCode, 200);
  t.equal((await sweepLifecycle(h.storage, new Date(Date.now() + 3 * DAY))).expired, 0);
  t.same((await listed()).map((e) => e.versionId), [ids[1], ids[0]]);
});

t.test('PutBucketReplication – accepted once versioning is Enabled', async (t) => {
  const doc = '<ReplicationConfiguration><Role>arn:aws:iam::000000000000:role/r</Role><Rule><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::x</Bucket></Destination></Rule></ReplicationConfiguration>';
  const e = await setup(t, 'E');
  t.equal((await e.send({ method: 'PUT', query: { replication: '' }, ...withMd5(doc) })).statusCode, 200);
  t.equal((await e.send({ query: { replication: '' } })).statusCode, 200);
  const s = await setup(t, 'S');
  const refused = await s.send({ method: 'PUT', query: { replication: '' }, ...withMd5(doc) });
  t.equal(refused.statusCode, 400);
  t.equal(xmlText(refused.body, 'Code'), 'InvalidRequest');
});

t.test('website endpoint – a current delete marker is a missing object; the version under it stays hidden', async (t) => {
  const w = websiteApp();
  t.teardown(() => w.close());
  await w.bucket('site');
  await w.website('site', { index: 'index.html', error: 'error.html' });
  t.equal((await s3(w.app, { method: 'PUT', bucket: 'site', query: { versioning: '' }, body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' })).statusCode, 200);
  await w.put('site', 'index.html', 'home');
  t.equal((await w.web('GET', 'site', '/')).body, 'home');
  t.equal((await s3(w.app, { method: 'DELETE', bucket: 'site', key: 'index.html' })).headers['x-amz-delete-marker'], 'true');
  await w.put('site', 'error.html', 'oops');
  const gone = await w.web('GET', 'site', '/');
  t.equal(gone.statusCode, 404);
  t.equal(gone.body, 'oops', 'the ErrorDocument answers, as for a missing key');
  t.equal((await w.web('HEAD', 'site', '/index.html')).statusCode, 404);
  await s3(w.app, { method: 'DELETE', bucket: 'site', key: 'error.html' });
  const page = await w.web('GET', 'site', '/');
  t.equal(page.statusCode, 404);
  t.match(page.body, 'NoSuchKey', 'a deleted ErrorDocument is not served as an empty body');
});
