/**
 * The seed file's access keys (docs/access.md): `policy`, `publicAccessBlock`, `objectOwnership`
 * checked as the S3 operations would; a new seed bucket gets S3's 2023 defaults; a public policy
 * removes the public access block and an `"acl": "public-read"` bucket is made as a user would on
 * S3 (ObjectWriter, block removed) so that old seeds keep working; settings applied on restart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { ConfigError } from '../../server/cli/config-file';
import { planSeed } from '../../server/cli/seed';
import { start } from '../../server/cli/start';
import { tempDir } from '../helpers/server';

function seedError(json: unknown): string {
  try {
    planSeed(json, 'crossbucket.json', '/');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '(accepted)';
}

const PUBLIC = { Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }] };

t.test('seed access keys – mistakes name the bucket and the field', async (t) => {
  const bucket = (extra: Record<string, unknown>) => ({ buckets: [{ name: 'site', ...extra }] });
  const at = 'crossbucket.json: buckets[0] ("site")';
  t.equal(seedError(bucket({ objectOwnership: 'Mine' })), `${at}.objectOwnership: "Mine" is not one of BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter`);
  t.equal(seedError(bucket({ publicAccessBlock: true })), `${at}.publicAccessBlock: expected {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true} or null`);
  t.match(seedError(bucket({ publicAccessBlock: { BlockPublicAcl: true } })), `${at}.publicAccessBlock: unknown member "BlockPublicAcl"`);
  t.equal(seedError(bucket({ publicAccessBlock: { BlockPublicAcls: 'yes' } })), `${at}.publicAccessBlock.BlockPublicAcls: expected true or false, got "yes"`);
  t.equal(seedError(bucket({ policy: { Statement: [] } })), `${at}.policy: Could not parse the policy: Statement is empty! [MalformedPolicy]`);
  t.equal(seedError(bucket({ policy: { ...PUBLIC, Statement: [{ ...PUBLIC.Statement[0], Resource: 'arn:aws:s3:::other/*' }] } })), `${at}.policy: Policy has invalid resource [MalformedPolicy]`);
  t.equal(seedError(bucket({ policy: PUBLIC, publicAccessBlock: { BlockPublicPolicy: true } })),
    `${at}.policy: the policy is public and publicAccessBlock.BlockPublicPolicy is true: PutBucketPolicy would be refused (AccessDenied)`);
  t.equal(seedError(bucket({ policy: JSON.stringify(PUBLIC), objectOwnership: 'ObjectWriter', publicAccessBlock: null })), '(accepted)', 'the policy may be its text');
});

t.test('seed access keys – applied at start: a policy site, a legacy public-read site, the defaults; again on restart', async (t) => {
  const d = tempDir();
  t.teardown(() => d.remove());
  mkdirSync(join(d.dir, 'public'));
  writeFileSync(join(d.dir, 'public', 'index.html'), '<p>hi</p>');
  const seedFile = join(d.dir, 'crossbucket.json');
  const write = (buckets: unknown[]) => writeFileSync(seedFile, JSON.stringify({ buckets }));
  write([
    { name: 'site', policy: PUBLIC, upload: './public' },
    { name: 'legacy', acl: 'public-read', upload: './public' },
    { name: 'plain', upload: './public' },
  ]);
  const dataDir = join(d.dir, 'data');
  let s = await start({ port: 0, dataDir, seed: seedFile });
  const get = async (path: string) => (await request(`${s.endpoint}${path}`)).statusCode;
  t.equal(await get('/site/index.html'), 200, 'the policy site is public');
  t.equal(await get('/site'), 403, 'and unlisted');
  t.equal(await get('/legacy/index.html'), 200, 'the public-read seed keeps working');
  t.equal(await get('/legacy'), 200, 'and lists');
  t.equal(await get('/plain/index.html'), 403, 'a plain bucket is private');
  const storage = s.storage;
  t.equal(storage.getBucket('site')?.ownership, 'BucketOwnerEnforced');
  t.equal(storage.getBucket('site')?.publicAccessBlock, undefined, 'a public policy: the block removed');
  t.equal(storage.getBucket('legacy')?.ownership, 'ObjectWriter', 'public-read: ObjectWriter, as a user would on S3');
  t.equal(storage.getBucket('legacy')?.publicAccessBlock, undefined);
  t.same(storage.getBucket('plain')?.publicAccessBlock, { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }, 'the 2023 defaults');
  t.equal(storage.getBucket('plain')?.ownership, 'BucketOwnerEnforced');
  await s.close();

  write([
    { name: 'site', policy: null, publicAccessBlock: { RestrictPublicBuckets: true } },
    { name: 'plain', objectOwnership: 'BucketOwnerPreferred' },
  ]);
  s = await start({ port: 0, dataDir, seed: seedFile });
  t.teardown(() => s.close());
  t.equal(await get('/site/index.html'), 403, 'the policy removed on restart');
  t.same(s.storage.getBucket('site')?.publicAccessBlock, { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true });
  t.equal(s.storage.getBucket('plain')?.ownership, 'BucketOwnerPreferred');
  t.equal(await get('/legacy/index.html'), 200, 'a bucket the seed no longer names is kept as it is');
});
