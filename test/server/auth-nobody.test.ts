/**
 * "Nobody let in": every implemented operation (each key of OPERATIONS) against a private
 * bucket, by an anonymous caller, a wrong secret, another user and an expired presigned URL, is
 * refused with S3's code, and storage is byte-for-byte what it was. Each request line is first
 * checked to resolve to its operation, and the bucket owner sending it is not refused, so a
 * line that tests nothing cannot pass.
 */
import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { parseAddress, normaliseBaseDomains } from '../../server/http/addressing';
import { OPERATIONS } from '../../server/operations/operations';
import { resolveOperation } from '../../server/operations/resolve-operation';
import { formBody, signPolicy } from '../helpers/post-policy';
import { injectApp } from '../helpers/server';
import { OTHER, OWNER, USERS, send, snapshot, xml, type Req, type Who } from './auth-fixtures';

const CORS = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
const DELETE = '<Delete><Object><Key>doc</Key></Object></Delete>';
const md5 = (s: string) => createHash('md5').update(s).digest('base64');
/** A policy that lets nobody in: it names the owner's own account only. */
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'OwnerReads', Effect: 'Allow', Principal: { AWS: OWNER.accountId }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::vault/*' }] });
const BPA_OFF = '<PublicAccessBlockConfiguration><BlockPublicAcls>false</BlockPublicAcls></PublicAccessBlockConfiguration>';
const OWNERSHIP = '<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>';

interface Line {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

const LOCK = '<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>';
const RETENTION = '<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>';
const HOLD = '<LegalHold><Status>ON</Status></LegalHold>';

/** One request line per operation, against bucket `vault`, object `doc`, upload `U`. */
const TAGS = '<Tagging><TagSet><Tag><Key>team</Key><Value>web</Value></Tag></TagSet></Tagging>';
const SSE = '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>';
const LIFECYCLE = '<LifecycleConfiguration><Rule><ID>old</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>';

