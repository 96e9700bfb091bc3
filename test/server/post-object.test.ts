/**
 * POST Object – the policy: a signed form stores the object; each way a form can break its
 * policy (eq, starts-with, content-length-range, bucket, expiration, signature, access key,
 * extra fields) is S3's error; anonymous forms need a public-read-write bucket.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerConfig } from '../../server/config';
import { injectApp } from '../helpers/server';
import { HOST, createAclBucket, s3, xmlText } from '../helpers/s3-inject';
import { postForm, signPolicy, signPolicyV2 } from '../helpers/post-policy';


async function setup(t: Test, options: { acl?: string; config?: Partial<ServerConfig> } = {}) {
  const h = injectApp(options.config);
  t.teardown(() => h.close());
  const created = await createAclBucket(h.app, 'forms', options.acl);
  t.equal(created.statusCode, 200, 'bucket created');
  return h;
}

function errorOf(res: { statusCode: number; body: string }) {
  return { status: res.statusCode, code: xmlText(res.body, 'Code'), message: xmlText(res.body, 'Message') };
}

const KEY_ANY = ['starts-with', '$key', ''];

t.test('policy – a signed form stores the object with its content headers and metadata', async (t) => {
  const h = await setup(t);
  const sig = signPolicy({
    bucket: 'forms',
    conditions: [
      ['starts-with', '$key', 'user/eric/'],
      ['starts-with', '$Content-Type', 'image/'],
      { 'x-amz-meta-uuid': '14365123651274' },
      ['starts-with', '$x-amz-meta-tag', ''],
      ['eq', '$Cache-Control', 'max-age=60'],
      { 'content-disposition': 'inline' },
      ['content-length-range', 1, 1024],
    ],
  });
  const res = await postForm(h.app, {
    key: 'user/eric/cat.png',
    'Content-Type': 'image/png',
    'X-Amz-Meta-Uuid': '14365123651274',
    'x-amz-meta-tag': 'cats',
    'Cache-Control': 'max-age=60',
    'Content-Disposition': 'inline',
    ...sig,
  }, { data: 'not really a png', contentType: 'text/plain' });
  t.equal(res.statusCode, 204, res.body);
  t.equal(res.headers.etag, `"${createHash('md5').update('not really a png').digest('hex')}"`);
  t.equal(res.headers.location, `http://${HOST}/forms/user%2Feric%2Fcat.png`);
  t.equal(res.body, '');
  const got = await s3(h.app, { bucket: 'forms', key: 'user/eric/cat.png' });
  t.equal(got.statusCode, 200);
  t.equal(got.body, 'not really a png');
  t.equal(got.headers.etag, res.headers.etag);
  t.equal(got.headers['content-type'], 'image/png');
  t.equal(got.headers['cache-control'], 'max-age=60');
  t.equal(got.headers['content-disposition'], 'inline');
  t.equal(got.headers['x-amz-meta-uuid'], '14365123651274');
  t.equal(got.headers['x-amz-meta-tag'], 'cats');
});

t.test('policy – every failing condition is AccessDenied naming it', async (t) => {
  const h = await setup(t);
  const cases: Array<[string, unknown[], Record<string, string>, string]> = [
    ['eq', [KEY_ANY, ['eq', '$acl', 'public-read']], { acl: 'private' }, 'Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "public-read"]'],
    ['object form of eq', [KEY_ANY, { acl: 'public-read' }], { acl: 'private' }, 'Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "public-read"]'],
    ['starts-with', [['starts-with', '$key', 'uploads/']], {}, 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]'],
    ['starts-with on a missing field', [KEY_ANY, ['starts-with', '$Content-Type', '']], {}, 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", ""]'],
    ['extra field', [KEY_ANY], { 'x-amz-meta-extra': 'x' }, 'Invalid according to Policy: Extra input fields: x-amz-meta-extra'],
  ];
  for (const [name, conditions, fields, message] of cases) {
    const res = await postForm(h.app, { key: 'photo.jpg', ...fields, ...signPolicy({ conditions }) }, { data: 'x' });
    t.same(errorOf(res), { status: 403, code: 'AccessDenied', message }, name);
  }
  t.equal(h.storage.headObject('forms', 'photo.jpg'), undefined, 'nothing stored');
});

t.test('policy – the bucket condition is the bucket of the request', async (t) => {
  const h = await setup(t);
  const wrong = await postForm(h.app, { key: 'a', ...signPolicy({ bucket: 'other', conditions: [KEY_ANY] }) }, { data: 'x' });
  t.same(errorOf(wrong), { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other"]' });
  // A `bucket` form field cannot pretend otherwise.
  const field = await postForm(h.app, { key: 'a', bucket: 'other', ...signPolicy({ bucket: 'other', conditions: [KEY_ANY] }) }, { data: 'x' });
  t.equal(errorOf(field).code, 'AccessDenied');
  const right = await postForm(h.app, { key: 'a', ...signPolicy({ bucket: 'forms', conditions: [KEY_ANY] }) }, { data: 'x' });
  t.equal(right.statusCode, 204);
});

t.test('policy – content-length-range: too large and too small, with the sizes', async (t) => {
  const h = await setup(t);
  const range = ['content-length-range', 10, 20];
  const large = await postForm(h.app, { key: 'big', ...signPolicy({ conditions: [KEY_ANY, range] }) }, { data: Buffer.alloc(21, 1) });
  t.same(errorOf(large), { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size' });
  t.equal(xmlText(large.body, 'ProposedSize'), '21');
  t.equal(xmlText(large.body, 'MaxSizeAllowed'), '20');
  const small = await postForm(h.app, { key: 'small', ...signPolicy({ conditions: [KEY_ANY, range] }) }, { data: Buffer.alloc(9, 1) });
  t.same(errorOf(small), { status: 400, code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size' });
  t.equal(xmlText(small.body, 'ProposedSize'), '9');
  t.equal(xmlText(small.body, 'MinSizeAllowed'), '10');
  const edges = await Promise.all([10, 20].map((n) => postForm(h.app, { key: `ok${n}`, ...signPolicy({ conditions: [KEY_ANY, range] }) }, { data: Buffer.alloc(n, 2) })));
  t.same(edges.map((r) => r.statusCode), [204, 204], 'both bounds are inclusive');
  t.equal(h.storage.headObject('forms', 'big'), undefined);
  t.equal(h.storage.headObject('forms', 'small'), undefined);
  t.same(readdirSync(join(h.dir, 'tmp')), [], 'no staged file left behind');
});

t.test('policy – expired, bad signature, unknown access key', async (t) => {
  const h = await setup(t);
  const expired = await postForm(h.app, { key: 'a', ...signPolicy({ conditions: [KEY_ANY], expiration: new Date(Date.now() - 1000) }) }, { data: 'x' });
  t.same(errorOf(expired), { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });

  const forged = { ...signPolicy({ conditions: [KEY_ANY], secretAccessKey: 'not-the-secret' }) };
  const bad = await postForm(h.app, { key: 'a', ...forged }, { data: 'x' });
  t.equal(errorOf(bad).status, 403);
  t.equal(errorOf(bad).code, 'SignatureDoesNotMatch');
  t.equal(xmlText(bad.body, 'StringToSign'), forged.policy, 'the policy is the string to sign');
  t.equal(xmlText(bad.body, 'SignatureProvided'), forged['x-amz-signature']);

  const unknown = await postForm(h.app, { key: 'a', ...signPolicy({ conditions: [KEY_ANY], accessKeyId: 'AKIDNOBODY' }) }, { data: 'x' });
  t.same(errorOf(unknown), { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' });
  t.equal(xmlText(unknown.body, 'AWSAccessKeyId'), 'AKIDNOBODY');
  t.equal(h.storage.headObject('forms', 'a'), undefined);
});

t.test('policy – ${filename} in key (and other fields) is the uploaded file name', async (t) => {
  const h = await setup(t);
  const sig = signPolicy({ conditions: [['starts-with', '$key', 'uploads/'], ['starts-with', '$Content-Disposition', 'attachment']] });
  const res = await postForm(
    h.app,
    { key: 'uploads/${filename}', 'Content-Disposition': 'attachment; filename="${filename}"', ...sig },
    { data: 'pixels', filename: 'C:\\Users\\eric\\holiday photo.png' },
  );
  t.equal(res.statusCode, 204, res.body);
  t.equal(res.headers.location, `http://${HOST}/forms/uploads%2Fholiday%20photo.png`);
  const info = h.storage.headObject('forms', 'uploads/holiday photo.png');
  t.equal(info?.size, 6);
  t.equal(info?.meta.content.contentDisposition, 'attachment; filename="holiday photo.png"');
  // A file part without a filename leaves the variable as written.
  const unnamed = await postForm(h.app, { key: 'uploads/${filename}', ...signPolicy({ conditions: [['starts-with', '$key', 'uploads/']] }) }, { data: 'x', filename: null });
  t.equal(unnamed.statusCode, 204);
  t.ok(h.storage.headObject('forms', 'uploads/${filename}'));
});

t.test('policy – field names are case-insensitive; fields after the file are ignored', async (t) => {
  const h = await setup(t);
  const sig = signPolicy({ conditions: [KEY_ANY, { acl: 'public-read' }] });
  const upper = Object.fromEntries(Object.entries(sig).map(([k, v]) => [k === 'policy' ? 'Policy' : k.toUpperCase(), v]));
  const res = await postForm(h.app, { KEY: 'case', ACL: 'public-read', ...upper }, { data: 'x' }, { 'x-amz-meta-late': 'ignored', key: 'other' });
  t.equal(res.statusCode, 204, res.body);
  const info = h.storage.headObject('forms', 'case');
  t.equal(info?.acl, 'public-read');
  t.same(info?.meta.user, {});
  const anon = await h.app.inject({ method: 'GET', url: '/forms/case', headers: { host: HOST } });
  t.equal(anon.statusCode, 200, 'the acl field made the object public');
});

t.test('policy – a SigV2 form (AWSAccessKeyId, signature)', async (t) => {
  const h = await setup(t);
  const res = await postForm(h.app, { key: 'v2', ...signPolicyV2([KEY_ANY]) }, { data: 'two' });
  t.equal(res.statusCode, 204, res.body);
  t.equal(h.storage.headObject('forms', 'v2')?.size, 3);
  const bad = await postForm(h.app, { key: 'v2', ...signPolicyV2([KEY_ANY], 'wrong') }, { data: 'two' });
  t.equal(errorOf(bad).code, 'SignatureDoesNotMatch');
});

t.test('anonymous – allowed on a public-read-write bucket, refused on a private one', async (t) => {
  const open = await setup(t, { acl: 'public-read-write' });
  const ok = await postForm(open.app, { key: 'drop/box.txt', 'Content-Type': 'text/plain' }, { data: 'anon' });
  t.equal(ok.statusCode, 204, ok.body);
  const info = open.storage.headObject('forms', 'drop/box.txt');
  t.equal(info?.meta.content.contentType, 'text/plain');
  t.equal(info?.owner, open.storage.getBucket('forms')?.owner, 'owned by the bucket owner');

  const closed = await setup(t);
  const refused = await postForm(closed.app, { key: 'drop/box.txt' }, { data: 'anon' });
  t.same(errorOf(refused), { status: 403, code: 'AccessDenied', message: 'Access Denied' });
  t.equal(closed.storage.headObject('forms', 'drop/box.txt'), undefined);
});

t.test('policy – a signer other than the owner needs a public-read-write bucket', async (t) => {
  const other = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret', id: 'b'.repeat(64), displayName: 'other' , accountId: '222222222222', userName: 'AKIDOTHER', arn: 'arn:aws:iam::222222222222:user/AKIDOTHER' };
  const owner = { accessKeyId: 'crossbucket', secretAccessKey: 'crossbucket-secret', id: 'a'.repeat(64), displayName: 'owner' , accountId: '111111111111', userName: 'crossbucket', arn: 'arn:aws:iam::111111111111:user/crossbucket' };
  const h = await setup(t, { config: { users: [owner, other] } });
  const res = await postForm(h.app, { key: 'x', ...signPolicy({ conditions: [KEY_ANY], accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey }) }, { data: 'x' });
  t.same(errorOf(res), { status: 403, code: 'AccessDenied', message: 'Access Denied' });
});

t.test('permissive auth – any signature is accepted, the policy still applies', async (t) => {
  const h = await setup(t, { config: { authMode: 'permissive' } });
  const forged = signPolicy({ conditions: [['starts-with', '$key', 'in/'], ['content-length-range', 0, 3]], secretAccessKey: 'whatever' });
  const ok = await postForm(h.app, { key: 'in/a', ...forged }, { data: 'abc' });
  t.equal(ok.statusCode, 204, ok.body);
  const outside = await postForm(h.app, { key: 'out/a', ...forged }, { data: 'abc' });
  t.equal(errorOf(outside).code, 'AccessDenied');
  const big = await postForm(h.app, { key: 'in/b', ...forged }, { data: 'abcd' });
  t.equal(errorOf(big).code, 'EntityTooLarge');
  const expired = await postForm(h.app, { key: 'in/c', ...signPolicy({ conditions: [KEY_ANY], secretAccessKey: 'x', expiration: new Date(0) }) }, { data: 'a' });
  t.equal(errorOf(expired).message, 'Invalid according to Policy: Policy expired.');
});
