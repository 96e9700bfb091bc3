/**
 * The AWS SDK for JavaScript v3 with default settings (checksums included) against a listening
 * server with three users: wrong credentials fail with S3's error names, ACLs set through the
 * SDK's own parameters round-trip and are enforced, presigned URLs work through fetch and
 * expire, and Owner elements carry each user's display name.
 */
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand, GetBucketAclCommand, GetObjectAclCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command,
  PutBucketAclCommand, PutObjectAclCommand, PutObjectCommand, S3Client, } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import t, { type Test } from 'tap';
import { sdkClient, sdkFailure, startServer } from '../helpers/server';
import { OTHER, OWNER, USERS } from '../server/auth-fixtures';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

async function server(t: Test) {
  const s = await startServer({ config: { users: USERS } });
  t.teardown(() => s.close());
  const clients: S3Client[] = [];
  const client = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const c = sdkClient(s.endpoint, { credentials, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  t.teardown(() => clients.forEach((c) => c.destroy()));
  return { s, owner: client(OWNER), other: client(OTHER), client };
}

async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  const err = await sdkFailure(p);
  return { name: err.name, status: err.$metadata.httpStatusCode, message: err.message };
}

t.test('sdk – wrong secret is SignatureDoesNotMatch, unknown key InvalidAccessKeyId, another user AccessDenied', async (t) => {
  const { owner, other, client } = await server(t);
  await owner.send(new CreateBucketCommand({ Bucket: 'sdk-auth' }));
  await owner.send(new PutObjectCommand({ Bucket: 'sdk-auth', Key: 'k', Body: 'kept' }));
  t.same(await failure(client({ accessKeyId: OWNER.accessKeyId, secretAccessKey: 'wrong' }).send(new PutObjectCommand({ Bucket: 'sdk-auth', Key: 'k', Body: 'evil' }))), {
    name: 'SignatureDoesNotMatch', status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  });
  t.same(await failure(client({ accessKeyId: 'nobody', secretAccessKey: 'x' }).send(new GetObjectCommand({ Bucket: 'sdk-auth', Key: 'k' }))), {
    name: 'InvalidAccessKeyId', status: 403, message: 'The AWS Access Key Id you provided does not exist in our records.',
  });
  t.same(await failure(other.send(new GetObjectCommand({ Bucket: 'sdk-auth', Key: 'k' }))), { name: 'AccessDenied', status: 403, message: 'Access Denied' });
  t.same(await failure(other.send(new PutObjectCommand({ Bucket: 'sdk-auth', Key: 'k', Body: 'evil' }))), { name: 'AccessDenied', status: 403, message: 'Access Denied' });
  const got = await owner.send(new GetObjectCommand({ Bucket: 'sdk-auth', Key: 'k' }));
  t.equal(await got.Body?.transformToString(), 'kept');
});

t.test('sdk – canned ACL, GrantRead and an AccessControlPolicy round-trip through the SDK’s own shapes', async (t) => {
  const { s, owner, other } = await server(t);
  // A bucket with ACLs, made as on S3 since April 2023 (docs/access.md).
  await owner.send(new CreateBucketCommand({ Bucket: 'sdk-acl', ObjectOwnership: 'ObjectWriter' }));
  await owner.send(new DeletePublicAccessBlockCommand({ Bucket: 'sdk-acl' }));
  await owner.send(new PutBucketAclCommand({ Bucket: 'sdk-acl', ACL: 'public-read' }));
  const bucketAcl = await owner.send(new GetBucketAclCommand({ Bucket: 'sdk-acl' }));
  t.same(bucketAcl.Owner, { ID: OWNER.id, DisplayName: 'Owner Display' });
  t.same(bucketAcl.Grants, [
    { Grantee: { Type: 'CanonicalUser', ID: OWNER.id, DisplayName: 'Owner Display' }, Permission: 'FULL_CONTROL' },
    { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
  ]);
  const anonymousList = await fetch(`${s.endpoint}/sdk-acl`);
  t.equal(anonymousList.status, 200);

  await owner.send(new PutObjectCommand({ Bucket: 'sdk-acl', Key: 'shared.txt', Body: 'for other', GrantRead: `id="${OTHER.id}"` }));
  const objectAcl = await owner.send(new GetObjectAclCommand({ Bucket: 'sdk-acl', Key: 'shared.txt' }));
  t.same(objectAcl.Grants, [{ Grantee: { Type: 'CanonicalUser', ID: OTHER.id, DisplayName: 'Other Display' }, Permission: 'READ' }]);
  const read = await other.send(new GetObjectCommand({ Bucket: 'sdk-acl', Key: 'shared.txt' }));
  t.equal(await read.Body?.transformToString(), 'for other');

  // The SDK computes Content-MD5 / a checksum for Put*Acl bodies; the document is S3's shape.
  await owner.send(new PutBucketAclCommand({
    Bucket: 'sdk-acl',
    AccessControlPolicy: {
      Owner: { ID: OWNER.id },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: OWNER.id }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'CanonicalUser', ID: OTHER.id }, Permission: 'WRITE' },
      ],
    },
  }));
  t.same((await owner.send(new GetBucketAclCommand({ Bucket: 'sdk-acl' }))).Grants?.map((g) => [g.Grantee?.ID ?? g.Grantee?.URI, g.Permission]), [
    [OWNER.id, 'FULL_CONTROL'], [OTHER.id, 'WRITE'],
  ]);
  t.equal((await fetch(`${s.endpoint}/sdk-acl`)).status, 403, 'AllUsers READ is gone');
  await other.send(new PutObjectCommand({ Bucket: 'sdk-acl', Key: 'from-other.txt', Body: 'hi', ACL: 'bucket-owner-full-control' }));
  const mine = await owner.send(new GetObjectCommand({ Bucket: 'sdk-acl', Key: 'from-other.txt' }));
  t.equal(await mine.Body?.transformToString(), 'hi');

  await owner.send(new PutObjectAclCommand({ Bucket: 'sdk-acl', Key: 'shared.txt', ACL: 'public-read' }));
  t.equal(await (await fetch(`${s.endpoint}/sdk-acl/shared.txt`)).text(), 'for other');
  const refused = await failure(owner.send(new PutObjectAclCommand({ Bucket: 'sdk-acl', Key: 'shared.txt', ACL: 'private', GrantRead: `id="${OTHER.id}"` })));
  t.equal(refused.name, 'InvalidRequest');
  t.equal(refused.message, 'Specifying both Canned ACLs and Header Grants is not allowed');
});

