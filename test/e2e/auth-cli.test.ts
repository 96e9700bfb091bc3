/**
 * The `aws` CLI (v1) and boto3 with their default settings against a listening server: right
 * and wrong credentials (exit code and S3 error code on stderr), ACLs from the command line,
 * `aws s3 presign` URLs fetched with curl in both the SigV2 form the CLI makes by default and
 * the SigV4 form `s3.signature_version = s3v4` asks for.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { startServer, tempDir } from '../helpers/server';
import { OTHER, OWNER, USERS } from '../server/auth-fixtures';

const run = promisify(execFile);

async function has(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args);
    return true;
  } catch {
    return false;
  }
}

/** Skips the current test loudly: on stderr and in the TAP plan. */
function skip(t: Test, why: string): void {
  process.stderr.write(`\n!!! auth-cli: ${why}: SKIPPING !!!\n\n`);
  t.plan(0, `SKIPPED: ${why}`);
}

interface Outcome { code: number; stdout: string; stderr: string }

async function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function setup(t: Test) {
  const s = await startServer({ config: { users: USERS } });
  t.teardown(() => s.close());
  const work = tempDir('cb-auth-cli-');
  t.teardown(() => work.remove());
  const envFor = (accessKeyId: string, secretAccessKey: string, config = join(work.dir, 'no-config')): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(work.dir, 'no-credentials'),
      AWS_PAGER: '',
    };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    return env;
  };
  const aws = (env: NodeJS.ProcessEnv, ...args: string[]) => exec('aws', ['--endpoint-url', s.endpoint, ...args], env);
  const curl = async (url: string, ...args: string[]) => {
    const out = await exec('curl', ['-s', '-g', '-w', '\n%{http_code}', ...args, url], process.env);
    const i = out.stdout.lastIndexOf('\n');
    return { status: Number(out.stdout.slice(i + 1)), body: out.stdout.slice(0, i) };
  };
  return { s, work, envFor, aws, curl };
}

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
  t.equal((await aws(owner, 's3', 'mb', 's3://cli-acl')).code, 0);
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

