/**
 * The object-tag condition keys through the server (docs/spec/access.md §2 R2.7, vectors 43, 51,
 * 52): s3:ExistingObjectTag/<k> from the object a request reads (not for writing or deleting it),
 * s3:RequestObjectTag/<k> and s3:RequestObjectTagKeys from `x-amz-tagging` and from the
 * PutObjectTagging body.
 */
import t, { type Test } from 'tap';
import { postForm, signPolicy } from '../helpers/post-policy';
import { injectApp } from '../helpers/server';
import { OTHER, OWNER, send, xml, type Req, type Who } from './auth-fixtures';

const C = { AWS: OTHER.accountId };
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const tagging = (tags: Record<string, string>) =>
  `<Tagging><TagSet>${Object.entries(tags).map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

async function setup(t: Test, statements: object[]) {
  const h = injectApp({ users: [OWNER, OTHER] });
  t.teardown(() => h.close());
  const call = (who: Who, method: string, path: string, extra: Partial<Req> = {}) => send(h.app, { method, path, who, ...extra });
  const must = async (who: Who, method: string, path: string, extra: Partial<Req> = {}) => {
    const res = await call(who, method, path, extra);
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
  };
  await must(OWNER, 'PUT', '/tagb');
  await must(OWNER, 'PUT', '/tagb', { query: { policy: '' }, body: policy(...statements) });
  return { call, must, app: h.app };
}

t.test('s3:ExistingObjectTag – GetObject by the tags of the object (vector 43)', async (t) => {
  const { call, must } = await setup(t, [
    { Effect: 'Allow', Principal: C, Action: ['s3:GetObject', 's3:GetObjectTagging', 's3:DeleteObject'], Resource: 'arn:aws:s3:::tagb/*', Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } } },
  ]);
  await must(OWNER, 'PUT', '/tagb/pub', { body: 'p', headers: { 'x-amz-tagging': 'security=public' } });
  await must(OWNER, 'PUT', '/tagb/priv', { body: 'q', headers: { 'x-amz-tagging': 'security=private' } });
  await must(OWNER, 'PUT', '/tagb/other', { body: 'r', headers: { 'x-amz-tagging': 'security1=public' } });
  await must(OWNER, 'PUT', '/tagb/none', { body: 's' });
  t.equal((await call(OTHER, 'GET', '/tagb/pub')).statusCode, 200, 'security=public');
  t.equal((await call(OTHER, 'GET', '/tagb/priv')).statusCode, 403, 'security=private');
  t.equal((await call(OTHER, 'GET', '/tagb/other')).statusCode, 403, 'security1=public');
  t.equal((await call(OTHER, 'GET', '/tagb/none')).statusCode, 403, 'untagged');
  t.equal((await call(OTHER, 'HEAD', '/tagb/pub')).statusCode, 200, 'HeadObject is s3:GetObject too');
  t.equal((await call(OTHER, 'GET', '/tagb/pub', { query: { tagging: '' } })).statusCode, 200, 'GetObjectTagging sees the tags');
  t.equal((await call(OTHER, 'GET', '/tagb/priv', { query: { tagging: '' } })).statusCode, 403);
  // Retagging the object changes the decision at once.
  await must(OWNER, 'PUT', '/tagb/priv', { query: { tagging: '' }, body: tagging({ security: 'public' }) });
  t.equal((await call(OTHER, 'GET', '/tagb/priv')).statusCode, 200, 'retagged public');
  // Not for deleting the object (S3's user guide): the condition key is absent, StringEquals fails.
  t.equal((await call(OTHER, 'DELETE', '/tagb/pub')).statusCode, 403, 'DeleteObject never sees existing tags');
  t.equal((await call(OWNER, 'GET', '/tagb/pub')).statusCode, 200);
});

t.test('s3:ExistingObjectTag – a Deny on the tag; CopyObject reads its source\'s tags', async (t) => {
  const { call, must } = await setup(t, [
    { Effect: 'Allow', Principal: C, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::tagb/*' },
    { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::tagb/*', Condition: { StringEquals: { 's3:ExistingObjectTag/classification': 'secret' } } },
  ]);
  await must(OWNER, 'PUT', '/tagb/secret', { body: 's', headers: { 'x-amz-tagging': 'classification=secret' } });
  await must(OWNER, 'PUT', '/tagb/open', { body: 'o', headers: { 'x-amz-tagging': 'classification=open' } });
  t.equal((await call(OWNER, 'GET', '/tagb/secret')).statusCode, 403, 'the Deny reaches the owner too');
  t.equal((await call(OTHER, 'GET', '/tagb/open')).statusCode, 200);
  t.equal((await call(OTHER, 'PUT', '/tagb/copy-open', { headers: { 'x-amz-copy-source': '/tagb/open' } })).statusCode, 200, 'copy of an open source');
  const copy = await call(OTHER, 'PUT', '/tagb/copy-secret', { headers: { 'x-amz-copy-source': '/tagb/secret' } });
  t.equal(copy.statusCode, 403, 'copy of a secret source: its s3:GetObject is denied by its tags');
  t.equal(xml(copy.body, 'Code'), 'AccessDenied');
  t.equal((await call(OWNER, 'GET', '/tagb/copy-secret')).statusCode, 404, 'nothing written');
  t.equal((await call(OWNER, 'PUT', '/tagb/secret', { body: 'overwritten' })).statusCode, 200, 'overwriting never sees existing tags');
});

t.test('s3:RequestObjectTagKeys / RequestObjectTag – x-amz-tagging on PutObject, CopyObject, CreateMultipartUpload (vector 52)', async (t) => {
  const { call, must } = await setup(t, [
    { Effect: 'Allow', Principal: C, Action: 's3:PutObject', Resource: 'arn:aws:s3:::tagb/*', Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['Owner'] } } },
    { Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::tagb/*' },
    { Effect: 'Deny', Principal: C, Action: 's3:PutObject', Resource: 'arn:aws:s3:::tagb/*', Condition: { StringEquals: { 's3:RequestObjectTag/Owner': 'root' } } },
  ]);
  t.equal((await call(OTHER, 'PUT', '/tagb/plain', { body: 'x' })).statusCode, 200, 'no tags: ForAllValues over nothing holds');
  t.equal((await call(OTHER, 'PUT', '/tagb/owned', { body: 'x', headers: { 'x-amz-tagging': 'Owner=carol' } })).statusCode, 200, 'tag Owner');
  t.equal((await call(OTHER, 'PUT', '/tagb/foo', { body: 'x', headers: { 'x-amz-tagging': 'Foo=1' } })).statusCode, 403, 'tag Foo');
  t.equal((await call(OTHER, 'PUT', '/tagb/both', { body: 'x', headers: { 'x-amz-tagging': 'Owner=carol&Foo=1' } })).statusCode, 403, 'tags Owner and Foo');
  t.equal((await call(OTHER, 'PUT', '/tagb/root', { body: 'x', headers: { 'x-amz-tagging': 'Owner=root' } })).statusCode, 403, 'the Deny on the tag value');
  t.equal((await call(OTHER, 'POST', '/tagb/mpu', { query: { uploads: '' }, headers: { 'x-amz-tagging': 'Foo=1' } })).statusCode, 403, 'CreateMultipartUpload with tag Foo');
  t.equal((await call(OTHER, 'POST', '/tagb/mpu', { query: { uploads: '' }, headers: { 'x-amz-tagging': 'Owner=carol' } })).statusCode, 200, 'CreateMultipartUpload with tag Owner');
  await must(OWNER, 'PUT', '/tagb/src', { body: 'x', headers: { 'x-amz-tagging': 'Foo=1' } });
  t.equal((await call(OTHER, 'PUT', '/tagb/c1', { headers: { 'x-amz-copy-source': '/tagb/src' } })).statusCode, 200, 'COPY directive: the source\'s tags are not request tags');
  t.equal((await call(OTHER, 'PUT', '/tagb/c2', { headers: { 'x-amz-copy-source': '/tagb/src', 'x-amz-tagging-directive': 'REPLACE', 'x-amz-tagging': 'Foo=2' } })).statusCode, 403, 'REPLACE with tag Foo');
  t.equal((await call(OTHER, 'PUT', '/tagb/c3', { headers: { 'x-amz-copy-source': '/tagb/src', 'x-amz-tagging-directive': 'REPLACE', 'x-amz-tagging': 'Owner=carol' } })).statusCode, 200, 'REPLACE with tag Owner');
});

t.test('s3:RequestObjectTagKeys – PutObjectTagging decided on its body (vector 51)', async (t) => {
  const { call, must } = await setup(t, [
    { Effect: 'Allow', Principal: C, Action: 's3:PutObjectTagging', Resource: 'arn:aws:s3:::tagb/*', Condition: { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] } } },
  ]);
  await must(OWNER, 'PUT', '/tagb/k', { body: 'x' });
  const tagsOf = async () => (await call(OWNER, 'GET', '/tagb/k', { query: { tagging: '' } })).body;
  t.equal((await call(OTHER, 'PUT', '/tagb/k', { query: { tagging: '' }, body: tagging({ Owner: 'carol' }) })).statusCode, 200, '{Owner}');
  t.match(await tagsOf(), /<Key>Owner<\/Key><Value>carol<\/Value>/);
  const foo = await call(OTHER, 'PUT', '/tagb/k', { query: { tagging: '' }, body: tagging({ Foo: 'bar' }) });
  t.equal(foo.statusCode, 403, '{Foo}');
  t.equal(xml(foo.body, 'Code'), 'AccessDenied');
  t.equal((await call(OTHER, 'PUT', '/tagb/k', { query: { tagging: '' }, body: tagging({}) })).statusCode, 403, '{}');
  t.match(await tagsOf(), /<Key>Owner<\/Key>/, 'the refused calls changed nothing');
  t.equal((await call(OWNER, 'PUT', '/tagb/k', { query: { tagging: '' }, body: tagging({ Foo: 'bar' }) })).statusCode, 200, 'the owner account is not limited by an Allow');
  t.equal((await call(OTHER, 'PUT', '/tagb/missing', { query: { tagging: '' }, body: tagging({ Owner: 'x' }) })).statusCode, 404, 'allowed, then NoSuchKey');
  t.equal((await call('anonymous', 'PUT', '/tagb/k', { query: { tagging: '' }, body: tagging({ Owner: 'x' }) })).statusCode, 403, 'anonymous: no statement names it');
  const bad = await call(OTHER, 'PUT', '/tagb/k', { query: { tagging: '' }, body: '<Tagging>' });
  t.equal(bad.statusCode, 400, 'a malformed body is refused before access is decided (UNVERIFIED order)');
});

t.test('PutObjectTagging on a bucket without a policy: decided before the body, as before', async (t) => {
  const h = injectApp({ users: [OWNER, OTHER] });
  t.teardown(() => h.close());
  await send(h.app, { method: 'PUT', path: '/nopolicy', who: OWNER });
  await send(h.app, { method: 'PUT', path: '/nopolicy/k', who: OWNER, body: 'x' });
  const res = await send(h.app, { method: 'PUT', path: '/nopolicy/k', who: OTHER, query: { tagging: '' }, body: '<Tagging>' });
  t.equal(res.statusCode, 403, 'another account, malformed body: AccessDenied first');
  t.equal((await send(h.app, { method: 'PUT', path: '/nopolicy/k', who: OWNER, query: { tagging: '' }, body: tagging({ a: '1' }) })).statusCode, 200);
});

t.test('a POST form: its tagging field gives the request-tag keys, its acl field s3:x-amz-acl', async (t) => {
  const { call, must, app } = await setup(t, [
    { Effect: 'Allow', Principal: C, Action: 's3:PutObject', Resource: 'arn:aws:s3:::tagb/*', Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['Owner'] } } },
    { Effect: 'Deny', Principal: C, Action: 's3:PutObject', Resource: 'arn:aws:s3:::tagb/*', Condition: { StringEquals: { 's3:x-amz-acl': 'public-read' } } },
    { Effect: 'Allow', Principal: C, Action: 's3:GetObjectTagging', Resource: 'arn:aws:s3:::tagb/*' },
    { Effect: 'Deny', Principal: C, Action: 's3:PutObject', Resource: 'arn:aws:s3:::tagb/*', Condition: { StringEquals: { 's3:x-amz-storage-class': 'GLACIER' } } },
  ]);
  // ACLs enabled, so that a form's `acl` field is not refused by the ownership rule first.
  await must(OWNER, 'PUT', '/tagb', { query: { ownershipControls: '' }, body: '<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>' });
  await must(OWNER, 'DELETE', '/tagb', { query: { publicAccessBlock: '' } });
  const form = (key: string, fields: Record<string, string>) => {
    const conditions = [['starts-with', '$key', ''], ...Object.keys(fields).map((f) => ['starts-with', `$${f}`, ''])];
    return postForm(app, { key, ...fields, ...signPolicy({ conditions, accessKeyId: OTHER.accessKeyId, secretAccessKey: OTHER.secretAccessKey }) }, { data: 'x' }, undefined, { url: '/tagb' });
  };
  t.equal((await form('f1', {})).statusCode, 204, 'no tagging field');
  t.equal((await form('f2', { tagging: tagging({ Owner: 'carol' }) })).statusCode, 204, 'tag Owner');
  const foo = await form('f3', { tagging: tagging({ Foo: '1' }) });
  t.equal(foo.statusCode, 403, 'tag Foo');
  t.equal(xml(foo.body, 'Code'), 'AccessDenied');
  t.equal((await form('f4', { acl: 'public-read' })).statusCode, 403, 'acl field public-read meets the Deny on s3:x-amz-acl');
  t.equal((await form('f5', { acl: 'private' })).statusCode, 204, 'acl field private');
  t.equal((await form('f6', { 'x-amz-storage-class': 'GLACIER' })).statusCode, 403, 'an x-amz-* field gives its s3: key');
  t.equal((await form('f7', { 'x-amz-storage-class': 'STANDARD_IA' })).statusCode, 204, 'another storage class passes');
  // The form's writer owns its object here (ObjectWriter): the owner account cannot read it without a grant.
  t.match((await call(OTHER, 'GET', '/tagb/f2', { query: { tagging: '' } })).body, /<Key>Owner<\/Key><Value>carol<\/Value>/, 'the tags were stored');
  t.equal((await call(OWNER, 'GET', '/tagb/f3')).statusCode, 404, 'nothing stored for a refused form');
});