function lines(uploadId: string): Record<string, Line> {
  const upload = { uploadId };
  return {
    ListBuckets: { method: 'GET', path: '/' },
    CreateBucket: { method: 'PUT', path: '/vault' },
    DeleteBucket: { method: 'DELETE', path: '/vault' },
    HeadBucket: { method: 'HEAD', path: '/vault' },
    GetBucketLocation: { method: 'GET', path: '/vault', query: { location: '' } },
    GetBucketVersioning: { method: 'GET', path: '/vault', query: { versioning: '' } },
    PutBucketVersioning: { method: 'PUT', path: '/vault', query: { versioning: '' }, body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>' },
    GetObjectLockConfiguration: { method: 'GET', path: '/vault', query: { 'object-lock': '' } },
    PutObjectLockConfiguration: { method: 'PUT', path: '/vault', query: { 'object-lock': '' }, headers: { 'content-md5': md5(LOCK) }, body: LOCK },
    GetObjectRetention: { method: 'GET', path: '/vault/doc', query: { retention: '' } },
    PutObjectRetention: { method: 'PUT', path: '/vault/doc', query: { retention: '' }, headers: { 'content-md5': md5(RETENTION) }, body: RETENTION },
    GetObjectLegalHold: { method: 'GET', path: '/vault/doc', query: { 'legal-hold': '' } },
    PutObjectLegalHold: { method: 'PUT', path: '/vault/doc', query: { 'legal-hold': '' }, headers: { 'content-md5': md5(HOLD) }, body: HOLD },
    ListObjects: { method: 'GET', path: '/vault' },
    ListObjectsV2: { method: 'GET', path: '/vault', query: { 'list-type': '2' } },
    ListObjectVersions: { method: 'GET', path: '/vault', query: { versions: '' } },
    ListMultipartUploads: { method: 'GET', path: '/vault', query: { uploads: '' } },
    PutObject: { method: 'PUT', path: '/vault/doc', body: 'overwritten' },
    GetObject: { method: 'GET', path: '/vault/doc' },
    HeadObject: { method: 'HEAD', path: '/vault/doc' },
    GetObjectAttributes: { method: 'GET', path: '/vault/doc', query: { attributes: '' }, headers: { 'x-amz-object-attributes': 'ETag' } },
    DeleteObject: { method: 'DELETE', path: '/vault/doc' },
    DeleteObjects: { method: 'POST', path: '/vault', query: { delete: '' }, headers: { 'content-md5': md5(DELETE) }, body: DELETE },
    CopyObject: { method: 'PUT', path: '/vault/copy', headers: { 'x-amz-copy-source': '/vault/doc' } },
    PutBucketCors: { method: 'PUT', path: '/vault', query: { cors: '' }, headers: { 'content-md5': md5(CORS) }, body: CORS },
    GetBucketCors: { method: 'GET', path: '/vault', query: { cors: '' } },
    DeleteBucketCors: { method: 'DELETE', path: '/vault', query: { cors: '' } },
    PutBucketWebsite: { method: 'PUT', path: '/vault', query: { website: '' }, body: '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>' },
    GetBucketWebsite: { method: 'GET', path: '/vault', query: { website: '' } },
    DeleteBucketWebsite: { method: 'DELETE', path: '/vault', query: { website: '' } },
    GetBucketAcl: { method: 'GET', path: '/vault', query: { acl: '' } },
    PutBucketAcl: { method: 'PUT', path: '/vault', query: { acl: '' }, headers: { 'x-amz-acl': 'public-read-write' } },
    GetObjectAcl: { method: 'GET', path: '/vault/doc', query: { acl: '' } },
    PutObjectAcl: { method: 'PUT', path: '/vault/doc', query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } },
    GetObjectTagging: { method: 'GET', path: '/vault/doc', query: { tagging: '' } },
    PutObjectTagging: { method: 'PUT', path: '/vault/doc', query: { tagging: '' }, body: '<Tagging><TagSet/></Tagging>' },
    DeleteObjectTagging: { method: 'DELETE', path: '/vault/doc', query: { tagging: '' } },
    GetBucketTagging: { method: 'GET', path: '/vault', query: { tagging: '' } },
    PutBucketTagging: { method: 'PUT', path: '/vault', query: { tagging: '' }, headers: { 'content-md5': md5(TAGS) }, body: TAGS },
    DeleteBucketTagging: { method: 'DELETE', path: '/vault', query: { tagging: '' } },
    PutBucketEncryption: { method: 'PUT', path: '/vault', query: { encryption: '' }, headers: { 'content-md5': md5(SSE) }, body: SSE },
    GetBucketEncryption: { method: 'GET', path: '/vault', query: { encryption: '' } },
    DeleteBucketEncryption: { method: 'DELETE', path: '/vault', query: { encryption: '' } },
    PutBucketLifecycleConfiguration: { method: 'PUT', path: '/vault', query: { lifecycle: '' }, headers: { 'content-md5': md5(LIFECYCLE) }, body: LIFECYCLE },
    GetBucketLifecycleConfiguration: { method: 'GET', path: '/vault', query: { lifecycle: '' } },
    DeleteBucketLifecycle: { method: 'DELETE', path: '/vault', query: { lifecycle: '' } },
    PutBucketRequestPayment: { method: 'PUT', path: '/vault', query: { requestPayment: '' }, body: '<RequestPaymentConfiguration><Payer>BucketOwner</Payer></RequestPaymentConfiguration>' },
    GetBucketRequestPayment: { method: 'GET', path: '/vault', query: { requestPayment: '' } },
    PutBucketAccelerateConfiguration: { method: 'PUT', path: '/vault', query: { accelerate: '' }, body: '<AccelerateConfiguration><Status>Suspended</Status></AccelerateConfiguration>' },
    GetBucketAccelerateConfiguration: { method: 'GET', path: '/vault', query: { accelerate: '' } },
    PutBucketLogging: { method: 'PUT', path: '/vault', query: { logging: '' }, body: '<BucketLoggingStatus/>' },
    GetBucketLogging: { method: 'GET', path: '/vault', query: { logging: '' } },
    PutBucketNotificationConfiguration: { method: 'PUT', path: '/vault', query: { notification: '' }, body: '<NotificationConfiguration/>' },
    GetBucketNotificationConfiguration: { method: 'GET', path: '/vault', query: { notification: '' } },
    PutBucketReplication: { method: 'PUT', path: '/vault', query: { replication: '' }, body: '<ReplicationConfiguration><Role>arn:aws:iam::000000000000:role/r</Role><Rule><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::vault</Bucket></Destination></Rule></ReplicationConfiguration>' },
    GetBucketReplication: { method: 'GET', path: '/vault', query: { replication: '' } },
    DeleteBucketReplication: { method: 'DELETE', path: '/vault', query: { replication: '' } },
    ListBucketAnalyticsConfigurations: { method: 'GET', path: '/vault', query: { analytics: '' } },
    ListBucketMetricsConfigurations: { method: 'GET', path: '/vault', query: { metrics: '' } },
    ListBucketInventoryConfigurations: { method: 'GET', path: '/vault', query: { inventory: '' } },
    ListBucketIntelligentTieringConfigurations: { method: 'GET', path: '/vault', query: { 'intelligent-tiering': '' } },
    GetBucketAnalyticsConfiguration: { method: 'GET', path: '/vault', query: { analytics: '', id: 'a' } },
    GetBucketMetricsConfiguration: { method: 'GET', path: '/vault', query: { metrics: '', id: 'a' } },
    GetBucketInventoryConfiguration: { method: 'GET', path: '/vault', query: { inventory: '', id: 'a' } },
    GetBucketIntelligentTieringConfiguration: { method: 'GET', path: '/vault', query: { 'intelligent-tiering': '', id: 'a' } },
    PutBucketAnalyticsConfiguration: { method: 'PUT', path: '/vault', query: { analytics: '', id: 'a' }, body: '<AnalyticsConfiguration><Id>a</Id><StorageClassAnalysis/></AnalyticsConfiguration>' },
    DeleteBucketAnalyticsConfiguration: { method: 'DELETE', path: '/vault', query: { analytics: '', id: 'a' } },
    PutBucketMetricsConfiguration: { method: 'PUT', path: '/vault', query: { metrics: '', id: 'a' }, body: '<MetricsConfiguration><Id>a</Id></MetricsConfiguration>' },
    DeleteBucketMetricsConfiguration: { method: 'DELETE', path: '/vault', query: { metrics: '', id: 'a' } },
    PutBucketInventoryConfiguration: { method: 'PUT', path: '/vault', query: { inventory: '', id: 'a' }, body: '<InventoryConfiguration/>' },
    DeleteBucketInventoryConfiguration: { method: 'DELETE', path: '/vault', query: { inventory: '', id: 'a' } },
    PutBucketIntelligentTieringConfiguration: { method: 'PUT', path: '/vault', query: { 'intelligent-tiering': '', id: 'a' }, body: '<IntelligentTieringConfiguration/>' },
    DeleteBucketIntelligentTieringConfiguration: { method: 'DELETE', path: '/vault', query: { 'intelligent-tiering': '', id: 'a' } },
    GetBucketPolicy: { method: 'GET', path: '/vault', query: { policy: '' } },
    PutBucketPolicy: { method: 'PUT', path: '/vault', query: { policy: '' }, body: POLICY },
    DeleteBucketPolicy: { method: 'DELETE', path: '/vault', query: { policy: '' } },
    GetBucketPolicyStatus: { method: 'GET', path: '/vault', query: { policyStatus: '' } },
    PutPublicAccessBlock: { method: 'PUT', path: '/vault', query: { publicAccessBlock: '' }, headers: { 'content-md5': md5(BPA_OFF) }, body: BPA_OFF },
    GetPublicAccessBlock: { method: 'GET', path: '/vault', query: { publicAccessBlock: '' } },
    DeletePublicAccessBlock: { method: 'DELETE', path: '/vault', query: { publicAccessBlock: '' } },
    PutBucketOwnershipControls: { method: 'PUT', path: '/vault', query: { ownershipControls: '' }, headers: { 'content-md5': md5(OWNERSHIP) }, body: OWNERSHIP },
    GetBucketOwnershipControls: { method: 'GET', path: '/vault', query: { ownershipControls: '' } },
    DeleteBucketOwnershipControls: { method: 'DELETE', path: '/vault', query: { ownershipControls: '' } },
    CreateMultipartUpload: { method: 'POST', path: '/vault/doc', query: { uploads: '' } },
    UploadPart: { method: 'PUT', path: '/vault/doc', query: { partNumber: '1', ...upload }, body: 'part' },
    UploadPartCopy: { method: 'PUT', path: '/vault/doc', query: { partNumber: '1', ...upload }, headers: { 'x-amz-copy-source': '/vault/doc' } },
    CompleteMultipartUpload: { method: 'POST', path: '/vault/doc', query: upload, body: '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"00"</ETag></Part></CompleteMultipartUpload>' },
    AbortMultipartUpload: { method: 'DELETE', path: '/vault/doc', query: upload },
    ListParts: { method: 'GET', path: '/vault/doc', query: upload },
  };
}

