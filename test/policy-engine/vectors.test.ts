/**
 * docs/spec/access.md §10: every test vector, one table row each. The engine decides access
 * (`allow`, `explicitDeny`, `implicitDeny`, `methodNotAllowed`, with the deciding source); the
 * status code is the server's mapping (403 for a deny). Rows whose whole answer is the server's
 * (CRUD round trips, header checks, XML) check the engine part they rely on, or name the server
 * test that owns them.
 */

import t from 'tap';
import {
  aclGrantsOthers,
  cannedAclGrants,
  enforcedAcceptsObjectAcl,
  isPublicCannedAcl,
  isPublicPolicy,
  newObjectOwner,
} from '../../policy-engine';
import {
  A, A_CANONICAL, BPA_OFF, C, P, aRoot, alice, allUsersRead, anon, cRoot, carol, compiled, decide,
  mustParse, ownerFull, parseMessage, policyText,
} from './fixtures/world';
import type { Request, Setup } from './fixtures/world';

/** `allow`, `explicitDeny`, … followed by the deciding source. */
function outcome(setup: Setup, req: Request): string {
  const d = decide(setup, req);
  return `${d.result} ${d.detail.replace(/^.*?by |^denied: /, '')}`;
}
const result = (setup: Setup, req: Request): string => decide(setup, req).result;

interface Row {
  n: number;
  title: string;
  /** [label, actual, expected] */
  cases: () => Array<[string, string | boolean, string | boolean]>;
}

