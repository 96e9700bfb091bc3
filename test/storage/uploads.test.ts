/**
 * storage/uploads.ts through the Storage seam: part replacement, races between a part upload,
 * an abort and a completion, listing order and batching, and which files survive what.
 */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openSqliteStorage, type NewObject, type SqliteStorage, type UploadInfo } from '../../storage';
import { newUploadId } from '../../storage/uploads';
import { tempDir } from '../helpers/server';
import { countFiles } from '../helpers/stored-bodies';

function open(t: Test): SqliteStorage {
  const dir = tempDir('cb-uploads-');
  const storage = openSqliteStorage({ dataDir: dir.dir });
  t.teardown(() => { storage.close(); dir.remove(); });
  storage.createBucket({ name: 'bkt', createdAt: new Date(), owner: 'owner', acl: 'private', region: 'us-east-1' });
  return storage;
}


const newUpload = (key: string) => ({ bucket: 'bkt', key, meta: { content: {}, user: {} }, owner: 'owner', acl: 'private' as const });
const stage = (s: SqliteStorage, text: string) => s.stage(Readable.from([Buffer.from(text)]), { checksums: [] });

async function addPart(s: SqliteStorage, upload: UploadInfo, n: number, text: string) {
  return s.commitPart(upload, n, await stage(s, text), { etag: `"${n}"`, checksums: {} });
}

function object(upload: UploadInfo): NewObject {
  return { meta: upload.meta, etag: '"x-1"', checksums: {}, owner: upload.owner, acl: upload.acl };
}

t.test('upload IDs sort in creation order, even within one millisecond', async (t) => {
  const ids = Array.from({ length: 50 }, () => newUploadId(1700000000000));
  t.same([...ids].sort(), ids);
  t.ok(newUploadId(1700000000001) > (ids[49] ?? ''));
  t.equal(new Set(ids).size, 50);
});

t.test('createUpload needs the bucket; getUpload checks bucket and key', async (t) => {
  const s = open(t);
  t.throws(() => s.createUpload({ ...newUpload('k'), bucket: 'nope' }), { name: 'StorageError', code: 'NoSuchBucket' });
  const u = s.createUpload({ ...newUpload('k'), checksumAlgorithm: 'crc32', checksumType: 'COMPOSITE' });
  t.same(s.getUpload('bkt', 'k', u.uploadId), u);
  t.equal(s.getUpload('bkt', 'other', u.uploadId), undefined);
  t.equal(s.getUpload('bkt', 'k', 'nope'), undefined);
});

t.test('a part committed after an abort is refused and its file removed', async (t) => {
  const s = open(t);
  const blobs = join(s.dataDir, 'blobs');
  const u = s.createUpload(newUpload('k'));
  await addPart(s, u, 1, 'one');
  const late = await stage(s, 'streaming while aborted');
  t.equal(await s.abortUpload('bkt', 'k', u.uploadId), true);
  t.equal(countFiles(blobs), 1, 'only the staged file is left');
  await t.rejects(s.commitPart(u, 2, late, { etag: '"2"', checksums: {} }), { code: 'NoSuchUpload' });
  t.equal(countFiles(blobs), 0);
  t.equal(await s.abortUpload('bkt', 'k', u.uploadId), false);
});

