/** boto3 with its default settings against a listening server: ACLs, presigned GET/PUT, wrong secret, unknown key. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { clientEnv } from '../helpers/client-env';
import { exec, has, setup, skip } from '../helpers/cli-exec';
import { OWNER } from '../server/auth-fixtures';

const BOTO3_SCRIPT = `
import json, sys, urllib.request, urllib.error, urllib.parse
import boto3
from botocore.exceptions import ClientError
endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
s3 = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret, region_name='us-east-1')
# ACLs need a bucket made for them, as on S3 since April 2023 (docs/access.md).
s3.create_bucket(Bucket='boto-auth', ObjectOwnership='ObjectWriter')
s3.delete_public_access_block(Bucket='boto-auth')
s3.put_bucket_acl(Bucket='boto-auth', ACL='public-read')
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
  const env: NodeJS.ProcessEnv = { ...clientEnv(), AWS_CONFIG_FILE: join(work.dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(work.dir, 'none') };
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