const getK = (principal: Request['principal'], extra: Partial<Request> = {}): Request => ({ principal, action: 's3:GetObject', key: 'k', ...extra });
const publicRead = compiled({ Effect: 'Allow', Principal: P.star, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
const cRead = compiled({ Effect: 'Allow', Principal: P.C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
const aclOn = { ownership: 'ObjectWriter' as const, bpa: BPA_OFF };
const bucketAcl = [ownerFull(A_CANONICAL)];
const MP = (m: string): string => m;

const rows: Row[] = [
  { n: 1, title: 'default: A root GetObject k → 200', cases: () => [['A root', outcome({}, getK(aRoot)), 'allow owner (bucket-owner-account)']] },
  { n: 2, title: 'default: A/alice GetObject k → 200 (identity allow, model)', cases: () => [['alice', result({}, getK(alice)), 'allow']] },
  { n: 3, title: 'default: C root GetObject k → 403', cases: () => [['C root', outcome({}, getK(cRoot)), 'implicitDeny default deny']] },
  { n: 4, title: 'default: anon GetObject k → 403', cases: () => [['anon', result({}, getK(anon)), 'implicitDeny']] },
  {
    n: 5,
    title: 'BPA off; Allow * (or A*) GetObject b/* → anon 200',
    cases: () => [
      ['"*"', outcome({ policy: publicRead, bpa: BPA_OFF }, getK(anon)), 'allow policy statement 0'],
      ['{"AWS":"*"}', result({ policy: compiled({ Effect: 'Allow', Principal: P.Astar, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), bpa: BPA_OFF }, getK(anon)), 'allow'],
    ],
  },
  {
    n: 6,
    title: 'default: PutBucketPolicy Allow * → 403 (BlockPublicPolicy: the document is public)',
    cases: () => [['isPublic', isPublicPolicy(publicRead.policy), true]],
  },
  {
    n: 7,
    title: 'default: PutBucketPolicy Allow C-root-ARN → 204 (not public)',
    cases: () => [['isPublic', isPublicPolicy(mustParse(policyText({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${C}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }))), false]],
  },
  {
    n: 8,
    title: 'Allow C GetObject b/*: carol GetObject k 200; PutObject k2 403',
    cases: () => [
      ['carol GetObject', result({ policy: cRead }, getK(carol)), 'allow'],
      ['carol PutObject', result({ policy: cRead }, { principal: carol, action: 's3:PutObject', key: 'k2' }), 'implicitDeny'],
    ],
  },
  {
    n: 9,
    title: 'Deny {"AWS":A} ListBucket b: alice ListObjectsV2 → 403',
    cases: () => [['alice', outcome({ policy: compiled({ Effect: 'Deny', Principal: P.A, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }) }, { principal: alice, action: 's3:ListBucket' }), 'explicitDeny policy statement 0']],
  },
  {
    n: 10,
    title: 'Deny * s3:*BucketPolicy b: A root Get/Put/Delete allowed; alice GetBucketPolicy 403',
    cases: () => {
      const policy = compiled({ Effect: 'Deny', Principal: P.star, Action: 's3:*BucketPolicy', Resource: 'arn:aws:s3:::b' });
      return [
        ...['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'].map((action): [string, string, string] => [
          `A root ${action}`, outcome({ policy }, { principal: aRoot, action }), 'allow owner (bucket-owner-root-policy-apis)',
        ]),
        ['alice GetBucketPolicy', result({ policy }, { principal: alice, action: 's3:GetBucketPolicy' }), 'explicitDeny'],
      ];
    },
  },
  {
    n: 11,
    title: 'Allow C GetBucketPolicy b: C root → 405 MethodNotAllowed',
    cases: () => [['C root', result({ policy: compiled({ Effect: 'Allow', Principal: P.C, Action: 's3:GetBucketPolicy', Resource: 'arn:aws:s3:::b' }) }, { principal: cRoot, action: 's3:GetBucketPolicy' }), 'methodNotAllowed']],
  },
  {
    n: 12,
    title: 'Allow C GetObject b/*: C root GetObject/HeadObject nokey → 403 (no s3:ListBucket, R9.2)',
    cases: () => [['ListBucket check', result({ policy: cRead }, { principal: cRoot, action: 's3:ListBucket', keys: { 's3:prefix': 'nokey' } }), 'implicitDeny']],
  },
  {
    n: 13,
    title: '12 + Allow C ListBucket b: C root GetObject nokey → 404 (ListBucket allowed)',
    cases: () => {
      const policy = compiled(
        { Effect: 'Allow', Principal: P.C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        { Effect: 'Allow', Principal: P.C, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' },
      );
      return [['ListBucket check', outcome({ policy }, { principal: cRoot, action: 's3:ListBucket', keys: { 's3:prefix': 'nokey' } }), 'allow policy statement 1']];
    },
  },
  {
    n: 14,
    title: 'BPA off; Allow A* ListBucket b if StringLike s3:prefix public/*: HeadObject public/x 404, private/x 403',
    cases: () => {
      const policy = compiled({ Effect: 'Allow', Principal: P.Astar, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': 'public/*' } } });
      const list = (prefix: string): string => result({ policy, bpa: BPA_OFF }, { principal: cRoot, action: 's3:ListBucket', keys: { 's3:prefix': prefix } });
      return [['public/x', list('public/x'), 'allow'], ['private/x', list('private/x'), 'implicitDeny']];
    },
  },
  {
    n: 15,
    title: 'PutBucketPolicy "" and "invalid json" → MP first byte',
    cases: () => [
      ['""', parseMessage(''), MP("Policies must be valid JSON and the first byte must be '{'")],
      ['invalid json', parseMessage('invalid json'), MP("Policies must be valid JSON and the first byte must be '{'")],
    ],
  },
  { n: 16, title: 'PutBucketPolicy {} → MP Missing required field Statement', cases: () => [['{}', parseMessage('{}'), 'Missing required field Statement']] },
  {
    n: 17,
    title: 'statement without Principal → MP Missing required field Principal',
    cases: () => [['no Principal', parseMessage(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] })), 'Missing required field Principal']],
  },
  {
    n: 18,
    title: 'Allow C s3:GetObjekt → MP Policy has invalid action',
    cases: () => [['GetObjekt', parseMessage(policyText({ Effect: 'Allow', Principal: P.C, Action: 's3:GetObjekt', Resource: 'arn:aws:s3:::b/*' })), 'Policy has invalid action']],
  },
  {
    n: 19,
    title: 'Resource "*" → MP Policy has invalid resource',
    cases: () => [['"*"', parseMessage(policyText({ Effect: 'Allow', Principal: P.C, Action: 's3:GetObject', Resource: '*' })), 'Policy has invalid resource']],
  },
  {
    n: 20,
    title: 'GetObject on b; ListBucket on b/* → MP Action does not apply',
    cases: () => [
      ['GetObject on b', parseMessage(policyText({ Effect: 'Allow', Principal: P.C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b' })), 'Action does not apply to any resource(s) in statement'],
      ['ListBucket on b/*', parseMessage(policyText({ Effect: 'Allow', Principal: P.C, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b/*' })), 'Action does not apply to any resource(s) in statement'],
    ],
  },
  {
    n: 21,
    title: 'Principal {"AWS":[]} → MP Invalid principal in policy',
    cases: () => [['{"AWS":[]}', parseMessage(policyText({ Effect: 'Allow', Principal: { AWS: [] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })), 'Invalid principal in policy']],
  },
  {
    n: 22,
    title: 'Version 2012-10-16; Effect allowed → MP',
    cases: () => [
      ['version', parseMessage(JSON.stringify({ Version: '2012-10-16', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] })), 'The policy must contain a valid version string'],
      ['effect', parseMessage(policyText({ Effect: 'allowed' as 'Allow', Principal: P.C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })), 'Invalid effect: allowed'],
    ],
  },
  {
    n: 23,
    title: 'CRUD round trip (server); the engine keeps the text verbatim for GetBucketPolicy',
    cases: () => {
      const text = `{ "Version": "2012-10-17",\n "Statement": {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"} }`;
      return [['verbatim', mustParse(text).text, text]];
    },
  },
  { n: 24, title: 'ExpectedBucketOwner (server, R1.3: before the engine)', cases: () => [] },
  { n: 25, title: 'PublicAccessBlock CRUD (server, R5.2)', cases: () => [] },
  {
    n: 26,
    title: 'BlockPublicAcls: PutObject public-read 403; private 200',
    cases: () => [['public-read', isPublicCannedAcl('public-read'), true], ['private', isPublicCannedAcl('private'), false]],
  },
  {
    n: 27,
    title: 'ACL on; bucket and k public-read; IgnorePublicAcls only: C ListObjects 403; GetObject k 403',
    cases: () => {
      const setup: Setup = { ownership: 'ObjectWriter', bpa: { ...BPA_OFF, ignorePublicAcls: true }, bucketAcl: [...bucketAcl, allUsersRead], objectAcl: [ownerFull(A_CANONICAL), allUsersRead] };
      return [
        ['ListBucket', outcome(setup, { principal: cRoot, action: 's3:ListBucket' }), 'implicitDeny block-public-access: IgnorePublicAcls'],
        ['GetObject', outcome(setup, getK(cRoot)), 'implicitDeny block-public-access: IgnorePublicAcls'],
      ];
    },
  },
  {
    n: 28,
    title: 'as 5 + RestrictPublicBuckets only: anon 403; A root 200',
    cases: () => {
      const setup: Setup = { policy: publicRead, bpa: { ...BPA_OFF, restrictPublicBuckets: true } };
      return [['anon', outcome(setup, getK(anon)), 'implicitDeny block-public-access: RestrictPublicBuckets'], ['A root', result(setup, getK(aRoot)), 'allow']];
    },
  },
  {
    n: 29,
    title: 'RestrictPublicBuckets; Allow C GetObject with / without Allow *: C root 403 / 200',
    cases: () => {
      const bpa = { ...BPA_OFF, restrictPublicBuckets: true };
      const both = compiled(
        { Effect: 'Allow', Principal: P.C, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        { Effect: 'Allow', Principal: P.star, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      );
      return [['with *', result({ policy: both, bpa }, getK(cRoot)), 'implicitDeny'], ['without', result({ policy: cRead, bpa }, getK(cRoot)), 'allow']];
    },
  },
  { n: 30, title: 'GetBucketPolicyStatus without policy → 404 (server, R5.8)', cases: () => [] },
  {
    n: 31,
    title: 'Allow A* ListBucket b,b/* with / without IpAddress 10.0.0.0/32 → IsPublic false / true',
    cases: () => {
      const s = { Effect: 'Allow' as const, Principal: P.Astar, Action: 's3:ListBucket', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] };
      return [
        ['with', isPublicPolicy(mustParse(policyText({ ...s, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/32' } } }))), false],
        ['without', isPublicPolicy(mustParse(policyText(s))), true],
      ];
    },
  },
  { n: 32, title: 'GetBucketOwnershipControls default BucketOwnerEnforced (server, R6.1)', cases: () => [] },
  {
    n: 33,
    title: 'default: PutBucketAcl private → 400 AccessControlListNotSupported (server refuses any bucket ACL under Enforced)',
    cases: () => [],
  },
  {
    n: 34,
    title: 'default: PutObject public-read → 400 AccessControlListNotSupported, after authorization',
    cases: () => [
      ['authorized first', result({}, { principal: aRoot, action: 's3:PutObject', key: 'x' }), 'allow'],
      ['ACL refused', enforcedAcceptsObjectAcl({ canned: 'public-read' }, A_CANONICAL), false],
    ],
  },
  {
    n: 35,
    title: 'BPA off; Enforced; Allow A* * b,b/*: C PutObject bucket-owner-full-control 200 owner A; private 400',
    cases: () => {
      const policy = compiled({ Effect: 'Allow', Principal: P.Astar, Action: '*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] });
      return [
        ['authorized', result({ policy, bpa: BPA_OFF }, { principal: cRoot, action: 's3:PutObject', key: 'k2' }), 'allow'],
        ['bofc accepted', enforcedAcceptsObjectAcl({ canned: 'bucket-owner-full-control' }, A_CANONICAL), true],
        ['owner', newObjectOwner('BucketOwnerEnforced', C, A, 'bucket-owner-full-control'), A],
        ['private refused', enforcedAcceptsObjectAcl({ canned: 'private' }, A_CANONICAL), false],
      ];
    },
  },
  {
    n: 36,
    title: 'Preferred: owner C; A. ObjectWriter: owner C; C',
    cases: () => [
      ['Preferred no ACL', newObjectOwner('BucketOwnerPreferred', C, A), C],
      ['Preferred bofc', newObjectOwner('BucketOwnerPreferred', C, A, 'bucket-owner-full-control'), A],
      ['ObjectWriter no ACL', newObjectOwner('ObjectWriter', C, A), C],
      ['ObjectWriter bofc', newObjectOwner('ObjectWriter', C, A, 'bucket-owner-full-control'), C],
    ],
  },
  {
    n: 37,
    title: 'CreateBucket x-amz-acl public-read → 400 InvalidBucketAclWithObjectOwnership',
    cases: () => [['public-read grants others', aclGrantsOthers(cannedAclGrants('public-read', A_CANONICAL, A_CANONICAL, 'bucket') ?? [], A_CANONICAL), true]],
  },
  {
    n: 38,
    title: 'ACL on; bucket public-read; PutBucketOwnershipControls Enforced → 400',
    cases: () => [
      ['public-read bucket ACL', aclGrantsOthers([ownerFull(A_CANONICAL), allUsersRead], A_CANONICAL), true],
      ['private bucket ACL', aclGrantsOthers(cannedAclGrants('private', A_CANONICAL, A_CANONICAL, 'bucket') ?? [], A_CANONICAL), false],
    ],
  },
  { n: 39, title: 'bad x-amz-object-ownership / two rules (server XML, R6.2)', cases: () => [] },
  {
    n: 40,
    title: 'ACL on; bucket private, k public-read: C GetObject 200; ListObjects 403',
    cases: () => {
      const setup: Setup = { ...aclOn, bucketAcl, objectAcl: cannedAclGrants('public-read', A_CANONICAL, A_CANONICAL, 'object') ?? [] };
      return [
        ['GetObject', outcome(setup, getK(cRoot)), 'allow object acl grant READ to AllUsers'],
        ['ListBucket', result(setup, { principal: cRoot, action: 's3:ListBucket' }), 'implicitDeny'],
      ];
    },
  },
  {
    n: 41,
    title: 'ACL on; bucket public-read, k private: C ListObjects 200; GetObject 403',
    cases: () => {
      const setup: Setup = { ...aclOn, bucketAcl: cannedAclGrants('public-read', A_CANONICAL, A_CANONICAL, 'bucket') ?? [], objectAcl: [ownerFull(A_CANONICAL)] };
      return [['ListBucket', outcome(setup, { principal: cRoot, action: 's3:ListBucket' }), 'allow bucket acl grant READ to AllUsers'], ['GetObject', result(setup, getK(cRoot)), 'implicitDeny']];
    },
  },
  {
    n: 42,
    title: 'Allow * GetObject if StringLikeIfExists aws:Referer http://www.example.com/*',
    cases: () => {
      const policy = compiled({ Effect: 'Allow', Principal: P.star, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringLikeIfExists: { 'aws:Referer': 'http://www.example.com/*' } } });
      const get = (keys: Record<string, string>): string => result({ policy, bpa: BPA_OFF }, getK(anon, { keys }));
      return [['www', get({ 'aws:Referer': 'http://www.example.com/' }), 'allow'], ['other', get({ 'aws:Referer': 'http://example.com' }), 'implicitDeny'], ['none', get({}), 'allow']];
    },
  },
  {
    n: 43,
    title: 'Allow A* GetObject if StringEquals s3:ExistingObjectTag/security public',
    cases: () => {
      const policy = compiled({ Effect: 'Allow', Principal: P.Astar, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } } });
      const get = (keys: Record<string, string>): string => result({ policy, bpa: BPA_OFF }, getK(cRoot, { keys }));
      return [
        ['security=public', get({ 's3:ExistingObjectTag/security': 'public' }), 'allow'],
        ['security=private', get({ 's3:ExistingObjectTag/security': 'private' }), 'implicitDeny'],
        ['security1=public', get({ 's3:ExistingObjectTag/security1': 'public' }), 'implicitDeny'],
      ];
    },
  },
  {
    n: 44,
    title: 'Allow A* PutObject + Deny A* PutObject if StringLike s3:x-amz-acl public*',
    cases: () => {
      const policy = compiled(
        { Effect: 'Allow', Principal: P.Astar, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' },
        { Effect: 'Deny', Principal: P.Astar, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringLike: { 's3:x-amz-acl': 'public*' } } },
      );
      const put = (keys: Record<string, string>): string => outcome({ ...aclOn, bucketAcl, policy }, { principal: cRoot, action: 's3:PutObject', key: 'k2', keys });
      return [['no ACL', put({}), 'allow policy statement 0'], ['public-read', put({ 's3:x-amz-acl': 'public-read' }), 'explicitDeny policy statement 1']];
    },
  },
  {
    n: 45,
    title: 'd: Allow A* PutObject d/* if StringLike s3:x-amz-copy-source b/public/*',
    cases: () => {
      const src = result({ policy: compiled({ Effect: 'Allow', Principal: P.Astar, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), bpa: BPA_OFF }, { principal: cRoot, action: 's3:GetObject', key: 'public/foo' });
      const d = compiled({ Effect: 'Allow', Principal: P.Astar, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringLike: { 's3:x-amz-copy-source': 'b/public/*' } } });
      const put = (source: string): string => result({ policy: d, bpa: BPA_OFF }, { principal: cRoot, action: 's3:PutObject', key: 'copy', keys: { 's3:x-amz-copy-source': source } });
      return [['source readable', src, 'allow'], ['public', put('b/public/foo'), 'allow'], ['private', put('b/private/foo'), 'implicitDeny']];
    },
  },
  {
    n: 46,
    title: 'Deny * DeleteObject b/*: A root DeleteObjects [k] → per-key AccessDenied',
    cases: () => [['A root DeleteObject k', result({ policy: compiled({ Effect: 'Deny', Principal: P.star, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' }) }, { principal: aRoot, action: 's3:DeleteObject', key: 'k' }), 'explicitDeny']],
  },
  {
    n: 47,
    title: 'Deny * s3:* if Bool aws:SecureTransport false: http 403; https 200',
    cases: () => {
      const policy = compiled({ Effect: 'Deny', Principal: P.star, Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      return [
        ['http', result({ policy }, getK(aRoot, { keys: { 'aws:SecureTransport': 'false' } })), 'explicitDeny'],
        ['https', result({ policy }, getK(aRoot, { keys: { 'aws:SecureTransport': 'true' } })), 'allow'],
      ];
    },
  },
  {
    n: 48,
    title: 'Deny A s3:* b/* if NumericGreaterThan s3:signatureAge 600000',
    cases: () => {
      const policy = compiled({ Effect: 'Deny', Principal: P.A, Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { NumericGreaterThan: { 's3:signatureAge': '600000' } } });
      return [
        ['presigned 11 min', result({ policy }, getK(alice, { keys: { 's3:signatureAge': String(11 * 60_000), 's3:authType': 'REST-QUERY-STRING' } })), 'explicitDeny'],
        ['header-signed (key absent)', result({ policy }, getK(alice, { keys: { 's3:authType': 'REST-HEADER' } })), 'allow'],
      ];
    },
  },
  {
    n: 49,
    title: 'default: presigned GET by C/carol 403; by A/alice 200',
    cases: () => [['carol', result({}, getK(carol)), 'implicitDeny'], ['alice', result({}, getK(alice)), 'allow']],
  },
  { n: 50, title: 'presigned URL expired (server/auth, R8.2: before the engine)', cases: () => [] },
  {
    n: 51,
    title: 'Allow C PutObjectTagging if ForAnyValue:StringEquals s3:RequestObjectTagKeys [Owner, CreationDate]',
    cases: () => {
      const policy = compiled({ Effect: 'Allow', Principal: P.C, Action: 's3:PutObjectTagging', Resource: 'arn:aws:s3:::b/*', Condition: { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] } } });
      const tag = (keys: string[]): string => result({ policy }, { principal: cRoot, action: 's3:PutObjectTagging', key: 'k', keys: { 's3:RequestObjectTagKeys': keys } });
      return [['{Owner}', tag(['Owner']), 'allow'], ['{Foo}', tag(['Foo']), 'implicitDeny'], ['{}', tag([]), 'implicitDeny']];
    },
  },
  {
    n: 52,
    title: 'Allow C PutObject if ForAllValues:StringEquals s3:RequestObjectTagKeys [Owner]',
    cases: () => {
      const policy = compiled({ Effect: 'Allow', Principal: P.C, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['Owner'] } } });
      const put = (keys: Record<string, string[]>): string => result({ policy }, { principal: cRoot, action: 's3:PutObject', key: 'k2', keys });
      return [['no tags', put({}), 'allow'], ['tag Foo', put({ 's3:RequestObjectTagKeys': ['Foo'] }), 'implicitDeny']];
    },
  },
];

t.test('every §10 vector has a row', async (t) => {
  t.same(rows.map((r) => r.n), Array.from({ length: 52 }, (_, i) => i + 1));
});

for (const row of rows) {
  t.test(`§10 #${row.n} ${row.title}`, async (t) => {
    const cases = row.cases();
    if (cases.length === 0) t.pass('answered by the server before or after the engine');
    for (const [label, actual, expected] of cases) t.equal(actual, expected, label);
  });
}

