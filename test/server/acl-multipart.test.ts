/**
 * ACLs on multipart uploads over inject (docs/spec/access.md §6 R6.3, R6.4): CreateMultipartUpload
 * takes `x-amz-acl` and `x-amz-grant-*` as PutObject does, and the completed object gets that ACL
 * and owner; a default (BucketOwnerEnforced) bucket takes bucket-owner-full-control only.
 */
import t, { type Test } from 'tap';
import { injectApp } from '../helpers/server';
import { OTHER, OWNER, THIRD, USERS, aclBucket, send, status, xml, type Who } from './auth-fixtures';

async function setup(t: Test) {
  const h = injectApp({ users: USERS });
  t.teardown(() => h.close());
  return h;
}

type App = Awaited<ReturnType<typeof setup>>['app'];


/** CreateMultipartUpload with `headers`, one part, CompleteMultipartUpload: the statuses. */
async function multipart(app: App, path: string, who: Who, headers: Record<string, string>): Promise<number[]> {
  const created = await send(app, { method: 'POST', path, query: { uploads: '' }, headers, who });
  if (created.statusCode !== 200) return [created.statusCode];
  const uploadId = xml(created.body, 'UploadId') ?? '';
  const part = await send(app, { method: 'PUT', path, query: { partNumber: '1', uploadId }, body: 'only part', who });
  const complete = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag}</ETag></Part></CompleteMultipartUpload>`;
  return [created.statusCode, part.statusCode, await status(app, 'POST', path, who, { query: { uploadId }, body: complete })];
}

t.test('multipart uploads – the ACL headers at creation give the object its ACL and owner, as PutObject’s (§6 R6.3, R6.4)', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'mpu', { 'x-amz-grant-write': `id="${OTHER.id}"` });
  t.same(await multipart(h.app, '/mpu/big', OWNER, { 'x-amz-acl': 'public-read' }), [200, 200, 200]);
  t.equal(await status(h.app, 'GET', '/mpu/big', 'anonymous'), 200);
  t.same(await multipart(h.app, '/mpu/granted', OWNER, { 'x-amz-grant-read': `id="${OTHER.id}"`, 'x-amz-grant-full-control': `id="${OWNER.id}"` }), [200, 200, 200]);
  t.same(h.storage.objectAccess('mpu', 'granted'), { owner: OWNER.id, acl: 'private', grants: [
    { grantee: { type: 'CanonicalUser', id: OTHER.id }, permission: 'READ' },
    { grantee: { type: 'CanonicalUser', id: OWNER.id }, permission: 'FULL_CONTROL' },
  ] });
  t.equal(await status(h.app, 'GET', '/mpu/granted', OTHER), 200, 'the grant is enforced');
  t.equal(await status(h.app, 'GET', '/mpu/granted', THIRD), 403);
  // ObjectWriter: the writer owns it, the bucket owner gets FULL_CONTROL.
  t.same(await multipart(h.app, '/mpu/theirs', OTHER, { 'x-amz-acl': 'bucket-owner-full-control' }), [200, 200, 200]);
  t.same(h.storage.objectAccess('mpu', 'theirs'), { owner: OTHER.id, acl: 'private', grants: [
    { grantee: { type: 'CanonicalUser', id: OTHER.id }, permission: 'FULL_CONTROL' },
    { grantee: { type: 'CanonicalUser', id: OWNER.id }, permission: 'FULL_CONTROL' },
  ] });
  t.same(await multipart(h.app, '/mpu/both', OWNER, { 'x-amz-acl': 'private', 'x-amz-grant-read': `id="${OTHER.id}"` }), [400], 'canned and grants: InvalidRequest');
  t.same(await multipart(h.app, '/mpu/bad', OWNER, { 'x-amz-acl': 'public' }), [400], 'unknown canned ACL: InvalidArgument');
  // BucketOwnerPreferred: bucket-owner-full-control makes the bucket owner the owner.
  t.equal(await status(h.app, 'PUT', '/mpu', OWNER, { query: { ownershipControls: '' }, body: '<OwnershipControls><Rule><ObjectOwnership>BucketOwnerPreferred</ObjectOwnership></Rule></OwnershipControls>' }), 200);
  t.same(await multipart(h.app, '/mpu/preferred', OTHER, { 'x-amz-acl': 'bucket-owner-full-control' }), [200, 200, 200]);
  t.equal(h.storage.objectAccess('mpu', 'preferred')?.owner, OWNER.id);
});

t.test('multipart uploads – a default bucket (BucketOwnerEnforced) takes bucket-owner-full-control, refuses other ACLs (§6 R6.3)', async (t) => {
  const h = await setup(t);
  t.equal(await status(h.app, 'PUT', '/plain', OWNER), 200);
  t.same(await multipart(h.app, '/plain/a', OWNER, { 'x-amz-acl': 'bucket-owner-full-control' }), [200, 200, 200]);
  t.same(h.storage.objectAccess('plain', 'a'), { owner: OWNER.id, acl: 'private' });
  t.same(await multipart(h.app, '/plain/b', OWNER, { 'x-amz-grant-full-control': `id="${OWNER.id}"` }), [200, 200, 200], 'the owner’s FULL_CONTROL alone passes');
  const refused: Array<Record<string, string>> = [{ 'x-amz-acl': 'public-read' }, { 'x-amz-grant-read': `id="${OTHER.id}"` }];
  for (const headers of refused) {
    const res = await send(h.app, { method: 'POST', path: '/plain/c', query: { uploads: '' }, headers });
    t.equal(res.statusCode, 400);
    t.equal(xml(res.body, 'Code'), 'AccessControlListNotSupported');
  }
});
