/**
 * The browser as the judge (issue 3): a page on one origin calls crossbucket on another with
 * `fetch`, in both addressing forms (`http://127.0.0.1:PORT/bucket/key` and
 * `http://bucket.localhost:PORT/key`), and each assertion is what headless Chromium itself
 * decided: the promise resolved (and which headers the script could read) or it was refused.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import t from 'tap';
import type { Browser } from 'playwright-core';
import { fetchFromPage, launchChromium, requireChromium, serveAppPage, type FetchInit, type FetchVerdict } from '../helpers/browser';
import { startServer } from '../helpers/server';
import { createBucket, putCors, putObject } from '../server/cors-fixtures';

type Form = 'path' | 'virtual';
const FORMS: Form[] = ['path', 'virtual'];
const BODY = 'meow';
const ETAG = `"${createHash('md5').update(BODY).digest('hex')}"`;

interface Case {
  name: string;
  /** Which page origin runs the script: the 127.0.0.1 app, or the same app as app.localhost. */
  page: 'app' | 'app.localhost';
  bucket: string;
  key: string;
  /** Presigned GET (private bucket) or a plain URL (the bucket's ACL lets anyone in). */
  presign?: boolean;
  init?: FetchInit;
  expect: 'allowed' | 'blocked';
  /** Checks of what the script saw (allowed) or of Chromium's console reason (blocked). */
  check(t: Sub, v: FetchVerdict, form: Form): void | Promise<void>;
}

/** A subtest (tap's own type, with its assertion plugins). */
type Sub = Parameters<Parameters<typeof t.test>[0]>[0];

