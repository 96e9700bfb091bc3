/**
 * The web console in Chromium, beyond the tour of console.test.ts (docs/console.md): an object's
 * tags shown, edited and refused with S3's message; its versions on a versioned bucket (a delete
 * marker, one version viewed, downloaded and deleted by versionId); the Objects tab's "Show
 * versions"; the CORS form, kept in step with the JSON, saved and refused with S3's message.
 *
 * Screenshots go to .tap/console-screenshots/ (not committed), as in console.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand, DeleteObjectCommand, GetBucketCorsCommand, GetObjectTaggingCommand, ListObjectVersionsCommand,
  PutBucketVersioningCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client,
} from '@aws-sdk/client-s3';
import t from 'tap';
import type { Browser, Locator } from 'playwright-core';
import { consolePage, launchChromium, requireChromium } from '../helpers/browser';
import { startServer } from '../helpers/server';

/** Run in the page: whether the element has focus. */
const isFocused = (el: unknown) => (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el;

if (requireChromium(t, 'console objects suite')) {
  t.test('console – tags, versions and the CORS form in Chromium', async (t) => {
    const s = await startServer();
    t.teardown(() => s.close());
    const browser: Browser = await launchChromium();
    t.teardown(() => browser.close());

    const client = new S3Client({ endpoint: s.endpoint, region: s.region, credentials: s.credentials, forcePathStyle: true });
    t.teardown(() => client.destroy());
    await client.send(new CreateBucketCommand({ Bucket: 'docs' }));
    await client.send(new PutObjectCommand({ Bucket: 'docs', Key: 'a.txt', Body: 'alpha', Tagging: 'team=web' }));
    await client.send(new CreateBucketCommand({ Bucket: 'history' }));
    await client.send(new PutBucketVersioningCommand({ Bucket: 'history', VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = (await client.send(new PutObjectCommand({ Bucket: 'history', Key: 'report.txt', Body: 'one' }))).VersionId ?? '';
    const v2 = (await client.send(new PutObjectCommand({ Bucket: 'history', Key: 'report.txt', Body: 'two!' }))).VersionId ?? '';
    await client.send(new PutObjectTaggingCommand({ Bucket: 'history', Key: 'report.txt', VersionId: v1, Tagging: { TagSet: [{ Key: 'draft', Value: 'yes' }] } }));
    const marker = (await client.send(new DeleteObjectCommand({ Bucket: 'history', Key: 'report.txt' }))).VersionId ?? '';
    // Listed by ListObjectVersions with prefix=report.txt, and not one of its versions.
    await client.send(new PutObjectCommand({ Bucket: 'history', Key: 'report.txt.bak', Body: 'old' }));
    const tagsOf = async (bucket: string, key: string) =>
      (await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet?.map((tag) => [tag.Key, tag.Value]);

    const { page, errors, shot } = await consolePage(t, browser);
    const open = async (hash: string, heading: string) => {
      await page.goto(`${s.endpoint}/_crossbucket/console/#${hash}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    };
    /** Accepts the next confirm() and records its question. */
    const confirmNext = () => new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.message()); void d.accept(); }));

    await page.goto(`${s.endpoint}/_crossbucket/console/`);
    await page.getByLabel('Access key').fill('crossbucket');
    await page.getByLabel('Secret key').fill('crossbucket-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Buckets' }).waitFor();

    await t.test('tags: shown, edited, refused with S3\'s message, removed', async (t) => {
      await open('/buckets/docs/object?key=a.txt', 'a.txt');
      const tags = page.getByRole('region', { name: 'Tags' });
      const table = tags.getByRole('table', { name: 'Tags' });
      t.equal(await table.getByLabel('Key of tag 1').inputValue(), 'team');
      t.equal(await table.getByLabel('Value of tag 1').inputValue(), 'web');
      t.equal(await table.getByLabel('Key of tag 2').count(), 0, 'one tag');
      const versions = page.getByRole('region', { name: 'Versions' });
      t.match(await versions.textContent(), 'Versioning has never been enabled on this bucket');
      t.equal(await versions.getByRole('table').count(), 0, 'no versions table on a bucket never versioned');

      const message = tags.getByRole('alert');
      await tags.getByRole('button', { name: 'Add tag' }).click();
      t.ok(await table.getByLabel('Key of tag 2').evaluate(isFocused), 'focus on the new key');
      await page.keyboard.type('stage');
      await table.getByLabel('Value of tag 2').fill('beta');
      await page.keyboard.press('Enter');
      await message.filter({ hasText: 'Saved' }).waitFor();
      t.equal(await message.textContent(), 'Saved: PutObjectTagging accepted 2 tags.');
      t.same(await tagsOf('docs', 'a.txt'), [['team', 'web'], ['stage', 'beta']], 'PutObjectTagging stored both');

      await tags.getByRole('button', { name: 'Add tag' }).click();
      await table.getByLabel('Key of tag 3').fill('aws:owner');
      await tags.getByRole('button', { name: 'Save tags' }).click();
      await message.filter({ hasText: 'aws:' }).waitFor();
      t.equal(await message.textContent(), 'InvalidTag: Your TagKey cannot be prefixed with aws:');
      await shot('objects-1-tag-refused');

      await table.getByLabel('Key of tag 3').fill('n0');
      for (let i = 1; i <= 8; i++) {
        await tags.getByRole('button', { name: 'Add tag' }).click();
        await table.getByLabel(`Key of tag ${3 + i}`).fill(`n${i}`);
      }
      await tags.getByRole('button', { name: 'Save tags' }).click();
      await message.filter({ hasText: 'greater' }).waitFor();
      t.equal(await message.textContent(), 'InvalidTag: Object tags cannot be greater than 10');
      t.same(await tagsOf('docs', 'a.txt'), [['team', 'web'], ['stage', 'beta']], 'the refused sets left the tags as they were');

      // Back to two rows: remove rows 3 to 11, then row 1.
      for (let i = 11; i >= 3; i--) await table.getByRole('button', { name: `Remove tag ${i}` }).click();
      await table.getByRole('button', { name: 'Remove tag 1' }).click();
      t.equal(await table.getByLabel('Key of tag 1').inputValue(), 'stage', 'the rows renumbered');
      await tags.getByRole('button', { name: 'Save tags' }).click();
      await message.filter({ hasText: '1 tag.' }).waitFor();
      t.same(await tagsOf('docs', 'a.txt'), [['stage', 'beta']]);

      await tags.getByRole('button', { name: 'Remove all tags' }).click();
      await message.filter({ hasText: 'DeleteObjectTagging' }).waitFor();
      t.same(await tagsOf('docs', 'a.txt'), [], 'DeleteObjectTagging');
      t.equal(await table.getByRole('textbox').count(), 0);
      await tags.getByText('No tags.').waitFor();
    });

    await t.test('versions: a delete marker on top, one version viewed, downloaded and deleted', async (t) => {
      await open('/buckets/history/object?key=report.txt', 'report.txt');
      await page.getByRole('status').filter({ hasText: 'There is no current version of this key' }).waitFor();
      t.equal(await page.getByRole('region', { name: 'Tags' }).count(), 0, 'a delete marker has no tags');
      const table = page.getByRole('table', { name: 'Versions' });
      const rows = table.locator('tbody tr');
      t.equal(await rows.count(), 3, 'the marker and two versions, not report.txt.bak');
      const row = (id: string): Locator => rows.filter({ hasText: id });
      t.match(await row(marker).textContent(), /delete marker.*latest/);
      t.match(await row(v2).textContent(), 'object');
      t.notMatch(await row(v2).textContent(), 'latest');
      t.match(await row(v1).textContent(), '"f97c5d29941bfb1b2fdab0874906ab82"', 'the ETag of "one"');
      t.equal(await row(marker).getByRole('button', { name: /^Download/ }).count(), 0, 'nothing to download from a delete marker');
      await shot('objects-2-versions');

      // One version's own page: its metadata and tags.
      await table.getByRole('link', { name: `Version ${v1}` }).click();
      await page.getByText(`This is version ${v1}.`).waitFor();
      const meta = page.getByRole('table', { name: 'Metadata' });
      await meta.waitFor();
      t.match(await meta.textContent(), new RegExp(`x-amz-version-id\\s*${v1}`));
      t.equal(await page.getByRole('table', { name: 'Tags' }).getByLabel('Key of tag 1').inputValue(), 'draft', 'the tags of that version');
      t.equal(await page.getByRole('table', { name: 'Versions' }).locator('tr[aria-current="true"]').filter({ hasText: v1 }).count(), 1, 'the row of the version shown');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download version ${v2}` }).click()]);
      const path = await download.path();
      t.equal(path ? readFileSync(path, 'utf8') : '', 'two!', 'GetObject with versionId');

      // Deleting the version shown: back to the key's page.
      const question = confirmNext();
      await page.getByRole('button', { name: `Delete version ${v1}` }).click();
      t.match(await question, `Delete version ${v1} of report.txt for good?`);
      await page.getByRole('status').filter({ hasText: 'There is no current version' }).waitFor();
      await page.waitForFunction(`!document.body.textContent.includes(${JSON.stringify(v1)})`);
      const listed = async () => (await client.send(new ListObjectVersionsCommand({ Bucket: 'history', Prefix: 'report.txt' })));
      let after = await listed();
      t.same(after.Versions?.filter((v) => v.Key === 'report.txt').map((v) => v.VersionId), [v2], 'DeleteObject with versionId removed v1 for good');

      // Removing the delete marker: v2 is current again.
      const markerQuestion = confirmNext();
      await page.getByRole('button', { name: `Delete delete marker ${marker}` }).click();
      t.match(await markerQuestion, 'Remove the delete marker');
      const current = page.getByRole('table', { name: 'Metadata' });
      await current.waitFor();
      t.match(await current.textContent(), new RegExp(`x-amz-version-id\\s*${v2}`));
      after = await listed();
      t.same(after.DeleteMarkers ?? [], [], 'no delete marker left');
      t.match(await page.getByRole('table', { name: 'Versions' }).textContent(), /latest/);
      await shot('objects-3-version-current');
    });

    await t.test('the Objects tab: "Show versions" on a versioned bucket only', async (t) => {
      await client.send(new DeleteObjectCommand({ Bucket: 'history', Key: 'report.txt.bak' }));
      await open('/buckets/history', 'Bucket history');
      t.equal(await page.getByRole('link', { name: 'report.txt.bak' }).count(), 0, 'deleted: not in ListObjectsV2');
      const toggle = page.getByRole('checkbox', { name: 'Show versions' });
      await toggle.check();
      const table = page.getByRole('table', { name: 'Object versions' });
      await table.waitFor();
      const bak = table.locator('tbody tr').filter({ hasText: 'report.txt.bak' });
      t.equal(await bak.count(), 2, 'report.txt.bak: its delete marker and its version');
      t.match(await bak.first().textContent(), /delete marker.*latest/);
      t.match(page.url(), /versions=1/, 'the address keeps the choice');
      t.ok(await toggle.evaluate(isFocused), 'focus stays on the toggle');
      await shot('objects-4-show-versions');
      await toggle.uncheck();
      await table.waitFor({ state: 'detached' });
      await page.getByRole('link', { name: 'report.txt', exact: true }).waitFor();

      await open('/buckets/docs', 'Bucket docs');
      await page.getByRole('link', { name: 'a.txt' }).waitFor();
      t.equal(await page.getByRole('checkbox', { name: 'Show versions' }).count(), 0, 'no toggle on a bucket never versioned');
    });

    await t.test('the CORS form: in step with the JSON, saved, refused with S3\'s message', async (t) => {
      await open('/buckets/docs/cors', 'Bucket docs');
      const json = page.getByLabel('CORS rules');
      const rulesOf = async () => JSON.parse(await json.inputValue()).CORSRules as unknown[];
      const rule1 = page.getByRole('group', { name: 'Rule 1' });
      t.equal(await rule1.getByLabel('Allowed origins').inputValue(), 'http://localhost:3000', 'the example, as a form');
      t.ok(await rule1.getByRole('checkbox', { name: 'PUT' }).isChecked());
      t.notOk(await rule1.getByRole('checkbox', { name: 'POST' }).isChecked());

      await page.getByRole('button', { name: 'Add rule' }).click();
      const rule2 = page.getByRole('group', { name: 'Rule 2' });
      t.ok(await rule2.getByLabel('Allowed origins').evaluate(isFocused), 'focus in the new rule');
      await page.keyboard.type('https://app.example\nhttps://*.app.example');
      await rule2.getByRole('checkbox', { name: 'PUT' }).check();
      await rule2.getByLabel('Allowed headers').fill('content-type\nx-amz-checksum-crc32');
      await rule2.getByLabel('Expose headers').fill('ETag');
      await rule2.getByLabel('Max age (seconds)').fill('600');
      await rule2.getByLabel('ID').fill('form');
      const added = {
        ID: 'form', AllowedHeaders: ['content-type', 'x-amz-checksum-crc32'], AllowedMethods: ['GET', 'PUT'],
        AllowedOrigins: ['https://app.example', 'https://*.app.example'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600,
      };
      t.same((await rulesOf())[1], added, 'the JSON follows the form');
      t.equal((await json.inputValue()).indexOf('"ID"') < (await json.inputValue()).indexOf('"AllowedHeaders": [\n        "content-type"'), true, 'keys in aws-cli order');

      await page.getByRole('button', { name: 'Remove rule 1' }).click();
      t.same(await rulesOf(), [added], 'rule 1 removed from the JSON too');
      t.equal(await page.getByRole('group', { name: 'Rule 1' }).getByLabel('ID').inputValue(), 'form', 'renumbered');
      await shot('objects-5-cors-form');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const message = page.locator('#cors-message');
      await message.filter({ hasText: 'Saved' }).waitFor();
      const stored = await client.send(new GetBucketCorsCommand({ Bucket: 'docs' }));
      t.same(stored.CORSRules, [added], 'PutBucketCors stored what the form says');

      await page.getByRole('group', { name: 'Rule 1' }).getByLabel('Expose headers').fill('ETag\n*');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await message.filter({ hasText: 'wildcard' }).waitFor();
      t.equal(await message.textContent(), 'InvalidRequest: ExposeHeader "*" contains wildcard. We currently do not support wildcard for ExposeHeader.');
      t.same((await client.send(new GetBucketCorsCommand({ Bucket: 'docs' }))).CORSRules, [added], 'the refused rules were not stored');
      await shot('objects-6-cors-form-refused');

      // JSON → form: a method the form has no box for is shown, checked; broken JSON pauses the form.
      await json.fill(JSON.stringify({ CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PATCH'] }] }));
      const patch = page.getByRole('group', { name: 'Rule 1' }).getByRole('checkbox', { name: 'PATCH' });
      t.ok(await patch.isChecked(), 'PATCH shown as the JSON says');
      t.equal(await page.getByRole('group', { name: 'Rule 2' }).count(), 0);
      await page.getByRole('group', { name: 'Rule 1' }).getByRole('checkbox', { name: 'HEAD' }).check();
      t.same(await rulesOf(), [{ AllowedMethods: ['GET', 'PATCH', 'HEAD'], AllowedOrigins: ['*'] }], 'the JSON\'s order kept, HEAD added');
      await json.fill('{"CORSRules": [');
      await page.getByText('The form waits for valid JSON').waitFor();
      t.ok(await page.getByRole('group', { name: 'Rule 1' }).getByLabel('ID').isDisabled(), 'the form is paused');
      await page.reload();
      await json.waitFor();
      t.same(await rulesOf(), [added], 'the rules in force, after a reload');
      t.same(errors, [], 'no script errors');
    });
  });
}
