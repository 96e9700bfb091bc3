/**
 * The access table (server/access/access-table.ts) and the principals (server/config.ts,
 * users-file.ts): every implemented operation names a real S3 action on the resource S3 says
 * (docs/spec/access.md §3); users get a stable 12-digit account and an IAM user ARN, and users
 * naming one account share its canonical ID.
 */
import t from 'tap';
import { S3_ACTIONS } from '../../policy-engine';
import { ACCESS, operationForMethod, ruleForAction } from '../../server/access/access-table';
import { usersFromJson } from '../../server/cli/users-file';
import { ConfigError } from '../../server/cli/config-file';
import { accountIdFor, makeUser } from '../../server/config';
import { IMPLEMENTED_OPERATIONS } from '../../server/operation-names';

t.test('access table – one row per implemented operation, each a known S3 action on its resource', async (t) => {
  t.same(Object.keys(ACCESS).sort(), [...IMPLEMENTED_OPERATIONS].sort());
  for (const [operation, rule] of Object.entries(ACCESS)) {
    const kind = S3_ACTIONS.get(rule.action);
    t.ok(kind !== undefined, `${operation}: ${rule.action} is an S3 action`);
    if (rule.resource === 'bucket' || rule.resource === 'new-bucket') t.equal(kind, 'bucket', `${operation}: a bucket action`);
    if (rule.resource === 'object' || rule.resource === 'each-key' || rule.resource === 'form') t.equal(kind, 'object', `${operation}: an object action`);
    if (rule.resource === 'account') t.equal(kind, 'account', `${operation}: an account action`);
  }
  t.equal(ACCESS.HeadObject.action, 's3:GetObject');
  t.equal(ACCESS.DeleteBucketPolicy.action, 's3:DeleteBucketPolicy');
  t.equal(ACCESS.DeletePublicAccessBlock.action, 's3:PutBucketPublicAccessBlock', '"Delete" configuration operations need the Put action');
  t.equal(ACCESS.DeleteBucketCors.action, 's3:PutBucketCORS');
  t.equal(operationForMethod('head', true), 'HeadObject');
  t.equal(operationForMethod('GET', false), 'ListObjectsV2');
  t.equal(operationForMethod('PATCH', true), undefined);
  t.equal(ruleForAction('S3:getobject')?.operation, 'GetObject', 'actions compare without case');
});

t.test('principals – a stable derived account, an explicit one shared, ARNs, the users file', async (t) => {
  const a = makeUser('alice', 'x');
  t.match(a.accountId, /^\d{12}$/);
  t.equal(a.accountId, accountIdFor('alice'), 'derived from the access key, stable');
  t.not(a.accountId, makeUser('bob', 'y').accountId, 'each user its own account by default');
  t.equal(a.arn, `arn:aws:iam::${a.accountId}:user/alice`);
  const users = usersFromJson([
    { accessKeyId: 'alice', secretAccessKey: 'a' },
    { accessKeyId: 'alice-ci', secretAccessKey: 'b', accountId: a.accountId, userName: 'ci' },
    { accessKeyId: 'carol', secretAccessKey: 'c', accountId: '222222222222' },
  ], 'users.json');
  t.equal(users[1]?.id, users[0]?.id, 'a user naming alice\'s account shares its canonical ID (data keeps its owner)');
  t.equal(users[1]?.arn, `arn:aws:iam::${a.accountId}:user/ci`);
  t.equal(users[2]?.arn, 'arn:aws:iam::222222222222:user/carol');
  const error = (json: unknown) => {
    try {
      usersFromJson(json, 'users.json');
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return '(accepted)';
  };
  t.equal(error([{ accessKeyId: 'x', secretAccessKey: 'y', accountId: '123' }]), 'users.json: [0].accountId: expected 12 digits (an AWS account id, e.g. "111111111111"), got "123"');
  t.equal(error([{ accessKeyId: 'x', secretAccessKey: 'y', userName: 'a b' }]), 'users.json: [0].userName: expected an IAM user name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -), got "a b"');
  t.equal(error([
    { accessKeyId: 'x', secretAccessKey: 'y', accountId: '111111111111', userName: 'same' },
    { accessKeyId: 'z', secretAccessKey: 'y', accountId: '111111111111', userName: 'same' },
  ]), 'users.json: [1].userName: arn:aws:iam::111111111111:user/same is already the ARN of [0]');
});