if (requireChromium(t, 'browser CORS suite')) {
  t.test('Chromium decides: crossbucket CORS in both addressing forms', async (t) => {
    const s = await startServer();
    t.teardown(() => s.close());
    const app = await serveAppPage();
    t.teardown(() => app.close());
    const browser: Browser = await launchChromium();
    t.teardown(() => browser.close());

    const A = app.port;
    const APP = `http://127.0.0.1:${A}`;
    const APP_LOCALHOST = `http://app.localhost:${A}`;
    const credentials = s.credentials;
    const signers: Record<Form, S3Client> = {
      path: new S3Client({ endpoint: s.endpoint, region: 'us-east-1', forcePathStyle: true, credentials }),
      // The SDK puts the bucket into the host: http://BUCKET.localhost:PORT/KEY.
      virtual: new S3Client({ endpoint: `http://localhost:${s.port}`, region: 'us-east-1', forcePathStyle: false, credentials }),
    };
    t.teardown(() => { signers.path.destroy(); signers.virtual.destroy(); });
    const urlFor = async (form: Form, bucket: string, key: string, presign: boolean) => {
      if (presign) return getSignedUrl(signers[form], new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 900 });
      return form === 'path' ? `http://127.0.0.1:${s.port}/${bucket}/${key}` : `http://${bucket}.localhost:${s.port}/${key}`;
    };

    const setup: Array<[string, string | undefined, Parameters<typeof putCors>[2] | undefined]> = [
      ['exact', undefined, [{ origins: [APP], methods: ['GET', 'HEAD'] }]],
      ['exposed', undefined, [{ origins: [APP], methods: ['GET'], expose: ['ETag'] }]],
      ['star', undefined, [{ origins: ['*'], methods: ['GET'] }]],
      ['wild', undefined, [{ origins: [`http://*.localhost:${A}`], methods: ['GET'] }]],
      // Same port, other host name: no normalisation, so 127.0.0.1 is not listed.
      ['other', undefined, [{ origins: [`http://localhost:${A}`], methods: ['GET'] }]],
      ['uploads', 'public-read-write', [{ origins: [APP], methods: ['GET', 'PUT'], headers: ['x-amz-*'] }]],
      ['norules', 'public-read', undefined],
    ];
    for (const [bucket, acl, rules] of setup) {
      await createBucket(s.app, bucket, acl);
      await putObject(s.app, bucket, 'cat.txt', BODY, acl === undefined ? undefined : 'public-read');
      if (rules) t.equal((await putCors(s.app, bucket, rules)).statusCode, 200, `rules on ${bucket}`);
    }

    const reason = (t: Sub, v: FetchVerdict, text: string) => {
      t.ok(v.console.some((line) => line.includes('has been blocked by CORS policy') && line.includes(text)), `Chromium says: …${text}…`, { console: v.console });
    };
    const readable = (t: Sub, v: FetchVerdict, status: number, body: string | RegExp) => {
      if (!v.allowed) return;
      t.equal(v.status, status);
      t.equal(v.type, 'cors');
      if (typeof body === 'string') t.equal(v.body, body);
      else t.match(v.body, body);
    };

    const cases: Case[] = [
      { name: 'allowed exact origin', page: 'app', bucket: 'exact', key: 'cat.txt', presign: true, expect: 'allowed',
        check: (t, v) => readable(t, v, 200, BODY) },
      { name: 'origin not listed', page: 'app', bucket: 'other', key: 'cat.txt', presign: true, expect: 'blocked',
        check: (t, v) => reason(t, v, "No 'Access-Control-Allow-Origin' header is present") },
      { name: '* origin', page: 'app', bucket: 'star', key: 'cat.txt', presign: true, expect: 'allowed',
        check: (t, v) => readable(t, v, 200, BODY) },
      { name: 'http://*.localhost:PORT matches the app.localhost page', page: 'app.localhost', bucket: 'wild', key: 'cat.txt', presign: true, expect: 'allowed',
        check: (t, v) => readable(t, v, 200, BODY) },
      { name: 'http://*.localhost:PORT does not match the 127.0.0.1 page', page: 'app', bucket: 'wild', key: 'cat.txt', presign: true, expect: 'blocked',
        check: (t, v) => reason(t, v, "No 'Access-Control-Allow-Origin' header is present") },
      { name: 'PUT with x-amz-meta-note (AllowedHeader x-amz-*)', page: 'app', bucket: 'uploads', key: 'note.txt', expect: 'allowed',
        init: { method: 'PUT', body: 'hello', headers: { 'x-amz-meta-note': 'from the browser', 'content-type': 'text/plain' } },
        check: (t, v) => {
          readable(t, v, 200, '');
          const stored = s.storage.headObject('uploads', 'note.txt');
          t.equal(stored?.meta.user.note, 'from the browser', 'the PUT reached crossbucket with its header');
          s.storage.deleteObject('uploads', 'note.txt').catch(() => undefined);
        } },
      { name: 'PUT with x-custom-note (not listed): preflight refused', page: 'app', bucket: 'uploads', key: 'custom.txt', expect: 'blocked',
        init: { method: 'PUT', body: 'hello', headers: { 'x-custom-note': 'nope' } },
        check: (t, v) => {
          reason(t, v, "Response to preflight request doesn't pass access control check");
          t.equal(s.storage.headObject('uploads', 'custom.txt'), undefined, 'the browser never sent the PUT');
        } },
      { name: 'DELETE (method not allowed): preflight refused', page: 'app', bucket: 'uploads', key: 'cat.txt', expect: 'blocked',
        init: { method: 'DELETE' },
        check: (t, v) => {
          reason(t, v, "Response to preflight request doesn't pass access control check");
          t.ok(s.storage.headObject('uploads', 'cat.txt'), 'the browser never sent the DELETE');
        } },
      { name: 'ETag hidden without ExposeHeader', page: 'app', bucket: 'exact', key: 'cat.txt', presign: true, expect: 'allowed',
        check: (t, v) => {
          readable(t, v, 200, BODY);
          if (v.allowed) t.equal(v.headers.etag, undefined, 'the script cannot read ETag');
        } },
      { name: 'ETag readable with ExposeHeader ETag', page: 'app', bucket: 'exposed', key: 'cat.txt', presign: true, expect: 'allowed',
        check: (t, v) => {
          readable(t, v, 200, BODY);
          if (v.allowed) t.equal(v.headers.etag, ETAG, 'the script reads ETag');
        } },
      { name: "credentials: 'include' against an echoed origin", page: 'app', bucket: 'exact', key: 'cat.txt', presign: true, expect: 'allowed',
        init: { credentials: 'include' },
        check: (t, v) => readable(t, v, 200, BODY) },
      { name: "credentials: 'include' against *", page: 'app', bucket: 'star', key: 'cat.txt', presign: true, expect: 'blocked',
        init: { credentials: 'include' },
        check: (t, v) => reason(t, v, "must not be the wildcard '*' when the request's credentials mode is 'include'") },
      { name: 'bucket without rules', page: 'app', bucket: 'norules', key: 'cat.txt', expect: 'blocked',
        check: (t, v) => reason(t, v, "No 'Access-Control-Allow-Origin' header is present") },
      { name: '404 body readable when a rule matches', page: 'app', bucket: 'exact', key: 'missing.txt', presign: true, expect: 'allowed',
        check: (t, v) => readable(t, v, 404, /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>missing.txt<\/Key>/) },
    ];

    const matrix: string[] = [];
    for (const c of cases) {
      for (const form of FORMS) {
        await t.test(`${c.name} [${form}]`, async (t) => {
          const url = await urlFor(form, c.bucket, c.key, c.presign === true);
          const pageUrl = `${c.page === 'app' ? APP : APP_LOCALHOST}/`;
          const verdict = await fetchFromPage(browser, pageUrl, url, c.init);
          const got = verdict.allowed ? 'allowed' : 'blocked';
          matrix.push(`${c.name.padEnd(58)} ${form.padEnd(8)} ${got}${verdict.allowed ? ` (${verdict.status})` : ''}`);
          t.equal(got, c.expect, `Chromium: ${got}`, verdict.allowed ? {} : { error: verdict.error, console: verdict.console });
          if (!verdict.allowed) t.equal(verdict.error, 'TypeError: Failed to fetch');
          await c.check(t, verdict, form);
        });
      }
    }
    t.comment(`browser matrix (case, addressing form, Chromium's verdict):\n${matrix.join('\n')}`);
  });
}