type Caller = 'anonymous' | 'wrong secret' | 'other user' | 'expired presign';
const CALLERS: Caller[] = ['anonymous', 'wrong secret', 'other user', 'expired presign'];

function request(line: Line, caller: Caller): Req {
  const base: Req = { method: line.method, path: line.path, query: line.query ?? {}, headers: line.headers ?? {}, ...(line.body !== undefined ? { body: line.body } : {}) };
  const who: Record<Caller, Who> = {
    anonymous: 'anonymous',
    'wrong secret': { accessKeyId: OWNER.accessKeyId, secretAccessKey: 'not-the-secret' },
    'other user': OTHER,
    'expired presign': OWNER,
  };
  if (caller === 'expired presign') return { ...base, who: who[caller], date: new Date(Date.now() - 2 * 3600_000), presigned: { expiresIn: 3600 } };
  return { ...base, who: who[caller] };
}

/** PostObject is a form: its credentials are the policy's, not a header's. */
function postObjectForm(caller: Caller | 'owner'): { body: Buffer; contentType: string } {
  const conditions = [{ bucket: 'vault' }, ['eq', '$key', 'doc']];
  const signed: Record<Caller | 'owner', Record<string, string>> = {
    owner: signPolicy({ conditions }),
    anonymous: {},
    'wrong secret': signPolicy({ conditions, secretAccessKey: 'not-the-secret' }),
    'other user': signPolicy({ conditions, accessKeyId: OTHER.accessKeyId, secretAccessKey: OTHER.secretAccessKey }),
    'expired presign': signPolicy({ conditions, expiration: new Date(Date.now() - 60_000) }),
  };
  return formBody({ key: 'doc', ...signed[caller] }, { data: 'posted' });
}

