/**
 * Schema migration – a data directory written at schema 3 by the code before versioning
 * (test/fixtures/datadir-schema3) opens with today's code: every object is its key's null version
 * with its bytes, grants and parts; the open upload still completes; versioning then works on it.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { openSqliteStorage, type NewObject, type SqliteStorage } from '../../storage';
import { SCHEMA_VERSION } from '../../storage/schema';
import { tempDir } from '../helpers/server';

const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"new"', checksums: {}, owner: 'owner-id', acl: 'private' };

async function read(storage: SqliteStorage, key: string, versionId?: string): Promise<Buffer | undefined> {
  const info = storage.headObject('old', key, versionId);
  if (!info || info.deleteMarker) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of storage.readObject(info)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

t.test('migration – a schema-3 data directory opens as null versions', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  cpSync(join(__dirname, '..', 'fixtures', 'datadir-schema3'), tmp.dir, { recursive: true });
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  t.equal(storage.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  t.equal(SCHEMA_VERSION, 8, 'the latest schema: 4 store id, 5 bucket_configs, 6 versioning, 7 access settings, 8 upload grants');
  t.equal(storage.db.pragma('integrity_check', { simple: true }), 'ok');
  // An entry moves between the two tables with every column (storage/versions.ts).
  const columns = (table: string) => (storage.db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name).sort();
  t.same(columns('object_versions'), columns('objects'), 'object_versions has every column of objects');
  t.ok(storage.storeId.length > 0, 'schema 4: the store id was written');
  t.same(storage.settings.bucketsWith('lifecycle'), [], 'schema 5: bucket_configs is there');

  const bucket = storage.getBucket('old');
  t.equal(bucket?.versioning, undefined, 'the bucket was never versioned');
  t.equal((await read(storage, 'small'))?.toString(), 'small body');
  t.equal((await read(storage, 'small', 'null'))?.toString(), 'small body', 'named by versionId=null');
  t.equal((await read(storage, 'dir/large'))?.length, 70 * 1024);
  t.equal(storage.headObject('old', 'dir/large')?.grants?.[0]?.permission, 'READ', 'explicit grants kept');
  t.equal((await read(storage, 'multi'))?.toString(), 'part 1;part 2;', 'multipart parts found by the version');
  const multi = storage.headObject('old', 'multi');
  t.equal(multi?.versionId, 'null');
  t.equal(multi?.segments.length, 2);
  t.same(storage.listObjects('old', { prefix: '', delimiter: '', after: '', maxKeys: 10 }).objects.map((o) => o.key), ['dir/large', 'multi', 'small']);
  t.same(storage.listObjectVersions('old', { prefix: '', delimiter: '', keyMarker: '', versionIdMarker: '', maxKeys: 10 }).entries
    .map((e) => [e.key, e.versionId, e.isLatest]), [['dir/large', 'null', true], ['multi', 'null', true], ['small', 'null', true]]);
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 0, 'every migrated file is still referenced');

  // The upload opened before the migration completes.
  const open = storage.listUploads('old', { prefix: '', delimiter: '', keyMarker: '', uploadIdMarker: '', maxUploads: 10 }).uploads[0];
  t.equal(open?.key, 'open');
  t.equal(open?.grants, undefined, 'schema 8: an upload from before keeps its canned ACL alone');
  t.ok(columns('uploads').includes('acl_grants'), 'schema 8: uploads.acl_grants');
  const grants = [{ grantee: { type: 'Group' as const, uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' as const }];
  const created = storage.createUpload({ bucket: 'old', key: 'granted', meta: { content: {}, user: {} }, owner: 'owner-id', acl: 'private', grants });
  t.same(storage.getUpload('old', 'granted', created.uploadId)?.grants, grants, 'schema 8: an upload keeps its grants');

  // Versioning on migrated data: the old multipart null version stays readable under a new version.
  storage.setBucketVersioning('old', 'Enabled');
  const staged = await storage.stage(Readable.from([Buffer.from('v2')]), { checksums: [], inline: true });
  const v2 = await storage.commitObject('old', 'multi', staged, OBJECT);
  t.match(v2.versionId, /^[A-Za-z0-9._]{32}$/);
  t.equal((await read(storage, 'multi'))?.toString(), 'v2');
  t.equal((await read(storage, 'multi', 'null'))?.toString(), 'part 1;part 2;');
  const removed = await storage.deleteObject('old', 'multi', { versionId: 'null' });
  t.same(removed, { removed: true, versionId: 'null' });
  t.equal(await read(storage, 'multi', 'null'), undefined);
  t.equal(await storage.sweepOrphans(Date.now() + 60_000), 0, 'the parts went with their version');
});
