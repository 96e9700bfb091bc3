/**
 * In Chromium, from a page on another origin (a tiny node:http server on 127.0.0.1:PORT_A):
 * upload with a presigned PUT URL made by @aws-sdk/s3-request-presigner (current SDKs sign a
 * CRC32 into it), download with a presigned GET, read a public-read bucket anonymously, and see
 * the same read refused (a 403 the script can read, since the CORS rule matches) once the bucket
 * is private. The browser is the judge of CORS: every request is a `fetch` inside the page.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { CreateBucketCommand, DeletePublicAccessBlockCommand, GetObjectCommand, PutBucketAclCommand, PutObjectAclCommand, PutBucketCorsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { chromium, type Browser, type Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { sdkClient, startServer } from '../helpers/server';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Seen { ok: boolean; status?: number; body?: string; etag?: string | null; error?: string }

/** fetch() inside the page: what the script is allowed to see. */
function pageFetch(page: Page, url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Seen> {
  return page.evaluate(async ({ url, init }) => {
    try {
      const r = await fetch(url, init);
      return { ok: true, status: r.status, body: await r.text(), etag: r.headers.get('etag') };
    } catch (e) {
      return { ok: false, error: String(e) };
    }
  }, { url, init });
}

async function appOrigin(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>app</title><p>app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

t.test('browser – presigned PUT and GET through CORS; anonymous reads of a public-read bucket, refused once private', async (t) => {
  if (!existsSync(CHROMIUM)) {
    const message = `${CHROMIUM} is missing (Debian: apt-get install -y chromium)`;
    if (process.env.CI) {
      t.fail(`${message}; CI must run the browser suite`);
    } else {
      process.stderr.write(`\n!!! browser-presigned: ${message}: SKIPPING THE BROWSER TEST !!!\n\n`);
      t.plan(0, `SKIPPED: ${message}`);
    }
    return;
  }
  const s = await startServer();
  t.teardown(() => s.close());
  const app = await appOrigin();
  t.teardown(() => app.close());
  const sdk = sdkClient(s.endpoint);
  t.teardown(() => sdk.destroy());
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${app.origin}/`);

  const cors = { CORSRules: [{ AllowedOrigins: [app.origin], AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'] }] };
  await sdk.send(new CreateBucketCommand({ Bucket: 'uploads' }));
  await sdk.send(new PutBucketCorsCommand({ Bucket: 'uploads', CORSConfiguration: cors }));

  // Presigned PUT, as a browser app gets it from its backend.
  const key = 'photos/cat ü.txt';
  const putUrl = await getSignedUrl(sdk, new PutObjectCommand({ Bucket: 'uploads', Key: key }), { expiresIn: 300 });
  t.equal(new URL(putUrl).searchParams.get('x-amz-checksum-crc32'), 'AAAAAA==', 'the SDK signed the CRC32 of an empty body into the URL');
  const put = await pageFetch(page, putUrl, { method: 'PUT', body: 'uploaded from the browser', headers: { 'content-type': 'text/plain' } });
  const etag = `"${createHash('md5').update('uploaded from the browser').digest('hex')}"`;
  t.same(put, { ok: true, status: 200, body: '', etag }, 'the PUT succeeds; its ETag is exposed by the rule');
  const stored = await sdk.send(new GetObjectCommand({ Bucket: 'uploads', Key: key }));
  t.equal(await stored.Body?.transformToString(), 'uploaded from the browser');
  t.equal(stored.ContentType, 'text/plain');

  // Presigned GET.
  const getUrl = await getSignedUrl(sdk, new GetObjectCommand({ Bucket: 'uploads', Key: key }), { expiresIn: 300 });
  t.same(await pageFetch(page, getUrl), { ok: true, status: 200, body: 'uploaded from the browser', etag });
  // Without the signature the object is private: a 403 the script may read (the rule matches).
  const plain = await pageFetch(page, getUrl.slice(0, getUrl.indexOf('?')));
  t.equal(plain.status, 403);
  t.match(plain.body, /<Code>AccessDenied<\/Code>/);
  // Expired: also readable, with S3's message.
  const expiredUrl = await getSignedUrl(sdk, new GetObjectCommand({ Bucket: 'uploads', Key: key }), { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
  const expired = await pageFetch(page, expiredUrl);
  t.equal(expired.status, 403);
  t.match(expired.body, /<Message>Request has expired<\/Message>/);

  // A public-read bucket of public-read objects: anonymous GET from the page. ACLs need a bucket
  // made for them, as on S3 since April 2023 (docs/access.md).
  await sdk.send(new CreateBucketCommand({ Bucket: 'public-site', ObjectOwnership: 'ObjectWriter' }));
  await sdk.send(new DeletePublicAccessBlockCommand({ Bucket: 'public-site' }));
  await sdk.send(new PutBucketAclCommand({ Bucket: 'public-site', ACL: 'public-read' }));
  await sdk.send(new PutBucketCorsCommand({ Bucket: 'public-site', CORSConfiguration: { CORSRules: [{ AllowedOrigins: [app.origin], AllowedMethods: ['GET'] }] } }));
  await sdk.send(new PutObjectCommand({ Bucket: 'public-site', Key: 'hello.txt', Body: 'hello, public', ContentType: 'text/plain', ACL: 'public-read' }));
  const publicRead = await pageFetch(page, `${s.endpoint}/public-site/hello.txt`);
  t.equal(publicRead.ok, true);
  t.equal(publicRead.status, 200);
  t.equal(publicRead.body, 'hello, public');
  const publicList = await pageFetch(page, `${s.endpoint}/public-site?list-type=2`);
  t.equal(publicList.status, 200);
  t.match(publicList.body, /<Key>hello\.txt<\/Key>/);

  // The same bucket and object made private: refused, and the refusal is readable by the script.
  await sdk.send(new PutBucketAclCommand({ Bucket: 'public-site', ACL: 'private' }));
  await sdk.send(new PutObjectAclCommand({ Bucket: 'public-site', Key: 'hello.txt', ACL: 'private' }));
  const refused = await pageFetch(page, `${s.endpoint}/public-site/hello.txt`);
  t.equal(refused.ok, true, 'not a network error: CORS headers are on the 403');
  t.equal(refused.status, 403);
  t.match(refused.body, /<Code>AccessDenied<\/Code>/);
  t.equal((await pageFetch(page, `${s.endpoint}/public-site?list-type=2`)).status, 403);
  // A presigned GET still works on the private bucket.
  const signedRead = await pageFetch(page, await getSignedUrl(sdk, new GetObjectCommand({ Bucket: 'public-site', Key: 'hello.txt' }), { expiresIn: 300 }));
  t.equal(signedRead.status, 200);
  t.equal(signedRead.body, 'hello, public');
});