t.test('completion moves the parts it was given, and refuses a part replaced since', async (t) => {
  const s = open(t);
  const blobs = join(s.dataDir, 'blobs');
  const u = s.createUpload(newUpload('k'));
  await addPart(s, u, 1, 'aaaa');
  await addPart(s, u, 2, 'bb');
  await addPart(s, u, 3, 'unused');
  const seen = s.listParts(u.uploadId, 0, 10).parts;
  await addPart(s, u, 2, 'BB');
  await t.rejects(s.completeUpload(u, seen.slice(0, 2), object(u)), { code: 'InvalidPart' });
  t.equal(s.headObject('bkt', 'k'), undefined);
  t.equal(s.listParts(u.uploadId, 0, 10).parts.length, 3, 'the upload is intact');

  const fresh = s.listParts(u.uploadId, 0, 10).parts.slice(0, 2);
  await t.rejects(s.completeUpload(u, fresh, object(u), { ifMatch: '"x"' }), { code: 'NoSuchKey' });
  const info = await s.completeUpload(u, fresh, object(u), { ifNoneMatchAny: true });
  t.equal(info.size, 6);
  t.equal(info.segments.length, 2);
  t.same(info.segments.map((g) => g.file), fresh.map((p) => p.file), 'the object is the part files themselves');
  const chunks: Buffer[] = [];
  for await (const c of s.readObject(s.headObject('bkt', 'k') as NonNullable<ReturnType<SqliteStorage['headObject']>>, 3, 5)) chunks.push(c as Buffer);
  t.equal(Buffer.concat(chunks).toString(), 'aBB');
  t.equal(countFiles(blobs), 2, 'the unused part and the replaced part 2 are gone');
  t.equal(s.getUpload('bkt', 'k', u.uploadId), undefined);
  await t.rejects(s.completeUpload(u, fresh, object(u)), { code: 'NoSuchUpload' });
  t.equal(await s.sweepOrphans(Date.now() + 1000), 0, 'an orphan sweep keeps every part file in use');

  const v = s.createUpload(newUpload('k'));
  await addPart(s, v, 1, 'pending part');
  t.equal(await s.sweepOrphans(Date.now() + 1000), 0, 'and the parts of uploads in progress');
  await t.rejects(s.completeUpload(v, s.listParts(v.uploadId, 0, 10).parts, object(v), { ifNoneMatchAny: true }), { code: 'PreconditionFailed' });
  t.equal(s.listParts(v.uploadId, 0, 10).parts.length, 1);
});

t.test('listUploads – batches, seeks over prefixes, and markers', async (t) => {
  const s = open(t);
  const under: string[] = [];
  for (let i = 0; i < 300; i++) under.push(s.createUpload(newUpload(`a/${String(i).padStart(3, '0')}`)).uploadId);
  for (const k of ['b', 'a', 'c/d', 'c/e']) s.createUpload(newUpload(k));
  const q = { prefix: '', delimiter: '', keyMarker: '', uploadIdMarker: '', maxUploads: 1000 };
  const all = s.listUploads('bkt', q);
  t.equal(all.uploads.length, 304);
  t.equal(all.uploads[0]?.key, 'a');
  t.equal(all.uploads[303]?.key, 'c/e');
  t.equal(all.isTruncated, false);

  const grouped = s.listUploads('bkt', { ...q, delimiter: '/' });
  t.same(grouped.uploads.map((u) => u.key), ['a', 'b']);
  t.same(grouped.commonPrefixes, ['a/', 'c/']);

  const page = s.listUploads('bkt', { ...q, delimiter: '/', maxUploads: 2 });
  t.same([page.uploads.map((u) => u.key), page.commonPrefixes], [['a'], ['a/']]);
  t.equal(page.isTruncated, true);
  t.equal(page.nextKeyMarker, 'a/');
  t.equal(page.nextUploadIdMarker, '');
  const next = s.listUploads('bkt', { ...q, delimiter: '/', maxUploads: 2, keyMarker: 'a/' });
  t.same([next.uploads.map((u) => u.key), next.commonPrefixes], [['b'], ['c/']]);
  t.equal(next.isTruncated, false);

  const walked: string[] = [];
  let marker = { keyMarker: '', uploadIdMarker: '' };
  for (let i = 0; i < 10; i++) {
    const p = s.listUploads('bkt', { ...q, prefix: 'a/', maxUploads: 100, ...marker });
    walked.push(...p.uploads.map((u) => u.uploadId));
    if (!p.isTruncated) break;
    marker = { keyMarker: p.nextKeyMarker ?? '', uploadIdMarker: p.nextUploadIdMarker ?? '' };
  }
  t.same(walked, under, 'pages of 100 across 256-row batches');
});

t.test('reset removes uploads and their files', async (t) => {
  const s = open(t);
  const u = s.createUpload(newUpload('k'));
  await addPart(s, u, 1, 'x');
  await s.reset('objects');
  t.equal(s.getUpload('bkt', 'k', u.uploadId), undefined);
  t.equal(countFiles(join(s.dataDir, 'blobs')), 0);
});
