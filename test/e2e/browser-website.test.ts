/**
 * The website endpoint in headless Chromium (the website user guide): the README walkthrough's site
 * loaded from `http://site.s3-website.localhost:PORT/` (its seed, page and presign script read from
 * README.md, the seed given a `"website"` and the website origin), a cross-origin upload from that
 * page into the `uploads` bucket allowed by CORS, and a single-page app's client-side route
 * `/app/settings` served through the two fallbacks SPA users configure on S3: the ErrorDocument
 * (index.html, status 404) and a 404 routing rule (`ReplaceKeyPrefixWith: "#!/"`).
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

/** An SPA shell: its router shows the path it was opened at (`#!/x` turned back into `/x`). */
const SPA = `<!doctype html>
<meta charset="utf-8">
<title>spa</title>
<p id="route"></p>
<script>
  const hash = location.hash;
  if (hash.startsWith('#!/')) history.replaceState(null, '', hash.slice(2));
  document.getElementById('route').textContent = 'route ' + location.pathname;
</script>
`;

if (requireChromium(t, 'website browser suite')) {
  t.test('website endpoint – the walkthrough site, an upload to another bucket, SPA routes', async (t) => {
    const s3 = await start({ port: 0 });
    t.teardown(() => s3.close());
    const P = s3.port;
    const local = (text: string) => text.replace(/localhost:9000/g, `localhost:${P}`);
    const d = tempDir();
    t.teardown(d.remove);
    for (const [path, text] of blocks) {
      mkdirSync(dirname(join(d.dir, path)), { recursive: true });
      writeFileSync(join(d.dir, path), local(text));
    }
    mkdirSync(join(d.dir, 'demo', 'spa'), { recursive: true });
    writeFileSync(join(d.dir, 'demo', 'spa', 'index.html'), SPA);
    const SITE = `http://site.s3-website.localhost:${P}`;
    // The walkthrough's seed as the README gives it: the site bucket has a website configuration,
    // the uploads bucket's CORS rule names the website origin.
    const seed = JSON.parse(local(blocks.get('demo/crossbucket.json') ?? '{}')) as SeedJson & { buckets: Array<{ website?: unknown }> };
    const site = seed.buckets.find((b) => b.name === 'site');
    const uploads = seed.buckets.find((b) => b.name === 'uploads');
    t.ok(site && uploads, 'the README seed declares site and uploads');
    if (!site || !uploads) return;
    t.same(site.website, { IndexDocument: { Suffix: 'index.html' } }, 'the README site is a website');
    t.ok(uploads.cors?.CORSRules[0]?.AllowedOrigins.includes(SITE), 'the README rule allows the website origin');
    seed.buckets.push(
      { name: 'spa', acl: 'public-read', upload: './spa', website: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'index.html' } } },
      { name: 'spa-rules', acl: 'public-read', upload: './spa', website: {
        IndexDocument: { Suffix: 'index.html' },
        RoutingRules: [{ Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { ReplaceKeyPrefixWith: '#!/' } }],
      } },
    );
    await s3.seed(seed, join(d.dir, 'demo'));

    const presign = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', local(blocks.get('presign.mjs') ?? '')], { cwd: ROOT });
    const url = (await presign()).stdout.trim();
    const browser: Browser = await launchChromium();
    t.teardown(() => browser.close());
    const page = await browser.newPage();

    // The site from the website endpoint: `/` is the index document.
    const landing = await page.goto(`${SITE}/`);
    t.equal(landing?.status(), 200);
    t.equal(await page.title(), 'Upload to crossbucket');
    t.equal(page.url(), `${SITE}/`);

    // A cross-origin upload from the website origin into "uploads", allowed by its CORS rule.
    const body = 'hello from the website endpoint';
    await page.fill('#url', url);
    await page.setInputFiles('#file', { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from(body) });
    await page.click('#go');
    await page.waitForFunction("(document.getElementById('out')?.textContent ?? '') !== ''");
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    t.equal(await page.textContent('#out'), `200 ETag: ${etag}\n`, 'Chromium let the page read the answer');
    t.equal(s3.storage.headObject('uploads', 'hello.txt')?.etag, etag);

    // Without the website origin in the rule, Chromium blocks the same upload.
    const rule = uploads.cors?.CORSRules[0];
    if (rule) rule.AllowedOrigins = rule.AllowedOrigins.filter((o) => o !== SITE);
    await s3.seed(seed, join(d.dir, 'demo'));
    await page.goto(`${SITE}/`);
    await page.fill('#url', url);
    await page.setInputFiles('#file', { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('blocked') });
    const blocked = page.waitForEvent('console', { predicate: (m) => m.text().includes('has been blocked by CORS policy'), timeout: 20_000 });
    await page.click('#go');
    t.match((await blocked).text(), `from origin '${SITE}' has been blocked by CORS policy`, 'Chromium blocked the upload for CORS');
    // (Chromium may still send the PUT on a preflight it cached from the first upload: CORS hides the answer.)
    await page.waitForFunction("(document.getElementById('out')?.textContent ?? '') !== ''");
    t.match(await page.textContent('#out'), /^blocked by the browser \(.+\): ask why with\ncrossbucket explain /, 'the page saw no answer, and says how to ask why');

    // SPA fallback 1: the ErrorDocument is the app's index.html (status 404, the page still runs).
    const viaErrorDocument = await page.goto(`http://spa.s3-website.localhost:${P}/app/settings`);
    t.equal(viaErrorDocument?.status(), 404);
    t.equal(await page.textContent('#route'), 'route /app/settings');
    // SPA fallback 2: a 404 routing rule sends the browser to /#!/app/settings; the router restores the path.
    const viaRule = await page.goto(`http://spa-rules.s3-website.localhost:${P}/app/settings`);
    t.equal(viaRule?.status(), 200);
    t.equal(await page.textContent('#route'), 'route /app/settings');
    t.equal(page.url(), `http://spa-rules.s3-website.localhost:${P}/app/settings`);

    // A missing page without a fallback is S3's HTML 404, never XML.
    await page.goto(`${SITE}/nope.html`);
    t.match(await page.textContent('h1'), '404 Not Found');
  });
}