function expected(op: string, caller: Caller): { status: number; code: string; message?: string } {
  if (caller === 'wrong secret') return { status: 403, code: 'SignatureDoesNotMatch' };
  if (caller === 'expired presign') return op === 'PostObject' ? { status: 403, code: 'AccessDenied' } : { status: 403, code: 'AccessDenied', message: 'Request has expired' };
  if (caller === 'other user' && op === 'CreateBucket') return { status: 409, code: 'BucketAlreadyExists' };
  return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
}

async function vault(t: Test) {
  const h = injectApp({ users: USERS });
  t.teardown(() => h.close());
  const ok = async (r: Req) => {
    const res = await send(h.app, r);
    if (res.statusCode >= 300) t.fail(`setup ${r.method} ${r.path}: ${res.statusCode} ${res.body}`);
    return res;
  };
  await ok({ method: 'PUT', path: '/vault' });
  await ok({ method: 'PUT', path: '/vault/doc', body: 'the secret' });
  await ok({ method: 'PUT', path: '/vault', query: { cors: '' }, headers: { 'content-md5': md5(CORS) }, body: CORS });
  const created = await ok({ method: 'POST', path: '/vault/doc', query: { uploads: '' } });
  const uploadId = xml(created.body, 'UploadId') ?? 'no-multipart';
  return { h, uploadId };
}

