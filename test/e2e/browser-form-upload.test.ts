/**
 * Chromium – browser-based uploads (POST Object) from a page on another origin:
 *   - an HTML form with a signed policy uploads, and the browser follows success_action_redirect
 *     back to the page's origin with bucket, key and etag in the query;
 *   - the same form breaking content-length-range lands on S3's XML error;
 *   - fetch() + FormData: the script reads the answer only when a CORS rule allows POST from
 *     its origin; without one the browser blocks the response (the upload itself still happens,
 *     as in S3: CORS is enforced by the browser, not the server).
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { chromium, type Browser } from 'playwright-core';
import { sdkClient, startServer } from '../helpers/server';
import { signPolicy } from '../helpers/post-policy';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The page origin: serves whatever HTML the test put at a path. */
async function pageServer(pages: Map<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const html = pages.get(path);
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function formPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n');
  return `<!doctype html><html><body>
<form id="upload" method="post" enctype="multipart/form-data" action="${escapeHtml(action)}">
${inputs}
<input type="file" name="file">
<button id="send" type="submit">Upload</button>
</form></body></html>`;
}

async function main(): Promise<void> {
  const s3 = await startServer();
  t.teardown(() => s3.close());
  const client = sdkClient(s3.endpoint);
  t.teardown(() => client.destroy());
  const pages = new Map<string, string>();
  const site = await pageServer(pages);
  t.teardown(() => new Promise<void>((resolve) => site.server.close(() => resolve())));
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  t.teardown(() => browser.close());

  await client.send(new CreateBucketCommand({ Bucket: 'uploads' }));
  pages.set('/done', '<!doctype html><title>done</title><p>Thanks!</p>');

  const formFields = (max: number) => ({
    key: 'incoming/${filename}',
    'Content-Type': 'text/plain',
    success_action_redirect: `${site.origin}/done`,
    ...signPolicy({
      bucket: 'uploads',
      conditions: [
        ['starts-with', '$key', 'incoming/'],
        ['starts-with', '$Content-Type', 'text/'],
        { success_action_redirect: `${site.origin}/done` },
        ['content-length-range', 1, max],
      ],
    }),
  });

  t.test('HTML form – the object is stored and the browser follows the redirect', async (t) => {
    pages.set('/form-ok', formPage(`${s3.endpoint}/uploads`, formFields(1024)));
    const page = await browser.newPage();
    t.teardown(() => page.close());
    await page.goto(`${site.origin}/form-ok`);
    const text = 'hello from a browser form\n';
    await page.setInputFiles('input[type=file]', { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await Promise.all([page.waitForURL(`${site.origin}/done?**`), page.click('#send')]);
    const etag = `"${createHash('md5').update(text).digest('hex')}"`;
    t.equal(page.url(), `${site.origin}/done?bucket=uploads&key=incoming%2Fhello.txt&etag=${encodeURIComponent(etag)}`);
    t.equal(await page.textContent('p'), 'Thanks!');
    const got = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'incoming/hello.txt' }));
    t.equal(await got.Body?.transformToString(), text);
    t.equal(got.ContentType, 'text/plain');
    t.equal(got.ETag, etag);
  });

  t.test('HTML form – a file over content-length-range lands on S3’s XML error', async (t) => {
    pages.set('/form-small', formPage(`${s3.endpoint}/uploads`, formFields(16)));
    const page = await browser.newPage();
    t.teardown(() => page.close());
    await page.goto(`${site.origin}/form-small`);
    await page.setInputFiles('input[type=file]', { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(100, 'x') });
    const [response] = await Promise.all([page.waitForResponse((r) => r.url() === `${s3.endpoint}/uploads`), page.click('#send')]);
    t.equal(response.status(), 400);
    const xml = await response.text();
    t.match(xml, /<Error><Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message><ProposedSize>100<\/ProposedSize><MaxSizeAllowed>16<\/MaxSizeAllowed>/);
    await page.waitForLoadState();
    t.equal(page.url(), `${s3.endpoint}/uploads`, 'no redirect on failure');
    t.match(await page.content(), /EntityTooLarge/, 'the browser shows the error document');
    await t.rejects(client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'incoming/big.txt' })), { name: 'NoSuchKey' });
  });

  t.test('fetch + FormData – readable with a CORS rule allowing POST, blocked without', async (t) => {
    await client.send(new CreateBucketCommand({ Bucket: 'cors-ok' }));
    await client.send(new CreateBucketCommand({ Bucket: 'cors-none' }));
    await client.send(new PutBucketCorsCommand({
      Bucket: 'cors-ok',
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: [site.origin], AllowedMethods: ['POST'], ExposeHeaders: ['ETag'] }] },
    }));
    pages.set('/app', `<!doctype html><script>
window.upload = async (url, fields, content) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([content], { type: 'text/plain' }), 'note.txt');
  try {
    const res = await fetch(url, { method: 'POST', body: form });
    return { status: res.status, etag: res.headers.get('etag') };
  } catch (err) {
    return { error: String(err) };
  }
};
</script>`);
    const page = await browser.newPage();
    t.teardown(() => page.close());
    await page.goto(`${site.origin}/app`);
    const fieldsFor = (bucket: string) => ({ key: 'notes/${filename}', ...signPolicy({ bucket, conditions: [['starts-with', '$key', 'notes/']] }) });
    const upload = (bucket: string) =>
      page.evaluate(([url, fields]) => (globalThis as unknown as { upload: (u: string, f: unknown, c: string) => Promise<unknown> }).upload(url, fields, 'a note'), [
        `${s3.endpoint}/${bucket}`,
        fieldsFor(bucket),
      ] as const);
    const etag = `"${createHash('md5').update('a note').digest('hex')}"`;

    t.same(await upload('cors-ok'), { status: 204, etag }, 'the script reads the status and the exposed ETag');

    const blocked = (await upload('cors-none')) as { error?: string };
    t.match(blocked.error, /TypeError: Failed to fetch/, 'the browser blocks the response');
    // CORS is the browser's rule: the server accepted the upload all the same, as S3 does.
    const stored = await client.send(new GetObjectCommand({ Bucket: 'cors-none', Key: 'notes/note.txt' }));
    t.equal(await stored.Body?.transformToString(), 'a note');
  });
}

if (!existsSync(CHROMIUM)) {
  if (process.env.CI) {
    t.fail(`Chromium is required in CI and is missing at ${CHROMIUM}`);
  } else {
    console.error(`\n*** SKIPPING test/e2e/browser-form-upload.test.ts: no Chromium at ${CHROMIUM} ***\n`);
    t.plan(0, `no Chromium at ${CHROMIUM}`);
  }
} else {
  main().catch((err: unknown) => t.fail(String(err)));
}
