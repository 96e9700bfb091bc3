/**
 * Versioning and Object Lock configuration – vectors 1–3 and 54–59 of docs/spec/versioning.md §11
 * (§2 V1–V5, §9 K1–K4), over signed inject requests.
 */
import t from 'tap';
import { xmlText } from '../helpers/s3-inject';
import { lockXml, setup, versioningXml, withMd5 } from '../helpers/versioning';

t.test('vector 1 – a new bucket has no Status; Unversioned → Suspended reads back Suspended', async (t) => {
  const { send, setVersioning } = await setup(t, 'U');
  const first = await send({ query: { versioning: '' } });
  t.equal(first.statusCode, 200);
  t.match(first.body, /<VersioningConfiguration xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"\s*\/>|<VersioningConfiguration xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><\/VersioningConfiguration>/);
  t.notMatch(first.body, /Status/);
  const put = await setVersioning('Suspended');
  t.equal(put.statusCode, 200);
  t.equal(put.body, '');
  t.equal(xmlText((await send({ query: { versioning: '' } })).body, 'Status'), 'Suspended');
});

t.test('vector 2 – bad Status is MalformedXML, no Status is IllegalVersioningConfigurationException', async (t) => {
  const { send, setVersioning } = await setup(t, 'E');
  for (const status of ['enabled', 'Disabled']) {
    const res = await setVersioning(status);
    t.equal(res.statusCode, 400, status);
    t.equal(xmlText(res.body, 'Code'), 'MalformedXML');
  }
  const none = await send({ method: 'PUT', query: { versioning: '' }, body: '<VersioningConfiguration/>' });
  t.equal(none.statusCode, 400);
  t.equal(xmlText(none.body, 'Code'), 'IllegalVersioningConfigurationException');
  t.equal(xmlText(none.body, 'Message'), 'The Versioning element must be specified');
  const garbage = await send({ method: 'PUT', query: { versioning: '' }, body: '<Versioning' });
  t.equal(xmlText(garbage.body, 'Code'), 'MalformedXML');
  const missing = await send({ method: 'PUT', bucket: 'nobucket', query: { versioning: '' }, body: versioningXml('Enabled') });
  t.equal(missing.statusCode, 404);
  t.equal(xmlText(missing.body, 'Code'), 'NoSuchBucket');
});

t.test('vector 2 – MfaDelete: Disabled stored and shown, Enabled refused (DEVIATION)', async (t) => {
  const { send } = await setup(t, 'U');
  const off = await send({ method: 'PUT', query: { versioning: '' }, body: versioningXml('Enabled', 'Disabled') });
  t.equal(off.statusCode, 200);
  const got = await send({ query: { versioning: '' } });
  t.equal(xmlText(got.body, 'Status'), 'Enabled');
  t.equal(xmlText(got.body, 'MfaDelete'), 'Disabled');
  const on = await send({ method: 'PUT', query: { versioning: '' }, body: versioningXml('Enabled', 'Enabled') });
  t.equal(on.statusCode, 501);
  t.equal(xmlText(on.body, 'Code'), 'NotImplemented');
});

t.test('vector 3 – a lock bucket cannot be Suspended; Enabled is fine', async (t) => {
  const { setVersioning } = await setup(t, 'L');
  const res = await setVersioning('Suspended');
  t.equal(res.statusCode, 409);
  t.equal(xmlText(res.body, 'Code'), 'InvalidBucketState');
  t.equal(xmlText(res.body, 'Message'), 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
  t.equal((await setVersioning('Enabled')).statusCode, 200);
});

t.test('vector 54 – CreateBucket with the lock header: versioning Enabled, ObjectLockEnabled only', async (t) => {
  const { send } = await setup(t, 'L');
  t.equal(xmlText((await send({ query: { versioning: '' } })).body, 'Status'), 'Enabled');
  const lock = await send({ query: { 'object-lock': '' } });
  t.equal(lock.statusCode, 200);
  t.equal(xmlText(lock.body, 'ObjectLockEnabled'), 'Enabled');
  t.notMatch(lock.body, /<Rule>/);
});

t.test('vector 55 – PutObjectLockConfiguration needs versioning Enabled', async (t) => {
  for (const state of ['U', 'S', 'E'] as const) {
    const { send } = await setup(t, state);
    const res = await send({ method: 'PUT', query: { 'object-lock': '' }, ...withMd5(lockXml()) });
    if (state === 'E') {
      t.equal(res.statusCode, 200, 'Enabled: 200');
      t.equal(xmlText((await send({ query: { 'object-lock': '' } })).body, 'ObjectLockEnabled'), 'Enabled');
    } else {
      t.equal(res.statusCode, 409, state);
      t.equal(xmlText(res.body, 'Code'), 'InvalidBucketState');
      t.equal(xmlText(res.body, 'Message'), "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    }
  }
});

t.test('vector 56 – Days and Years, a lower-case mode, Disabled: MalformedXML', async (t) => {
  const { send } = await setup(t, 'L');
  for (const doc of [
    lockXml('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule>'),
    lockXml('<Rule><DefaultRetention><Mode>governance</Mode><Days>1</Days></DefaultRetention></Rule>'),
    '<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled></ObjectLockConfiguration>',
    lockXml('<Rule></Rule>'),
    lockXml('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode></DefaultRetention></Rule>'),
  ]) {
    const res = await send({ method: 'PUT', query: { 'object-lock': '' }, ...withMd5(doc) });
    t.equal(res.statusCode, 400, doc);
    t.equal(xmlText(res.body, 'Code'), 'MalformedXML');
  }
});

t.test('vector 57 – Days 0 is InvalidArgument', async (t) => {
  const { send } = await setup(t, 'L');
  const res = await send({ method: 'PUT', query: { 'object-lock': '' }, ...withMd5(lockXml('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>0</Days></DefaultRetention></Rule>')) });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(res.body, 'Message'), 'Default retention period must be a positive integer value.');
  t.equal(xmlText(res.body, 'ArgumentName'), 'Days');
});

t.test('vector 58 – PutObjectLockConfiguration without Content-MD5 or checksum', async (t) => {
  const { send } = await setup(t, 'L');
  const res = await send({ method: 'PUT', query: { 'object-lock': '' }, body: lockXml() });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidRequest');
  t.equal(xmlText(res.body, 'Message'), 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
});

t.test('vector 59 – GetObjectLockConfiguration without lock', async (t) => {
  const { send } = await setup(t, 'U');
  const res = await send({ query: { 'object-lock': '' } });
  t.equal(res.statusCode, 404);
  t.equal(xmlText(res.body, 'Code'), 'ObjectLockConfigurationNotFoundError');
  t.equal(xmlText(res.body, 'Message'), 'Object Lock configuration does not exist for this bucket');
  t.equal(xmlText(res.body, 'BucketName'), 'vbucket');
});

t.test('§9 K3 – a default retention reads back; no Rule clears it', async (t) => {
  const { send } = await setup(t, 'L+D');
  const got = await send({ query: { 'object-lock': '' } });
  t.equal(xmlText(got.body, 'Mode'), 'GOVERNANCE');
  t.equal(xmlText(got.body, 'Days'), '1');
  t.equal((await send({ method: 'PUT', query: { 'object-lock': '' }, ...withMd5(lockXml()) })).statusCode, 200);
  t.notMatch((await send({ query: { 'object-lock': '' } })).body, /<Rule>/);
});
