/**
 * Versions and delete markers – a fast-check model: random sequences of put / delete /
 * delete-version / versioning changes on a few keys, checked after every step against a reference
 * (a map of key → entries, newest first) built from docs/spec/versioning.md §4 W1 and §6 D1–D2:
 * the current entry, every version's bytes, ListObjects, and ListObjectVersions read in random
 * page sizes (with and without a delimiter).
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import t from 'tap';

type Tap = { ok(value: unknown, message: string): unknown };
import { compareKeys, openSqliteStorage, type NewObject, type SqliteStorage, type VersionListQuery } from '../../storage';
import { tempDir } from '../helpers/server';

const OWNER = 'owner-id';
const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"x"', checksums: {}, owner: OWNER, acl: 'private' };
const KEYS = ['a', 'a/b', 'a/c', 'b', 'b/x/y', 'é'];

interface Entry { id: string; marker: boolean; body?: string }
type Model = Map<string, Entry[]>;

type Op =
  | { op: 'versioning'; status: 'Enabled' | 'Suspended' }
  | { op: 'put'; key: string; size: number }
  | { op: 'delete'; key: string }
  | { op: 'deleteVersion'; key: string; pick: number }
  | { op: 'deleteMissing'; key: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('versioning' as const), status: fc.constantFrom('Enabled' as const, 'Suspended' as const) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('put' as const), key: fc.constantFrom(...KEYS), size: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(70 * 1024)) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('deleteVersion' as const), key: fc.constantFrom(...KEYS), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteMissing' as const), key: fc.constantFrom(...KEYS) }) },
);

let counter = 0;
function bodyOf(size: number): string {
  counter++;
  const tag = `#${counter}#`;
  return size < tag.length ? tag : tag + 'x'.repeat(size - tag.length);
}

async function read(storage: SqliteStorage, key: string, versionId?: string): Promise<string | undefined> {
  const info = storage.headObject('b', key, versionId);
  if (!info || info.deleteMarker) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of storage.readObject(info)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

function sortedKeys(model: Model): string[] {
  return [...model.keys()].filter((k) => (model.get(k) ?? []).length > 0).sort(compareKeys);
}

/** Every page of ListObjectVersions, concatenated; checks the markers chain as it goes. */
function listAll(t: Tap, storage: SqliteStorage, pageSize: number, delimiter: string) {
  const out = { entries: [] as Array<{ key: string; versionId: string; isLatest: boolean; deleteMarker: boolean }>, prefixes: [] as string[] };
  const q: VersionListQuery = { prefix: '', delimiter, keyMarker: '', versionIdMarker: '', maxKeys: pageSize };
  for (let pages = 0; pages < 1000; pages++) {
    const page = storage.listObjectVersions('b', q);
    t.ok(page.entries.length + page.commonPrefixes.length <= pageSize, 'max-keys counts entries and prefixes');
    for (const e of page.entries) out.entries.push({ key: e.key, versionId: e.versionId, isLatest: e.isLatest, deleteMarker: e.deleteMarker });
    out.prefixes.push(...page.commonPrefixes);
    if (!page.isTruncated) return out;
    q.keyMarker = page.nextKeyMarker ?? '';
    q.versionIdMarker = page.nextVersionIdMarker ?? '';
  }
  throw new Error('listing never ended');
}

function expectedListing(model: Model, delimiter: string) {
  const out = { entries: [] as Array<{ key: string; versionId: string; isLatest: boolean; deleteMarker: boolean }>, prefixes: [] as string[] };
  const seen = new Set<string>();
  for (const key of sortedKeys(model)) {
    const at = delimiter === '' ? -1 : key.indexOf(delimiter);
    if (at >= 0) {
      const prefix = key.slice(0, at + 1);
      if (!seen.has(prefix)) out.prefixes.push(prefix);
      seen.add(prefix);
      continue;
    }
    (model.get(key) ?? []).forEach((e, i) => out.entries.push({ key, versionId: e.id, isLatest: i === 0, deleteMarker: e.marker }));
  }
  return out;
}