t.test('sdk – Owner elements: ListBuckets lists the caller’s buckets; ListObjectsV2 FetchOwner shows the writer', async (t) => {
  const { owner, other } = await server(t);
  await owner.send(new CreateBucketCommand({ Bucket: 'owned-by-owner', ObjectOwnership: 'ObjectWriter', GrantWrite: `id="${OTHER.id}"`, GrantFullControl: `id="${OWNER.id}"` }));
  await other.send(new CreateBucketCommand({ Bucket: 'owned-by-other' }));
  const ownerList = await owner.send(new ListBucketsCommand({}));
  t.same(ownerList.Buckets?.map((b) => b.Name), ['owned-by-owner']);
  t.same(ownerList.Owner, { ID: OWNER.id, DisplayName: 'Owner Display' });
  const otherList = await other.send(new ListBucketsCommand({}));
  t.same(otherList.Buckets?.map((b) => b.Name), ['owned-by-other']);
  t.same(otherList.Owner, { ID: OTHER.id, DisplayName: 'Other Display' });
  await other.send(new PutObjectCommand({ Bucket: 'owned-by-owner', Key: 'by-other', Body: 'x' }));
  await owner.send(new PutObjectCommand({ Bucket: 'owned-by-owner', Key: 'by-owner', Body: 'y' }));
  const listed = await owner.send(new ListObjectsV2Command({ Bucket: 'owned-by-owner', FetchOwner: true }));
  t.same(listed.Contents?.map((o) => [o.Key, o.Owner?.DisplayName, o.Owner?.ID]), [['by-other', 'Other Display', OTHER.id], ['by-owner', 'Owner Display', OWNER.id]]);
});

