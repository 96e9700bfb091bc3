import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { GetBucketCorsCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ConfigError } from '../../server/cli/config-file';
import { planSeed, readSeedFile } from '../../server/cli/seed';
import { contentTypeFor } from '../../server/cli/seed-upload';
import { start } from '../../server/cli/start';
import { sdkClient, tempDir } from '../helpers/server';

const CORS = {
  CORSRules: [
    { AllowedOrigins: ['http://localhost:5173'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
  ],
};

function seedError(json: unknown, baseDir = '/'): string {
  try {
    planSeed(json, 'crossbucket.json', baseDir);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '(accepted)';
}

t.test('seed – a bad seed names the file, the bucket and the field', async (t) => {
  const bucket = (extra: Record<string, unknown>) => ({ buckets: [{ name: 'site', ...extra }] });
  const rules = (...r: unknown[]) => bucket({ cors: { CORSRules: r } });
  const ok = { AllowedOrigins: ['*'], AllowedMethods: ['GET'] };
  const cases: Array<[unknown, string]> = [
    [[], 'crossbucket.json: (top level): expected an object {"buckets": [...]}'],
    [{ bucket: [] }, 'crossbucket.json: (top level): unknown member "bucket" (did you mean "buckets"?)'],
    [{}, 'crossbucket.json: buckets: expected an array of buckets [{"name": "...", ...}]'],
    [{ buckets: ['site'] }, 'crossbucket.json: buckets[0]: expected an object {"name": "...", "acl": "...", "cors": {...}, "upload": "..."}'],
    [{ buckets: [{ acl: 'private' }] }, 'crossbucket.json: buckets[0].name: required: the bucket name (a string)'],
    [{ buckets: [{ name: 'My_Site' }] }, 'crossbucket.json: buckets[0] ("My_Site").name: "My_Site" is not a valid bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit'],
    [{ buckets: [{ name: 'site' }, { name: 'site' }] }, 'crossbucket.json: buckets[1] ("site").name: "site" is already declared by buckets[0]'],
    [bucket({ uploads: './public' }), 'crossbucket.json: buckets[0] ("site"): unknown member "uploads" (did you mean "upload"?)'],
    [bucket({ acl: 'public' }), 'crossbucket.json: buckets[0] ("site").acl: "public" is not a canned ACL: private, public-read, public-read-write, authenticated-read'],
    [bucket({ cors: [] }), 'crossbucket.json: buckets[0] ("site").cors: a CORS configuration must be a JSON object {"CORSRules": [...]}'],
    [bucket({ cors: { CORSRule: [] } }), 'crossbucket.json: buckets[0] ("site").cors: unknown member "CORSRule": a CORS configuration is {"CORSRules": [...]}'],
    [rules({ AllowedOrigins: ['*'], AllowedMethods: 'GET' }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[0].AllowedMethods: must be an array of strings, e.g. ["GET"]'],
    [rules(ok, { AllowedOrigin: ['*'], AllowedMethods: ['GET'] }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[1]: has an unknown member "AllowedOrigin" (did you mean "AllowedOrigins"?)'],
    [rules(), 'crossbucket.json: buckets[0] ("site").cors.CORSRules: at least one rule is required [MalformedXML: The XML you provided was not well-formed or did not validate against our published schema]'],
    [rules({ AllowedMethods: ['GET'] }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[0].AllowedOrigins: required: at least one origin, e.g. ["http://localhost:5173"] [MalformedXML: The XML you provided was not well-formed or did not validate against our published schema]'],
    [rules(ok, { AllowedOrigins: ['*'] }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[1].AllowedMethods: required: at least one of GET, PUT, HEAD, POST, DELETE [MalformedXML: The XML you provided was not well-formed or did not validate against our published schema]'],
    [rules({ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PATCH'] }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[0].AllowedMethods[1]: Found unsupported HTTP method in CORS config. Unsupported method is PATCH [InvalidRequest]'],
    [rules(ok, { AllowedOrigins: ['http://a', 'http://*.*.b'], AllowedMethods: ['GET'] }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[1].AllowedOrigins[1]: AllowedOrigin "http://*.*.b" can not have more than one wildcard. [InvalidRequest]'],
    [rules({ ...ok, AllowedHeaders: ['x-ok', 'bad header'] }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[0].AllowedHeaders[1]: AllowedHeader "bad header" contains invalid character. [InvalidRequest]'],
    [rules({ ...ok, ExposeHeaders: ['x-*'] }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[0].ExposeHeaders[0]: ExposeHeader "x-*" contains wildcard. We currently do not support wildcard for ExposeHeader. [InvalidRequest]'],
    [rules({ ...ok, ID: 'x'.repeat(256) }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[0].ID: ID length should not exceed allowed limit of 255 [InvalidArgument]'],
    [rules({ ...ok, MaxAgeSeconds: -1 }), 'crossbucket.json: buckets[0] ("site").cors.CORSRules[0].MaxAgeSeconds: must be a non-negative integer number of seconds, got -1'],
    [bucket({ upload: 42 }), 'crossbucket.json: buckets[0] ("site").upload: expected a folder path (relative to the seed file)'],
    [bucket({ upload: './nope' }), 'crossbucket.json: buckets[0] ("site").upload: ./nope: no such folder (looked for /nope)'],
  ];
  for (const [json, message] of cases) t.equal(seedError(json), message);
  t.equal(seedError(rules(...Array.from({ length: 101 }, () => ok))),
    'crossbucket.json: buckets[0] ("site").cors.CORSRules: The number of CORS rules should not exceed allowed limit of 100 rules. [InvalidRequest]');
  t.equal(seedError({ $schema: 'x', buckets: [{ name: 'site', cors: null, acl: 'private' }] }), '(accepted)');
});

t.test('seed – file errors carry the path as given', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const file = join(d.dir, 'crossbucket.json');
  writeFileSync(file, '{\n  "buckets": [\n    {"name": "site",}\n  ]\n}\n');
  t.throws(() => readSeedFile(file), { message: new RegExp(`^${file}: not valid JSON \\(line 3, column \\d+\\)`) });
  t.throws(() => readSeedFile(join(d.dir, 'missing.json')), { message: `${join(d.dir, 'missing.json')}: cannot read: no such file` });
  await t.rejects(start({ port: 0, seed: file }), ConfigError, 'start() refuses it before listening');
});

t.test('seed – content types by extension', async (t) => {
  t.same(['a.html', 'b.CSS', 'c.js', 'd.mjs', 'e.json', 'f.svg', 'g.png', 'h.jpg', 'i.woff2', 'j.wasm', 'k.ico', 'l.pdf', 'm.mp4', 'n.bin', 'noext'].map(contentTypeFor), [
    'text/html', 'text/css', 'text/javascript', 'text/javascript', 'application/json', 'image/svg+xml', 'image/png', 'image/jpeg',
    'font/woff2', 'application/wasm', 'image/vnd.microsoft.icon', 'application/pdf', 'video/mp4', 'application/octet-stream', 'application/octet-stream',
  ]);
});

const md5 = (s: string) => `"${createHash('md5').update(s).digest('hex')}"`;

t.test('seed – applied at start, then again on restart: only changes are written', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  const site = join(d.dir, 'public');
  mkdirSync(join(site, 'assets', 'fonts'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<h1>hi</h1>');
  writeFileSync(join(site, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(site, 'assets', 'fonts', 'x.woff2'), 'font');
  const seedFile = join(d.dir, 'crossbucket.json');
  const writeSeed = (buckets: unknown[]) => writeFileSync(seedFile, JSON.stringify({ buckets }));
  writeSeed([{ name: 'site', acl: 'public-read', cors: CORS, upload: './public' }, { name: 'uploads' }]);
  const dataDir = join(d.dir, 'data');
  const users = [
    { accessKeyId: 'alice', secretAccessKey: 'alice-secret', id: 'a'.repeat(64), displayName: 'Alice' , accountId: '111111111111', userName: 'alice', arn: 'arn:aws:iam::111111111111:user/alice' },
    { accessKeyId: 'bob', secretAccessKey: 'bob-secret', id: 'b'.repeat(64), displayName: 'Bob' , accountId: '222222222222', userName: 'bob', arn: 'arn:aws:iam::222222222222:user/bob' },
  ];

  const first = await start({ port: 0, dataDir, seed: seedFile, config: { users } });
  t.teardown(() => first.close());
  t.same(first.seeded, { label: seedFile, buckets: [{ name: 'site', created: true, uploaded: 3, unchanged: 0 }, { name: 'uploads', created: true, uploaded: 0, unchanged: 0 }] });
  const alice = sdkClient(first.endpoint, { credentials: { accessKeyId: 'alice', secretAccessKey: 'alice-secret' } });
  t.teardown(() => alice.destroy());
  t.same((await alice.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['site', 'uploads'], 'the first user owns them');
  const listed = await alice.send(new ListObjectsV2Command({ Bucket: 'site' }));
  t.same(listed.Contents?.map((o) => [o.Key, o.ETag, o.Size]), [
    ['assets/app.js', md5('console.log(1)'), 14], ['assets/fonts/x.woff2', md5('font'), 4], ['index.html', md5('<h1>hi</h1>'), 11],
  ]);
  const head = await alice.send(new HeadObjectCommand({ Bucket: 'site', Key: 'assets/fonts/x.woff2' }));
  t.equal(head.ContentType, 'font/woff2');
  const cors = await alice.send(new GetBucketCorsCommand({ Bucket: 'site' }));
  t.same(cors.CORSRules, [{ AllowedOrigins: ['http://localhost:5173'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }]);

  // Anonymous read (public-read) with the seeded CORS rule, as a browser page would.
  const page = await request(`${first.endpoint}/site/index.html`, { headers: { origin: 'http://localhost:5173' } });
  t.equal(page.statusCode, 200);
  t.equal(page.headers['content-type'], 'text/html');
  t.equal(page.headers['access-control-allow-origin'], 'http://localhost:5173');
  t.equal(page.headers['access-control-expose-headers'], 'ETag');
  t.equal(await page.body.text(), '<h1>hi</h1>');
  const preflight = await request(`${first.endpoint}/site/new.txt`, {
    method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
  });
  t.equal(preflight.statusCode, 200);
  t.equal(preflight.headers['access-control-allow-methods'], 'GET, PUT');
  await preflight.body.dump();
  await first.close();

  // Restart: nothing changed, nothing written.
  const second = await start({ port: 0, dataDir, seed: seedFile, config: { users } });
  t.teardown(() => second.close());
  t.same(second.seeded?.buckets, [{ name: 'site', created: false, uploaded: 0, unchanged: 3 }, { name: 'uploads', created: false, uploaded: 0, unchanged: 0 }]);
  await second.close();

  // One file changed, one added, ACL and CORS changed in the seed.
  writeFileSync(join(site, 'index.html'), '<h1>hello</h1>');
  writeFileSync(join(site, 'robots.txt'), 'User-agent: *');
  writeSeed([{ name: 'site', acl: 'private', cors: null, upload: './public' }, { name: 'uploads', cors: CORS }]);
  const third = await start({ port: 0, dataDir, seed: seedFile, config: { users } });
  t.teardown(() => third.close());
  t.same(third.seeded?.buckets, [{ name: 'site', created: false, uploaded: 2, unchanged: 2 }, { name: 'uploads', created: false, uploaded: 0, unchanged: 0 }]);
  const c3 = sdkClient(third.endpoint, { credentials: { accessKeyId: 'alice', secretAccessKey: 'alice-secret' } });
  t.teardown(() => c3.destroy());
  t.equal((await c3.send(new HeadObjectCommand({ Bucket: 'site', Key: 'index.html' }))).ETag, md5('<h1>hello</h1>'));
  t.equal((await c3.send(new HeadObjectCommand({ Bucket: 'site', Key: 'robots.txt' }))).ContentType, 'text/plain');
  t.equal(third.storage.getBucket('site')?.acl, 'private', 'bucket ACL now private');
  t.equal(third.storage.headObject('site', 'assets/app.js')?.acl, 'private', 'unchanged files follow the bucket ACL');
  await t.rejects(c3.send(new GetBucketCorsCommand({ Bucket: 'site' })), { name: 'NoSuchCORSConfiguration' }, '"cors": null removed it');
  t.same((await c3.send(new GetBucketCorsCommand({ Bucket: 'uploads' }))).CORSRules?.[0]?.AllowedOrigins, ['http://localhost:5173']);
  const anonymous = await request(`${third.endpoint}/site/index.html`);
  t.equal(anonymous.statusCode, 403, 'objects follow the bucket back to private');
  await anonymous.body.dump();
});

t.test('seed – passed as an object to start(), and applied again later', async (t) => {
  const d = tempDir();
  t.teardown(d.remove);
  mkdirSync(join(d.dir, 'files'));
  writeFileSync(join(d.dir, 'files', 'a.json'), '{}');
  const s3 = await start({ port: 0, seed: { buckets: [{ name: 'fixtures', upload: 'files' }] }, seedDir: d.dir });
  t.teardown(() => s3.close());
  t.same(s3.seeded?.buckets, [{ name: 'fixtures', created: true, uploaded: 1, unchanged: 0 }]);
  await s3.reset();
  t.equal(s3.storage.headObject('fixtures', 'a.json'), undefined, 'reset emptied the bucket');
  const again = await s3.seed({ buckets: [{ name: 'fixtures', upload: 'files' }] }, d.dir);
  t.same(again.buckets, [{ name: 'fixtures', created: false, uploaded: 1, unchanged: 0 }]);
  t.equal(s3.storage.headObject('fixtures', 'a.json')?.meta.content.contentType, 'application/json');
});

t.test('seed – versioned and lock-enabled buckets', async (t) => {
  const bucket = (extra: Record<string, unknown>) => ({ buckets: [{ name: 'site', ...extra }] });
  t.equal(seedError(bucket({ versioning: 'enabled' })), 'crossbucket.json: buckets[0] ("site").versioning: "enabled": expected "Enabled" or "Suspended"');
  t.equal(seedError(bucket({ objectLock: { mode: 'GOVERNANCE' } })), 'crossbucket.json: buckets[0] ("site").objectLock: give exactly one of "days" and "years"');
  t.equal(seedError(bucket({ objectLock: { mode: 'LEGAL', days: 1 } })), 'crossbucket.json: buckets[0] ("site").objectLock.mode: "LEGAL": expected "GOVERNANCE" or "COMPLIANCE"');
  t.equal(seedError(bucket({ objectLock: {}, versioning: 'Suspended' })), 'crossbucket.json: buckets[0] ("site").versioning: a bucket with Object Lock is always versioned: "Suspended" is not allowed');

  const data = tempDir();
  t.teardown(() => data.remove());
  const seed = { buckets: [{ name: 'history', versioning: 'Enabled' as const }, { name: 'vault', objectLock: { mode: 'GOVERNANCE', days: 1 } }] };
  const running = await start({ port: 0, host: '127.0.0.1', dataDir: data.dir, seed });
  t.teardown(() => running.close());
  const storage = running.storage;
  t.equal(storage.getBucket('history')?.versioning, 'Enabled');
  t.equal(storage.getBucket('vault')?.versioning, 'Enabled');
  t.same(storage.getBucket('vault')?.objectLock, { enabled: true, rule: { mode: 'GOVERNANCE', days: 1 } });
});