t.test('versions model – random put/delete/delete-version sequences match the reference', async (t) => {
  const tmp = tempDir();
  t.teardown(() => tmp.remove());
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  t.teardown(() => storage.close());
  let run = 0;

  await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 7 }), async (ops, pageSize) => {
    const bucket = 'b';
    await storage.reset('all');
    storage.createBucket({ name: bucket, createdAt: new Date(), owner: OWNER, acl: 'private', region: 'us-east-1' });
    run++;
    const model: Model = new Map();
    let state: 'Enabled' | 'Suspended' | undefined;
    for (const o of ops) {
      const list = model.get(('key' in o ? o.key : '')) ?? [];
      if (o.op === 'versioning') {
        storage.setBucketVersioning(bucket, o.status);
        state = o.status;
      } else if (o.op === 'put') {
        const body = bodyOf(o.size);
        const staged = await storage.stage(Readable.from([Buffer.from(body)]), { checksums: [], inline: true });
        const info = await storage.commitObject(bucket, o.key, staged, OBJECT);
        if (state === 'Enabled') {
          t.match(info.versionId, /^[A-Za-z0-9._]{32}$/);
          model.set(o.key, [{ id: info.versionId, marker: false, body }, ...list]);
        } else {
          t.equal(info.versionId, 'null');
          model.set(o.key, state === undefined ? [{ id: 'null', marker: false, body }] : [{ id: 'null', marker: false, body }, ...list.filter((e) => e.id !== 'null')]);
        }
      } else if (o.op === 'delete') {
        const result = await storage.deleteObject(bucket, o.key);
        if (state === undefined) {
          t.same(result, { removed: list.length > 0 });
          model.delete(o.key);
        } else {
          t.equal(result.deleteMarker, true);
          if (state === 'Suspended') t.equal(result.versionId, 'null');
          model.set(o.key, [{ id: result.versionId ?? '?', marker: true }, ...list.filter((e) => state === 'Enabled' || e.id !== 'null')]);
        }
      } else if (o.op === 'deleteVersion') {
        const victim = list[o.pick % Math.max(1, list.length)];
        if (victim === undefined) continue;
        const result = await storage.deleteObject(bucket, o.key, { versionId: victim.id });
        t.equal(result.versionId, victim.id);
        t.equal(result.deleteMarker === true, victim.marker);
        model.set(o.key, list.filter((e) => e !== victim));
      } else {
        // A well-formed id naming nothing: echoed, nothing removed (§6 D3).
        if (state !== 'Enabled') continue;
        const phantom = (await storage.deleteObject(bucket, `${o.key}-scratch`)).versionId;
        if (phantom !== undefined) {
          await storage.deleteObject(bucket, `${o.key}-scratch`, { versionId: phantom });
          t.same(await storage.deleteObject(bucket, o.key, { versionId: phantom }), { removed: false, versionId: phantom });
        }
      }
    }
    // The current entry of every key, and every version's bytes.
    for (const key of KEYS) {
      const list = model.get(key) ?? [];
      const head = storage.headObject(bucket, key);
      if (list[0] === undefined) { t.equal(head, undefined, `${key} has no entry`); continue; }
      t.equal(head?.versionId, list[0].id);
      t.equal(head?.deleteMarker, list[0].marker);
      for (const e of list) {
        t.equal(storage.headObject(bucket, key, e.id)?.deleteMarker, e.marker);
        if (!e.marker) t.equal(await read(storage, key, e.id), e.body, `${key} ${e.id} keeps its bytes`);
      }
    }
    // ListObjects: keys whose current entry is an object version.
    const listed = storage.listObjects(bucket, { prefix: '', delimiter: '', after: '', maxKeys: 1000 }).objects.map((o) => o.key);
    t.same(listed, sortedKeys(model).filter((k) => model.get(k)?.[0]?.marker === false));
    t.same(listAll(t, storage, pageSize, ''), expectedListing(model, ''), `versions, pages of ${pageSize}`);
    t.same(listAll(t, storage, pageSize, '/'), expectedListing(model, '/'), `versions with delimiter, pages of ${pageSize}`);
    // No body outlives its version.
    t.equal(await storage.sweepOrphans(Date.now() + 60_000), 0, 'no orphan file');
  }), { numRuns: Number(process.env.CB_MODEL_RUNS ?? 60), seed: process.env.CB_SEED ? Number(process.env.CB_SEED) : undefined });
  t.ok(run > 0);
});
