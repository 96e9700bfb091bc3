/**
 * `aws s3 presign` URLs fetched with curl, in both the SigV2 form aws-cli v1 makes by default and
 * the SigV4 form `s3.signature_version = s3v4` asks for: each works for its key only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { has, setup, skip } from '../helpers/cli-exec';
import { OWNER } from '../server/auth-fixtures';

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
