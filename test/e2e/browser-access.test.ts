/**
 * Chromium and bucket policies (docs/access.md): a page on another origin reads a public object
 * through a bucket policy (the modern public site) and is refused a private one, the refusal
 * readable by the script because CORS headers ride on the 403; a presigned URL made by a user the
 * policy names works from the page, one made by another user does not.
 */
import { CreateBucketCommand, DeletePublicAccessBlockCommand, GetObjectCommand, PutBucketCorsCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import t from 'tap';
import { fetchFromPage, launchChromium, requireChromium, serveAppPage } from '../helpers/browser';
import { sdkClient, startServer } from '../helpers/server';
import { OTHER, OWNER, THIRD, USERS } from '../server/auth-fixtures';

t.test('browser – public objects through a policy, private ones refused; presigned URLs by a named user only', async (t) => {
  if (!requireChromium(t, 'browser-access')) return;
  const s = await startServer({ config: { users: USERS } });
  t.teardown(() => s.close());
  const app = await serveAppPage();
  t.teardown(() => app.close());
  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const pageUrl = `http://127.0.0.1:${app.port}/`;
  const client = (u: typeof OWNER) => {
    const c = sdkClient(s.endpoint, { credentials: { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey } });
    t.teardown(() => c.destroy());
    return c;
  };
  const owner = client(OWNER);

  // The modern public site: public access block removed, a policy for public/*, CORS for the app.
  await owner.send(new CreateBucketCommand({ Bucket: 'site' }));
  await owner.send(new DeletePublicAccessBlockCommand({ Bucket: 'site' }));
  await owner.send(new PutBucketPolicyCommand({ Bucket: 'site', Policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'PublicPages', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/public/*' },
      { Sid: 'OtherReadsDrafts', Effect: 'Allow', Principal: { AWS: OTHER.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/drafts/*' },
    ],
  }) }));
  await owner.send(new PutBucketCorsCommand({ Bucket: 'site', CORSConfiguration: { CORSRules: [{ AllowedOrigins: [`http://127.0.0.1:${app.port}`], AllowedMethods: ['GET'] }] } }));
  await owner.send(new PutObjectCommand({ Bucket: 'site', Key: 'public/hello.txt', Body: 'hello, world', ContentType: 'text/plain' }));
  await owner.send(new PutObjectCommand({ Bucket: 'site', Key: 'private/secret.txt', Body: 'secret', ContentType: 'text/plain' }));
  await owner.send(new PutObjectCommand({ Bucket: 'site', Key: 'drafts/next.txt', Body: 'draft', ContentType: 'text/plain' }));

  const open = await fetchFromPage(browser, pageUrl, `${s.endpoint}/site/public/hello.txt`);
  t.ok(open.allowed, 'the page may read the response');
  if (open.allowed) {
    t.equal(open.status, 200);
    t.equal(open.body, 'hello, world', 'a public object through the policy');
  }
  const closed = await fetchFromPage(browser, pageUrl, `${s.endpoint}/site/private/secret.txt`);
  t.ok(closed.allowed, 'not a network error: the CORS headers are on the 403');
  if (closed.allowed) {
    t.equal(closed.status, 403, 'a private object is refused');
    t.match(closed.body, /<Code>AccessDenied<\/Code>/);
    t.notMatch(closed.body, /secret/);
  }

  const draft = { Bucket: 'site', Key: 'drafts/next.txt' };
  const byNamed = await fetchFromPage(browser, pageUrl, await getSignedUrl(client(OTHER), new GetObjectCommand(draft), { expiresIn: 300 }));
  t.ok(byNamed.allowed && byNamed.status === 200 && byNamed.body === 'draft', 'a presigned URL by the user the policy names works');
  const byOther = await fetchFromPage(browser, pageUrl, await getSignedUrl(client(THIRD), new GetObjectCommand(draft), { expiresIn: 300 }));
  t.ok(byOther.allowed, 'readable refusal');
  if (byOther.allowed) {
    t.equal(byOther.status, 403, 'a presigned URL by another user does not');
    t.match(byOther.body, /<Code>AccessDenied<\/Code>/);
  }
});
