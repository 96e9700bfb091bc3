/**
 * ACLs over inject: canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents on
 * buckets and objects, S3's XML for Get*Acl, the refusals of Put*Acl, and each permission
 * enforced for another user and for anonymous requests.
 */
import t, { type Test } from 'tap';
import { injectApp } from '../helpers/server';
import { OTHER, OWNER, THIRD, USERS, aclBucket, send, status, snapshot, xml } from './auth-fixtures';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTH_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

function userGrant(u: { id: string; displayName: string }, permission: string): string {
  return `<Grant><Grantee ${XSI} xsi:type="CanonicalUser"><ID>${u.id}</ID><DisplayName>${u.displayName}</DisplayName></Grantee><Permission>${permission}</Permission></Grant>`;
}

function groupGrant(uri: string, permission: string): string {
  return `<Grant><Grantee ${XSI} xsi:type="Group"><URI>${uri}</URI></Grantee><Permission>${permission}</Permission></Grant>`;
}

/** An AccessControlPolicy document as S3 sends it and as SDKs send it back. */
function acp(owner: { id: string; displayName: string }, grants: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${owner.id}</ID><DisplayName>${owner.displayName}</DisplayName></Owner><AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`;
}

async function setup(t: Test) {
  const h = injectApp({ users: USERS });
  t.teardown(() => h.close());
  return h;
}


t.test('GetBucketAcl – a new bucket is private: S3’s XML, owner with display name', async (t) => {
  const h = await setup(t);
  t.equal(await status(h.app, 'PUT', '/private', OWNER), 200);
  const res = await send(h.app, { path: '/private', query: { acl: '' } });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /application\/xml/);
  t.equal(res.body, acp(OWNER, [userGrant(OWNER, 'FULL_CONTROL')]));
});

t.test('canned ACLs on CreateBucket – grants as S3 lists them, enforced for anonymous and other users', async (t) => {
  const h = await setup(t);
  const expected: Record<string, string[]> = {
    'public-read': [userGrant(OWNER, 'FULL_CONTROL'), groupGrant(ALL_USERS, 'READ')],
    'public-read-write': [userGrant(OWNER, 'FULL_CONTROL'), groupGrant(ALL_USERS, 'READ'), groupGrant(ALL_USERS, 'WRITE')],
    'authenticated-read': [userGrant(OWNER, 'FULL_CONTROL'), groupGrant(AUTH_USERS, 'READ')],
    'bucket-owner-full-control': [userGrant(OWNER, 'FULL_CONTROL')],
  };
  for (const [canned, grants] of Object.entries(expected)) {
    await aclBucket(h.app, canned, canned);
    t.equal((await send(h.app, { path: `/${canned}`, query: { acl: '' } })).body, acp(OWNER, grants), canned);
  }
  // List (READ on the bucket)
  t.equal(await status(h.app, 'GET', '/public-read', 'anonymous'), 200);
  t.equal(await status(h.app, 'GET', '/authenticated-read', 'anonymous'), 403);
  t.equal(await status(h.app, 'GET', '/authenticated-read', OTHER), 200);
  t.equal(await status(h.app, 'GET', '/bucket-owner-full-control', OTHER), 403, 'ignored on a bucket: private');
  // Write (WRITE on the bucket)
  t.equal(await status(h.app, 'PUT', '/public-read/x', 'anonymous', { body: 'x' }), 403);
  t.equal(await status(h.app, 'PUT', '/public-read-write/x', 'anonymous', { body: 'x' }), 200);
  // docs/spec/access.md §7 R7.2: bucket WRITE grants s3:PutObject only; deleting takes the owner account.
  t.equal(await status(h.app, 'DELETE', '/public-read-write/x', OTHER), 403);
  t.equal(await status(h.app, 'DELETE', '/public-read-write/x', OWNER), 204);
  // ACP and owner-only operations stay the owner's.
  t.equal(await status(h.app, 'GET', '/public-read-write', 'anonymous', { query: { acl: '' } }), 403);
  t.equal(await status(h.app, 'PUT', '/public-read-write', OTHER, { query: { acl: '' }, headers: { 'x-amz-acl': 'private' } }), 403);
  t.equal(await status(h.app, 'GET', '/public-read-write', OTHER, { query: { location: '' } }), 403);
  t.equal(await status(h.app, 'DELETE', '/public-read-write', OTHER), 403);
  const bad = await send(h.app, { method: 'PUT', path: '/bad-acl', headers: { 'x-amz-acl': 'aws-exec-read' } });
  t.equal(bad.statusCode, 400);
  t.equal(xml(bad.body, 'Code'), 'InvalidArgument');
  t.equal(xml(bad.body, 'ArgumentName'), 'x-amz-acl');
});

t.test('PutBucketAcl – canned ACL switches access on and off', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'flip');
  t.equal(await status(h.app, 'GET', '/flip', 'anonymous'), 403);
  t.equal(await status(h.app, 'PUT', '/flip', OWNER, { query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } }), 200);
  t.equal(await status(h.app, 'GET', '/flip', 'anonymous'), 200);
  t.equal(await status(h.app, 'PUT', '/flip', OWNER, { query: { acl: '' }, headers: { 'x-amz-acl': 'private' } }), 200);
  t.equal(await status(h.app, 'GET', '/flip', 'anonymous'), 403);
  t.equal(h.storage.getBucket('flip')?.grants, undefined, 'a canned ACL clears explicit grants');
});

t.test('x-amz-grant-* headers – each permission enforced on the bucket for the grantee only', async (t) => {
  const h = await setup(t);
  const cases: Array<[string, { list: number; put: number; getAcl: number; putAcl: number }]> = [
    ['x-amz-grant-read', { list: 200, put: 403, getAcl: 403, putAcl: 403 }],
    ['x-amz-grant-write', { list: 403, put: 200, getAcl: 403, putAcl: 403 }],
    ['x-amz-grant-read-acp', { list: 403, put: 403, getAcl: 200, putAcl: 403 }],
    ['x-amz-grant-write-acp', { list: 403, put: 403, getAcl: 403, putAcl: 200 }],
    ['x-amz-grant-full-control', { list: 200, put: 200, getAcl: 200, putAcl: 200 }],
  ];
  for (const [header, want] of cases) {
    const name = header.slice('x-amz-grant-'.length);
    await aclBucket(h.app, `g-${name}`);
    t.equal(await status(h.app, 'PUT', `/g-${name}`, OWNER, { query: { acl: '' }, headers: { [header]: `id="${OTHER.id}"` } }), 200);
    const got = {
      list: await status(h.app, 'GET', `/g-${name}`, OTHER),
      put: await status(h.app, 'PUT', `/g-${name}/o`, OTHER, { body: 'x' }),
      getAcl: await status(h.app, 'GET', `/g-${name}`, OTHER, { query: { acl: '' } }),
      putAcl: await status(h.app, 'PUT', `/g-${name}`, OTHER, { query: { acl: '' }, body: acp(OWNER, [userGrant(OTHER, 'FULL_CONTROL')]) }),
    };
    t.same(got, want, header);
    // Nobody else gains anything, and owner-only operations stay the owner's.
    t.equal(await status(h.app, 'GET', `/g-${name}`, THIRD), 403);
    t.equal(await status(h.app, 'GET', `/g-${name}`, 'anonymous'), 403);
    t.equal(await status(h.app, 'GET', `/g-${name}`, OTHER, { query: { cors: '' } }), 403);
    t.equal(await status(h.app, 'DELETE', `/g-${name}`, OTHER), 403);
  }
});

t.test('x-amz-grant-* headers – several grantees and groups; GetBucketAcl lists exactly them', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'granted', { 'x-amz-grant-read': `id="${OTHER.id}", uri="${AUTH_USERS}"`, 'x-amz-grant-full-control': `id="${THIRD.id}"` });
  const acl = await send(h.app, { path: '/granted', query: { acl: '' } });
  t.equal(acl.statusCode, 200, 'the owner keeps READ_ACP without a grant');
  t.equal(acl.body, acp(OWNER, [userGrant(OTHER, 'READ'), groupGrant(AUTH_USERS, 'READ'), userGrant(THIRD, 'FULL_CONTROL')]));
  t.equal(await status(h.app, 'GET', '/granted', OWNER), 200, 'the owner reads as one of the AuthenticatedUsers');
  // docs/spec/access.md §1 R1.5 step 3a: the owner account's own rights do not come from the ACL.
  t.equal(await status(h.app, 'PUT', '/granted/o', OWNER, { body: 'x' }), 200, 'explicit grants without the owner: the owner account still writes');
  t.equal(await status(h.app, 'PUT', '/granted/o', OTHER, { body: 'x' }), 403, 'a READ grantee does not write');
  t.equal(await status(h.app, 'PUT', '/granted/o', THIRD, { body: 'x' }), 200);
  t.equal(await status(h.app, 'GET', '/granted', THIRD), 200);
  t.equal(await status(h.app, 'GET', '/granted', 'anonymous'), 403);
});

t.test('Put*Acl refusals – as S3 words them; nothing changes', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'refuse');
  await status(h.app, 'PUT', '/refuse/k', OWNER, { body: 'x' });
  const before = snapshot(h.storage);
  const cases: Array<[string, Record<string, string>, string | undefined, number, string, string | undefined, Record<string, string>?]> = [
    ['both canned and grants', { 'x-amz-acl': 'private', 'x-amz-grant-read': `id="${OTHER.id}"` }, undefined, 400, 'InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed'],
    ['headers and a body', { 'x-amz-acl': 'private' }, acp(OWNER, []), 400, 'UnexpectedContent', 'This request does not support content'],
    ['neither', {}, undefined, 400, 'MissingSecurityHeader', 'Your request was missing a required header', { MissingHeaderName: 'x-amz-acl' }],
    ['unknown user id in a header', { 'x-amz-grant-read': 'id="0123456789abcdef"' }, undefined, 400, 'InvalidArgument', 'Invalid id', { ArgumentName: 'id', ArgumentValue: '0123456789abcdef' }],
    ['unknown group in a header', { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/Nobody"' }, undefined, 400, 'InvalidArgument', 'Invalid group uri', { ArgumentName: 'uri' }],
    ['e-mail grantee in a header', { 'x-amz-grant-read': 'emailAddress="someone@example.com"' }, undefined, 400, 'UnresolvableGrantByEmailAddress', 'The email address you provided does not match any account on record.'],
    ['unknown grantee form', { 'x-amz-grant-write': 'user=me' }, undefined, 400, 'InvalidArgument', 'Argument format not recognized', { ArgumentName: 'x-amz-grant-write', ArgumentValue: 'user=me' }],
    ['a document naming another owner', {}, acp(OTHER, [userGrant(OTHER, 'FULL_CONTROL')]), 403, 'AccessDenied', 'Access Denied'],
    ['a document naming an unknown owner', {}, acp({ id: 'ff'.repeat(32), displayName: 'x' }, []), 400, 'InvalidArgument', 'Invalid id', { ArgumentName: 'CanonicalUser/ID' }],
    ['a document granting an unknown user', {}, acp(OWNER, [userGrant({ id: 'ab'.repeat(32), displayName: 'x' }, 'READ')]), 400, 'InvalidArgument', 'Invalid id', { ArgumentName: 'CanonicalUser/ID', ArgumentValue: 'ab'.repeat(32) }],
    ['a document granting an unknown group', {}, acp(OWNER, [groupGrant('http://acs.amazonaws.com/groups/global/Nobody', 'READ')]), 400, 'InvalidArgument', 'Invalid group uri', { ArgumentName: 'Group/URI' }],
    ['a document granting an e-mail', {}, acp(OWNER, [`<Grant><Grantee ${XSI} xsi:type="AmazonCustomerByEmail"><EmailAddress>a@b.c</EmailAddress></Grantee><Permission>READ</Permission></Grant>`]), 400, 'UnresolvableGrantByEmailAddress', undefined],
    ['a document with an unknown permission', {}, acp(OWNER, [userGrant(OWNER, 'EVERYTHING')]), 400, 'MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema'],
    ['a document without an owner', {}, '<AccessControlPolicy><AccessControlList/></AccessControlPolicy>', 400, 'MalformedACLError', undefined],
    ['not XML', {}, 'private please', 400, 'MalformedACLError', undefined],
  ];
  for (const [name, headers, body, code, errorCode, message, extras] of cases) {
    for (const path of ['/refuse', '/refuse/k']) {
      const res = await send(h.app, { method: 'PUT', path, query: { acl: '' }, headers, ...(body !== undefined ? { body } : {}) });
      t.equal(res.statusCode, code, `${name} (${path})`);
      t.equal(xml(res.body, 'Code'), errorCode, name);
      if (message !== undefined) t.equal(xml(res.body, 'Message'), message, name);
      for (const [k, v] of Object.entries(extras ?? {})) t.equal(xml(res.body, k), v, `${name}: ${k}`);
    }
  }
  t.equal(snapshot(h.storage), before);
});

t.test('PutBucketAcl with a document – grants replace the ACL; an owner with no grants can still repair it', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'doc');
  await status(h.app, 'PUT', '/doc/k', OWNER, { body: 'x' });
  const doc = acp(OWNER, [userGrant(OWNER, 'FULL_CONTROL'), userGrant(OTHER, 'READ'), groupGrant(ALL_USERS, 'READ_ACP')]);
  t.equal(await status(h.app, 'PUT', '/doc', OWNER, { query: { acl: '' }, body: doc }), 200);
  t.equal((await send(h.app, { path: '/doc', query: { acl: '' } })).body, doc);
  t.equal(await status(h.app, 'GET', '/doc', OTHER), 200);
  t.equal(await status(h.app, 'GET', '/doc', 'anonymous', { query: { acl: '' } }), 200);
  t.equal(await status(h.app, 'GET', '/doc', 'anonymous'), 403);

  // s3-tests test_bucket_acl_no_grants: no grants at all.
  t.equal(await status(h.app, 'PUT', '/doc', OWNER, { query: { acl: '' }, body: acp(OWNER, []) }), 200);
  t.equal((await send(h.app, { path: '/doc', query: { acl: '' } })).body, acp(OWNER, []));
  t.equal(await status(h.app, 'GET', '/doc/k', OWNER), 200, 'the object ACL still lets its owner read');
  // docs/spec/access.md §1 R1.5 step 3a: the owner account writes whatever the ACL says.
  t.equal(await status(h.app, 'PUT', '/doc/new', OWNER, { body: 'x' }), 200, 'the owner account needs no WRITE grant');
  t.equal(await status(h.app, 'PUT', '/doc/new', OTHER, { body: 'x' }), 403, 'nobody else writes');
  t.equal(await status(h.app, 'PUT', '/doc', OWNER, { query: { acl: '' }, headers: { 'x-amz-acl': 'private' } }), 200, 'WRITE_ACP stays');
  t.equal(await status(h.app, 'PUT', '/doc/new', OWNER, { body: 'x' }), 200);
});

t.test('object ACLs – canned on PutObject, GetObjectAcl, PutObjectAcl with headers and documents', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'objs');
  t.equal(await status(h.app, 'PUT', '/objs/pub', OWNER, { body: 'p', headers: { 'x-amz-acl': 'public-read' } }), 200);
  t.equal(await status(h.app, 'GET', '/objs/pub', 'anonymous'), 200);
  t.equal(await status(h.app, 'HEAD', '/objs/pub', 'anonymous'), 200);
  t.equal((await send(h.app, { path: '/objs/pub', query: { acl: '' } })).body, acp(OWNER, [userGrant(OWNER, 'FULL_CONTROL'), groupGrant(ALL_USERS, 'READ')]));
  t.equal(await status(h.app, 'PUT', '/objs/pub', OWNER, { query: { acl: '' }, headers: { 'x-amz-acl': 'private' } }), 200);
  t.equal(await status(h.app, 'GET', '/objs/pub', 'anonymous'), 403);

  t.equal(await status(h.app, 'PUT', '/objs/granted', OWNER, { body: 'g', headers: { 'x-amz-grant-read': `id="${OTHER.id}"`, 'x-amz-grant-read-acp': `uri="${AUTH_USERS}"` } }), 200);
  t.equal(await status(h.app, 'GET', '/objs/granted', OTHER), 200);
  t.equal(await status(h.app, 'GET', '/objs/granted', THIRD), 403);
  t.equal(await status(h.app, 'GET', '/objs/granted', THIRD, { query: { acl: '' } }), 200, 'READ_ACP through AuthenticatedUsers');
  t.equal(await status(h.app, 'PUT', '/objs/granted', THIRD, { query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } }), 403);
  // docs/spec/access.md §1 R1.5 step 3a: the object owner's account reads its object whatever its ACL.
  t.equal(await status(h.app, 'GET', '/objs/granted', OWNER), 200, 'explicit grants without the owner: the owner account still reads');
  t.equal(await status(h.app, 'GET', '/objs/granted', THIRD), 403, 'a READ_ACP grantee does not read');
  t.equal(await status(h.app, 'GET', '/objs/granted', OWNER, { query: { acl: '' } }), 200, 'the owner keeps READ_ACP');

  const doc = acp(OWNER, [userGrant(OWNER, 'FULL_CONTROL'), userGrant(THIRD, 'WRITE_ACP')]);
  t.equal(await status(h.app, 'PUT', '/objs/granted', OWNER, { query: { acl: '' }, body: doc }), 200);
  t.equal((await send(h.app, { path: '/objs/granted', query: { acl: '' } })).body, doc);
  t.equal(await status(h.app, 'PUT', '/objs/granted', THIRD, { query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } }), 200, 'WRITE_ACP');
  t.equal(await status(h.app, 'GET', '/objs/granted', 'anonymous'), 200);

  const missing = await send(h.app, { path: '/objs/none', query: { acl: '' } });
  t.equal(missing.statusCode, 404);
  t.equal(xml(missing.body, 'Code'), 'NoSuchKey');
});

t.test('object ownership – the writer owns an object; bucket-owner-read / -full-control give the bucket owner access', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'shared', { 'x-amz-grant-write': `id="${OTHER.id}"`, 'x-amz-grant-full-control': `id="${OWNER.id}"` });
  t.equal(await status(h.app, 'PUT', '/shared/plain', OTHER, { body: 'a' }), 200);
  t.equal(await status(h.app, 'PUT', '/shared/read', OTHER, { body: 'b', headers: { 'x-amz-acl': 'bucket-owner-read' } }), 200);
  t.equal(await status(h.app, 'PUT', '/shared/full', OTHER, { body: 'c', headers: { 'x-amz-acl': 'bucket-owner-full-control' } }), 200);
  t.equal(await status(h.app, 'GET', '/shared/plain', OWNER), 403, 'the bucket owner cannot read another user’s object');
  t.equal(await status(h.app, 'GET', '/shared/read', OWNER), 200);
  t.equal(await status(h.app, 'PUT', '/shared/read', OWNER, { query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } }), 403);
  t.equal(await status(h.app, 'GET', '/shared/full', OWNER), 200);
  t.equal((await send(h.app, { path: '/shared/full', query: { acl: '' }, who: OTHER })).body, acp(OTHER, [userGrant(OTHER, 'FULL_CONTROL'), userGrant(OWNER, 'FULL_CONTROL')]));
  t.equal((await send(h.app, { path: '/shared/read', query: { acl: '' }, who: OTHER })).body, acp(OTHER, [userGrant(OTHER, 'FULL_CONTROL'), userGrant(OWNER, 'READ')]));
  t.equal(await status(h.app, 'DELETE', '/shared/plain', OWNER), 204, 'WRITE on the bucket deletes any object');
  const listed = await send(h.app, { path: '/shared', query: { 'list-type': '2', 'fetch-owner': 'true' } });
  t.equal(xml(listed.body, 'DisplayName'), 'Other Display', 'fetch-owner shows the writer');
  t.equal(xml(listed.body, 'ID'), OTHER.id);
});

t.test('missing keys – 403 to those who may not list the bucket, 404 to those who may', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'keys');
  let res = await send(h.app, { path: '/keys/none', who: OTHER });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'AccessDenied');
  await status(h.app, 'PUT', '/keys', OWNER, { query: { acl: '' }, headers: { 'x-amz-grant-read': `id="${OTHER.id}"` } });
  res = await send(h.app, { path: '/keys/none', who: OTHER });
  t.equal(res.statusCode, 404);
  t.equal(xml(res.body, 'Code'), 'NoSuchKey');
  t.equal((await send(h.app, { path: '/nobucket/none', who: 'anonymous' })).statusCode, 404, 'NoSuchBucket to anyone');
});

t.test('CopyObject – needs READ on the source object and WRITE on the target bucket; the copy gets its own ACL', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'src');
  await status(h.app, 'PUT', '/src/secret', OWNER, { body: 'secret' });
  await aclBucket(h.app, 'dst', undefined, OTHER);
  let res = await send(h.app, { method: 'PUT', path: '/dst/copy', who: OTHER, headers: { 'x-amz-copy-source': '/src/secret' } });
  t.equal(res.statusCode, 403);
  t.equal(xml(res.body, 'Code'), 'AccessDenied');
  t.equal(await status(h.app, 'HEAD', '/dst/copy', OTHER), 404);
  await status(h.app, 'PUT', '/src/secret', OWNER, { query: { acl: '' }, headers: { 'x-amz-grant-read': `id="${OTHER.id}"` } });
  res = await send(h.app, { method: 'PUT', path: '/dst/copy', who: OTHER, headers: { 'x-amz-copy-source': '/src/secret', 'x-amz-acl': 'public-read' } });
  t.equal(res.statusCode, 200);
  t.equal(await status(h.app, 'GET', '/dst/copy', 'anonymous'), 200, 'x-amz-acl on CopyObject');
  t.equal(await status(h.app, 'GET', '/src/secret', 'anonymous'), 403, 'the source ACL is not copied');
  // The owner of the source cannot copy into a bucket it may not write.
  t.equal(await status(h.app, 'PUT', '/dst/mine', OWNER, { headers: { 'x-amz-copy-source': '/src/secret' } }), 403);
});

t.test('a bucket READ grant lists and never reads objects (docs/spec/access.md §7 R7.2): public objects take a policy', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'site', 'public-read');
  await status(h.app, 'PUT', '/site/index.html', OWNER, { body: '<h1>hi</h1>' });
  t.equal(await status(h.app, 'GET', '/site', 'anonymous'), 200, 'AllUsers READ on the bucket lists it');
  t.equal(await status(h.app, 'GET', '/site/index.html', 'anonymous'), 403, 'and does not read its objects (the former DEVIATION)');
  t.equal(await status(h.app, 'PUT', '/site/index.html', 'anonymous', { body: 'defaced' }), 403);
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }] });
  t.equal(await status(h.app, 'PUT', '/site', OWNER, { query: { policy: '' }, body: policy }), 204);
  t.equal(await status(h.app, 'GET', '/site/index.html', 'anonymous'), 200, 'a public-read policy does');
  t.equal(await status(h.app, 'GET', '/site/index.html', 'anonymous', { query: { acl: '' } }), 403, 'not the object ACL');
  await aclBucket(h.app, 'team', { 'x-amz-grant-read': `id="${OTHER.id}"`, 'x-amz-grant-full-control': `id="${OWNER.id}"` });
  await status(h.app, 'PUT', '/team/doc', OWNER, { body: 'doc' });
  t.equal(await status(h.app, 'GET', '/team', OTHER), 200);
  t.equal(await status(h.app, 'GET', '/team/doc', OTHER), 403);
});

t.test('ListBuckets – each user sees only its own buckets, Owner with its display name', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'owner-one', 'public-read');
  await status(h.app, 'PUT', '/other-one', OTHER);
  const mine = await send(h.app, { path: '/' });
  t.same([...mine.body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]), ['owner-one']);
  t.equal(xml(mine.body, 'DisplayName'), 'Owner Display');
  const theirs = await send(h.app, { path: '/', who: OTHER });
  t.same([...theirs.body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]), ['other-one']);
  t.equal(xml(theirs.body, 'ID'), OTHER.id);
  t.equal(xml(theirs.body, 'DisplayName'), 'Other Display');
  const anonymous = await send(h.app, { path: '/', who: 'anonymous' });
  t.equal(anonymous.statusCode, 403);
  t.equal(xml(anonymous.body, 'Code'), 'AccessDenied');
});

t.test('explicit grants are stored as grants; overwriting an object resets its ACL', async (t) => {
  const h = await setup(t);
  await aclBucket(h.app, 'keep', { 'x-amz-grant-read': `id="${OTHER.id}"`, 'x-amz-grant-full-control': `id="${OWNER.id}"` });
  t.same(h.storage.getBucket('keep')?.grants, [
    { grantee: { type: 'CanonicalUser', id: OTHER.id }, permission: 'READ' },
    { grantee: { type: 'CanonicalUser', id: OWNER.id }, permission: 'FULL_CONTROL' },
  ]);
  t.equal(await status(h.app, 'PUT', '/keep/o', OWNER, { body: 'o', headers: { 'x-amz-grant-read': `uri="${ALL_USERS}"` } }), 200);
  t.same(h.storage.objectAccess('keep', 'o'), { owner: OWNER.id, acl: 'private', grants: [{ grantee: { type: 'Group', uri: ALL_USERS }, permission: 'READ' }] });
  t.equal(await status(h.app, 'PUT', '/keep/o', OWNER, { body: 'o2' }), 200);
  t.same(h.storage.objectAccess('keep', 'o'), { owner: OWNER.id, acl: 'private' }, 'overwriting resets the ACL');
});
