/**
 * docs/spec/access.md §2 R2.1-R2.4 and §4 R4.3: PutBucketPolicy validation, one row per refusal
 * (exact S3 message) and per accepted form.
 */

import t from 'tap';
import { parsePolicy, policySize, POLICY_MAX_BYTES } from '../../policy-engine';
import { A, C, C_CANONICAL, mustParse, parseMessage } from './fixtures/world';

const FIRST_BYTE = "Policies must be valid JSON and the first byte must be '{'";
const PRINCIPAL = 'Invalid principal in policy';
const ACTION = 'Policy has invalid action';
const RESOURCE = 'Policy has invalid resource';
const MISMATCH = 'Action does not apply to any resource(s) in statement';

type St = Record<string, unknown>;
const base: St = { Effect: 'Allow', Principal: { AWS: C }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const doc = (...statements: St[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const st = (patch: St): string => doc({ ...base, ...patch });
const without = (name: string): string => {
  const s = { ...base };
  delete s[name];
  return doc(s);
};

const rows: Array<[string, string, string]> = [
  // §4 R4.3 steps 2-4
  ['empty body', '', FIRST_BYTE],
  ['leading space', ` ${doc(base)}`, FIRST_BYTE],
  ['array document', '[]', FIRST_BYTE],
  ['truncated JSON', '{"Statement": [', 'This policy contains invalid Json'],
  ['trailing garbage', `${doc(base)}x`, 'This policy contains invalid Json'],
  ['no Statement', '{"Version":"2012-10-17"}', 'Missing required field Statement'],
  ['Statement []', '{"Statement":[]}', 'Could not parse the policy: Statement is empty!'],
  ['statement not an object', '{"Statement":["x"]}', 'This policy contains invalid Json'],
  ['unknown document member (UNVERIFIED)', '{"Statement":[],"Foo":1}', 'Unknown field Foo'],
  // step 5
  ['Version 2012-10-16', JSON.stringify({ Version: '2012-10-16', Statement: [base] }), 'The policy must contain a valid version string'],
  ['Version number', JSON.stringify({ Version: 2012, Statement: [base] }), 'The policy must contain a valid version string'],
  ['Effect allowed', st({ Effect: 'allowed' }), 'Invalid effect: allowed'],
  ['Effect allow (case)', st({ Effect: 'allow' }), 'Invalid effect: allow'],
  ['bad Version beats missing Principal', JSON.stringify({ Version: 'x', Statement: [{ Effect: 'Allow' }] }), 'The policy must contain a valid version string'],
  // step 6
  ['no Principal', without('Principal'), 'Missing required field Principal'],
  ['no Effect', without('Effect'), 'Missing required field Effect'],
  ['no Action', without('Action'), 'Missing required field Action'],
  ['no Resource', without('Resource'), 'Missing required field Resource'],
  ['missing Principal beats bad Resource (terraform#28688)', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*' }] }), 'Missing required field Principal'],
  ['unknown statement member (UNVERIFIED)', st({ Conditions: {} }), 'Unknown field Conditions'],
  ['duplicate Sid (UNVERIFIED)', doc({ ...base, Sid: 'x' }, { ...base, Sid: 'x' }), 'Statement IDs (SID) in a single policy must be unique'],
  // step 7
  ['Principal ""', st({ Principal: '' }), PRINCIPAL],
  ['Principal []', st({ Principal: [] }), PRINCIPAL],
  ['Principal {}', st({ Principal: {} }), PRINCIPAL],
  ['{"AWS":""}', st({ Principal: { AWS: '' } }), PRINCIPAL],
  ['{"AWS":[]}', st({ Principal: { AWS: [] } }), PRINCIPAL],
  ['bare account string', st({ Principal: C }), PRINCIPAL],
  ['"*" among others', st({ Principal: { AWS: ['*', C] } }), PRINCIPAL],
  ['"*" beside a service', st({ Principal: { AWS: '*', Service: 's3.amazonaws.com' } }), PRINCIPAL],
  ['partial wildcard', st({ Principal: { AWS: 'arn:aws:iam::222222222222:user/*' } }), PRINCIPAL],
  ['account id with wildcard', st({ Principal: { AWS: '22222222222*' } }), PRINCIPAL],
  ['IAM group', st({ Principal: { AWS: `arn:aws:iam::${C}:group/admins` } }), PRINCIPAL],
  ['unknown user of a known account', st({ Principal: { AWS: `arn:aws:iam::${C}:user/mallory` } }), PRINCIPAL],
  ['role of a known account', st({ Principal: { AWS: `arn:aws:iam::${C}:role/r` } }), PRINCIPAL],
  ['access key as principal', st({ Principal: { AWS: 'user' } }), PRINCIPAL],
  ['unknown principal type', st({ Principal: { IAM: C } }), PRINCIPAL],
  ['CanonicalUser not 64 hex', st({ Principal: { CanonicalUser: 'abc' } }), PRINCIPAL],
  ['Principal and NotPrincipal', st({ NotPrincipal: { AWS: A } }), PRINCIPAL],
  ['Allow with NotPrincipal (UNVERIFIED)', doc({ Effect: 'Allow', NotPrincipal: { AWS: A }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), PRINCIPAL],
  // step 8
  ['s3:GetObjekt', st({ Action: 's3:GetObjekt' }), ACTION],
  ['Action ""', st({ Action: '' }), ACTION],
  ['Action []', st({ Action: [] }), ACTION],
  ['iam:* action', st({ Action: 'iam:PassRole' }), ACTION],
  ['no service prefix', st({ Action: 'GetObject' }), ACTION],
  ['wildcard matching nothing', st({ Action: 's3:Frobnicate*' }), ACTION],
  ['one bad among good', st({ Action: ['s3:GetObject', 's3:Nope'] }), ACTION],
  ['Action number', st({ Action: 5 }), ACTION],
  // step 9
  ['Resource "*"', st({ Resource: '*' }), RESOURCE],
  ['Resource ""', st({ Resource: '' }), RESOURCE],
  ['Resource []', st({ Resource: [] }), RESOURCE],
  ['other bucket', st({ Resource: 'arn:aws:s3:::other/*' }), RESOURCE],
  ['bucket prefix only', st({ Resource: 'arn:aws:s3:::bb/*' }), RESOURCE],
  ['leading slash', st({ Resource: 'arn:aws:s3:::/b/*' }), RESOURCE],
  ['not an S3 ARN', st({ Resource: 'arn:aws:iam::222222222222:root' }), RESOURCE],
  ['bare key', st({ Resource: 'b/*' }), RESOURCE],
  ['wildcard in bucket part (UNVERIFIED)', st({ Resource: 'arn:aws:s3:::*' }), RESOURCE],
  ['wildcard bucket with key', st({ Resource: 'arn:aws:s3:::b*/*' }), RESOURCE],
  // step 10
  ['GetObject on bucket', st({ Resource: 'arn:aws:s3:::b' }), MISMATCH],
  ['ListBucket on objects', st({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b/*' }), MISMATCH],
  ['ListAllMyBuckets on a bucket', st({ Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::b' }), MISMATCH],
  ['PutObject on bucket (versitygw#645)', st({ Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::b'] }), MISMATCH],
  // step 11
  ['unknown operator', st({ Condition: { StringEqualz: { 'aws:username': 'x' } } }), 'Invalid Condition type : StringEqualz'],
  ['two set prefixes', st({ Condition: { 'ForAnyValue:ForAllValues:StringEquals': { 'aws:username': 'x' } } }), 'Invalid Condition type : ForAnyValue:ForAllValues:StringEquals'],
  ['NullIfExists', st({ Condition: { NullIfExists: { 'aws:Referer': 'true' } } }), 'Invalid Condition type : NullIfExists'],
  ['lower-case operator (UNVERIFIED)', st({ Condition: { stringequals: { 'aws:username': 'x' } } }), 'Invalid Condition type : stringequals'],
  ['unknown key', st({ Condition: { StringEquals: { 'aws:Nope': 'x' } } }), 'Policy has an invalid condition key'],
  ['foreign service key', st({ Condition: { StringEquals: { 'ec2:Region': 'x' } } }), 'Policy has an invalid condition key'],
  ['object value', st({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), 'Policy has an invalid condition key'],
  ['key foreign to the actions', st({ Condition: { StringLike: { 's3:prefix': 'a/*' } } }), 'Conditions do not apply to combination of actions and resources in statement'],
  ['x-amz-acl with GetObject', st({ Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } }), 'Conditions do not apply to combination of actions and resources in statement'],
  // accepted
  ['valid', doc(base), 'ok'],
  ['Statement as an object', JSON.stringify({ Statement: base }), 'ok'],
  ['Version 2008-10-17', JSON.stringify({ Version: '2008-10-17', Statement: [base] }), 'ok'],
  ['"*" principal', st({ Principal: '*' }), 'ok'],
  ['{"AWS":"*"}', st({ Principal: { AWS: '*' } }), 'ok'],
  ['account root ARN', st({ Principal: { AWS: `arn:aws:iam::${C}:root` } }), 'ok'],
  ['known user', st({ Principal: { AWS: `arn:aws:iam::${C}:user/carol` } }), 'ok'],
  ['user with path', st({ Principal: { AWS: `arn:aws:iam::${C}:user/team/carol` } }), 'ok'],
  ['user of an unknown account (DEVIATION)', st({ Principal: { AWS: 'arn:aws:iam::333333333333:user/zed' } }), 'ok'],
  ['CanonicalUser', st({ Principal: { CanonicalUser: C_CANONICAL } }), 'ok'],
  ['Service', st({ Principal: { Service: 'logging.s3.amazonaws.com' } }), 'ok'],
  ['Federated', st({ Principal: { Federated: 'cognito-identity.amazonaws.com' } }), 'ok'],
  ['Deny with NotPrincipal', doc({ Effect: 'Deny', NotPrincipal: { AWS: A }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }), 'ok'],
  ['Action "*"', st({ Action: '*' }), 'ok'],
  ['S3:getobject (case-insensitive)', st({ Action: 'S3:getobject' }), 'ok'],
  ['s3:Get*', st({ Action: 's3:Get*', Resource: 'arn:aws:s3:::b' }), 'ok'],
  ['s3:?etObject', st({ Action: 's3:?etObject' }), 'ok'],
  ['NotAction', doc({ Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), 'ok'],
  ['NotResource', doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', NotResource: 'arn:aws:s3:::b/public/*' }), 'ok'],
  ['duplicate resources (VGW)', st({ Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/*'] }), 'ok'],
  ['mixed resources', st({ Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] }), 'ok'],
  ['numeric and boolean condition values', st({ Condition: { NumericLessThan: { 's3:signatureAge': 600000 }, Bool: { 'aws:SecureTransport': true } } }), 'ok'],
  ['condition key case-insensitive', st({ Condition: { StringEquals: { 'AWS:USERNAME': 'x' } } }), 'ok'],
  ['ForAnyValue + IfExists', st({ Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:username': 'x*' } } }), 'ok'],
  ['tag key family', st({ Condition: { StringEquals: { 's3:ExistingObjectTag/any key': 'v' } } }), 'ok'],
];

for (const [name, text, expected] of rows) {
  t.test(`§4 R4.3 ${name}`, async (t) => {
    t.equal(parseMessage(text), expected);
  });
}

t.test('§4 R4.3 step 1: 20 KB without insignificant whitespace', async (t) => {
  const filler = (n: number): string => doc({ ...base, Sid: 'x'.repeat(n) });
  const exact = filler(POLICY_MAX_BYTES - policySize(filler(0)));
  t.equal(policySize(exact), POLICY_MAX_BYTES);
  t.equal(parseMessage(exact), 'ok', 'exactly 20480 bytes is accepted');
  t.equal(parseMessage(filler(POLICY_MAX_BYTES - policySize(filler(0)) + 1)), 'Policy exceeds the maximum allowed document size.');
  const padded = exact.replace(/,/g, ',\n        ');
  t.ok(Buffer.byteLength(padded) > POLICY_MAX_BYTES, 'raw text is over the limit');
  t.equal(parseMessage(padded), 'ok', 'whitespace outside strings is not counted');
  t.equal(policySize('{"a b": "c\\" d"}'), 15, 'spaces inside strings (escaped quote too) count');
  t.equal(policySize('{"é":1}'), 8, 'UTF-8 bytes');
  t.equal(parseMessage(`${'x'.repeat(POLICY_MAX_BYTES + 1)}`), 'Policy exceeds the maximum allowed document size.', 'size is checked before the first byte');
});

t.test('§2 R2.1 typed result', async (t) => {
  const p = mustParse(JSON.stringify({ Id: 'P1', Statement: { ...base, Sid: 'S', Condition: { StringEquals: { 'aws:username': ['a', 5, true] } } } }));
  t.equal(p.version, '2008-10-17');
  t.equal(p.versionGiven, false);
  t.equal(p.id, 'P1');
  t.same(p.statements[0], {
    index: 0,
    sid: 'S',
    effect: 'Allow',
    principal: [{ kind: 'account', accountId: C, source: C }],
    action: ['s3:GetObject'],
    resource: ['arn:aws:s3:::b/*'],
    conditions: [{ operator: 'StringEquals', key: 'aws:username', values: ['a', '5', 'true'] }],
  });
  const q = mustParse(doc({ ...base, Principal: { AWS: [`arn:aws:iam::${C}:root`, `arn:aws:iam::${C}:user/carol`], CanonicalUser: C_CANONICAL, Service: 's' } }));
  t.same(q.statements[0]?.principal?.map((p) => p.kind), ['account', 'user', 'canonical', 'other']);
});

t.test('the error carries code MalformedPolicy', async (t) => {
  t.same(parsePolicy('', { bucket: 'b' }), { ok: false, error: { code: 'MalformedPolicy', message: FIRST_BYTE } });
});