const BASES = normaliseBaseDomains([]);

t.test('every implemented operation has a request line that resolves to it, and its owner is let in', async (t) => {
  for (const op of Object.keys(OPERATIONS)) {
    const { h, uploadId } = await vault(t);
    if (op === 'PostObject') {
      const form = postObjectForm('owner');
      const res = await h.app.inject({ method: 'POST', url: '/vault', headers: { host: 'localhost:9000', 'content-type': form.contentType }, payload: form.body });
      t.ok(res.statusCode < 300, `PostObject by the owner: ${res.statusCode}`);
      continue;
    }
    const line = lines(uploadId)[op];
    if (!line) {
      t.fail(`no request line for ${op}: add one to test/server/auth-nobody.test.ts`);
      continue;
    }
    const q = new URLSearchParams(line.query ?? {}).toString();
    const a = parseAddress(q ? `${line.path}?${q}` : line.path, 'localhost:9000', BASES);
    t.equal(resolveOperation(line.method, a.bucket, a.key, a.query, line.headers ?? {}), op, `${op}: the line resolves to it`);
    const res = await send(h.app, { ...request(line, 'other user'), who: OWNER });
    t.not(res.statusCode, 403, `${op}: the owner is not refused (${res.statusCode} ${xml(res.body, 'Code') ?? ''})`);
  }
});

t.test('nobody else is let in: anonymous, wrong secret, other user, expired presign', async (t) => {
  const { h, uploadId } = await vault(t);
  const all = lines(uploadId);
  const before = snapshot(h.storage);
  for (const op of Object.keys(OPERATIONS)) {
    for (const caller of CALLERS) {
      let res;
      let method = 'POST';
      if (op === 'PostObject') {
        const form = postObjectForm(caller);
        res = await h.app.inject({ method: 'POST', url: '/vault', headers: { host: 'localhost:9000', 'content-type': form.contentType }, payload: form.body });
      } else {
        const line = all[op];
        if (!line) continue; // reported by the test above
        method = line.method;
        res = await send(h.app, request(line, caller));
      }
      const label = `${op} × ${caller}`;
      if (op === 'ListBuckets' && caller === 'other user') {
        t.equal(res.statusCode, 200, label);
        t.notMatch(res.body, /<Name>vault<\/Name>/, `${label}: another user's bucket is not listed`);
        continue;
      }
      const want = expected(op, caller);
      t.equal(res.statusCode, want.status, label);
      if (method !== 'HEAD') {
        t.equal(xml(res.body, 'Code'), want.code, label);
        if (want.message !== undefined) t.equal(xml(res.body, 'Message'), want.message, label);
      }
      t.equal(snapshot(h.storage), before, `${label}: nothing changed`);
    }
  }
});

/** The admin routes that reveal or change data (docs/security.md); health is open. */
const ADMIN_LINES: Record<string, Line> = {
  'admin explain': { method: 'GET', path: '/_crossbucket/explain', query: { bucket: 'vault', origin: 'http://a.test', method: 'GET' } },
  'admin reset objects': { method: 'POST', path: '/_crossbucket/reset', query: { mode: 'objects' }, headers: { 'x-crossbucket-admin': 'reset' } },
  'admin reset all': { method: 'POST', path: '/_crossbucket/reset', query: { mode: 'all' }, headers: { 'x-crossbucket-admin': 'reset' } },
};

