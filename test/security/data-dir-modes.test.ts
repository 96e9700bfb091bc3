/**
 * Object files and the database are readable by their owner only (docs/data-directory.md):
 * 0600 files in 0700 directories — the database and its WAL and SHM files, the lock, the store
 * marker, object files, part files and the temp file of a body still streaming — whatever the
 * umask lets through (here 022, the usual one).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t from 'tap';
import { openSqliteStorage, type NewObject } from '../../storage';
import { tempDir } from '../helpers/server';

const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"x"', checksums: {}, owner: 'owner-id', acl: 'private' };

/** Every file and directory under `dir` (itself included) with its permission bits. */
function modes(dir: string, rel = '.'): Array<[string, string]> {
  const out: Array<[string, string]> = [[rel, (statSync(join(dir, rel)).mode & 0o777).toString(8)]];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel === '.' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...modes(dir, p));
    else out.push([p, (statSync(join(dir, p)).mode & 0o777).toString(8)]);
  }
  return out;
}

t.test('data dir – files 0600 and directories 0700, including WAL/SHM, temp and part files', async (t) => {
  const umask = process.umask(0o022);
  t.teardown(() => { process.umask(umask); });
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  const storage = openSqliteStorage({ dataDir });
  t.teardown(() => storage.close());
  storage.createBucket({ name: 'b', createdAt: new Date(), owner: 'owner-id', acl: 'private', region: 'us-east-1' });
  await storage.commitObject('b', 'large.bin', await storage.stage(Readable.from([Buffer.alloc(100 * 1024)]), { checksums: [], inline: true }), OBJECT);
  await storage.commitObject('b', 'small.txt', await storage.stage(Readable.from([Buffer.from('small')]), { checksums: [], inline: true }), OBJECT);
  const upload = storage.createUpload({ bucket: 'b', key: 'multi.bin', meta: { content: {}, user: {} }, owner: 'owner-id', acl: 'private' });
  await storage.commitPart(upload, 1, await storage.stage(Readable.from([Buffer.alloc(70 * 1024)]), { checksums: [] }), { etag: '"p"', checksums: {} });
  // A body still streaming: its temp file exists.
  const body = new PassThrough();
  const staging = storage.stage(body, { checksums: [] });
  body.write(Buffer.alloc(100 * 1024));
  await new Promise((resolve) => setTimeout(resolve, 100));

  const all = modes(dataDir);
  const names = all.map(([p]) => p);
  for (const expected of ['crossbucket.sqlite', 'crossbucket.sqlite-wal', 'crossbucket.sqlite-shm', 'crossbucket.lock', 'blobs/crossbucket-store']) {
    t.ok(names.includes(expected), `${expected} exists`);
  }
  t.equal(readdirSync(join(dataDir, 'tmp')).length, 1, 'the streaming body has a temp file');
  t.equal(names.filter((p) => /^blobs\/[0-9a-f]{2}\/[0-9a-f]{24}$/.test(p)).length, 2, 'an object file and a part file');
  for (const [p, mode] of all) {
    const isDir = statSync(join(dataDir, p)).isDirectory();
    t.equal(mode, isDir ? '700' : '600', `${p}${isDir ? '/' : ''} is ${isDir ? '0700' : '0600'}`);
  }
  body.end();
  await storage.discard(await staging);
});