t.test('aws s3 presign – the default SigV2 URL and the s3v4 one both work with curl, for that key only', async (t) => {
  if (!(await has('aws', ['--version'])) || !(await has('curl', ['--version']))) {
    skip(t, 'the aws CLI or curl is not installed');
    return;
  }
  const { s, work, envFor, aws, curl } = await setup(t);
  const owner = envFor(OWNER.accessKeyId, OWNER.secretAccessKey);
  writeFileSync(join(work.dir, 'f.txt'), 'presigned bytes');
  t.equal((await aws(owner, 's3', 'mb', 's3://cli-presign')).code, 0);
  t.equal((await aws(owner, 's3', 'cp', join(work.dir, 'f.txt'), 's3://cli-presign/dir/a file+é.txt')).code, 0);

  const v2 = (await aws(owner, 's3', 'presign', 's3://cli-presign/dir/a file+é.txt', '--expires-in', '300')).stdout.trim();
  t.match(v2, /[?&]AWSAccessKeyId=crossbucket&/, 'aws-cli v1 presigns with SigV2 by default');
  t.same(await curl(v2), { status: 200, body: 'presigned bytes' });

  writeFileSync(join(work.dir, 'v4-config'), '[default]\ns3 =\n    signature_version = s3v4\n');
  const v4 = (await aws(envFor(OWNER.accessKeyId, OWNER.secretAccessKey, join(work.dir, 'v4-config')), 's3', 'presign', 's3://cli-presign/dir/a file+é.txt')).stdout.trim();
  t.match(v4, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
  t.same(await curl(v4), { status: 200, body: 'presigned bytes' });

  for (const url of [v2, v4]) {
    const replay = await curl(url.replace('/dir/', '/other/'));
    t.equal(replay.status, 403);
    t.match(replay.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    const put = await curl(url, '-X', 'PUT', '--data-binary', 'overwrite');
    t.equal(put.status, 403, 'a GET URL does not PUT');
  }
  t.same(await curl(v2), { status: 200, body: 'presigned bytes' });
  const wrongSecret = (await aws(envFor(OWNER.accessKeyId, 'nope'), 's3', 'presign', 's3://cli-presign/dir/a file+é.txt')).stdout.trim();
  const refused = await curl(wrongSecret);
  t.equal(refused.status, 403);
  t.match(refused.body, /<Code>SignatureDoesNotMatch<\/Code>/);
  t.equal(s.region, 'us-east-1');
});

const BOTO3_SCRIPT = `
import json, sys, urllib.request, urllib.error, urllib.parse
import boto3
from botocore.exceptions import ClientError
endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
s3 = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret, region_name='us-east-1')
s3.create_bucket(Bucket='boto-auth', ACL='public-read')
s3.put_object(Bucket='boto-auth', Key='k.txt', Body=b'boto bytes', ACL='public-read')
out['get'] = s3.get_object(Bucket='boto-auth', Key='k.txt')['Body'].read().decode()
acl = s3.get_bucket_acl(Bucket='boto-auth')
out['grants'] = [[g['Grantee'].get('Type'), g['Grantee'].get('ID') or g['Grantee'].get('URI'), g['Permission']] for g in acl['Grants']]
out['owner'] = acl['Owner']
url = s3.generate_presigned_url('get_object', Params={'Bucket': 'boto-auth', 'Key': 'k.txt'}, ExpiresIn=300)
out['presigned'] = urllib.request.urlopen(url).read().decode()
put_url = s3.generate_presigned_url('put_object', Params={'Bucket': 'boto-auth', 'Key': 'put.txt'}, ExpiresIn=300)
# http.client sends no Content-Type (urllib would add one the signature does not cover).
import http.client
u = urllib.parse.urlsplit(put_url)
conn = http.client.HTTPConnection(u.hostname, u.port)
conn.request('PUT', u.path + '?' + u.query, body=b'put by url')
out['put_status'] = conn.getresponse().status
out['put_signature'] = 'X-Amz-Signature' if 'X-Amz-Signature' in put_url else 'Signature'
out['put'] = s3.get_object(Bucket='boto-auth', Key='put.txt')['Body'].read().decode()
bad = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key='wrong', region_name='us-east-1')
try:
    bad.list_objects_v2(Bucket='boto-auth')
    out['wrong'] = 'accepted'
except ClientError as e:
    out['wrong'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], 'CanonicalRequest' in e.response['Error']]
unknown = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id='nobody', aws_secret_access_key='x', region_name='us-east-1')
try:
    unknown.head_bucket(Bucket='boto-auth')
    out['unknown'] = 'accepted'
except ClientError as e:
    out['unknown'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

t.test('boto3 – default settings: ACLs, presigned GET/PUT, wrong secret, unknown key', async (t) => {
  if (!(await has('python3', ['-c', 'import boto3']))) {
    skip(t, 'boto3 is not installed (pip install boto3)');
    return;
  }
  const { s, work } = await setup(t);
  writeFileSync(join(work.dir, 'boto.py'), BOTO3_SCRIPT);
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: join(work.dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(work.dir, 'none') };
  delete env.AWS_PROFILE;
  const out = await exec('python3', [join(work.dir, 'boto.py'), s.endpoint, OWNER.accessKeyId, OWNER.secretAccessKey], env);
  t.equal(out.code, 0, out.stderr);
  const r = JSON.parse(out.stdout) as Record<string, unknown>;
  t.equal(r.get, 'boto bytes');
  t.same(r.grants, [['CanonicalUser', OWNER.id, 'FULL_CONTROL'], ['Group', 'http://acs.amazonaws.com/groups/global/AllUsers', 'READ']]);
  t.same(r.owner, { DisplayName: 'Owner Display', ID: OWNER.id });
  t.equal(r.presigned, 'boto bytes');
  t.equal(r.put_status, 200);
  t.equal(r.put, 'put by url');
  t.equal(r.put_signature, 'Signature', 'botocore presigns S3 URLs with SigV2 unless configured otherwise');
  t.same(r.wrong, ['SignatureDoesNotMatch', 403, true]);
  t.same(r.unknown, ['403', 403], 'HEAD errors have no body: botocore names them by status');
});
