/**
 * The `aws` CLI (v1) and bucket access as S3 has it since 2023 (docs/access.md): a new bucket's
 * defaults, put-bucket-policy refused by Block Public Access and accepted once it is removed,
 * get-bucket-policy / -status, ACLs refused on an ACL-disabled bucket, RestrictPublicBuckets,
 * ownership controls, --expected-bucket-owner; curl is the anonymous browser-less reader.
 * Every aws call costs about a second: independent ones run side by side.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { has, setup, skip } from '../helpers/cli-exec';
import { OTHER, OWNER } from '../server/auth-fixtures';

t.test('aws cli – policies, public access block and ownership controls, as on S3 since 2023', async (t) => {
  if (!(await has('aws', ['--version'])) || !(await has('curl', ['--version']))) {
    skip(t, 'the aws CLI or curl is not installed');
    return;
  }
  const { s, work, envFor, aws, curl } = await setup(t);
  const owner = envFor(OWNER.accessKeyId, OWNER.secretAccessKey);
  const other = envFor(OTHER.accessKeyId, OTHER.secretAccessKey);
  const json = (out: { stdout: string }) => JSON.parse(out.stdout) as Record<string, unknown>;
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cli-access/*' }] });
  writeFileSync(join(work.dir, 'policy.json'), policy);
  writeFileSync(join(work.dir, 'page.html'), '<p>public</p>');

  t.equal((await aws(owner, 's3api', 'create-bucket', '--bucket', 'cli-access')).code, 0);
  const [block, controls, refusedPolicy, refusedAcl] = await Promise.all([
    aws(owner, 's3api', 'get-public-access-block', '--bucket', 'cli-access'),
    aws(owner, 's3api', 'get-bucket-ownership-controls', '--bucket', 'cli-access'),
    aws(owner, 's3api', 'put-bucket-policy', '--bucket', 'cli-access', '--policy', `file://${join(work.dir, 'policy.json')}`),
    aws(owner, 's3', 'cp', '--acl', 'public-read', join(work.dir, 'page.html'), 's3://cli-access/page.html'),
  ]);
  t.same(json(block), { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }, 'a new bucket blocks public access');
  t.same(json(controls), { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }, 'and has ACLs disabled');
  t.equal(refusedPolicy.code, 255);
  t.match(refusedPolicy.stderr, /\(AccessDenied\) when calling the PutBucketPolicy operation/);
  t.not(refusedAcl.code, 0);
  t.match(refusedAcl.stderr, /AccessControlListNotSupported/, 'aws s3 cp --acl public-read: the bucket does not allow ACLs');

  t.equal((await aws(owner, 's3api', 'delete-public-access-block', '--bucket', 'cli-access')).code, 0);
  const [put, upload] = await Promise.all([
    aws(owner, 's3api', 'put-bucket-policy', '--bucket', 'cli-access', '--policy', `file://${join(work.dir, 'policy.json')}`),
    aws(owner, 's3', 'cp', join(work.dir, 'page.html'), 's3://cli-access/page.html'),
  ]);
  t.equal(put.code, 0, put.stderr);
  t.equal(upload.code, 0, upload.stderr);
  const [got, status, wrongOwner] = await Promise.all([
    aws(owner, 's3api', 'get-bucket-policy', '--bucket', 'cli-access'),
    aws(owner, 's3api', 'get-bucket-policy-status', '--bucket', 'cli-access'),
    aws(owner, 's3api', 'get-bucket-policy', '--bucket', 'cli-access', '--expected-bucket-owner', OTHER.accountId),
  ]);
  t.equal(json(got).Policy, policy, 'the policy exactly as put');
  t.same(json(status), { PolicyStatus: { IsPublic: true } });
  t.match(wrongOwner.stderr, /\(AccessDenied\)/, '--expected-bucket-owner of another account');
  t.same(await curl(`${s.endpoint}/cli-access/page.html`), { status: 200, body: '<p>public</p>' }, 'anonymous reads through the policy');
  t.equal((await curl(`${s.endpoint}/cli-access?list-type=2`)).status, 403, 'but may not list');
  const otherReads = await aws(other, 's3', 'cp', 's3://cli-access/page.html', '-');
  t.equal(otherReads.stdout, '<p>public</p>', 'another account reads through "*" too');

  const restrict = await aws(owner, 's3api', 'put-public-access-block', '--bucket', 'cli-access', '--public-access-block-configuration', 'RestrictPublicBuckets=true');
  t.equal(restrict.code, 0, restrict.stderr);
  t.equal((await curl(`${s.endpoint}/cli-access/page.html`)).status, 403, 'RestrictPublicBuckets: the public policy no longer helps');

  const [deleted, writer] = await Promise.all([
    aws(owner, 's3api', 'delete-bucket-policy', '--bucket', 'cli-access'),
    aws(owner, 's3api', 'put-bucket-ownership-controls', '--bucket', 'cli-access', '--ownership-controls', 'Rules=[{ObjectOwnership=ObjectWriter}]'),
  ]);
  t.equal(deleted.code, 0, deleted.stderr);
  t.equal(writer.code, 0, writer.stderr);
  const [nopolicy, ownership] = await Promise.all([
    aws(owner, 's3api', 'get-bucket-policy', '--bucket', 'cli-access'),
    aws(owner, 's3api', 'get-bucket-ownership-controls', '--bucket', 'cli-access'),
  ]);
  t.match(nopolicy.stderr, /\(NoSuchBucketPolicy\) when calling the GetBucketPolicy operation: The bucket policy does not exist/);
  t.same(json(ownership), { OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
  t.equal((await aws(owner, 's3api', 'delete-bucket-ownership-controls', '--bucket', 'cli-access')).code, 0);
  const gone = await aws(owner, 's3api', 'get-bucket-ownership-controls', '--bucket', 'cli-access');
  t.match(gone.stderr, /\(OwnershipControlsNotFoundError\)/);
});
