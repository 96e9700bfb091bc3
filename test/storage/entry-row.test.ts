/**
 * headObject reads an entry as an array (better-sqlite3's raw mode) and names its columns with
 * entryRow(): the names must be the ones SQLite gives the same SELECT's columns, in its order.
 * PutObject writes one with entryValues(), positionally: each value must land in its column.
 */
import { Readable } from 'node:stream';
import t from 'tap';
import { openSqliteStorage } from '../../storage';
import { ENTRY_COLUMNS, ENTRY_PARAMS, SELECT_NULL_VERSION, SELECT_OBJECT, entryRow, entryValues, type EntryValues } from '../../storage/object-rows';
import { tempDir } from '../helpers/server';

t.test('entryRow names every column of an entry as SQLite does', async (t) => {
  const tmp = tempDir();
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => { storage.close(); tmp.remove(); });
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: 'owner-id', acl: 'private', region: 'us-east-1' });
  const staged = await storage.stage(Readable.from([Buffer.from('small body')]), { checksums: ['crc32'], inline: true });
  await storage.commitObject('b', 'k', staged, { meta: { content: {}, user: {} }, etag: '"e"', checksums: staged.checksums, owner: 'owner-id', acl: 'private' });
  // Every column a value of its own, so that two columns swapped in entryRow cannot compare equal.
  storage.db.prepare(`UPDATE objects SET checksum_type = 'COMPOSITE', multipart = 3, seq = 7, version_id = 'v-id', marker = 5,
    lock_mode = 'GOVERNANCE', lock_until = 11, legal_hold = 'ON', acl_grants = '[]', last_modified = 13 WHERE bucket = 'b' AND key = 'k'`).run();
  const named = storage.db.prepare(SELECT_OBJECT).get('b', 'k') as Record<string, unknown>;
  const raw = storage.db.prepare(SELECT_OBJECT).raw().get('b', 'k') as EntryValues;
  t.equal(raw.length, Object.keys(named).length, 'one name per column');
  t.same(entryRow(raw), named);
  t.same(new Set(Object.values(named).map(String)).size, raw.length, 'no two columns hold the same value');
  t.ok(Buffer.isBuffer(entryRow(raw).body), 'the small body comes with the row');

  // PutObject writes an entry with entryValues() into ENTRY_PARAMS: written back, it reads the same.
  const { body: _body, ...entry } = named;
  storage.db.prepare("DELETE FROM objects WHERE bucket = 'b' AND key = 'k'").run();
  storage.db.prepare(`INSERT INTO objects (${ENTRY_COLUMNS}) VALUES (${ENTRY_PARAMS})`).run(entryValues(entry as Parameters<typeof entryValues>[0]));
  t.same(storage.db.prepare(SELECT_OBJECT).get('b', 'k'), named, 'entryValues puts every column in its place');

  // The nullable columns null, and a noncurrent entry (object_versions has the same columns).
  storage.db.prepare(`UPDATE objects SET checksum_type = NULL, lock_mode = NULL, lock_until = NULL, legal_hold = NULL, acl_grants = NULL, version_id = 'null' WHERE bucket = 'b' AND key = 'k'`).run();
  storage.db.prepare('INSERT INTO object_versions SELECT * FROM objects').run();
  const namedVersion = storage.db.prepare(SELECT_NULL_VERSION).get('b', 'k') as Record<string, unknown>;
  t.same(entryRow(storage.db.prepare(SELECT_NULL_VERSION).raw().get('b', 'k') as EntryValues), namedVersion);
  t.equal(namedVersion.checksum_type, null);

  // headObject through it (nothing has read the key yet: the read runs the SQL).
  const info = storage.headObject('b', 'k');
  t.equal(info?.size, 10);
  t.equal(info?.etag, '"e"');
  t.equal(info?.segments[0]?.bytes?.toString(), 'small body');
});
