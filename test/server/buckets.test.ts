/**
 * Bucket operations over signed inject requests: ListBuckets, CreateBucket, DeleteBucket,
 * HeadBucket, GetBucketLocation, GetBucketVersioning, in both addressing styles.
 */
import t from 'tap';
import { makeUser, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../../server/config';
import { injectApp } from '../helpers/server';
import { s3, xmlText, xmlTexts } from '../helpers/s3-inject';

const OTHER = { accessKeyId: 'other-user', secretAccessKey: 'other-secret' };
const USERS = [makeUser(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY), makeUser(OTHER.accessKeyId, OTHER.secretAccessKey)];
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function setup(t: { teardown(fn: () => unknown): void }, region = 'us-east-1') {
  const h = injectApp({ users: USERS, region });
  t.teardown(() => h.close());
  return h;
}

function configuration(region: string): string {
  return `<CreateBucketConfiguration xmlns="${XMLNS}"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
}

t.test('CreateBucket – no body: 200, Location, then HeadBucket finds it', async (t) => {
  const h = setup(t);
  const res = await s3(h.app, { method: 'PUT', bucket: 'photos' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers.location, '/photos');
  t.equal(res.body, '');
  const head = await s3(h.app, { method: 'HEAD', bucket: 'photos' });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['x-amz-bucket-region'], 'us-east-1');
  t.equal(head.body, '');
});

t.test('CreateBucket – with CreateBucketConfiguration: the region is kept', async (t) => {
  const h = setup(t);
  const res = await s3(h.app, { method: 'PUT', bucket: 'eu-bucket', body: configuration('eu-west-1') });
  t.equal(res.statusCode, 200);
  const loc = await s3(h.app, { method: 'GET', bucket: 'eu-bucket', query: { location: '' } });
  t.equal(loc.statusCode, 200);
  t.equal(loc.headers['content-type'], 'application/xml');
  t.equal(loc.body, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${XMLNS}">eu-west-1</LocationConstraint>`);
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'eu-bucket' })).headers['x-amz-bucket-region'], 'eu-west-1');
  // An empty configuration is the default region.
  const empty = await s3(h.app, { method: 'PUT', bucket: 'plain', body: `<CreateBucketConfiguration xmlns="${XMLNS}"/>` });
  t.equal(empty.statusCode, 200);
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'plain' })).headers['x-amz-bucket-region'], 'us-east-1');
});

t.test('CreateBucket – a body that is not a CreateBucketConfiguration is MalformedXML', async (t) => {
  const h = setup(t);
  for (const body of ['<nope', '<Other/>', '<!DOCTYPE x [<!ENTITY e "x">]><CreateBucketConfiguration/>']) {
    const res = await s3(h.app, { method: 'PUT', bucket: 'bad-config', body });
    t.equal(res.statusCode, 400, body);
    t.equal(xmlText(res.body, 'Code'), 'MalformedXML');
  }
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'bad-config' })).statusCode, 404, 'nothing was created');
});

t.test('CreateBucket – InvalidBucketName for names S3 refuses', async (t) => {
  const h = setup(t);
  const bad = ['ab', 'a'.repeat(64), 'Upper', 'under_score', '-start', 'end-', 'a..b', '192.168.1.1', 'xn--abc', 'sthree-x', 'x-s3alias', 'dot.-dash'];
  for (const name of bad) {
    const res = await s3(h.app, { method: 'PUT', bucket: name });
    t.equal(res.statusCode, 400, name);
    t.equal(xmlText(res.body, 'Code'), 'InvalidBucketName', name);
    t.equal(xmlText(res.body, 'BucketName'), name);
  }
  for (const name of ['abc', 'a'.repeat(63), 'my.bucket-1', '1bucket']) {
    t.equal((await s3(h.app, { method: 'PUT', bucket: name })).statusCode, 200, name);
  }
});

t.test('CreateBucket – re-creating: 200 to the owner in us-east-1, 409 elsewhere, BucketAlreadyExists to others', async (t) => {
  const east = setup(t);
  t.equal((await s3(east.app, { method: 'PUT', bucket: 'mine' })).statusCode, 200);
  const again = await s3(east.app, { method: 'PUT', bucket: 'mine' });
  t.equal(again.statusCode, 200, 'us-east-1 legacy behaviour');
  const other = await s3(east.app, { method: 'PUT', bucket: 'mine', credentials: OTHER });
  t.equal(other.statusCode, 409);
  t.equal(xmlText(other.body, 'Code'), 'BucketAlreadyExists');

  const west = setup(t, 'eu-west-1');
  t.equal((await s3(west.app, { method: 'PUT', bucket: 'mine' })).statusCode, 200);
  const twice = await s3(west.app, { method: 'PUT', bucket: 'mine' });
  t.equal(twice.statusCode, 409);
  t.equal(xmlText(twice.body, 'Code'), 'BucketAlreadyOwnedByYou');
  t.equal(xmlText(twice.body, 'BucketName'), 'mine');
});

