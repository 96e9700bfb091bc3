/**
 * The AWS SDK v3 and bucket access as S3 has it since 2023 (docs/access.md): every policy, Block
 * Public Access and ownership-controls command through the SDK's own shapes and error classes,
 * CreateBucket's ObjectOwnership, a cross-account reader named by ARN, and a Deny that beats the
 * owner account.
 */
import {
  CreateBucketCommand, DeleteBucketOwnershipControlsCommand, DeleteObjectCommand, DeleteBucketPolicyCommand, DeletePublicAccessBlockCommand,
  GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand, GetObjectAclCommand, GetObjectCommand,
  GetPublicAccessBlockCommand, PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand,
  } from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { sdkClient, sdkFailure as failure, startServer } from '../helpers/server';
import { OTHER, OWNER, THIRD, USERS } from '../server/auth-fixtures';

async function server(t: Test) {
  const s = await startServer({ config: { users: USERS } });
  t.teardown(() => s.close());
  const client = (u: typeof OWNER) => {
    const c = sdkClient(s.endpoint, { credentials: { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey } });
    t.teardown(() => c.destroy());
    return c;
  };
  return { s, owner: client(OWNER), other: client(OTHER), third: client(THIRD) };
}

t.test('sdk – public access block, policy and policy status round trips; the SDK\'s error names', async (t) => {
  const { s, owner } = await server(t);
  await owner.send(new CreateBucketCommand({ Bucket: 'sdk-policy' }));
  await owner.send(new PutObjectCommand({ Bucket: 'sdk-policy', Key: 'index.html', Body: '<p>hi</p>' }));
  t.same((await owner.send(new GetPublicAccessBlockCommand({ Bucket: 'sdk-policy' }))).PublicAccessBlockConfiguration,
    { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  t.equal((await failure(owner.send(new GetBucketPolicyCommand({ Bucket: 'sdk-policy' })))).name, 'NoSuchBucketPolicy');
  t.equal((await failure(owner.send(new GetBucketPolicyStatusCommand({ Bucket: 'sdk-policy' })))).name, 'NoSuchBucketPolicy');
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sdk-policy/*' }] });
  const blocked = await failure(owner.send(new PutBucketPolicyCommand({ Bucket: 'sdk-policy', Policy: policy })));
  t.equal(blocked.name, 'AccessDenied');
  t.equal(blocked.$metadata.httpStatusCode, 403);
  await owner.send(new PutPublicAccessBlockCommand({ Bucket: 'sdk-policy', PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true } }));
  t.same((await owner.send(new GetPublicAccessBlockCommand({ Bucket: 'sdk-policy' }))).PublicAccessBlockConfiguration,
    { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false });
  const put = await owner.send(new PutBucketPolicyCommand({ Bucket: 'sdk-policy', Policy: policy }));
  t.equal(put.$metadata.httpStatusCode, 204);
  t.equal((await owner.send(new GetBucketPolicyCommand({ Bucket: 'sdk-policy' }))).Policy, policy);
  t.same((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: 'sdk-policy' }))).PolicyStatus, { IsPublic: true });
  t.equal(await (await fetch(`${s.endpoint}/sdk-policy/index.html`)).text(), '<p>hi</p>', 'anonymous fetch reads');
  const malformed = await failure(owner.send(new PutBucketPolicyCommand({ Bucket: 'sdk-policy', Policy: '{"Statement": []}' })));
  t.equal(malformed.name, 'MalformedPolicy');
  t.equal(malformed.message, 'Could not parse the policy: Statement is empty!');
  await owner.send(new DeleteBucketPolicyCommand({ Bucket: 'sdk-policy' }));
  t.equal((await fetch(`${s.endpoint}/sdk-policy/index.html`)).status, 403, 'private again');
  await owner.send(new DeletePublicAccessBlockCommand({ Bucket: 'sdk-policy' }));
  t.equal((await failure(owner.send(new GetPublicAccessBlockCommand({ Bucket: 'sdk-policy' })))).name, 'NoSuchPublicAccessBlockConfiguration');
});

t.test('sdk – ownership controls: CreateBucket ObjectOwnership, Put/Get/Delete, ACLs refused while enforced', async (t) => {
  const { owner } = await server(t);
  await owner.send(new CreateBucketCommand({ Bucket: 'sdk-owned', ObjectOwnership: 'BucketOwnerPreferred' }));
  t.same((await owner.send(new GetBucketOwnershipControlsCommand({ Bucket: 'sdk-owned' }))).OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
  await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: 'sdk-owned', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
  const refused = await failure(owner.send(new PutObjectCommand({ Bucket: 'sdk-owned', Key: 'k', Body: 'x', ACL: 'authenticated-read' })));
  t.equal(refused.name, 'AccessControlListNotSupported');
  t.equal(refused.$metadata.httpStatusCode, 400);
  await owner.send(new PutObjectCommand({ Bucket: 'sdk-owned', Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' }));
  t.same((await owner.send(new GetObjectAclCommand({ Bucket: 'sdk-owned', Key: 'k' }))).Grants?.map((g) => [g.Grantee?.ID, g.Permission]), [[OWNER.id, 'FULL_CONTROL']]);
  await owner.send(new DeleteBucketOwnershipControlsCommand({ Bucket: 'sdk-owned' }));
  t.equal((await failure(owner.send(new GetBucketOwnershipControlsCommand({ Bucket: 'sdk-owned' })))).name, 'OwnershipControlsNotFoundError');
  const bad = await failure(owner.send(new CreateBucketCommand({ Bucket: 'sdk-bad', ObjectOwnership: 'Whatever' as 'ObjectWriter' })));
  t.equal(bad.name, 'InvalidArgument');
});

t.test('sdk – a cross-account reader named by ARN, another refused; an explicit Deny beats the owner account', async (t) => {
  const { owner, other, third } = await server(t);
  await owner.send(new CreateBucketCommand({ Bucket: 'sdk-shared' }));
  await owner.send(new PutObjectCommand({ Bucket: 'sdk-shared', Key: 'doc.txt', Body: 'shared' }));
  t.equal((await failure(other.send(new GetObjectCommand({ Bucket: 'sdk-shared', Key: 'doc.txt' })))).name, 'AccessDenied');
  await owner.send(new PutBucketPolicyCommand({ Bucket: 'sdk-shared', Policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'OtherReads', Effect: 'Allow', Principal: { AWS: OTHER.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::sdk-shared/*' },
      { Sid: 'NobodyDeletes', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::sdk-shared/*' },
    ],
  }) }));
  t.equal(await (await other.send(new GetObjectCommand({ Bucket: 'sdk-shared', Key: 'doc.txt' }))).Body?.transformToString(), 'shared', 'the ARN named reads');
  t.equal((await failure(third.send(new GetObjectCommand({ Bucket: 'sdk-shared', Key: 'doc.txt' })))).name, 'AccessDenied', 'a third account does not');
  t.equal((await failure(other.send(new PutObjectCommand({ Bucket: 'sdk-shared', Key: 'doc.txt', Body: 'no' })))).name, 'AccessDenied');
  t.equal((await failure(owner.send(new DeleteObjectCommand({ Bucket: 'sdk-shared', Key: 'doc.txt' })))).name, 'AccessDenied', 'Deny beats the owner');
  t.equal((await failure(owner.send(new GetBucketPolicyCommand({ Bucket: 'sdk-shared', ExpectedBucketOwner: OTHER.accountId })))).name, 'AccessDenied', 'ExpectedBucketOwner');
  t.ok((await owner.send(new GetBucketPolicyCommand({ Bucket: 'sdk-shared', ExpectedBucketOwner: OWNER.accountId }))).Policy);
});
