/**
 * docs/spec/access.md §1 R1.5, R1.6, §5 R5.5, R5.6, §6 R6.3, R6.4, §7: the whole decision of
 * decideAccess, its deciding source, and the ACL / ownership helpers.
 */

import t from 'tap';
import {
  cannedAclGrants, compilePolicy, decideAccess, describeSource, enforcedAcceptsObjectAcl, evaluatePolicy, isPublicPolicy, newObjectOwner, parsePolicy,
} from '../../policy-engine';
import type { AclGrant } from '../../policy-engine';
import {
  A, A_CANONICAL, BPA_OFF, C, C_CANONICAL, P, aRoot, alice, allUsersRead, anon, authUsersRead, cRoot, carol, compiled, decide, ownerFull,
} from './fixtures/world';
import type { Request, Setup } from './fixtures/world';

const aclOn: Setup = { ownership: 'ObjectWriter', bpa: BPA_OFF, bucketAcl: [ownerFull(A_CANONICAL)], objectAcl: [ownerFull(A_CANONICAL)] };
const d = (setup: Setup, req: Request): string => {
  const x = decide(setup, req);
  return `${x.result}: ${describeSource(x.source)}`;
};

t.test('§1 R1.5.1 owner root and the policy APIs; removed by confirm-remove-self-access (UNVERIFIED)', async (t) => {
  const policy = compiled({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b' });
  t.equal(d({ policy }, { principal: aRoot, action: 's3:PutBucketPolicy' }), 'allow: owner (bucket-owner-root-policy-apis)');
  t.equal(d({ policy }, { principal: aRoot, action: 's3:GetBucketPolicyStatus' }), 'explicitDeny: policy statement 0', 'only the three policy APIs');
  t.equal(d({ policy }, { principal: alice, action: 's3:PutBucketPolicy' }), 'explicitDeny: policy statement 0', 'users are not the root');
  const x = decide({}, { principal: aRoot, action: 's3:DeleteBucketPolicy' });
  t.equal(x.result, 'allow');
});

t.test('§1 R1.5.1 removesOwnerAccess', async (t) => {
  const policy = compiled({ Effect: 'Deny', Principal: '*', Action: 's3:*BucketPolicy', Resource: 'arn:aws:s3:::b' });
  const decision = evaluatePolicy(policy, { principal: aRoot, action: 's3:GetBucketPolicy', resource: 'arn:aws:s3:::b' });
  const base = { principal: aRoot, action: 's3:GetBucketPolicy', resourceKind: 'bucket' as const, bucketOwnerAccountId: A, ownership: 'BucketOwnerEnforced' as const, blockPublicAccess: BPA_OFF };
  t.equal(decideAccess({ ...base, policy: { decision, isPublic: false } }).result, 'allow');
  t.equal(decideAccess({ ...base, policy: { decision, isPublic: false, removesOwnerAccess: true } }).result, 'explicitDeny');
});

t.test('§1 R1.5.2 explicit deny beats identity allow and ACL grants', async (t) => {
  const policy = compiled({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
  t.equal(d({ policy }, { principal: aRoot, action: 's3:GetObject', key: 'k' }), 'explicitDeny: policy statement 0');
  t.equal(d({ ...aclOn, policy, objectAcl: [allUsersRead] }, { principal: anon, action: 's3:GetObject', key: 'k' }), 'explicitDeny: policy statement 0');
});

t.test('§1 R1.5.3-5 allows: identity, policy, ACL; anonymous only through "*" and AllUsers', async (t) => {
  t.equal(d({}, { principal: alice, action: 's3:PutBucketAcl' }), 'allow: owner (bucket-owner-account)');
  t.equal(d({ policy: compiled({ Effect: 'Allow', Principal: P.C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) }, { principal: anon, action: 's3:GetObject', key: 'k' }), 'implicitDeny: default deny');
  t.equal(d({ ...aclOn, objectAcl: [authUsersRead] }, { principal: anon, action: 's3:GetObject', key: 'k' }), 'implicitDeny: default deny', 'AuthenticatedUsers: not anonymous');
  t.equal(d({ ...aclOn, objectAcl: [authUsersRead] }, { principal: carol, action: 's3:GetObject', key: 'k' }), 'allow: object acl grant READ to AuthenticatedUsers');
  t.equal(d({ ...aclOn, objectAcl: [ownerFull(C_CANONICAL)] }, { principal: carol, action: 's3:GetObjectAcl', key: 'k' }), `allow: object acl grant FULL_CONTROL to canonical user ${C_CANONICAL}`, 'canonical grant covers the account users');
});

t.test('§7 R7.2 ACL permission mapping', async (t) => {
  const grant = (permission: AclGrant['permission']): AclGrant => ({ grantee: { type: 'CanonicalUser', id: C_CANONICAL }, permission });
  const rows: Array<[string, 'bucket' | 'object', AclGrant['permission'], string, boolean]> = [
    ['bucket READ lists', 'bucket', 'READ', 's3:ListBucket', true],
    ['bucket READ lists versions', 'bucket', 'READ', 's3:ListBucketVersions', true],
    ['bucket READ lists uploads', 'bucket', 'READ', 's3:ListBucketMultipartUploads', true],
    ['bucket READ does not read objects', 'bucket', 'READ', 's3:GetObject', false],
    ['bucket WRITE puts objects', 'bucket', 'WRITE', 's3:PutObject', true],
    ['bucket WRITE does not delete (UNVERIFIED)', 'bucket', 'WRITE', 's3:DeleteObject', false],
    ['bucket READ_ACP', 'bucket', 'READ_ACP', 's3:GetBucketAcl', true],
    ['bucket WRITE_ACP', 'bucket', 'WRITE_ACP', 's3:PutBucketAcl', true],
    ['bucket FULL_CONTROL lists', 'bucket', 'FULL_CONTROL', 's3:ListBucket', true],
    ['bucket FULL_CONTROL is not GetBucketPolicy', 'bucket', 'FULL_CONTROL', 's3:GetBucketPolicy', false],
    ['object READ', 'object', 'READ', 's3:GetObject', true],
    ['object READ versions', 'object', 'READ', 's3:GetObjectVersion', true],
    ['object READ is not tagging', 'object', 'READ', 's3:GetObjectTagging', false],
    ['object READ_ACP', 'object', 'READ_ACP', 's3:GetObjectAcl', true],
    ['object WRITE_ACP', 'object', 'WRITE_ACP', 's3:PutObjectAcl', true],
    ['object FULL_CONTROL reads', 'object', 'FULL_CONTROL', 's3:GetObject', true],
    ['object FULL_CONTROL does not delete', 'object', 'FULL_CONTROL', 's3:DeleteObject', false],
    ['object ACL WRITE is not PutObject', 'object', 'WRITE', 's3:PutObject', false],
  ];
  for (const [name, which, permission, action, expected] of rows) {
    const setup: Setup = { ...aclOn, [which === 'bucket' ? 'bucketAcl' : 'objectAcl']: [grant(permission)] };
    const objectAction = !['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads', 's3:GetBucketAcl', 's3:PutBucketAcl', 's3:GetBucketPolicy'].includes(action);
    const req: Request = objectAction ? { principal: cRoot, action, key: 'k' } : { principal: cRoot, action };
    t.equal(decide(setup, req).allowed, expected, name);
  }
});

t.test('§6 R6.3 BucketOwnerEnforced: ACL grants are ignored', async (t) => {
  const setup: Setup = { ownership: 'BucketOwnerEnforced', bpa: BPA_OFF, objectAcl: [ownerFull(A_CANONICAL), allUsersRead] };
  t.equal(d(setup, { principal: anon, action: 's3:GetObject', key: 'k' }), 'implicitDeny: ownership: BucketOwnerEnforced');
  t.equal(d(setup, { principal: aRoot, action: 's3:GetObject', key: 'k' }), 'allow: owner (bucket-owner-account)');
  t.equal(d({ ownership: 'BucketOwnerEnforced', bpa: BPA_OFF, objectAcl: [ownerFull(A_CANONICAL)] }, { principal: anon, action: 's3:GetObject', key: 'k' }), 'implicitDeny: default deny');
});

t.test('§5 R5.5 IgnorePublicAcls keeps non-public grants', async (t) => {
  const setup: Setup = { ...aclOn, bpa: { ...BPA_OFF, ignorePublicAcls: true }, objectAcl: [allUsersRead, { grantee: { type: 'CanonicalUser', id: C_CANONICAL }, permission: 'READ' }] };
  t.equal(d(setup, { principal: carol, action: 's3:GetObject', key: 'k' }), `allow: object acl grant READ to canonical user ${C_CANONICAL}`);
  t.equal(d(setup, { principal: anon, action: 's3:GetObject', key: 'k' }), 'implicitDeny: block-public-access: IgnorePublicAcls');
});

t.test('§5 R5.6 RestrictPublicBuckets: only for a public policy; ACLs untouched (UNVERIFIED)', async (t) => {
  const bpa = { ...BPA_OFF, restrictPublicBuckets: true };
  const pub = compiled({ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] });
  t.equal(d({ policy: pub, bpa }, { principal: carol, action: 's3:ListBucket' }), 'implicitDeny: block-public-access: RestrictPublicBuckets');
  t.equal(d({ policy: pub, bpa }, { principal: alice, action: 's3:ListBucket' }), 'allow: owner (bucket-owner-account)');
  t.equal(d({ ...aclOn, policy: pub, bpa, objectAcl: [allUsersRead] }, { principal: anon, action: 's3:GetObject', key: 'k' }), 'allow: object acl grant READ to AllUsers');
});

t.test('§1 R1.6 objects owned by another account', async (t) => {
  const policy = compiled({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' });
  const foreign: Setup = { ...aclOn, policy, objectOwner: C, objectAcl: [ownerFull(C_CANONICAL)] };
  t.equal(d(foreign, { principal: carol, action: 's3:GetObject', key: 'k' }), 'allow: owner (object-owner-account)');
  t.equal(d(foreign, { principal: alice, action: 's3:GetObject', key: 'k' }), 'implicitDeny: default deny', 'bucket owner needs an object grant');
  t.equal(d(foreign, { principal: anon, action: 's3:GetObject', key: 'k' }), 'implicitDeny: default deny', 'policy Allows do not reach');
  t.equal(d(foreign, { principal: aRoot, action: 's3:DeleteObject', key: 'k' }), 'allow: owner (bucket-owner-cleanup)');
  t.equal(d(foreign, { principal: anon, action: 's3:PutObject', key: 'k' }), 'allow: policy statement 0', 'an overwrite is a write into the bucket (UNVERIFIED)');
  t.equal(d({ ...foreign, objectAcl: cannedAclGrants('bucket-owner-full-control', C_CANONICAL, A_CANONICAL, 'object') ?? [] }, { principal: alice, action: 's3:GetObject', key: 'k' }), `allow: object acl grant FULL_CONTROL to canonical user ${A_CANONICAL}`);
  const deny = compiled({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
  t.equal(d({ ...foreign, policy: deny }, { principal: carol, action: 's3:GetObject', key: 'k' }), 'explicitDeny: policy statement 0', 'Denies reach');
  t.equal(d({ ...foreign, ownership: 'BucketOwnerEnforced' }, { principal: alice, action: 's3:GetObject', key: 'k' }), 'allow: owner (bucket-owner-account)', 'Enforced: the bucket owner owns everything');
  t.equal(d({}, { principal: carol, action: 's3:AbortMultipartUpload', key: 'u', uploadInitiatorArn: carol.kind === 'signed' ? carol.arn : '' }), 'allow: owner (upload-initiator)');
  t.equal(d({}, { principal: cRoot, action: 's3:AbortMultipartUpload', key: 'u', uploadInitiatorArn: carol.kind === 'signed' ? carol.arn : '' }), 'implicitDeny: default deny');
});

t.test('§4 R4.1 another account allowed on the policy APIs → methodNotAllowed; else 403', async (t) => {
  const policy = compiled({ Effect: 'Allow', Principal: P.C, Action: 's3:*BucketPolicy', Resource: 'arn:aws:s3:::b' });
  const x = decide({ policy }, { principal: carol, action: 's3:PutBucketPolicy' });
  t.same([x.allowed, x.result], [false, 'methodNotAllowed']);
  t.equal(decide({}, { principal: carol, action: 's3:PutBucketPolicy' }).result, 'implicitDeny');
  t.match(x.detail, /405 MethodNotAllowed/);
});

t.test('§6 R6.3, R6.4, §7 R7.3 ownership and canned ACL helpers', async (t) => {
  t.equal(enforcedAcceptsObjectAcl({}, A_CANONICAL), true, 'no ACL');
  t.equal(enforcedAcceptsObjectAcl({ canned: 'bucket-owner-full-control' }, A_CANONICAL), true);
  t.equal(enforcedAcceptsObjectAcl({ grants: [ownerFull(A_CANONICAL)] }, A_CANONICAL), true, 'FULL_CONTROL to the bucket owner only');
  t.equal(enforcedAcceptsObjectAcl({ grants: [ownerFull(C_CANONICAL)] }, A_CANONICAL), false);
  t.equal(enforcedAcceptsObjectAcl({ grants: [ownerFull(A_CANONICAL), allUsersRead] }, A_CANONICAL), false);
  t.equal(enforcedAcceptsObjectAcl({ canned: 'private' }, A_CANONICAL), false, 'UNVERIFIED: private refused');
  t.equal(newObjectOwner('ObjectWriter', undefined, A), A, 'anonymous writer (UNVERIFIED)');
  t.same(cannedAclGrants('public-read-write', C_CANONICAL, A_CANONICAL, 'bucket')?.map((g) => g.permission), ['FULL_CONTROL', 'READ', 'WRITE']);
  t.same(cannedAclGrants('bucket-owner-read', C_CANONICAL, A_CANONICAL, 'object')?.[1], { grantee: { type: 'CanonicalUser', id: A_CANONICAL }, permission: 'READ' });
  t.same(cannedAclGrants('bucket-owner-full-control', C_CANONICAL, A_CANONICAL, 'bucket'), [ownerFull(C_CANONICAL)], 'ignored on buckets');
  t.same(cannedAclGrants('log-delivery-write', A_CANONICAL, A_CANONICAL, 'bucket')?.length, 3);
  t.equal(cannedAclGrants('public', A_CANONICAL, A_CANONICAL, 'bucket'), undefined, 'unknown → InvalidArgument');
});

t.test('policy-engine/README.md example', async (t) => {
  const parsed = parsePolicy(JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Office', Effect: 'Allow', Principal: '*', Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::photos/*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }],
  }), { bucket: 'photos' });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const policy = compilePolicy(parsed.policy);
  t.equal(isPublicPolicy(parsed.policy), false);
  const principal = { kind: 'anonymous' } as const;
  const decision = evaluatePolicy(policy, {
    principal, action: 's3:GetObject', resource: 'arn:aws:s3:::photos/cat.jpg',
    conditionKeys: { 'aws:SourceIp': '203.0.113.9', 'aws:SecureTransport': 'false' },
  });
  t.same([decision.effect, decision.statement], ['Allow', { index: 0, sid: 'Office' }]);
  t.same(decideAccess({
    principal, action: 's3:GetObject', resourceKind: 'object', bucketOwnerAccountId: '111111111111',
    policy: { decision, isPublic: false }, ownership: 'BucketOwnerEnforced',
    blockPublicAccess: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
  }), { allowed: true, result: 'allow', source: { kind: 'policy', statement: { index: 0, sid: 'Office' } }, detail: 'allowed by policy statement 0 (Sid "Office")' });
});