t.test('sdk – presigned GET and PUT through fetch; an expired URL is AccessDenied "Request has expired"', async (t) => {
  const { s, owner } = await server(t);
  await owner.send(new CreateBucketCommand({ Bucket: 'presigned' }));
  const putUrl = await getSignedUrl(owner, new PutObjectCommand({ Bucket: 'presigned', Key: 'dir/ü ber+plus.txt', ContentType: 'text/plain' }), { expiresIn: 300 });
  const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded by url', headers: { 'content-type': 'text/plain' } });
  t.equal(put.status, 200, await put.clone().text());
  const getUrl = await getSignedUrl(owner, new GetObjectCommand({ Bucket: 'presigned', Key: 'dir/ü ber+plus.txt' }), { expiresIn: 300 });
  const got = await fetch(getUrl);
  t.equal(got.status, 200);
  t.equal(await got.text(), 'uploaded by url');
  t.equal(got.headers.get('content-type'), 'text/plain');
  const expired = await getSignedUrl(owner, new GetObjectCommand({ Bucket: 'presigned', Key: 'dir/ü ber+plus.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
  const late = await fetch(expired);
  t.equal(late.status, 403);
  const body = await late.text();
  t.match(body, /<Code>AccessDenied<\/Code>/);
  t.match(body, /<Message>Request has expired<\/Message>/);
  t.match(body, /<X-Amz-Expires>60<\/X-Amz-Expires>/);
  const unsigned = await fetch(`${s.endpoint}/presigned/dir/%C3%BC%20ber%2Bplus.txt`);
  t.equal(unsigned.status, 403, 'the object itself is private');
});

t.test('sdk – a skewed clock is RequestTimeTooSkewed; the SDK takes the server time from the reply and the next request works', async (t) => {
  const { s } = await server(t);
  const skewed = sdkClient(s.endpoint, { credentials: OWNER, systemClockOffset: -20 * 60_000 });
  t.teardown(() => skewed.destroy());
  t.same(await failure(skewed.send(new ListBucketsCommand({}))), {
    name: 'RequestTimeTooSkewed', status: 403, message: 'The difference between the request time and the current time is too large.',
  });
  t.ok(Math.abs(await skewed.config.systemClockOffset) < 60_000, 'offset corrected from ServerTime');
  const listed = await skewed.send(new ListBucketsCommand({}));
  t.same(listed.Owner, { ID: OWNER.id, DisplayName: 'Owner Display' });
});

t.test('sdk – a body changed after signing is XAmzContentSHA256Mismatch and nothing is stored', async (t) => {
  const { owner, client } = await server(t);
  await owner.send(new CreateBucketCommand({ Bucket: 'tamper' }));
  const tampering = client(OWNER);
  tampering.middlewareStack.addRelativeTo(((next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
    const request = (args as { request: { body?: unknown; headers: Record<string, string> } }).request;
    if (typeof request.body === 'string' || request.body instanceof Uint8Array) request.body = 'TAMPERED';
    return next(args);
  }) as never, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamperAfterSigning' });
  const tampered = await failure(tampering.send(new PutObjectCommand({ Bucket: 'tamper', Key: 'k', Body: 'original' })));
  t.equal(tampered.name, 'XAmzContentSHA256Mismatch');
  t.equal(tampered.status, 400);
  t.same(await failure(owner.send(new GetObjectCommand({ Bucket: 'tamper', Key: 'k' }))), { name: 'NoSuchKey', status: 404, message: 'The specified key does not exist.' });
});
