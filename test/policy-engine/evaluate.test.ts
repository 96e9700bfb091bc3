/**
 * docs/spec/access.md §2 R2.2-R2.4, R2.6 and §1 R1.5 steps 2-3b: principal, action and resource
 * matching, Not* elements, the deciding statement, and the explanation.
 */

import t from 'tap';
import { evaluatePolicy } from '../../policy-engine';
import type { CompiledPolicy, RequestPrincipal } from '../../policy-engine';
import { A, C, C_CANONICAL, P, aRoot, alice, anon, cRoot, carol, compiled } from './fixtures/world';
import type { StatementSpec } from './fixtures/world';

const allow = (patch: Partial<StatementSpec>): StatementSpec => ({ Effect: 'Allow', Principal: P.star, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...patch });
const effect = (p: CompiledPolicy, principal: RequestPrincipal, action: string, resource: string): string =>
  evaluatePolicy(p, { principal, action, resource }).effect;

t.test('§2 R2.2 principals', async (t) => {
  const rows: Array<[string, unknown, RequestPrincipal, string]> = [
    ['"*" matches anonymous', '*', anon, 'Allow'],
    ['{"AWS":"*"} matches anonymous', { AWS: '*' }, anon, 'Allow'],
    ['"*" matches a user', '*', carol, 'Allow'],
    ['account id matches its root', { AWS: C }, cRoot, 'Allow'],
    ['account id matches its users', { AWS: C }, carol, 'Allow'],
    ['account root ARN matches its users', { AWS: `arn:aws:iam::${C}:root` }, carol, 'Allow'],
    ['account id: other account', { AWS: C }, alice, 'NoDecision'],
    ['account id: not anonymous', { AWS: C }, anon, 'NoDecision'],
    ['user ARN matches that user', { AWS: `arn:aws:iam::${C}:user/carol` }, carol, 'Allow'],
    ['user ARN: not the root', { AWS: `arn:aws:iam::${C}:user/carol` }, cRoot, 'NoDecision'],
    ['CanonicalUser: every principal of the account', { CanonicalUser: C_CANONICAL }, carol, 'Allow'],
    ['CanonicalUser: not anonymous', { CanonicalUser: C_CANONICAL }, anon, 'NoDecision'],
    ['Service never matches', { Service: 's3.amazonaws.com' }, cRoot, 'NoDecision'],
    ['Federated never matches', { Federated: 'accounts.google.com' }, cRoot, 'NoDecision'],
    ['list: any value', { AWS: [A, C] }, carol, 'Allow'],
  ];
  for (const [name, principal, who, expected] of rows) {
    t.equal(effect(compiled(allow({ Principal: principal })), who, 's3:GetObject', 'arn:aws:s3:::b/k'), expected, name);
  }
});

