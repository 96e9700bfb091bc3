/**
 * storage/sqlite-storage.ts – getBucket answers from memory after the first read; every write to
 * a bucket (ACL, grants, CORS, delete, create, reset) is seen by the next read.
 */
import t, { type Test } from 'tap';
import { openSqliteStorage, type SqliteStorage } from '../../storage';
import { tempDir } from '../helpers/server';

function open(t: Test): SqliteStorage {
  const dir = tempDir('cb-bucket-cache-');
  const storage = openSqliteStorage({ dataDir: dir.dir });
  t.teardown(() => { storage.close(); dir.remove(); });
  return storage;
}

const bucket = (owner = 'owner-1') => ({ name: 'bkt', createdAt: new Date(1_700_000_000_000), owner, acl: 'private' as const, region: 'us-east-1' });

t.test('getBucket – every bucket write is seen by the next read', async (t) => {
  const s = open(t);
  t.equal(s.getBucket('bkt'), undefined, 'missing before it is created');
  t.equal(s.createBucket(bucket()), true);
  t.same(s.getBucket('bkt'), bucket(), 'created');
  t.same(s.getBucket('bkt'), bucket(), 'read again');

  s.setBucketAcl('bkt', 'public-read');
  t.equal(s.getBucket('bkt')?.acl, 'public-read', 'canned ACL');

  const grants = [{ grantee: { type: 'Group' as const, uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' as const }];
  s.setBucketGrants('bkt', grants);
  t.same(s.getBucket('bkt')?.grants, grants, 'grants');
  t.equal(s.getBucket('bkt')?.acl, 'private', 'grants replace the canned ACL');

  s.setBucketAcl('bkt', 'private');
  t.equal(s.getBucket('bkt')?.grants, undefined, 'a canned ACL clears the grants');

  s.deleteBucket('bkt');
  t.equal(s.getBucket('bkt'), undefined, 'deleted');
  t.equal(s.createBucket(bucket('owner-2')), true);
  t.equal(s.getBucket('bkt')?.owner, 'owner-2', 'created again by someone else');

  await s.reset('all');
  t.equal(s.getBucket('bkt'), undefined, 'gone after a full reset');
});

t.test('getBucket – a caller changing what it got changes nothing for the next caller', async (t) => {
  const s = open(t);
  s.createBucket(bucket());
  const first = s.getBucket('bkt');
  if (first) first.acl = 'public-read-write';
  t.equal(s.getBucket('bkt')?.acl, 'private');
});
