/**
 * Block Public Access and Object Ownership over inject (docs/spec/access.md §5, §6, §7, §10
 * vectors 25-27, 32-41): the 2023 defaults of a new bucket, Put/Get/DeletePublicAccessBlock and
 * Put/Get/DeleteBucketOwnershipControls, ACL-disabled buckets, BlockPublicAcls and
 * IgnorePublicAcls, object owners, and buckets from before this change keeping their ACLs.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { buildApp } from '../../server/app';
import { openSqliteStorage } from '../../storage';
import { injectApp, tempDir } from '../helpers/server';
import { OTHER, OWNER, USERS, aclBucket, send, xml, type Req, type Who } from './auth-fixtures';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const bpa = (fields: Record<string, boolean>) => `<PublicAccessBlockConfiguration>${Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</PublicAccessBlockConfiguration>`;
const ownership = (...rules: string[]) => `<OwnershipControls>${rules.map((r) => `<Rule><ObjectOwnership>${r}</ObjectOwnership></Rule>`).join('')}</OwnershipControls>`;

async function setup(t: Test) {
  const h = injectApp({ users: USERS });
  t.teardown(() => h.close());
  const call = (who: Who, method: string, path: string, extra: Partial<Req> = {}) => send(h.app, { method, path, who, ...extra });
  return { h, call };
}

t.test('a new bucket – all four blocks on, BucketOwnerEnforced; Put/Get/DeletePublicAccessBlock (vectors 25, 32)', async (t) => {
  const { call } = await setup(t);
  t.equal((await call(OWNER, 'PUT', '/fresh')).statusCode, 200);
  let res = await call(OWNER, 'GET', '/fresh', { query: { publicAccessBlock: '' } });
  t.equal(res.statusCode, 200);
  for (const f of ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets']) t.equal(xml(res.body, f), 'true', f);
  res = await call(OWNER, 'GET', '/fresh', { query: { ownershipControls: '' } });
  t.equal(res.statusCode, 200);
  t.equal(xml(res.body, 'ObjectOwnership'), 'BucketOwnerEnforced');
  t.equal((await call(OWNER, 'PUT', '/fresh', { query: { publicAccessBlock: '' }, body: bpa({ BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false }) })).statusCode, 200);
  res = await call(OWNER, 'GET', '/fresh', { query: { publicAccessBlock: '' } });
  t.same(['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].map((f) => xml(res.body, f)), ['false', 'false', 'false', 'false'], 'omitted members are false');
  t.equal((await call(OWNER, 'DELETE', '/fresh', { query: { publicAccessBlock: '' } })).statusCode, 204);
  t.equal((await call(OWNER, 'DELETE', '/fresh', { query: { publicAccessBlock: '' } })).statusCode, 204, 'repeatable');
  res = await call(OWNER, 'GET', '/fresh', { query: { publicAccessBlock: '' } });
  t.equal(res.statusCode, 404);
  t.equal(xml(res.body, 'Code'), 'NoSuchPublicAccessBlockConfiguration');
  t.equal(xml(res.body, 'Message'), 'The public access block configuration was not found');
  t.equal(xml(res.body, 'BucketName'), 'fresh');
  const bad = await call(OWNER, 'PUT', '/fresh', { query: { publicAccessBlock: '' }, body: bpa({ BlockPublicAcls: 'yes' as unknown as boolean }) });
  t.equal(xml(bad.body, 'Code'), 'MalformedXML');
  t.equal((await call(OTHER, 'GET', '/fresh', { query: { publicAccessBlock: '' } })).statusCode, 403, 'another account');
});

t.test('ownership controls – Put/Get/Delete, MalformedXML, CreateBucket header (vectors 36, 39)', async (t) => {
  const { call } = await setup(t);
  t.equal((await call(OWNER, 'PUT', '/own')).statusCode, 200);
  for (const rule of ['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced']) {
    t.equal((await call(OWNER, 'PUT', '/own', { query: { ownershipControls: '' }, body: ownership(rule) })).statusCode, 200, rule);
    t.equal(xml((await call(OWNER, 'GET', '/own', { query: { ownershipControls: '' } })).body, 'ObjectOwnership'), rule);
  }
  for (const body of [ownership('BucketOwnerEnforced', 'ObjectWriter'), ownership('Random'), '<OwnershipControls/>']) {
    const res = await call(OWNER, 'PUT', '/own', { query: { ownershipControls: '' }, body });
    t.equal(res.statusCode, 400);
    t.equal(xml(res.body, 'Code'), 'MalformedXML');
  }
  t.equal((await call(OWNER, 'DELETE', '/own', { query: { ownershipControls: '' } })).statusCode, 204);
  t.equal((await call(OWNER, 'DELETE', '/own', { query: { ownershipControls: '' } })).statusCode, 204);
  const gone = await call(OWNER, 'GET', '/own', { query: { ownershipControls: '' } });
  t.equal(gone.statusCode, 404);
  t.equal(xml(gone.body, 'Code'), 'OwnershipControlsNotFoundError');
  t.equal(xml(gone.body, 'Message'), 'The bucket ownership controls were not found');
  const bad = await call(OWNER, 'PUT', '/own2', { headers: { 'x-amz-object-ownership': 'RandomValue' } });
  t.equal(bad.statusCode, 400);
  t.equal(xml(bad.body, 'Code'), 'InvalidArgument');
  t.equal(xml(bad.body, 'Message'), 'Invalid x-amz-object-ownership header: RandomValue');
  t.equal((await call(OWNER, 'PUT', '/own3', { headers: { 'x-amz-object-ownership': 'BucketOwnerPreferred' } })).statusCode, 200);
  t.equal(xml((await call(OWNER, 'GET', '/own3', { query: { ownershipControls: '' } })).body, 'ObjectOwnership'), 'BucketOwnerPreferred');
});

t.test('ACLs disabled – AccessControlListNotSupported, except what S3 still accepts; reads show the owner (vectors 33-35, 37)', async (t) => {
  const { call } = await setup(t);
  const created = await call(OWNER, 'PUT', '/pub', { headers: { 'x-amz-acl': 'public-read' } });
  t.equal(created.statusCode, 400);
  t.equal(xml(created.body, 'Code'), 'InvalidBucketAclWithObjectOwnership');
  t.equal((await call(OWNER, 'PUT', '/pub', { headers: { 'x-amz-acl': 'private' } })).statusCode, 200, 'CreateBucket with private passes');
  const bucketAcl = await call(OWNER, 'PUT', '/pub', { query: { acl: '' }, headers: { 'x-amz-acl': 'private' } });
  t.equal(bucketAcl.statusCode, 400);
  t.equal(xml(bucketAcl.body, 'Code'), 'AccessControlListNotSupported');
  t.equal(xml(bucketAcl.body, 'Message'), 'The bucket does not allow ACLs');
  const objectAcl = await call(OWNER, 'PUT', '/pub/k', { body: 'x', headers: { 'x-amz-acl': 'public-read' } });
  t.equal(objectAcl.statusCode, 400, 'PutObject public-read: 400, not 403');
  t.equal(xml(objectAcl.body, 'Code'), 'AccessControlListNotSupported');
  t.equal((await call(OWNER, 'PUT', '/pub/k', { body: 'x', headers: { 'x-amz-acl': 'bucket-owner-full-control' } })).statusCode, 200);
  t.equal((await call(OWNER, 'PUT', '/pub/k2', { body: 'x', headers: { 'x-amz-grant-full-control': `id="${OWNER.id}"` } })).statusCode, 200, 'grants amounting to the owner\'s FULL_CONTROL');
  t.equal((await call(OWNER, 'PUT', '/pub/k3', { body: 'x', headers: { 'x-amz-grant-read': `id="${OTHER.id}"` } })).statusCode, 400);
  t.equal((await call(OWNER, 'PUT', '/pub/k', { query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } })).statusCode, 400, 'PutObjectAcl');
  t.equal((await call(OWNER, 'POST', '/pub/mp', { query: { uploads: '' }, headers: { 'x-amz-acl': 'public-read' } })).statusCode, 400, 'CreateMultipartUpload');
  t.equal((await call(OWNER, 'PUT', '/pub/copy', { headers: { 'x-amz-copy-source': '/pub/k', 'x-amz-acl': 'public-read' } })).statusCode, 400, 'CopyObject');
  const read = await call(OWNER, 'GET', '/pub/k', { query: { acl: '' } });
  t.equal(read.statusCode, 200);
  t.equal(xml(read.body, 'ID'), OWNER.id);
  t.equal((read.body.match(/<Grant>/g) ?? []).length, 1, 'the owner\'s FULL_CONTROL alone');
  // Vector 35: another account writes through a policy; the object belongs to the bucket owner.
  t.equal((await call(OWNER, 'DELETE', '/pub', { query: { publicAccessBlock: '' } })).statusCode, 204);
  const everything = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: ['arn:aws:s3:::pub', 'arn:aws:s3:::pub/*'] }] });
  t.equal((await call(OWNER, 'PUT', '/pub', { query: { policy: '' }, body: everything })).statusCode, 204);
  t.equal((await call(OTHER, 'PUT', '/pub/theirs', { body: 'x', headers: { 'x-amz-acl': 'bucket-owner-full-control' } })).statusCode, 200);
  t.equal((await call(OTHER, 'PUT', '/pub/theirs2', { body: 'x', headers: { 'x-amz-acl': 'private' } })).statusCode, 400);
  t.equal((await call(OTHER, 'PUT', '/pub/theirs3', { body: 'x' })).statusCode, 200);
  t.equal(xml((await call(OWNER, 'GET', '/pub/theirs3', { query: { acl: '' } })).body, 'ID'), OWNER.id, 'owner: the bucket owner');
});

t.test('ownership – Preferred and ObjectWriter decide the object owner; enforcing over a granting ACL is refused (vectors 36, 38)', async (t) => {
  const { h, call } = await setup(t);
  await aclBucket(h.app, 'own', 'public-read-write');
  t.equal((await call(OTHER, 'PUT', '/own/a', { body: 'x' })).statusCode, 200);
  t.equal(h.storage.objectAccess('own', 'a')?.owner, OTHER.id, 'ObjectWriter: the writer');
  t.equal((await call(OWNER, 'PUT', '/own', { query: { ownershipControls: '' }, body: ownership('BucketOwnerPreferred') })).statusCode, 200);
  t.equal((await call(OTHER, 'PUT', '/own/b', { body: 'x' })).statusCode, 200);
  t.equal((await call(OTHER, 'PUT', '/own/c', { body: 'x', headers: { 'x-amz-acl': 'bucket-owner-full-control' } })).statusCode, 200);
  t.equal(h.storage.objectAccess('own', 'b')?.owner, OTHER.id, 'Preferred without the canned ACL: the writer');
  t.equal(h.storage.objectAccess('own', 'c')?.owner, OWNER.id, 'Preferred with bucket-owner-full-control: the bucket owner');
  const enforce = await call(OWNER, 'PUT', '/own', { query: { ownershipControls: '' }, body: ownership('BucketOwnerEnforced') });
  t.equal(enforce.statusCode, 400);
  t.equal(xml(enforce.body, 'Code'), 'InvalidBucketAclWithObjectOwnership');
  t.equal((await call(OWNER, 'PUT', '/own', { query: { acl: '' }, headers: { 'x-amz-acl': 'private' } })).statusCode, 200);
  t.equal((await call(OWNER, 'PUT', '/own', { query: { ownershipControls: '' }, body: ownership('BucketOwnerEnforced') })).statusCode, 200, 'once the ACL is private');
  t.equal((await call(OWNER, 'GET', '/own/a')).statusCode, 200, 'enforced: every object is the bucket owner\'s');
});

t.test('BlockPublicAcls and IgnorePublicAcls; ACL grants as S3 maps them (vectors 26, 27, 40, 41)', async (t) => {
  const { h, call } = await setup(t);
  await aclBucket(h.app, 'acls');
  t.equal((await call(OWNER, 'PUT', '/acls', { query: { publicAccessBlock: '' }, body: bpa({ BlockPublicAcls: true }) })).statusCode, 200);
  t.equal((await call(OWNER, 'PUT', '/acls/x', { body: 'x', headers: { 'x-amz-acl': 'public-read' } })).statusCode, 403, 'BlockPublicAcls');
  t.equal((await call(OWNER, 'PUT', '/acls/x', { body: 'x', headers: { 'x-amz-acl': 'private' } })).statusCode, 200);
  t.equal((await call(OWNER, 'PUT', '/acls', { query: { acl: '' }, headers: { 'x-amz-grant-read': `uri="${ALL_USERS}"` } })).statusCode, 403, 'an AllUsers grant too');
  t.equal((await call(OWNER, 'DELETE', '/acls', { query: { publicAccessBlock: '' } })).statusCode, 204);
  t.equal((await call(OWNER, 'PUT', '/acls', { query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } })).statusCode, 200);
  t.equal((await call(OWNER, 'PUT', '/acls/pub', { body: 'p', headers: { 'x-amz-acl': 'public-read' } })).statusCode, 200);
  t.equal((await call(OTHER, 'GET', '/acls')).statusCode, 200, 'bucket public-read lists');
  t.equal((await call(OTHER, 'GET', '/acls/x')).statusCode, 403, 'and does not read a private object (vector 41)');
  t.equal((await call('anonymous', 'GET', '/acls/pub')).statusCode, 200, 'a public-read object reads');
  t.equal((await call(OWNER, 'PUT', '/acls', { query: { publicAccessBlock: '' }, body: bpa({ IgnorePublicAcls: true }) })).statusCode, 200);
  t.equal((await call(OTHER, 'GET', '/acls')).statusCode, 403, 'IgnorePublicAcls: the listing grant counts for nothing');
  t.equal((await call('anonymous', 'GET', '/acls/pub')).statusCode, 403, 'nor the object grant');
  const shown = await call(OWNER, 'GET', '/acls', { query: { acl: '' } });
  t.notMatch(shown.body, /AllUsers/, 'and GetBucketAcl leaves them out');
});

t.test('a data directory from before access control – its buckets keep their ACL behaviour (migration step 6)', async (t) => {
  const d = tempDir('cb-migrate-');
  t.teardown(() => d.remove());
  const first = openSqliteStorage({ dataDir: d.dir });
  first.createBucket({ name: 'legacy', createdAt: new Date(), owner: OWNER.id, acl: 'public-read', region: 'us-east-1' });
  first.close();
  // What a bucket row written before step 6 looks like: the new columns NULL.
  const db = new Database(join(d.dir, 'crossbucket.sqlite'));
  t.same(db.prepare('SELECT policy, public_access_block, object_ownership FROM buckets').get(), { policy: null, public_access_block: null, object_ownership: null });
  db.close();
  const storage = openSqliteStorage({ dataDir: d.dir });
  const app = buildApp({ storage, config: { users: USERS } });
  t.teardown(async () => { await app.close(); storage.close(); });
  const call = (who: Who, method: string, path: string, extra: Partial<Req> = {}) => send(app, { method, path, who, ...extra });
  t.equal((await call(OWNER, 'GET', '/legacy', { query: { ownershipControls: '' } })).statusCode, 404, 'no ownership controls: ObjectWriter');
  t.equal((await call(OWNER, 'GET', '/legacy', { query: { publicAccessBlock: '' } })).statusCode, 404, 'no public access block');
  t.equal((await call('anonymous', 'GET', '/legacy')).statusCode, 200, 'its public-read ACL still lists');
  t.equal((await call(OWNER, 'PUT', '/legacy/o', { body: 'x', headers: { 'x-amz-acl': 'public-read' } })).statusCode, 200, 'object ACLs still work');
  t.equal((await call('anonymous', 'GET', '/legacy/o')).statusCode, 200);
});