t.test('§2 R2.2 NotPrincipal (Deny only)', async (t) => {
  const p = compiled({ Effect: 'Deny', NotPrincipal: { AWS: A }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' } as unknown as StatementSpec);
  t.equal(effect(p, alice, 's3:GetObject', 'arn:aws:s3:::b/k'), 'NoDecision', 'listed account excluded');
  t.equal(effect(p, carol, 's3:GetObject', 'arn:aws:s3:::b/k'), 'Deny', 'others denied');
  t.equal(effect(p, anon, 's3:GetObject', 'arn:aws:s3:::b/k'), 'Deny', 'anonymous is not listed');
});

t.test('§2 R2.3 actions: wildcards, case-insensitive, NotAction', async (t) => {
  const rows: Array<[string, string, string]> = [
    ['s3:GetObject', 's3:GetObject', 'Allow'],
    ['S3:GETOBJECT', 's3:GetObject', 'Allow'],
    ['s3:Get*', 's3:GetObjectVersion', 'Allow'],
    ['s3:*Object', 's3:GetObject', 'Allow'],
    ['s3:*Object', 's3:GetObjectVersion', 'NoDecision'],
    ['s3:?etObject', 's3:GetObject', 'Allow'],
    ['s3:?etObject', 's3:PutObject', 'NoDecision'],
    ['s3:?etObject', 's3:SetObject', 'Allow'],
    ['s3:Get?bject', 's3:GetObject', 'Allow'],
    ['*', 's3:DeleteObject', 'Allow'],
    ['s3:*', 's3:DeleteObject', 'Allow'],
    ['s3:GetObject', 's3:GetObjectVersion', 'NoDecision'],
  ];
  for (const [action, requested, expected] of rows) {
    t.equal(effect(compiled(allow({ Action: action })), cRoot, requested, 'arn:aws:s3:::b/k'), expected, `${action} vs ${requested}`);
  }
  const notAction = compiled({ Effect: 'Deny', Principal: '*', NotAction: 's3:Get*', Resource: 'arn:aws:s3:::b/*' } as unknown as StatementSpec);
  t.equal(effect(notAction, cRoot, 's3:GetObject', 'arn:aws:s3:::b/k'), 'NoDecision', 'NotAction: listed action not covered');
  t.equal(effect(notAction, cRoot, 's3:PutObject', 'arn:aws:s3:::b/k'), 'Deny', 'NotAction: every other action');
});

t.test('§2 R2.4 resources: * spans /, ? one char, case-sensitive, b/* never the bucket', async (t) => {
  const rows: Array<[string, string, string]> = [
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b/c', 'Allow'],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', 'NoDecision'],
    ['arn:aws:s3:::b/a*', 'arn:aws:s3:::b/a', 'Allow'],
    ['arn:aws:s3:::b/a*c', 'arn:aws:s3:::b/a/x/c', 'Allow'],
    ['arn:aws:s3:::b/*/*', 'arn:aws:s3:::b/a/b/c', 'Allow'],
    ['arn:aws:s3:::b/*/*', 'arn:aws:s3:::b/abc', 'NoDecision'],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/x', 'Allow'],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/é', 'Allow'],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/xy', 'NoDecision'],
    ['arn:aws:s3:::b/Public/*', 'arn:aws:s3:::b/public/x', 'NoDecision'],
    ['arn:aws:s3:::b/a.b', 'arn:aws:s3:::b/aXb', 'NoDecision'],
    ['arn:aws:s3:::b/k', 'arn:aws:s3:::b/k', 'Allow'],
    ['arn:aws:s3:::b/k', 'arn:aws:s3:::b/k2', 'NoDecision'],
  ];
  for (const [resource, requested, expected] of rows) {
    t.equal(effect(compiled(allow({ Resource: resource })), cRoot, 's3:GetObject', requested), expected, `${resource} vs ${requested}`);
  }
  const bucketOnly = compiled(allow({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }));
  t.equal(effect(bucketOnly, cRoot, 's3:ListBucket', 'arn:aws:s3:::b'), 'Allow');
  const notResource = compiled({ Effect: 'Deny', Principal: '*', Action: 's3:*', NotResource: 'arn:aws:s3:::b/public/*' } as unknown as StatementSpec);
  t.equal(effect(notResource, cRoot, 's3:GetObject', 'arn:aws:s3:::b/public/x'), 'NoDecision', 'NotResource: listed');
  t.equal(effect(notResource, cRoot, 's3:GetObject', 'arn:aws:s3:::b/private/x'), 'Deny', 'NotResource: others');
  t.equal(effect(notResource, cRoot, 's3:ListBucket', 'arn:aws:s3:::b'), 'Deny', 'NotResource: the bucket');
});

t.test('§2 R2.6 variables in Resource', async (t) => {
  const home = compiled(allow({ Principal: { AWS: A }, Resource: 'arn:aws:s3:::b/home/${aws:username}/*' }));
  t.equal(effect(home, alice, 's3:GetObject', 'arn:aws:s3:::b/home/alice/x'), 'Allow');
  t.equal(effect(home, alice, 's3:GetObject', 'arn:aws:s3:::b/home/bob/x'), 'NoDecision');
  t.equal(effect(home, aRoot, 's3:GetObject', 'arn:aws:s3:::b/home/alice/x'), 'NoDecision', 'no username: the element fails');
  const star = compiled(allow({ Resource: 'arn:aws:s3:::b/${*}' }));
  t.equal(effect(star, cRoot, 's3:GetObject', 'arn:aws:s3:::b/*'), 'Allow', '${*} is a literal *');
  t.equal(effect(star, cRoot, 's3:GetObject', 'arn:aws:s3:::b/x'), 'NoDecision');
});

