/**
 * CreateMultipartUpload's ACL headers through real clients (docs/spec/access.md §6 R6.3, R6.4):
 * `aws s3 cp --acl bucket-owner-full-control` of a file large enough to go multipart succeeds on
 * a default (BucketOwnerEnforced) bucket, as on S3; the SDK's grants on an ACL-enabled bucket are
 * the completed object's ACL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeletePublicAccessBlockCommand, GetObjectAclCommand,
  GetObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { has, setup, skip } from '../helpers/cli-exec';
import { sdkClient, startServer } from '../helpers/server';
import { OTHER, OWNER, USERS } from '../server/auth-fixtures';

const MiB = 1024 * 1024;

t.test('aws s3 cp --acl bucket-owner-full-control of 9 MiB (multipart) into a default bucket', async (t) => {
  if (!(await has('aws', ['--version']))) {
    skip(t, 'the aws CLI is not installed');
    return;
  }
  const { work, envFor, aws } = await setup(t);
  const owner = envFor(OWNER.accessKeyId, OWNER.secretAccessKey);
  const file = join(work.dir, 'big.bin');
  const [code] = (await once(spawn('sh', ['-c', `head -c ${9 * MiB} /dev/zero > "$1"`, 'sh', file], { stdio: 'ignore' }), 'close')) as [number];
  t.equal(code, 0);
  t.equal((await aws(owner, 's3api', 'create-bucket', '--bucket', 'mpu-default')).code, 0);
  const debug = await aws(owner, '--debug', 's3', 'cp', '--acl', 'bucket-owner-full-control', file, 's3://mpu-default/big.bin');
  t.equal(debug.code, 0, debug.stderr.slice(-2000));
  t.match(debug.stderr, /CreateMultipartUpload/, 'the upload went multipart');
  const head = await aws(owner, 's3api', 'head-object', '--bucket', 'mpu-default', '--key', 'big.bin');
  t.equal((JSON.parse(head.stdout) as { ContentLength: number; ETag: string }).ContentLength, 9 * MiB);
  t.match(head.stdout, /-2\\"/, 'a two-part ETag');
  const acl = await aws(owner, 's3api', 'get-object-acl', '--bucket', 'mpu-default', '--key', 'big.bin');
  t.same((JSON.parse(acl.stdout) as { Grants: unknown[] }).Grants, [{ Grantee: { DisplayName: OWNER.displayName, ID: OWNER.id, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);
  const refused = await aws(owner, 's3', 'cp', '--acl', 'public-read', file, 's3://mpu-default/public.bin');
  t.not(refused.code, 0);
  t.match(refused.stderr, /AccessControlListNotSupported/, 'a public ACL is still refused');
});

t.test('sdk – grants given to CreateMultipartUpload are the object\'s after CompleteMultipartUpload', async (t) => {
  const s = await startServer({ config: { users: USERS } });
  t.teardown(() => s.close());
  const owner = sdkClient(s.endpoint);
  const other = sdkClient(s.endpoint, { credentials: { accessKeyId: OTHER.accessKeyId, secretAccessKey: OTHER.secretAccessKey } });
  t.teardown(() => { owner.destroy(); other.destroy(); });
  await owner.send(new CreateBucketCommand({ Bucket: 'mpu-acl', ObjectOwnership: 'ObjectWriter' }));
  await owner.send(new DeletePublicAccessBlockCommand({ Bucket: 'mpu-acl' }));
  const Bucket = 'mpu-acl';
  const Key = 'granted.bin';
  const { UploadId } = await owner.send(new CreateMultipartUploadCommand({
    Bucket, Key, GrantRead: `id="${OTHER.id}"`, GrantFullControl: `id="${OWNER.id}"`, GrantReadACP: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
  }));
  const parts = [];
  for (const [n, body] of [[1, Buffer.alloc(5 * MiB, 1)], [2, Buffer.from('tail')]] as const) {
    const { ETag } = await owner.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: n, Body: body }));
    parts.push({ PartNumber: n, ETag });
  }
  await owner.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
  const acl = await owner.send(new GetObjectAclCommand({ Bucket, Key }));
  t.equal(acl.Owner?.ID, OWNER.id);
  t.same(acl.Grants?.map((g) => [g.Grantee?.ID ?? g.Grantee?.URI, g.Permission]), [
    [OTHER.id, 'READ'], ['http://acs.amazonaws.com/groups/global/AllUsers', 'READ_ACP'], [OWNER.id, 'FULL_CONTROL'],
  ]);
  const read = await other.send(new GetObjectCommand({ Bucket, Key }));
  t.equal(read.ContentLength, 5 * MiB + 4, 'the READ grant lets the other user read');
  await read.Body?.transformToByteArray();
});
