/**
 * The README walkthrough "From zero to a browser upload into a seeded bucket", run as written:
 * its seed file, page and presign script are read from README.md (the blocks marked
 * `<!-- walkthrough: PATH -->`), only the port changes; headless Chromium does the upload.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import type { SeedJson } from '../../server/cli/seed';
import { start } from '../../server/cli/start';
import { launchChromium, requireChromium } from '../helpers/browser';
import { tempDir } from '../helpers/server';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = new Map([...readme.matchAll(/<!-- walkthrough: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map((m) => [m[1] ?? '', m[2] ?? '']));

t.test('walkthrough – the README blocks are there', async (t) => {
  t.same([...blocks.keys()].sort(), ['demo/crossbucket.json', 'demo/public/index.html', 'presign.mjs']);
  t.match(readme, 'npm start -- --seed demo/crossbucket.json');
});

t.test('walkthrough – a page from the seeded site bucket uploads into the seeded uploads bucket', async (t) => {
  if (!requireChromium(t, 'README walkthrough')) return;
  const s3 = await start({ port: 0 });
  t.teardown(() => s3.close());
  const local = (text: string) => text.replace(/localhost:9000/g, `localhost:${s3.port}`);
  const d = tempDir();
  t.teardown(d.remove);
  for (const [path, text] of blocks) {
    mkdirSync(dirname(join(d.dir, path)), { recursive: true });
    writeFileSync(join(d.dir, path), local(text));
  }
  const report = await s3.seed(join(d.dir, 'demo', 'crossbucket.json'));
  t.same(report.buckets, [{ name: 'site', created: true, uploaded: 1, unchanged: 0 }, { name: 'uploads', created: true, uploaded: 0, unchanged: 0 }]);

  // `node presign.mjs`, run where the SDK is installed (the checkout).
  const presign = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', local(blocks.get('presign.mjs') ?? '')], { cwd: ROOT });
  const url = (await presign()).stdout.trim();
  t.match(url, new RegExp(`^http://localhost:${s3.port}/uploads/hello\\.txt\\?X-Amz-Algorithm=`));
  t.notMatch(url, /x-amz-checksum-crc32/, 'no checksum of an empty body in the URL');

  const browser: Browser = await launchChromium();
  t.teardown(() => browser.close());
  let page = await browser.newPage();
  const upload = async (body: string) => {
    await page.goto(`http://site.s3-website.localhost:${s3.port}/`);
    await page.fill('#url', url);
    await page.setInputFiles('#file', { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from(body) });
    await page.click('#go');
    await page.waitForFunction("(document.getElementById('out')?.textContent ?? '') !== ''");
    return page.textContent('#out');
  };
  const body = 'hello from the browser';
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  t.equal(await upload(body), `200 ETag: ${etag}\n`);
  const stored = s3.storage.headObject('uploads', 'hello.txt');
  t.equal(stored?.etag, etag);
  t.equal(stored?.meta.content.contentType, 'text/plain');

  // "Things to try": without ExposeHeaders the upload works, but the page cannot read the ETag.
  const seed = JSON.parse(local(blocks.get('demo/crossbucket.json') ?? '{}')) as SeedJson;
  delete seed.buckets[1]?.cors?.CORSRules[0]?.ExposeHeaders;
  await s3.seed(seed, join(d.dir, 'demo'));
  t.equal(await upload('again'), '200 ETag: null\n');
  t.equal(s3.storage.headObject('uploads', 'hello.txt')?.size, 5);

  // And without the page's origin in AllowedOrigins the browser blocks the upload: the page says
  // so, with the explain line to run, and nothing is stored.
  const closed = JSON.parse(local(blocks.get('demo/crossbucket.json') ?? '{}')) as SeedJson;
  const rule = closed.buckets[1]?.cors?.CORSRules[0];
  if (rule) rule.AllowedOrigins = ['http://localhost:5173'];
  await s3.seed(closed, join(d.dir, 'demo'));
  // A new browser context: no preflight answer cached from the uploads above (MaxAgeSeconds).
  const context = await browser.newContext();
  page = await context.newPage();
  const blocked = await upload('blocked body');
  t.match(blocked, /^blocked by the browser \(.+\): ask why with\ncrossbucket explain --endpoint http:\/\/localhost:\d+ --bucket uploads --origin http:\/\/site\.s3-website\.localhost:\d+ --method PUT --header content-type$/);
  t.equal(s3.storage.headObject('uploads', 'hello.txt')?.size, 5, 'nothing stored: the preflight was refused');
});
