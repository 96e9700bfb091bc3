/**
 * Bucket policies over inject (docs/spec/access.md §1, §4, §5, §9, §10 vectors): Put/Get/
 * DeleteBucketPolicy and GetBucketPolicyStatus, BlockPublicPolicy, RestrictPublicBuckets, the
 * decision order (explicit Deny beats the owner account), 403 vs 404 for missing keys, condition
 * keys the server supplies, cross-account principals and expected bucket owners.
 */
import t, { type Test } from 'tap';
import { makeUser } from '../../server/config';
import { injectApp } from '../helpers/server';
import { OTHER, OWNER, THIRD, send, xml, type Req, type Who } from './auth-fixtures';

/** A second user of the owner's account (`accountId` shared). */
const ALICE = makeUser('alice', 'alice-secret', { accountId: OWNER.accountId, userName: 'alice' });
const USERS = [OWNER, OTHER, THIRD, ALICE];

interface Statement { Sid?: string; Effect: 'Allow' | 'Deny'; Principal: unknown; Action: string | string[]; Resource: string | string[]; Condition?: unknown }
const policy = (...Statement: Statement[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const C = { AWS: OTHER.accountId };

async function setup(t: Test) {
  const h = injectApp({ users: USERS });
  t.teardown(() => h.close());
  const call = async (who: Who, method: string, path: string, extra: Partial<Req> = {}) => send(h.app, { method, path, who, ...extra });
  const ok = async (who: Who, method: string, path: string, extra: Partial<Req> = {}) => {
    const res = await call(who, method, path, extra);
    if (res.statusCode >= 300) t.fail(`${method} ${path}: ${res.statusCode} ${res.body}`);
    return res;
  };
  await ok(OWNER, 'PUT', '/bkt');
  await ok(OWNER, 'PUT', '/bkt/k', { body: 'the object' });
  const putPolicy = (doc: string, who: Who = OWNER) => call(who, 'PUT', '/bkt', { query: { policy: '' }, body: doc });
  const unblock = () => ok(OWNER, 'DELETE', '/bkt', { query: { publicAccessBlock: '' } });
  return { h, call, ok, putPolicy, unblock };
}

t.test('Put/Get/DeleteBucketPolicy – round trip exactly as put, 204s, NoSuchBucketPolicy (vector 23)', async (t) => {
  const { call, putPolicy } = await setup(t);
  const doc = `{"Version":"2012-10-17",  "Statement": [{"Sid":"Carol","Effect":"Allow","Principal":{"AWS":"${OTHER.accountId}"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}`;
  const put = await putPolicy(doc);
  t.equal(put.statusCode, 204);
  t.equal(put.body, '');
  const got = await call(OWNER, 'GET', '/bkt', { query: { policy: '' } });
  t.equal(got.statusCode, 200);
  t.equal(got.body, doc, 'the stored JSON, byte for byte');
  t.equal((await call(OWNER, 'DELETE', '/bkt', { query: { policy: '' } })).statusCode, 204);
  const none = await call(OWNER, 'GET', '/bkt', { query: { policy: '' } });
  t.equal(none.statusCode, 404);
  t.equal(xml(none.body, 'Code'), 'NoSuchBucketPolicy');
  t.equal(xml(none.body, 'Message'), 'The bucket policy does not exist');
  t.equal(xml(none.body, 'BucketName'), 'bkt');
  t.equal((await call(OWNER, 'DELETE', '/bkt', { query: { policy: '' } })).statusCode, 204, 'delete again: 204');
  const status = await call(OWNER, 'GET', '/bkt', { query: { policyStatus: '' } });
  t.equal(status.statusCode, 404, 'GetBucketPolicyStatus without a policy (vector 30)');
  t.equal(xml(status.body, 'Code'), 'NoSuchBucketPolicy');
});

t.test('PutBucketPolicy – MalformedPolicy with the engine\'s messages; 20 KB; nothing stored (vectors 15-22)', async (t) => {
  const { call, putPolicy } = await setup(t);
  const cases: Array<[string, string, string]> = [
    ['empty', '', "Policies must be valid JSON and the first byte must be '{'"],
    ['not JSON', 'invalid json', "Policies must be valid JSON and the first byte must be '{'"],
    ['no Statement', '{}', 'Missing required field Statement'],
    ['no Principal', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }] }), 'Missing required field Principal'],
    ['unknown action', policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObjekt', Resource: 'arn:aws:s3:::bkt/*' }), 'Policy has invalid action'],
    ['resource *', policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: '*' }), 'Policy has invalid resource'],
    ['another bucket', policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }), 'Policy has invalid resource'],
    ['action on the wrong resource', policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt' }), 'Action does not apply to any resource(s) in statement'],
    ['empty principal', policy({ Effect: 'Allow', Principal: { AWS: [] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }), 'Invalid principal in policy'],
    ['unknown user of a known account', policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER.accountId}:user/nobody` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }), 'Invalid principal in policy'],
    ['bad effect', policy({ Effect: 'allowed' as 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }), 'Invalid effect: allowed'],
    ['too large', policy(...Array.from({ length: 200 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow' as const, Principal: C, Action: 's3:GetObject', Resource: `arn:aws:s3:::bkt/${'x'.repeat(60)}${i}` }))), 'Policy exceeds the maximum allowed document size.'],
  ];
  for (const [name, doc, message] of cases) {
    const res = await putPolicy(doc);
    t.equal(res.statusCode, 400, `${name}: 400`);
    t.equal(xml(res.body, 'Code'), 'MalformedPolicy', name);
    t.equal(xml(res.body, 'Message'), message, name);
  }
  t.equal((await call(OWNER, 'GET', '/bkt', { query: { policy: '' } })).statusCode, 404, 'nothing was stored');
});

t.test('BlockPublicPolicy – a public policy is refused on a new bucket, accepted once the block is removed (vectors 6, 7, 31)', async (t) => {
  const { call, putPolicy, unblock } = await setup(t);
  const pub = policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' });
  const refused = await putPolicy(pub);
  t.equal(refused.statusCode, 403);
  t.equal(xml(refused.body, 'Code'), 'AccessDenied');
  t.equal((await call(OWNER, 'GET', '/bkt', { query: { policy: '' } })).statusCode, 404, 'the stored policy is unchanged');
  const fixed = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER.accountId}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' });
  t.equal((await putPolicy(fixed)).statusCode, 204, 'a policy naming an account is not public');
  t.equal(xml((await call(OWNER, 'GET', '/bkt', { query: { policyStatus: '' } })).body, 'IsPublic'), 'false');
  await unblock();
  t.equal((await putPolicy(pub)).statusCode, 204);
  t.equal(xml((await call(OWNER, 'GET', '/bkt', { query: { policyStatus: '' } })).body, 'IsPublic'), 'true', 'GetBucketPolicyStatus');
  const pinned = policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: ['arn:aws:s3:::bkt', 'arn:aws:s3:::bkt/*'], Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/32' } } });
  t.equal((await putPolicy(pinned)).statusCode, 204);
  t.equal(xml((await call(OWNER, 'GET', '/bkt', { query: { policyStatus: '' } })).body, 'IsPublic'), 'false', 'a SourceIp /32 pins the callers');
});

t.test('evaluation – public read through a policy, cross-account grants, explicit Deny beats the owner account (vectors 1-5, 8, 9)', async (t) => {
  const { call, putPolicy, unblock } = await setup(t);
  t.equal((await call(OWNER, 'GET', '/bkt/k')).statusCode, 200, 'the owner account');
  t.equal((await call(ALICE, 'GET', '/bkt/k')).statusCode, 200, 'another user of the owner account, no grant needed');
  t.equal((await call(OTHER, 'GET', '/bkt/k')).statusCode, 403, 'another account');
  t.equal((await call('anonymous', 'GET', '/bkt/k')).statusCode, 403, 'anonymous');
  await unblock();
  t.equal((await putPolicy(policy({ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }))).statusCode, 204);
  t.equal((await call('anonymous', 'GET', '/bkt/k')).body, 'the object', 'anonymous reads through the policy');
  t.equal((await call('anonymous', 'PUT', '/bkt/k2', { body: 'x' })).statusCode, 403, 'and writes nothing');
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }))).statusCode, 204);
  t.equal((await call(OTHER, 'GET', '/bkt/k')).statusCode, 200, 'the named account reads');
  t.equal((await call(OTHER, 'PUT', '/bkt/k2', { body: 'x' })).statusCode, 403, 'and writes nothing');
  t.equal((await call(THIRD, 'GET', '/bkt/k')).statusCode, 403, 'a third account is not named');
  t.equal((await putPolicy(policy({ Sid: 'NoList', Effect: 'Deny', Principal: { AWS: OWNER.accountId }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bkt' }))).statusCode, 204);
  const denied = await call(ALICE, 'GET', '/bkt', { query: { 'list-type': '2' } });
  t.equal(denied.statusCode, 403, 'explicit Deny beats the owner account');
  t.equal(xml(denied.body, 'Message'), 'Access Denied');
  t.equal((await call(OWNER, 'GET', '/bkt', { query: { 'list-type': '2' } })).statusCode, 403, 'the bucket owner user too');
  t.equal((await call(OWNER, 'GET', '/bkt/k')).statusCode, 200, 'what the Deny does not name stays allowed');
  t.equal((await call(OWNER, 'DELETE', '/bkt', { query: { policy: '' } })).statusCode, 204);
  t.equal((await call(OWNER, 'GET', '/bkt', { query: { 'list-type': '2' } })).statusCode, 200, 'the policy cache saw the delete');
});

t.test('evaluation – Deny on the policy APIs; 405 for another account the policy allows (vectors 10, 11)', async (t) => {
  const { call, putPolicy } = await setup(t);
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: C, Action: 's3:GetBucketPolicy', Resource: 'arn:aws:s3:::bkt' }))).statusCode, 204);
  const res = await call(OTHER, 'GET', '/bkt', { query: { policy: '' } });
  t.equal(res.statusCode, 405);
  t.equal(xml(res.body, 'Code'), 'MethodNotAllowed');
  t.equal((await call(THIRD, 'GET', '/bkt', { query: { policy: '' } })).statusCode, 403);
  t.equal((await putPolicy(policy({ Effect: 'Deny', Principal: { AWS: OWNER.accountId }, Action: 's3:*BucketPolicy', Resource: 'arn:aws:s3:::bkt' }))).statusCode, 204);
  t.equal((await call(ALICE, 'GET', '/bkt', { query: { policy: '' } })).statusCode, 403, 'a user of the owner account is denied');
  t.equal((await putPolicy('{}', ALICE)).statusCode, 403, 'and cannot replace it');
});

t.test('missing keys – 403 without s3:ListBucket, 404 with it; s3:prefix is the key (vectors 12-14)', async (t) => {
  const { call, putPolicy, unblock } = await setup(t);
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }))).statusCode, 204);
  const get = await call(OTHER, 'GET', '/bkt/nokey');
  t.equal(get.statusCode, 403);
  t.equal(xml(get.body, 'Code'), 'AccessDenied');
  const head = await call(OTHER, 'HEAD', '/bkt/nokey');
  t.equal(head.statusCode, 403);
  t.equal(head.body, '', 'HEAD: no body');
  t.equal((await putPolicy(policy(
    { Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' },
    { Effect: 'Allow', Principal: C, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bkt' },
  ))).statusCode, 204);
  const missing = await call(OTHER, 'GET', '/bkt/nokey');
  t.equal(missing.statusCode, 404);
  t.equal(xml(missing.body, 'Code'), 'NoSuchKey');
  await unblock();
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bkt', Condition: { StringLike: { 's3:prefix': 'public/*' } } }))).statusCode, 204);
  t.equal((await call(OTHER, 'HEAD', '/bkt/public/x')).statusCode, 404);
  t.equal((await call(OTHER, 'HEAD', '/bkt/private/x')).statusCode, 403);
  t.equal((await call(OWNER, 'GET', '/bkt/nokey')).statusCode, 404, 'the owner account lists: 404');
});

t.test('RestrictPublicBuckets – a public policy helps only the owner account (vectors 28, 29)', async (t) => {
  const { call, putPolicy, unblock, ok } = await setup(t);
  await unblock();
  const pub = { Effect: 'Allow' as const, Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' };
  t.equal((await putPolicy(policy(pub))).statusCode, 204);
  const restrict = '<PublicAccessBlockConfiguration><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>';
  await ok(OWNER, 'PUT', '/bkt', { query: { publicAccessBlock: '' }, body: restrict });
  t.equal((await call('anonymous', 'GET', '/bkt/k')).statusCode, 403);
  t.equal((await call(OWNER, 'GET', '/bkt/k')).statusCode, 200);
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }, pub))).statusCode, 204);
  t.equal((await call(OTHER, 'GET', '/bkt/k')).statusCode, 403, 'with a public statement beside it: even the named account loses');
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }))).statusCode, 204);
  t.equal((await call(OTHER, 'GET', '/bkt/k')).statusCode, 200, 'without it: allowed');
});

t.test('condition keys – Referer, SecureTransport, x-amz-acl, copy source, UserAgent (vectors 42, 44, 45, 47)', async (t) => {
  const { call, putPolicy, unblock, ok } = await setup(t);
  await unblock();
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*', Condition: { StringLikeIfExists: { 'aws:Referer': 'http://www.example.com/*' } } }))).statusCode, 204);
  t.equal((await call('anonymous', 'GET', '/bkt/k', { headers: { referer: 'http://www.example.com/' } })).statusCode, 200);
  t.equal((await call('anonymous', 'GET', '/bkt/k', { headers: { referer: 'http://example.com' } })).statusCode, 403);
  t.equal((await call('anonymous', 'GET', '/bkt/k')).statusCode, 200, 'IfExists: no Referer passes');
  t.equal((await putPolicy(policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::bkt', 'arn:aws:s3:::bkt/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))).statusCode, 204);
  t.equal((await call(OWNER, 'GET', '/bkt/k')).statusCode, 403, 'plain HTTP is denied, even to the owner');
  t.equal((await call(OWNER, 'DELETE', '/bkt', { query: { policy: '' } })).statusCode, 403, 'the owner user too (no root here)');
  t.teardown(() => undefined);
  const h2 = await setup(t);
  await h2.ok(OWNER, 'DELETE', '/bkt', { query: { publicAccessBlock: '' } });
  await h2.ok(OWNER, 'PUT', '/bkt', { query: { ownershipControls: '' }, body: '<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>' });
  t.equal((await h2.putPolicy(policy(
    { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::bkt/*' },
    { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::bkt/*', Condition: { StringLike: { 's3:x-amz-acl': 'public*' } } },
  ))).statusCode, 204);
  t.equal((await h2.call(OTHER, 'PUT', '/bkt/plain', { body: 'x' })).statusCode, 200);
  t.equal((await h2.call(OTHER, 'PUT', '/bkt/pub', { body: 'x', headers: { 'x-amz-acl': 'public-read' } })).statusCode, 403);
  // Copy source (vector 45): bucket d accepts copies from b/public/* only.
  await h2.ok(OTHER, 'PUT', '/dst');
  await h2.ok(OWNER, 'PUT', '/bkt/public/foo', { body: 'p' });
  await h2.ok(OWNER, 'PUT', '/bkt/private/foo', { body: 'q' });
  const dPolicy = policy({ Effect: 'Allow', Principal: { AWS: OWNER.accountId }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::dst/*', Condition: { StringLike: { 's3:x-amz-copy-source': 'bkt/public/*' } } });
  t.equal((await h2.call(OTHER, 'PUT', '/dst', { query: { policy: '' }, body: dPolicy })).statusCode, 204);
  t.equal((await h2.call(OWNER, 'PUT', '/dst/copy', { headers: { 'x-amz-copy-source': '/bkt/public/foo' } })).statusCode, 200);
  t.equal((await h2.call(OWNER, 'PUT', '/dst/copy2', { headers: { 'x-amz-copy-source': '/bkt/private/foo' } })).statusCode, 403);
  // aws:UserAgent
  t.equal((await h2.putPolicy(policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*', Condition: { StringLike: { 'aws:UserAgent': '*curl*' } } }))).statusCode, 204);
  t.equal((await h2.call(OWNER, 'GET', '/bkt/public/foo', { headers: { 'user-agent': 'curl/8.0' } })).statusCode, 403);
  t.equal((await h2.call(OWNER, 'GET', '/bkt/public/foo', { headers: { 'user-agent': 'aws-sdk-js/3' } })).statusCode, 200);
});

t.test('DeleteObjects – a denied key is an AccessDenied entry inside a 200 (vector 46)', async (t) => {
  const { call, putPolicy, ok } = await setup(t);
  await ok(OWNER, 'PUT', '/bkt/keep', { body: 'x' });
  t.equal((await putPolicy(policy({ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::bkt/keep' }))).statusCode, 204);
  const doc = '<Delete><Object><Key>keep</Key></Object><Object><Key>k</Key></Object></Delete>';
  const { createHash } = await import('node:crypto');
  const res = await call(OWNER, 'POST', '/bkt', { query: { delete: '' }, headers: { 'content-md5': createHash('md5').update(doc).digest('base64') }, body: doc });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<Deleted><Key>k<\/Key><\/Deleted>/);
  t.match(res.body, /<Error><Key>keep<\/Key><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><\/Error>/);
  t.equal((await call(OWNER, 'HEAD', '/bkt/keep')).statusCode, 200, 'the denied key is still there');
});

t.test('x-amz-expected-bucket-owner – 403 for another account, 400 for a malformed one (vector 24)', async (t) => {
  const { call, ok } = await setup(t);
  t.equal((await call(OWNER, 'GET', '/bkt/k', { headers: { 'x-amz-expected-bucket-owner': OWNER.accountId } })).statusCode, 200);
  const wrong = await call(OWNER, 'GET', '/bkt', { query: { policy: '' }, headers: { 'x-amz-expected-bucket-owner': '000000000002' } });
  t.equal(wrong.statusCode, 403);
  t.equal(xml(wrong.body, 'Code'), 'AccessDenied');
  const bad = await call(OWNER, 'GET', '/bkt', { query: { policy: '' }, headers: { 'x-amz-expected-bucket-owner': 'abcd' } });
  t.equal(bad.statusCode, 400);
  t.equal(xml(bad.body, 'Code'), 'InvalidBucketOwnerAWSAccountID');
  await ok(OWNER, 'PUT', '/cpy');
  const copy = await call(OWNER, 'PUT', '/cpy/copy', { headers: { 'x-amz-copy-source': '/bkt/k', 'x-amz-source-expected-bucket-owner': OTHER.accountId } });
  t.equal(copy.statusCode, 403, 'the copy source\'s owner is checked too');
  t.equal((await call(OWNER, 'PUT', '/cpy/copy', { headers: { 'x-amz-copy-source': '/bkt/k', 'x-amz-source-expected-bucket-owner': OWNER.accountId } })).statusCode, 200);
});

t.test('presigned URLs – the signer is the principal (vectors 49, 50)', async (t) => {
  const { call, putPolicy } = await setup(t);
  t.equal((await call(OTHER, 'GET', '/bkt/k', { presigned: { expiresIn: 60 } })).statusCode, 403, 'signed by another account');
  t.equal((await call(ALICE, 'GET', '/bkt/k', { presigned: { expiresIn: 60 } })).statusCode, 200, 'signed by a user of the owner account');
  t.equal((await putPolicy(policy({ Effect: 'Allow', Principal: { AWS: OTHER.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }))).statusCode, 204);
  t.equal((await call(OTHER, 'GET', '/bkt/k', { presigned: { expiresIn: 60 } })).statusCode, 200, 'the user named by ARN');
  t.equal((await call(THIRD, 'GET', '/bkt/k', { presigned: { expiresIn: 60 } })).statusCode, 403, 'another user is not');
  t.equal((await putPolicy(policy({ Effect: 'Deny', Principal: { AWS: OWNER.accountId }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*', Condition: { NumericGreaterThan: { 's3:signatureAge': '600000' } } }))).statusCode, 204);
  t.equal((await call(ALICE, 'GET', '/bkt/k', { presigned: { expiresIn: 3600 }, date: new Date(Date.now() - 11 * 60_000) })).statusCode, 403, 'signed 11 minutes ago (vector 48)');
  t.equal((await call(ALICE, 'GET', '/bkt/k')).statusCode, 200, 'header auth: no signatureAge');
});