t.test('nobody else is let in: the admin routes too (explain, reset), by the same callers', async (t) => {
  const h = injectApp({ users: USERS, adminReset: true });
  t.teardown(() => h.close());
  await send(h.app, { method: 'PUT', path: '/vault' });
  await send(h.app, { method: 'PUT', path: '/vault/doc', body: 'the secret' });
  await send(h.app, { method: 'PUT', path: '/vault', query: { cors: '' }, headers: { 'content-md5': md5(CORS) }, body: CORS });
  const before = snapshot(h.storage);
  t.match(before, /the secret|vault/, 'the snapshot holds the bucket');
  for (const [route, line] of Object.entries(ADMIN_LINES)) {
    for (const caller of CALLERS) {
      const res = await send(h.app, request(line, caller));
      const label = `${route} × ${caller}`;
      const want = caller === 'wrong secret' ? 'SignatureDoesNotMatch' : 'AccessDenied';
      t.equal(res.statusCode, 403, label);
      t.equal(xml(res.body, 'Code'), want, label);
      if (caller === 'expired presign') t.equal(xml(res.body, 'Message'), 'Request has expired', label);
      t.notMatch(res.body, /AllowedOrigin|"bucketState"/, `${label}: no rule revealed`);
      t.equal(snapshot(h.storage), before, `${label}: nothing changed`);
    }
  }
  // The line that tests nothing cannot pass: the owner is let in, by the same lines.
  const explained = await send(h.app, { ...request(ADMIN_LINES['admin explain'] as Line, 'other user'), who: OWNER });
  t.equal(explained.statusCode, 200, 'the owner may explain');
  const reset = await send(h.app, { ...request(ADMIN_LINES['admin reset all'] as Line, 'other user'), who: OWNER });
  t.equal(reset.statusCode, 200, 'the first user may reset');
  t.not(snapshot(h.storage), before, 'and the reset happened');
});

t.test('nobody let in by policy: explicit Deny beats the owner, BPA refuses public policies, ACL-disabled buckets refuse ACLs', async (t) => {
  const { h } = await vault(t);
  const allowAll = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::vault', 'arn:aws:s3:::vault/*'] }] });
  const denyAll = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::vault', 'arn:aws:s3:::vault/*'] }] });
  const cases: Array<[string, Req, number, string]> = [
    ['a public policy under BlockPublicPolicy', { method: 'PUT', path: '/vault', query: { policy: '' }, body: allowAll, who: OWNER }, 403, 'AccessDenied'],
    ['PutBucketAcl public-read on an ACL-disabled bucket', { method: 'PUT', path: '/vault', query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' }, who: OWNER }, 400, 'AccessControlListNotSupported'],
    ['PutObjectAcl public-read on an ACL-disabled bucket', { method: 'PUT', path: '/vault/doc', query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' }, who: OWNER }, 400, 'AccessControlListNotSupported'],
    ['PutObject with an AllUsers grant on an ACL-disabled bucket', { method: 'PUT', path: '/vault/open', body: 'x', headers: { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }, who: OWNER }, 400, 'AccessControlListNotSupported'],
  ];
  const before = snapshot(h.storage);
  for (const [label, r, status, code] of cases) {
    const res = await send(h.app, r);
    t.equal(res.statusCode, status, label);
    t.equal(xml(res.body, 'Code'), code, label);
    t.equal(snapshot(h.storage), before, `${label}: nothing changed`);
  }
  for (const who of ['anonymous', OTHER] as const) t.equal((await send(h.app, { path: '/vault/doc', who })).statusCode, 403, 'still private');
  // The owner puts a Deny on everything: every operation is refused, the owner's included.
  t.equal((await send(h.app, { method: 'PUT', path: '/vault', query: { policy: '' }, body: denyAll })).statusCode, 204);
  const lockedOut: Req[] = [
    { path: '/vault/doc' }, { method: 'HEAD', path: '/vault/doc' }, { path: '/vault', query: { 'list-type': '2' } },
    { method: 'PUT', path: '/vault/doc', body: 'overwritten' }, { method: 'DELETE', path: '/vault/doc' },
    { path: '/vault', query: { cors: '' } }, { method: 'DELETE', path: '/vault', query: { policy: '' } },
    { method: 'DELETE', path: '/vault', query: { publicAccessBlock: '' } },
  ];
  const locked = snapshot(h.storage);
  for (const r of lockedOut) {
    const res = await send(h.app, { ...r, who: OWNER });
    t.equal(res.statusCode, 403, `the owner: ${r.method ?? 'GET'} ${r.path} ${JSON.stringify(r.query ?? {})}`);
  }
  t.equal(snapshot(h.storage), locked, 'nothing changed');
});
