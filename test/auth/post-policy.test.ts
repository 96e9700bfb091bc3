// POST Object with a SigV4 (or SigV2) POST policy: signature, expiration and each condition.
import t from 'tap';
import { createHmac } from 'node:crypto';
import { verifyPostPolicySignature } from '../../server/auth/post-policy';
import {
  checkPostPolicyConditions,
  contentLengthRange,
  parsePolicyDocument,
  type PostPolicy,
} from '../../server/auth/post-policy-conditions';
import { signingKey } from './fixtures/chunked';
import { AKID, SECRET, lookupSecret } from './fixtures/signers';

const now = new Date('2026-11-25T12:00:00Z');
const credential = `${AKID}/20261125/us-east-1/s3/aws4_request`;

const conditions: unknown[] = [
  { bucket: 'photos' },
  ['starts-with', '$key', 'uploads/'],
  { acl: 'public-read' },
  { success_action_status: '201' },
  ['starts-with', '$success_action_redirect', 'http://localhost:3000/'],
  ['starts-with', '$Content-Type', 'image/'],
  { 'x-amz-meta-uuid': '14365123651274' },
  ['eq', '$x-amz-meta-tag', 'cats'],
  ['content-length-range', 1, 1048576],
  { 'x-amz-credential': credential },
  { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
  { 'x-amz-date': '20261125T000000Z' },
];

function encode(doc: unknown): string {
  return Buffer.from(JSON.stringify(doc)).toString('base64');
}

function signedForm(policy: string, extra: Record<string, string> = {}, secret = SECRET): Record<string, string> {
  const signature = createHmac('sha256', signingKey(secret, '20261125', 'us-east-1')).update(policy).digest('hex');
  return {
    key: 'uploads/cat.jpg',
    acl: 'public-read',
    success_action_status: '201',
    success_action_redirect: 'http://localhost:3000/done',
    'Content-Type': 'image/jpeg',
    'x-amz-meta-uuid': '14365123651274',
    'x-amz-meta-tag': 'cats',
    'X-Amz-Credential': credential,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Date': '20261125T000000Z',
    Policy: policy,
    'X-Amz-Signature': signature,
    ...extra,
  };
}

const policyText = encode({ expiration: '2026-11-26T12:00:00.000Z', conditions });

function verified(fields: Record<string, string>): PostPolicy {
  const r = verifyPostPolicySignature(fields, now, lookupSecret);
  if (!r || !r.ok) throw new Error(JSON.stringify(r));
  return r.policy;
}

t.test('a good form – signature, expiration, every condition', async (t) => {
  const form = signedForm(policyText);
  const r = verifyPostPolicySignature(form, now, lookupSecret);
  t.ok(r?.ok);
  if (!r?.ok) return;
  t.equal(r.accessKeyId, AKID);
  t.equal(r.signatureVersion, 4);
  t.same(checkPostPolicyConditions(r.policy, { ...form, bucket: 'photos' }, 1000), { ok: true });
  t.same(checkPostPolicyConditions(r.policy, { ...form, bucket: 'photos' }), { ok: true }, 'size checked later');
  t.same(contentLengthRange(r.policy), { min: 1, max: 1048576 });
});

t.test('signature refusals', async (t) => {
  const wrong = verifyPostPolicySignature(signedForm(policyText, {}, 'other-secret'), now, lookupSecret);
  t.equal(wrong?.ok === false && wrong.code, 'SignatureDoesNotMatch');
  if (wrong && !wrong.ok) t.equal(wrong.extra.StringToSign, policyText);
  const unknown = verifyPostPolicySignature(signedForm(policyText, { 'X-Amz-Credential': 'NOPE/20261125/us-east-1/s3/aws4_request' }), now, lookupSecret);
  t.equal(unknown?.ok === false && unknown.code, 'InvalidAccessKeyId');
  const { 'X-Amz-Signature': _s, ...unsigned } = signedForm(policyText);
  const missing = verifyPostPolicySignature(unsigned, now, lookupSecret);
  t.equal(missing?.ok === false && missing.code, 'InvalidArgument');
  const service = verifyPostPolicySignature(signedForm(policyText, { 'X-Amz-Credential': `${AKID}/20261125/us-east-1/ec2/aws4_request` }), now, lookupSecret);
  t.equal(service?.ok === false && service.message, 'incorrect service "ec2". This endpoint belongs to "s3".');
  const algo = verifyPostPolicySignature(signedForm(policyText, { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1' }), now, lookupSecret);
  t.equal(algo?.ok === false && algo.code, 'InvalidArgument');
});

t.test('anonymous form – no policy, no signature', async (t) => {
  t.equal(verifyPostPolicySignature({ key: 'a', file: 'x' }, now, lookupSecret), undefined);
});

t.test('expired policy', async (t) => {
  const r = verifyPostPolicySignature(signedForm(policyText), new Date('2026-11-26T12:00:01Z'), lookupSecret);
  t.same(r, { ok: false, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.', extra: {} });
});

t.test('invalid policy documents – InvalidPolicyDocument', async (t) => {
  const cases: Array<[string, string]> = [
    ['%%%not base64', 'Invalid Policy: invalid Base64 encoding.'],
    [Buffer.from('{not json').toString('base64'), 'Invalid Policy: Invalid JSON.'],
    [encode({ conditions: [] }), 'Invalid Policy: Policy missing expiration.'],
    [encode({ expiration: 'tomorrow', conditions: [] }), "Invalid Policy: Invalid 'expiration' value: 'tomorrow'"],
    [encode({ expiration: '2026-12-01T00:00:00Z' }), 'Invalid Policy: Policy missing conditions.'],
    [encode({ expiration: '2026-12-01T00:00:00Z', conditions: {} }), "Invalid Policy: Invalid 'conditions' value: must be a List."],
    [encode({ expiration: '2026-12-01T00:00:00Z', conditions: [['matches', '$key', 'x']] }), "Invalid Policy: Invalid Condition: unknown operation 'matches'."],
    [encode({ expiration: '2026-12-01T00:00:00Z', conditions: [['eq', '$key']] }), 'Invalid Policy: Invalid eq: wrong number of arguments.'],
    [encode({ expiration: '2026-12-01T00:00:00Z', conditions: [{ a: '1', b: '2' }] }), 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.'],
    [encode({ expiration: '2026-12-01T00:00:00Z', conditions: ['key'] }), 'Invalid Policy: Invalid condition test: must be a List or Object.'],
  ];
  for (const [policy, message] of cases) {
    const r = verifyPostPolicySignature(signedForm(policy), now, lookupSecret);
    t.equal(r?.ok === false && r.code, 'InvalidPolicyDocument', message);
    t.equal(r?.ok === false && r.message, message);
  }
});

t.test('each condition failing – AccessDenied naming the condition', async (t) => {
  const policy = verified(signedForm(policyText));
  const base: Record<string, string> = { ...signedForm(policyText), bucket: 'photos' };
  const cases: Array<[Record<string, string>, string]> = [
    [{ bucket: 'other' }, '["eq", "$bucket", "photos"]'],
    [{ key: 'private/cat.jpg' }, '["starts-with", "$key", "uploads/"]'],
    [{ acl: 'private' }, '["eq", "$acl", "public-read"]'],
    [{ success_action_status: '200' }, '["eq", "$success_action_status", "201"]'],
    [{ success_action_redirect: 'http://evil/' }, '["starts-with", "$success_action_redirect", "http://localhost:3000/"]'],
    [{ 'Content-Type': 'text/html' }, '["starts-with", "$Content-Type", "image/"]'],
    [{ 'x-amz-meta-uuid': '1' }, '["eq", "$x-amz-meta-uuid", "14365123651274"]'],
    [{ 'x-amz-meta-tag': 'dogs' }, '["eq", "$x-amz-meta-tag", "cats"]'],
  ];
  for (const [change, text] of cases) {
    const r = checkPostPolicyConditions(policy, { ...base, ...change });
    t.same(r, { ok: false, code: 'AccessDenied', message: `Invalid according to Policy: Policy Condition failed: ${text}`, extra: {} }, text);
  }
  const { 'x-amz-meta-tag': _tag, ...withoutTag } = base;
  const missing = checkPostPolicyConditions(policy, withoutTag);
  t.equal(missing.ok === false && missing.message, 'Invalid according to Policy: Policy Condition failed: ["eq", "$x-amz-meta-tag", "cats"]', 'a missing field fails its condition');
});

t.test('starts-with "" accepts any value of a present field', async (t) => {
  const policy = parsePolicyDocument(encode({ expiration: '2026-12-01T00:00:00Z', conditions: [['starts-with', '$key', ''], ['starts-with', '$Content-Type', '']] }));
  if ('ok' in policy) throw new Error(policy.message);
  t.same(checkPostPolicyConditions(policy, { key: 'anything', 'content-type': 'x/y' }), { ok: true });
  const missing = checkPostPolicyConditions(policy, { key: 'anything' });
  t.equal(missing.ok === false && missing.message, 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", ""]');
});

t.test('content-length-range – EntityTooLarge and EntityTooSmall', async (t) => {
  const policy = verified(signedForm(policyText));
  const fields = { ...signedForm(policyText), bucket: 'photos' };
  t.same(checkPostPolicyConditions(policy, fields, 1048577), {
    ok: false,
    code: 'EntityTooLarge',
    message: 'Your proposed upload exceeds the maximum allowed size',
    extra: { ProposedSize: '1048577', MaxSizeAllowed: '1048576' },
  });
  t.same(checkPostPolicyConditions(policy, fields, 0), {
    ok: false,
    code: 'EntityTooSmall',
    message: 'Your proposed upload is smaller than the minimum allowed size',
    extra: { ProposedSize: '0', MinSizeAllowed: '1' },
  });
  t.same(checkPostPolicyConditions(policy, fields, 1048576), { ok: true });
});

t.test('every form field must be covered by a condition', async (t) => {
  const policy = verified(signedForm(policyText));
  const fields = { ...signedForm(policyText), bucket: 'photos' };
  const extra = checkPostPolicyConditions(policy, { ...fields, 'x-amz-meta-extra': '1' });
  t.same(extra, { ok: false, code: 'AccessDenied', message: 'Invalid according to Policy: Extra input fields: x-amz-meta-extra', extra: {} });
  t.same(checkPostPolicyConditions(policy, { ...fields, 'x-ignore-tracking': '1', file: 'cat.jpg' }), { ok: true }, 'x-ignore-* and file exempt');
  const upper = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toUpperCase(), v]));
  t.same(checkPostPolicyConditions(policy, upper), { ok: true }, 'field names case-insensitive');
});

t.test('SigV2 POST form – AWSAccessKeyId and Base64(HMAC-SHA1) signature', async (t) => {
  const policy = encode({ expiration: '2026-12-01T00:00:00Z', conditions: [{ bucket: 'photos' }, ['starts-with', '$key', '']] });
  const signature = createHmac('sha1', SECRET).update(policy).digest('base64');
  const form = { key: 'k', AWSAccessKeyId: AKID, policy, signature };
  const r = verifyPostPolicySignature(form, now, lookupSecret);
  t.ok(r?.ok);
  if (r?.ok) {
    t.equal(r.signatureVersion, 2);
    t.same(checkPostPolicyConditions(r.policy, { ...form, bucket: 'photos' }), { ok: true });
  }
  const bad = verifyPostPolicySignature({ ...form, signature: 'AAAA' }, now, lookupSecret);
  t.equal(bad?.ok === false && bad.code, 'SignatureDoesNotMatch');
});