t.test('§1 R1.5: Deny wins wherever it is; the deciding statement', async (t) => {
  const p = compiled(
    { ...allow({}), Sid: 'ReadAll' },
    allow({ Principal: { AWS: C } }),
    { Effect: 'Deny', Principal: { AWS: C }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/secret/*', Sid: 'NoSecrets' },
  );
  const d = evaluatePolicy(p, { principal: carol, action: 's3:GetObject', resource: 'arn:aws:s3:::b/secret/x' });
  t.equal(d.effect, 'Deny');
  t.same(d.statement, { index: 2, sid: 'NoSecrets' });
  const a = evaluatePolicy(p, { principal: carol, action: 's3:GetObject', resource: 'arn:aws:s3:::b/open' });
  t.equal(a.effect, 'Allow');
  t.same(a.statement, { index: 0, sid: 'ReadAll' }, 'first matching Allow');
  const n = evaluatePolicy(p, { principal: carol, action: 's3:PutObject', resource: 'arn:aws:s3:::b/open' });
  t.equal(n.effect, 'NoDecision');
  t.equal(n.statement, undefined);
});

t.test('explanation: every statement, every part, the failing condition', async (t) => {
  const p = compiled(
    { ...allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), Sid: 'Office' },
    allow({ Principal: { AWS: A } }),
    allow({ Action: 's3:PutObject' }),
    allow({ Resource: 'arn:aws:s3:::b/other/*' }),
  );
  const d = evaluatePolicy(p, { principal: carol, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', conditionKeys: { 'aws:SourceIp': '192.0.2.1' } });
  t.equal(d.effect, 'NoDecision');
  const e = d.explanation;
  t.equal(e.decidingStatement, undefined);
  t.match(e.summary, /arn:aws:iam::222222222222:user\/carol s3:GetObject on arn:aws:s3:::b\/k: no statement applies/);
  t.same(e.statements.map((s) => [s.index, s.sid, s.matched, s.failed]), [
    [0, 'Office', false, 'condition'],
    [1, undefined, false, 'principal'],
    [2, undefined, false, 'action'],
    [3, undefined, false, 'resource'],
  ]);
  const office = e.statements[0];
  t.same(office?.conditions.verdicts, [{
    operator: 'IpAddress', key: 'aws:SourceIp', policyValues: ['10.0.0.0/8'], requestValues: ['192.0.2.1'], matched: false,
    detail: 'IpAddress aws:SourceIp ["10.0.0.0/8"]: request ["192.0.2.1"] → false',
  }]);
  t.equal(office?.principal.detail, 'arn:aws:iam::222222222222:user/carol matches Principal "*"');
  t.equal(e.statements[1]?.principal.detail, `arn:aws:iam::222222222222:user/carol matches none of Principal ["${A}"]`);
  t.equal(e.statements[2]?.action.detail, 's3:GetObject matches none of Action ["s3:PutObject"]');
  t.equal(e.statements[3]?.resource.detail, 'arn:aws:s3:::b/k matches none of Resource ["arn:aws:s3:::b/other/*"]');
  t.equal(e.statements[1]?.action.matched, true, 'later parts are still reported');
  const absent = evaluatePolicy(p, { principal: carol, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }).explanation;
  t.match(absent.statements[0]?.conditions.verdicts[0]?.detail ?? '', /key absent \(positive operator\) → false/);
});

t.test('explanation: deciding statement, computed lazily, serialised by JSON.stringify', async (t) => {
  const p = compiled({ ...allow({}), Sid: 'Public' });
  const d = evaluatePolicy(p, { principal: anon, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' });
  const json = JSON.parse(JSON.stringify(d)) as { effect: string; explanation: { decidingStatement: unknown; summary: string } };
  t.equal(json.effect, 'Allow');
  t.same(json.explanation.decidingStatement, { index: 0, sid: 'Public' });
  t.equal(json.explanation.summary, 'anonymous s3:GetObject on arn:aws:s3:::b/k: allowed by statement 0 (Sid "Public")');
  t.equal(d.explanation, d.explanation, 'cached');
  const notP = compiled({ Effect: 'Deny', NotPrincipal: { AWS: A }, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' } as unknown as StatementSpec);
  const x = evaluatePolicy(notP, { principal: alice, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }).explanation;
  t.equal(x.statements[0]?.principal.detail, `${alice.kind === 'signed' ? alice.arn : ''} is excluded by NotPrincipal "${A}"`);
});

t.test('condition keys given as a function are built only when a statement asks for one', async (t) => {
  let built = 0;
  const conditionKeys = () => { built++; return { 'aws:SourceIp': '10.0.0.1' }; };
  const plain = compiled(allow({}));
  t.equal(evaluatePolicy(plain, { principal: anon, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', conditionKeys }).effect, 'Allow');
  t.equal(built, 0, 'no condition, no variable: the keys are never built');
  const conditioned = compiled(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
  t.equal(evaluatePolicy(conditioned, { principal: anon, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', conditionKeys }).effect, 'Allow');
  t.equal(evaluatePolicy(conditioned, { principal: anon, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', conditionKeys: () => ({ 'aws:SourceIp': '192.0.2.1' }) }).effect, 'NoDecision');
  t.equal(built, 1, 'built once for the policy that asks');
});
