/**
 * docs/spec/access.md §2 R2.5, R2.6: every condition operator, IfExists, ForAnyValue /
 * ForAllValues, absent keys, policy variables. Each row is one Allow statement with one condition
 * evaluated against the request keys; `true` = the statement applies.
 */

import t from 'tap';
import { compilePolicy, evaluatePolicy, parsePolicy } from '../../policy-engine';
import type { ConditionValues } from '../../policy-engine';
import { alice, anon, cRoot } from './fixtures/world';

function applies(op: string, key: string, values: unknown, keys: ConditionValues, version = '2012-10-17', principal = cRoot): boolean {
  const text = JSON.stringify({
    Version: version,
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { [op]: { [key]: values } } }],
  });
  const r = parsePolicy(text, { bucket: 'b' });
  if (!r.ok) throw new Error(r.error.message);
  return evaluatePolicy(compilePolicy(r.policy), { principal, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', conditionKeys: keys }).effect === 'Allow';
}

type Row = [string, string, string, unknown, ConditionValues, boolean];
const ref = { 'aws:Referer': 'http://www.example.com/a' };
const none = {};

const rows: Row[] = [
  // String
  ['StringEquals match', 'StringEquals', 'aws:Referer', 'http://www.example.com/a', ref, true],
  ['StringEquals is case-sensitive', 'StringEquals', 'aws:Referer', 'HTTP://www.example.com/a', ref, false],
  ['StringEquals: * is literal', 'StringEquals', 'aws:Referer', 'http://www.example.com/*', ref, false],
  ['StringEquals OR over values', 'StringEquals', 'aws:Referer', ['x', 'http://www.example.com/a'], ref, true],
  ['StringEquals absent → false', 'StringEquals', 'aws:Referer', 'x', none, false],
  ['StringNotEquals other', 'StringNotEquals', 'aws:Referer', 'x', ref, true],
  ['StringNotEquals: no value may match', 'StringNotEquals', 'aws:Referer', ['x', 'http://www.example.com/a'], ref, false],
  ['StringNotEquals absent → true', 'StringNotEquals', 'aws:Referer', 'x', none, true],
  ['StringEqualsIgnoreCase', 'StringEqualsIgnoreCase', 'aws:Referer', 'HTTP://WWW.EXAMPLE.COM/A', ref, true],
  ['StringNotEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'aws:Referer', 'HTTP://WWW.EXAMPLE.COM/A', ref, false],
  ['StringLike *', 'StringLike', 'aws:Referer', 'http://www.example.com/*', ref, true],
  ['StringLike ? one char', 'StringLike', 'aws:Referer', 'http://www.example.com/?', ref, true],
  ['StringLike ? not two', 'StringLike', 'aws:Referer', 'http://www.example.com?', ref, false],
  ['StringLike anchored', 'StringLike', 'aws:Referer', 'www.example.com/*', ref, false],
  ['StringLike case-sensitive', 'StringLike', 'aws:Referer', 'HTTP://*', ref, false],
  ['StringLike regex chars literal', 'StringLike', 's3:prefix', 'a.b(c)+*', { 's3:prefix': 'a.b(c)+d' }, true],
  ['StringLike regex chars not special', 'StringLike', 's3:prefix', 'a.b*', { 's3:prefix': 'axb' }, false],
  ['StringLike * spans / and newline', 'StringLike', 's3:prefix', 'a*z', { 's3:prefix': 'a/\n/z' }, true],
  ['StringNotLike', 'StringNotLike', 'aws:Referer', 'http://evil/*', ref, true],
  ['StringNotLike matching', 'StringNotLike', 'aws:Referer', 'http://www.*', ref, false],
  // IfExists
  ['StringLikeIfExists absent → true', 'StringLikeIfExists', 'aws:Referer', 'http://www.example.com/*', none, true],
  ['StringLikeIfExists present, no match', 'StringLikeIfExists', 'aws:Referer', 'http://x/*', ref, false],
  ['StringNotEqualsIfExists absent → true', 'StringNotEqualsIfExists', 'aws:Referer', 'x', none, true],
  ['NumericLessThanIfExists absent → true', 'NumericLessThanIfExists', 's3:signatureAge', '1', none, true],
  // Numeric
  ['NumericEquals', 'NumericEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }, true],
  ['NumericEquals 10 vs 10.0', 'NumericEquals', 's3:max-keys', '10.0', { 's3:max-keys': '10' }, true],
  ['NumericNotEquals', 'NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': '11' }, true],
  ['NumericNotEquals equal', 'NumericNotEquals', 's3:max-keys', ['9', '11'], { 's3:max-keys': '11' }, false],
  ['NumericLessThan', 'NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': '9' }, true],
  ['NumericLessThan equal', 'NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': '10' }, false],
  ['NumericLessThanEquals', 'NumericLessThanEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }, true],
  ['NumericGreaterThan', 'NumericGreaterThan', 's3:signatureAge', 600000, { 's3:signatureAge': '660000' }, true],
  ['NumericGreaterThanEquals', 'NumericGreaterThanEquals', 's3:signatureAge', '5', { 's3:signatureAge': '4' }, false],
  ['Numeric request not a number', 'NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': 'ten' }, false],
  ['Numeric compares numerically, not as text', 'NumericLessThan', 's3:max-keys', '100', { 's3:max-keys': '9' }, true],
  // Date
  ['DateLessThan ISO', 'DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', { 'aws:CurrentTime': '2025-06-01T12:00:00Z' }, true],
  ['DateGreaterThan ISO', 'DateGreaterThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', { 'aws:CurrentTime': '2025-06-01T12:00:00Z' }, false],
  ['DateEquals across formats', 'DateEquals', 'aws:CurrentTime', '1700000000', { 'aws:CurrentTime': '2023-11-14T22:13:20Z' }, true],
  ['DateNotEquals', 'DateNotEquals', 'aws:EpochTime', '1700000000', { 'aws:EpochTime': '1700000001' }, true],
  ['DateLessThanEquals epoch', 'DateLessThanEquals', 'aws:EpochTime', '1700000000', { 'aws:EpochTime': '1700000000' }, true],
  ['DateGreaterThanEquals date only', 'DateGreaterThanEquals', 'aws:CurrentTime', '2020-01-01', { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }, true],
  ['Date request garbage', 'DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', { 'aws:CurrentTime': 'yesterday' }, false],
  // Bool
  ['Bool false', 'Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'false' }, true],
  ['Bool JSON true', 'Bool', 'aws:SecureTransport', true, { 'aws:SecureTransport': 'true' }, true],
  ['Bool mismatch', 'Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'false' }, false],
  ['Bool absent', 'Bool', 'aws:SecureTransport', 'false', none, false],
  ['BoolIfExists absent', 'BoolIfExists', 'aws:SecureTransport', 'false', none, true],
  // Binary
  ['BinaryEquals', 'BinaryEquals', 's3:x-amz-content-sha256', 'QmluYXJ5', { 's3:x-amz-content-sha256': 'QmluYXJ5' }, true],
  ['BinaryEquals other', 'BinaryEquals', 's3:x-amz-content-sha256', 'QmluYXJ5', { 's3:x-amz-content-sha256': 'QmluYXJ6' }, false],
  // IP
  ['IpAddress in CIDR', 'IpAddress', 'aws:SourceIp', '192.168.1.0/24', { 'aws:SourceIp': '192.168.1.77' }, true],
  ['IpAddress outside', 'IpAddress', 'aws:SourceIp', '192.168.1.0/24', { 'aws:SourceIp': '192.168.2.1' }, false],
  ['IpAddress bare = /32', 'IpAddress', 'aws:SourceIp', '10.0.0.1', { 'aws:SourceIp': '10.0.0.1' }, true],
  ['IpAddress bare /32 other', 'IpAddress', 'aws:SourceIp', '10.0.0.1', { 'aws:SourceIp': '10.0.0.2' }, false],
  ['IpAddress host bits set', 'IpAddress', 'aws:SourceIp', '10.1.2.3/8', { 'aws:SourceIp': '10.200.0.1' }, true],
  ['IpAddress /0', 'IpAddress', 'aws:SourceIp', '0.0.0.0/0', { 'aws:SourceIp': '8.8.8.8' }, true],
  ['IpAddress v4-mapped request', 'IpAddress', 'aws:SourceIp', '127.0.0.0/8', { 'aws:SourceIp': '::ffff:127.0.0.1' }, true],
  ['IpAddress IPv6 CIDR', 'IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db8:1::5' }, true],
  ['IpAddress IPv6 outside', 'IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '2001:db9::1' }, false],
  ['IpAddress IPv6 bare = /128', 'IpAddress', 'aws:SourceIp', '::1', { 'aws:SourceIp': '::1' }, true],
  ['IpAddress v4 vs v6 range', 'IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '10.0.0.1' }, false],
  ['IpAddress OR of CIDRs', 'IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], { 'aws:SourceIp': '192.168.9.9' }, true],
  ['IpAddress invalid policy value never matches', 'IpAddress', 'aws:SourceIp', '10.0.0', { 'aws:SourceIp': '10.0.0.0' }, false],
  ['IpAddress short IPv4 form refused', 'IpAddress', 'aws:SourceIp', '127.1', { 'aws:SourceIp': '127.0.0.1' }, false],
  ['NotIpAddress outside', 'NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '11.0.0.1' }, true],
  ['NotIpAddress inside', 'NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.0.0.1' }, false],
  // ARN
  ['ArnLike per segment', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:ro?t', {}, true],
  ['ArnLike user/* vs a root', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/*', {}, false],
  ['ArnEquals = ArnLike', 'ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::222222222222:*', {}, true],
  ['ArnLike: * does not cross a segment', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:*:root', {}, false],
  ['ArnLike account mismatch', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111111111111:root', {}, false],
  ['ArnNotLike', 'ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::111111111111:*', {}, true],
  ['ArnNotEquals matching', 'ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::222222222222:root', {}, false],
  ['ArnLike resource part keeps colons', 'ArnLike', 'aws:SourceArn', 'arn:aws:sns:us-east-1:123456789012:topic:*', { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:topic:sub' }, true],
  ['ArnLike request not an ARN', 'ArnLike', 'aws:SourceArn', '*', { 'aws:SourceArn': 'nope' }, false],
  // Null
  ['Null true, absent', 'Null', 'aws:Referer', 'true', none, true],
  ['Null true, present', 'Null', 'aws:Referer', 'true', ref, false],
  ['Null false, present', 'Null', 'aws:Referer', 'false', ref, true],
  ['Null false, absent', 'Null', 'aws:Referer', 'false', none, false],
  ['Null: [] counts as absent', 'Null', 's3:RequestObjectTagKeys', 'true', { 's3:RequestObjectTagKeys': [] }, true],
  // Sets
  ['ForAnyValue: one matches', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['z', 'b'] }, true],
  ['ForAnyValue: none matches', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['z'] }, false],
  ['ForAnyValue: absent → false', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], none, false],
  ['ForAnyValue: [] → false', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': [] }, false],
  ['ForAnyValue:StringLike', 'ForAnyValue:StringLike', 'aws:TagKeys', 'own*', { 'aws:TagKeys': ['x', 'owner'] }, true],
  ['ForAnyValue:StringNotEquals: some value outside', 'ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['a', 'z'] }, true],
  ['ForAnyValue:StringNotEquals: all inside', 'ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['a'] }, false],
  ['ForAllValues: all match', 'ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['b', 'a'] }, true],
  ['ForAllValues: one outside', 'ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a', 'z'] }, false],
  ['ForAllValues: absent → true', 'ForAllValues:StringEquals', 'aws:TagKeys', ['a'], none, true],
  ['ForAllValues: [] → true', 'ForAllValues:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': [] }, true],
  ['ForAllValues:StringNotLike: none matches', 'ForAllValues:StringNotLike', 'aws:TagKeys', 'tmp*', { 'aws:TagKeys': ['a', 'b'] }, true],
  ['ForAllValues:StringNotLike: one matches', 'ForAllValues:StringNotLike', 'aws:TagKeys', 'tmp*', { 'aws:TagKeys': ['a', 'tmp1'] }, false],
  ['ForAnyValue:StringEqualsIfExists absent → true', 'ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'a', none, true],
  ['single-valued key as a one-element set', 'ForAllValues:StringEquals', 'aws:Referer', 'http://www.example.com/a', ref, true],
  ['plain op on a multi-valued key: any', 'StringEquals', 'aws:TagKeys', 'b', { 'aws:TagKeys': ['a', 'b'] }, true],
  ['plain negated op on a multi-valued key: none may match', 'StringNotEquals', 'aws:TagKeys', 'b', { 'aws:TagKeys': ['a', 'b'] }, false],
  // Key names are case-insensitive
  ['key case: policy upper, request lower', 'StringEquals', 'AWS:REFERER', 'http://www.example.com/a', { 'aws:referer': 'http://www.example.com/a' }, true],
  ['key case: request mixed', 'StringEquals', 'aws:referer', 'http://www.example.com/a', { 'Aws:Referer': 'http://www.example.com/a' }, true],
  // Variables (2012-10-17 only)
  ['${aws:username} in StringEquals', 'StringEquals', 's3:prefix', 'home/${aws:username}/', { 's3:prefix': 'home/carol/' }, false],
  ['${*} is a literal star', 'StringLike', 's3:prefix', 'a${*}', { 's3:prefix': 'a*' }, true],
  ['${*} does not wildcard', 'StringLike', 's3:prefix', 'a${*}', { 's3:prefix': 'ab' }, false],
  ['${?} and ${$}', 'StringEquals', 's3:prefix', '${?}${$}', { 's3:prefix': '?$' }, true],
  ['variable from request keys', 'StringEquals', 's3:prefix', '${aws:SourceIp}', { 's3:prefix': '1.2.3.4', 'aws:SourceIp': '1.2.3.4' }, true],
  ['absent variable → element fails', 'StringEquals', 's3:prefix', '${aws:Referer}', { 's3:prefix': '' }, false],
  ['absent variable fails even for negated (no value matches → true)', 'StringNotEquals', 's3:prefix', '${aws:Referer}', { 's3:prefix': 'x' }, true],
  ['variable with wildcard in StringLike', 'StringLike', 's3:prefix', '${aws:PrincipalAccount}/*', { 's3:prefix': '222222222222/x' }, true],
  ['variable value is literal in StringLike', 'StringLike', 's3:prefix', 'x/${aws:Referer}', { 's3:prefix': 'x/ab', 'aws:Referer': 'a*' }, false],
  ['variable in ArnLike', 'ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::${aws:PrincipalAccount}:root', {}, true],
];

for (const [name, op, key, values, keys, expected] of rows) {
  t.test(`§2 R2.5 ${name}`, async (t) => {
    t.equal(applies(op, key, values, keys), expected, `${op} ${key} ${JSON.stringify(values)} vs ${JSON.stringify(keys)}`);
  });
}

t.test('§2 R2.6 variables: user keys, version 2008 literal, principal keys derived', async (t) => {
  t.equal(applies('StringEquals', 's3:prefix', 'home/${aws:username}/', { 's3:prefix': 'home/alice/' }, '2012-10-17', alice), true);
  t.equal(applies('StringEquals', 's3:prefix', 'home/${aws:username}/', { 's3:prefix': 'home/alice/' }, '2008-10-17', alice), false, '2008: not a variable');
  t.equal(applies('StringEquals', 's3:prefix', 'home/${aws:username}/', { 's3:prefix': 'home/${aws:username}/' }, '2008-10-17', alice), true, '2008: literal text');
  t.equal(applies('StringEquals', 'aws:userid', 'alice', {}, '2012-10-17', alice), true, 'aws:userid of a user (DEVIATION: its name)');
  t.equal(applies('StringEquals', 'aws:userid', '222222222222', {}, '2012-10-17', cRoot), true, 'aws:userid of a root: the account');
  t.equal(applies('StringEquals', 'aws:PrincipalType', 'Anonymous', {}, '2012-10-17', anon), true);
  t.equal(applies('StringEquals', 'aws:PrincipalAccount', 'anonymous', {}, '2012-10-17', anon), true);
  t.equal(applies('Null', 'aws:PrincipalArn', 'true', {}, '2012-10-17', anon), true, 'no PrincipalArn for anonymous');
  t.equal(applies('Null', 'aws:username', 'true', {}, '2012-10-17', cRoot), true, 'no username for a root');
  t.equal(applies('StringEquals', 'aws:PrincipalType', 'User', {}, '2012-10-17', alice), true);
  t.equal(applies('StringEquals', 'aws:PrincipalType', 'Account', { 'aws:PrincipalType': 'Account' }, '2012-10-17', alice), true, 'request keys override');
});

t.test('§2 R2.5 AND over operators and keys', async (t) => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*',
      Condition: { StringEquals: { 'aws:Referer': 'r', 'aws:UserAgent': 'u' }, Bool: { 'aws:SecureTransport': 'true' } },
    }],
  });
  const r = parsePolicy(text, { bucket: 'b' });
  if (!r.ok) throw new Error(r.error.message);
  const p = compilePolicy(r.policy);
  const go = (keys: ConditionValues): string => evaluatePolicy(p, { principal: anon, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', conditionKeys: keys }).effect;
  t.equal(go({ 'aws:Referer': 'r', 'aws:UserAgent': 'u', 'aws:SecureTransport': 'true' }), 'Allow');
  t.equal(go({ 'aws:Referer': 'r', 'aws:UserAgent': 'x', 'aws:SecureTransport': 'true' }), 'NoDecision');
  t.equal(go({ 'aws:Referer': 'r', 'aws:UserAgent': 'u', 'aws:SecureTransport': 'false' }), 'NoDecision');
});
