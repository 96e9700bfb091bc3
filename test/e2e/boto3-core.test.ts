/**
 * boto3 (python3) with its default settings against a listening server: create a bucket, put,
 * get, list, delete. Skipped loudly when python3 or boto3 is missing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer } from '../helpers/server';

const run = promisify(execFile);

const SCRIPT = String.raw`
import hashlib, json, os, sys
import boto3
from botocore.config import Config

s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["ENDPOINT"],
    aws_access_key_id=os.environ["AKID"],
    aws_secret_access_key=os.environ["SECRET"],
    region_name="us-east-1",
    config=Config(s3={"addressing_style": "path"}),
)
out = {}
s3.create_bucket(Bucket="boto")
data = os.urandom(300 * 1024)
keys = ["plain.bin", "dir/ünïcödé 😀.bin", "a+b c/../d", "empty"]
for key in keys:
    body = b"" if key == "empty" else data
    r = s3.put_object(Bucket="boto", Key=key, Body=body, Metadata={"origin": "boto3"})
    out.setdefault("etags", []).append(r["ETag"])
got = s3.get_object(Bucket="boto", Key="dir/ünïcödé 😀.bin")
out["sha256"] = hashlib.sha256(got["Body"].read()).hexdigest()
out["expected"] = hashlib.sha256(data).hexdigest()
out["metadata"] = got["Metadata"]
rng = s3.get_object(Bucket="boto", Key="plain.bin", Range="bytes=10-19")
out["range"] = rng["Body"].read() == data[10:20]
out["content_range"] = rng["ContentRange"]
out["list"] = [o["Key"] for o in s3.list_objects_v2(Bucket="boto")["Contents"]]
out["list_v1"] = [o["Key"] for o in s3.list_objects(Bucket="boto", Delimiter="/")["Contents"]]
pages = s3.get_paginator("list_objects_v2").paginate(Bucket="boto", PaginationConfig={"PageSize": 1})
out["paged"] = [o["Key"] for p in pages for o in p.get("Contents", [])]
s3.delete_object(Bucket="boto", Key="plain.bin")
r = s3.delete_objects(Bucket="boto", Delete={"Objects": [{"Key": k} for k in keys[1:]]})
out["deleted"] = sorted(d["Key"] for d in r["Deleted"])
out["after"] = s3.list_objects_v2(Bucket="boto")["KeyCount"]
s3.delete_bucket(Bucket="boto")
out["buckets"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
try:
    s3.head_object(Bucket="boto", Key="x")
except s3.exceptions.ClientError as e:
    out["head_missing"] = e.response["Error"]["Code"]
json.dump(out, sys.stdout)
`;
import { clientEnv } from '../helpers/client-env';

async function hasBoto3(): Promise<boolean> {
  try {
    await run('python3', ['-c', 'import boto3']);
    return true;
  } catch {
    return false;
  }
}

t.test('boto3 – create, put, get, list, delete', async (t) => {
  if (!(await hasBoto3())) {
    console.error('SKIP: python3 with boto3 is not installed, the boto3 e2e test did not run');
    t.plan(0, 'SKIP: python3 with boto3 is not installed');
    return;
  }
  const s = await startServer();
  t.teardown(() => s.close());
  const env: NodeJS.ProcessEnv = { ...clientEnv(), ENDPOINT: s.endpoint, AKID: ACCESS_KEY_ID, SECRET: SECRET_ACCESS_KEY, PYTHONIOENCODING: 'utf-8' };
  for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete env[name];
  let stdout: string;
  try {
    ({ stdout } = await run('python3', ['-c', SCRIPT], { env, maxBuffer: 4 * 1024 * 1024 }));
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`boto3 script failed: ${e.stderr ?? e.message}`);
  }
  const out = JSON.parse(stdout) as Record<string, unknown>;
  t.equal(out.sha256, out.expected, 'bytes by SHA-256');
  t.same(out.metadata, { origin: 'boto3' });
  t.equal(out.range, true);
  t.equal(out.content_range, `bytes 10-19/${300 * 1024}`);
  const sortedKeys = ['a+b c/../d', 'dir/ünïcödé 😀.bin', 'empty', 'plain.bin'];
  t.same(out.list, sortedKeys);
  t.same(out.list_v1, ['empty', 'plain.bin']);
  t.same(out.paged, sortedKeys);
  t.same(out.deleted, ['a+b c/../d', 'dir/ünïcödé 😀.bin', 'empty']);
  t.equal(out.after, 0);
  t.same(out.buckets, []);
  t.equal(out.head_missing, '404');
  t.equal((out.etags as string[])[3], '"d41d8cd98f00b204e9800998ecf8427e"');
});