t.test('CreateBucket – anonymous is AccessDenied; a bad x-amz-acl is InvalidArgument', async (t) => {
  const h = setup(t);
  const anon = await s3(h.app, { method: 'PUT', bucket: 'anon', signed: false });
  t.equal(anon.statusCode, 403);
  t.equal(xmlText(anon.body, 'Code'), 'AccessDenied');
  const acl = await s3(h.app, { method: 'PUT', bucket: 'acl', headers: { 'x-amz-acl': 'everyone' } });
  t.equal(acl.statusCode, 400);
  t.equal(xmlText(acl.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(acl.body, 'ArgumentName'), 'x-amz-acl');
});

t.test('CreateBucket – virtual-hosted style', async (t) => {
  const h = setup(t);
  const res = await s3(h.app, { method: 'PUT', bucket: 'vhost', style: 'virtual' });
  t.equal(res.statusCode, 200);
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'vhost' })).statusCode, 200);
  const list = await s3(h.app, { method: 'GET', bucket: 'vhost', style: 'virtual', query: { 'list-type': '2' } });
  t.equal(list.statusCode, 200);
  t.equal(xmlText(list.body, 'Name'), 'vhost');
  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'vhost', style: 'virtual' })).statusCode, 204);
});

t.test('DeleteBucket – NoSuchBucket, BucketNotEmpty, then 204', async (t) => {
  const h = setup(t);
  const missing = await s3(h.app, { method: 'DELETE', bucket: 'ghost' });
  t.equal(missing.statusCode, 404);
  t.equal(xmlText(missing.body, 'Code'), 'NoSuchBucket');
  t.equal(xmlText(missing.body, 'BucketName'), 'ghost');

  t.equal((await s3(h.app, { method: 'PUT', bucket: 'full' })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'full', key: 'k', body: 'x' })).statusCode, 200);
  const notEmpty = await s3(h.app, { method: 'DELETE', bucket: 'full' });
  t.equal(notEmpty.statusCode, 409);
  t.equal(xmlText(notEmpty.body, 'Code'), 'BucketNotEmpty');
  t.equal(xmlText(notEmpty.body, 'BucketName'), 'full');

  t.equal((await s3(h.app, { method: 'DELETE', bucket: 'full', key: 'k' })).statusCode, 204);
  const done = await s3(h.app, { method: 'DELETE', bucket: 'full' });
  t.equal(done.statusCode, 204);
  t.equal(done.body, '');
  t.equal((await s3(h.app, { method: 'HEAD', bucket: 'full' })).statusCode, 404);
});

t.test('DeleteBucket – another user is AccessDenied', async (t) => {
  const h = setup(t);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'kept' })).statusCode, 200);
  const res = await s3(h.app, { method: 'DELETE', bucket: 'kept', credentials: OTHER });
  t.equal(res.statusCode, 403);
  t.equal(xmlText(res.body, 'Code'), 'AccessDenied');
});

t.test('HeadBucket – missing is 404 with no body; another user gets 403', async (t) => {
  const h = setup(t);
  const res = await s3(h.app, { method: 'HEAD', bucket: 'nothing' });
  t.equal(res.statusCode, 404);
  t.equal(res.body, '');
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'private' })).statusCode, 200);
  const other = await s3(h.app, { method: 'HEAD', bucket: 'private', credentials: OTHER });
  t.equal(other.statusCode, 403);
  t.equal(other.body, '');
});

t.test('GetBucketLocation – us-east-1 is an empty LocationConstraint; NoSuchBucket', async (t) => {
  const h = setup(t);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'east' })).statusCode, 200);
  const res = await s3(h.app, { method: 'GET', bucket: 'east', query: { location: '' } });
  t.equal(res.statusCode, 200);
  t.match(res.body, new RegExp(`<LocationConstraint xmlns="${XMLNS}">\\s*</LocationConstraint>$|<LocationConstraint xmlns="${XMLNS}"/>$`));
  const missing = await s3(h.app, { method: 'GET', bucket: 'gone', query: { location: '' } });
  t.equal(missing.statusCode, 404);
  t.equal(xmlText(missing.body, 'Code'), 'NoSuchBucket');
});

t.test('GetBucketVersioning – an unversioned bucket has an empty configuration', async (t) => {
  const h = setup(t);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'ver' })).statusCode, 200);
  const res = await s3(h.app, { method: 'GET', bucket: 'ver', query: { versioning: '' } });
  t.equal(res.statusCode, 200);
  t.match(res.body, new RegExp(`<VersioningConfiguration xmlns="${XMLNS}">\\s*</VersioningConfiguration>$|<VersioningConfiguration xmlns="${XMLNS}"/>$`));
  t.notMatch(res.body, /<Status>/);
  const missing = await s3(h.app, { method: 'GET', bucket: 'gone', query: { versioning: '' } });
  t.equal(missing.statusCode, 404);
  t.equal(xmlText(missing.body, 'Code'), 'NoSuchBucket');
});

t.test('ListBuckets – the caller’s buckets in name order, with Owner', async (t) => {
  const h = setup(t);
  for (const name of ['zeta', 'alpha', 'mid.dle']) t.equal((await s3(h.app, { method: 'PUT', bucket: name })).statusCode, 200);
  t.equal((await s3(h.app, { method: 'PUT', bucket: 'others', credentials: OTHER })).statusCode, 200);
  const res = await s3(h.app, { method: 'GET' });
  t.equal(res.statusCode, 200);
  t.match(res.body, new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>[0-9a-f]{64}</ID><DisplayName>crossbucket</DisplayName></Owner><Buckets><Bucket><Name>alpha</Name>`));
  t.same(xmlTexts(res.body, 'Name'), ['alpha', 'mid.dle', 'zeta']);
  for (const date of xmlTexts(res.body, 'CreationDate')) t.match(date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const other = await s3(h.app, { method: 'GET', credentials: OTHER });
  t.same(xmlTexts(other.body, 'Name'), ['others']);
});

t.test('ListBuckets – none yet is an empty Buckets element', async (t) => {
  const h = setup(t);
  const res = await s3(h.app, { method: 'GET' });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<Buckets\s*\/>|<Buckets><\/Buckets>/);
});
