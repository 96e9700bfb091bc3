/**
 * docs/spec/access.md §5 R5.4, R5.7: a public bucket policy (GetBucketPolicyStatus, BlockPublicPolicy,
 * RestrictPublicBuckets) and a public ACL.
 */

import t from 'tap';
import { isPublicAcl, isPublicCannedAcl, isPublicPolicy } from '../../policy-engine';
import type { AclGrant } from '../../policy-engine';
import { A, A_CANONICAL, C, C_CANONICAL, allUsersRead, authUsersRead, mustParse, ownerFull, policyText } from './fixtures/world';
import type { StatementSpec } from './fixtures/world';

const s = (patch: Partial<StatementSpec>): StatementSpec => ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...patch });
const pub = (...statements: StatementSpec[]): boolean => isPublicPolicy(mustParse(policyText(...statements)));
const cond = (op: string, key: string, value: unknown): Partial<StatementSpec> => ({ Condition: { [op]: { [key]: value } } });

const rows: Array<[string, StatementSpec[], boolean]> = [
  ['"*"', [s({})], true],
  ['{"AWS":"*"}', [s({ Principal: { AWS: '*' } })], true],
  ['account', [s({ Principal: { AWS: C } })], false],
  ['account root ARN', [s({ Principal: { AWS: `arn:aws:iam::${C}:root` } })], false],
  ['user', [s({ Principal: { AWS: `arn:aws:iam::${C}:user/carol` } })], false],
  ['canonical user', [s({ Principal: { CanonicalUser: C_CANONICAL } })], false],
  ['service', [s({ Principal: { Service: 'logging.s3.amazonaws.com' } })], false],
  ['federated is not fixed', [s({ Principal: { Federated: 'accounts.google.com' } })], true],
  ['fixed beside federated', [s({ Principal: { AWS: C, Federated: 'accounts.google.com' } })], true],
  ['Deny "*" never counts', [s({ Effect: 'Deny' })], false],
  ['one public statement among fixed ones', [s({ Principal: { AWS: C } }), s({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' })], true],
  ['SourceIp /32', [s(cond('IpAddress', 'aws:SourceIp', '10.0.0.0/32'))], false],
  ['SourceIp /8', [s(cond('IpAddress', 'aws:SourceIp', '10.0.0.0/8'))], false],
  ['SourceIp /7 is broader than /8', [s(cond('IpAddress', 'aws:SourceIp', '10.0.0.0/7'))], true],
  ['SourceIp 0.0.0.0/1', [s(cond('IpAddress', 'aws:SourceIp', '0.0.0.0/1'))], true],
  ['SourceIp one broad among narrow', [s(cond('IpAddress', 'aws:SourceIp', ['10.0.0.0/24', '0.0.0.0/0']))], true],
  ['SourceIp IPv6 /32', [s(cond('IpAddress', 'aws:SourceIp', '2001:db8::/32'))], false],
  ['SourceIp IPv6 /31', [s(cond('IpAddress', 'aws:SourceIp', '2001:db8::/31'))], true],
  ['NotIpAddress does not pin', [s(cond('NotIpAddress', 'aws:SourceIp', '10.0.0.0/32'))], true],
  ['IpAddressIfExists does not pin', [s(cond('IpAddressIfExists', 'aws:SourceIp', '10.0.0.0/32'))], true],
  ['SourceArn fixed', [s(cond('ArnEquals', 'aws:SourceArn', 'arn:aws:cloudfront::111111111111:distribution/E1'))], false],
  ['SourceArn wildcard', [s(cond('ArnLike', 'aws:SourceArn', 'arn:aws:cloudfront::111111111111:distribution/*'))], true],
  ['SourceVpce', [s(cond('StringEquals', 'aws:SourceVpce', 'vpce-1a2b3c4d'))], false],
  ['SourceVpc', [s(cond('StringEquals', 'aws:SourceVpc', 'vpc-111bbb22'))], false],
  ['SourceAccount', [s(cond('StringEquals', 'aws:SourceAccount', A))], false],
  ['SourceOwner', [s(cond('StringEquals', 'aws:SourceOwner', A))], false],
  ['PrincipalOrgID', [s(cond('StringEquals', 'aws:PrincipalOrgID', 'o-abc'))], false],
  ['PrincipalOrgID with a variable', [s(cond('StringEquals', 'aws:PrincipalOrgID', '${aws:username}'))], true],
  ['KMS key id', [s({ Action: 's3:PutObject', ...cond('StringEquals', 's3:x-amz-server-side-encryption-aws-kms-key-id', 'arn:aws:kms:us-east-1:111111111111:key/k') })], false],
  ['userid fixed', [s(cond('StringEquals', 'aws:userid', 'AIDAEXAMPLE'))], false],
  ['userid AROLEID:*', [s(cond('StringLike', 'aws:userid', 'AROAEXAMPLE:*'))], true],
  ['DataAccessPointArn with * name', [s(cond('StringEquals', 's3:DataAccessPointArn', 'arn:aws:s3:us-east-1:111111111111:accesspoint/*'))], false],
  ['DataAccessPointArn wildcard account', [s(cond('StringLike', 's3:DataAccessPointArn', 'arn:aws:s3:us-east-1:*:accesspoint/*'))], true],
  ['DataAccessPointAccount', [s(cond('StringEquals', 's3:DataAccessPointAccount', A))], false],
  ['PrincipalAccount (UNVERIFIED)', [s(cond('StringEquals', 'aws:PrincipalAccount', A))], false],
  ['StringNotEquals does not pin', [s(cond('StringNotEquals', 'aws:SourceAccount', A))], true],
  ['ForAllValues does not pin', [s(cond('ForAllValues:StringEquals', 'aws:SourceAccount', A))], true],
  ['unrelated key does not pin', [s(cond('StringEquals', 'aws:Referer', 'http://x/'))], true],
  ['Bool SecureTransport does not pin', [s(cond('Bool', 'aws:SecureTransport', 'true'))], true],
];

for (const [name, statements, expected] of rows) {
  t.test(`§5 R5.7 ${name}`, async (t) => {
    t.equal(pub(...statements), expected);
  });
}

t.test('§5 R5.4 public ACLs', async (t) => {
  const logDelivery: AclGrant = { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, permission: 'WRITE' };
  t.equal(isPublicAcl([ownerFull(A_CANONICAL)]), false, 'owner only');
  t.equal(isPublicAcl([ownerFull(A_CANONICAL), ownerFull(C_CANONICAL)]), false, 'another account is not public');
  t.equal(isPublicAcl([ownerFull(A_CANONICAL), allUsersRead]), true, 'AllUsers');
  t.equal(isPublicAcl([authUsersRead]), true, 'AuthenticatedUsers');
  t.equal(isPublicAcl([logDelivery]), false, 'LogDelivery');
  t.equal(isPublicAcl([]), false);
  for (const name of ['public-read', 'public-read-write', 'authenticated-read']) t.equal(isPublicCannedAcl(name), true, name);
  for (const name of ['private', 'log-delivery-write', 'bucket-owner-read', 'bucket-owner-full-control', 'aws-exec-read']) t.equal(isPublicCannedAcl(name), false, name);
});
