/**
 * Versioned deletes – vectors 25–39, 41, 52 and 53 of docs/spec/versioning.md §11 (§6 D1–D6,
 * §8 B1–B2), over signed inject requests.
 */
import t from 'tap';
import { md5Base64, xmlText, xmlTexts } from '../helpers/s3-inject';
import { BAD, altered, setup } from '../helpers/versioning';

function deleteDoc(entries: Array<{ key: string; versionId?: string }>, quiet = false): { body: string; headers: Record<string, string> } {
  const body = `<Delete>${quiet ? '<Quiet>true</Quiet>' : ''}${entries.map((e) => `<Object><Key>${e.key}</Key>${e.versionId === undefined ? '' : `<VersionId>${e.versionId}</VersionId>`}</Object>`).join('')}</Delete>`;
  return { body, headers: { 'content-md5': md5Base64(body) } };
}

/** The Deleted and Error elements of a DeleteResult, as field maps. */
function results(body: string) {
  const pick = (name: string) => [...body.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => {
    const inner = m[1] ?? '';
    const out: Record<string, string> = {};
    for (const f of ['Key', 'VersionId', 'DeleteMarker', 'DeleteMarkerVersionId', 'Code', 'Message']) {
      const v = xmlText(inner, f);
      if (v !== undefined) out[f] = v;
    }
    return out;
  });
  return { deleted: pick('Deleted'), errors: pick('Error') };
}

t.test('vector 25 – never configured: DELETE twice is 204 without headers; BAD is IA', async (t) => {
  const { put, del } = await setup(t, 'U');
  await put('k', 'v');
  for (let i = 0; i < 2; i++) {
    const res = await del('k');
    t.equal(res.statusCode, 204);
    t.equal(res.headers['x-amz-version-id'], undefined);
    t.equal(res.headers['x-amz-delete-marker'], undefined);
  }
  const bad = await del('k', { versionId: BAD });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Message'), 'Invalid version id specified');
});

t.test('vector 26 – an altered id is IA', async (t) => {
  const { putId, del } = await setup(t, 'E');
  const v2 = await putId('k', 'v2');
  const res = await del('k', { versionId: altered(v2) });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
});

t.test('vectors 27–28 – Enabled DELETE always pushes a marker', async (t) => {
  const { putId, del, listed } = await setup(t, 'E');
  const v1 = await putId('k', 'v1');
  const first = await del('k');
  t.equal(first.statusCode, 204);
  t.equal(first.headers['x-amz-delete-marker'], 'true');
  const dm1 = first.headers['x-amz-version-id'];
  t.same((await listed()).map((e) => e.versionId), [dm1, v1]);
  const second = await del('k');
  t.equal(second.headers['x-amz-delete-marker'], 'true');
  t.same((await listed()).map((e) => [e.kind, e.versionId]), [['DeleteMarker', second.headers['x-amz-version-id']], ['DeleteMarker', dm1], ['Version', v1]]);
  const absent = await del('nokey');
  t.equal(absent.statusCode, 204);
  t.equal(absent.headers['x-amz-delete-marker'], 'true');
  t.match(absent.headers['x-amz-version-id'], /^[A-Za-z0-9._]{32}$/);
});

t.test('vectors 29–31 – DELETE by id: undelete, remove a version, echo an unknown id', async (t) => {
  const { send, putId, del, marker, listed } = await setup(t, 'E');
  const v1 = await putId('k', 'v1 body');
  const dm1 = await marker('k');
  const undelete = await del('k', { versionId: dm1 });
  t.equal(undelete.statusCode, 204);
  t.equal(undelete.headers['x-amz-delete-marker'], 'true');
  t.equal(undelete.headers['x-amz-version-id'], dm1);
  t.equal((await send({ key: 'k' })).body, 'v1 body');
  const gone = await del('k', { versionId: v1 });
  t.equal(gone.statusCode, 204);
  t.equal(gone.headers['x-amz-version-id'], v1);
  t.equal(gone.headers['x-amz-delete-marker'], undefined);
  t.same(await listed(), []);
  const again = await del('k', { versionId: v1 });
  t.equal(again.statusCode, 204, 'vector 31: a well-formed id naming nothing');
  t.equal(again.headers['x-amz-version-id'], v1);
});

t.test('vectors 32–33 – Suspended DELETE pushes a null marker; PUT replaces it', async (t) => {
  const { putId, del, put, setVersioning, listed } = await setup(t, 'E');
  const v1 = await putId('k', '1');
  const v2 = await putId('k', '2');
  await setVersioning('Suspended');
  const res = await del('k');
  t.equal(res.statusCode, 204);
  t.equal(res.headers['x-amz-delete-marker'], 'true');
  t.equal(res.headers['x-amz-version-id'], 'null');
  t.same((await listed()).map((e) => [e.kind, e.versionId]), [['DeleteMarker', 'null'], ['Version', v2], ['Version', v1]]);
  const again = await put('k', 'n');
  t.equal(again.headers['x-amz-version-id'], undefined);
  t.same((await listed()).map((e) => [e.kind, e.versionId]), [['Version', 'null'], ['Version', v2], ['Version', v1]]);
});

t.test('vector 34 – [v1, n]: removing v1 then null', async (t) => {
  const { send, put, putId, del, setVersioning, versions } = await setup(t, 'U');
  await put('k', 'null body');
  await setVersioning('Enabled');
  const v1 = await putId('k', 'v1');
  t.equal((await del('k', { versionId: v1 })).statusCode, 204);
  t.equal((await send({ key: 'k' })).body, 'null body');
  t.equal((await del('k', { versionId: 'null' })).statusCode, 204);
  const get = await send({ key: 'k' });
  t.equal(get.statusCode, 404);
  t.equal(xmlText(get.body, 'Code'), 'NoSuchKey');
  t.notMatch((await versions()).body, /<Version>/);
});

t.test('vectors 35–36 – DeleteObjects in a versioned bucket', async (t) => {
  const { send, putId, marker } = await setup(t, 'E');
  await putId('k', 'v1');
  const both = results((await send({ method: 'POST', query: { delete: '' }, ...deleteDoc([{ key: 'k' }, { key: 'nokey' }]) })).body);
  t.equal(both.deleted.length, 2);
  for (const d of both.deleted) {
    t.equal(d.DeleteMarker, 'true');
    t.match(d.DeleteMarkerVersionId, /^[A-Za-z0-9._]{32}$/);
    t.equal(d.VersionId, undefined);
  }
  const dm = await marker('j');
  const res = await send({ method: 'POST', query: { delete: '' }, ...deleteDoc([{ key: 'j', versionId: dm }]) });
  t.equal(res.statusCode, 200);
  t.same(results(res.body).deleted, [{ Key: 'j', VersionId: dm, DeleteMarker: 'true', DeleteMarkerVersionId: dm }]);
});

t.test('vector 37 – DeleteObjects with a malformed id: NoSuchVersion errors', async (t) => {
  for (const state of ['E', 'U'] as const) {
    const { send, put } = await setup(t, state);
    await put('k', 'v1');
    const res = await send({ method: 'POST', query: { delete: '' }, ...deleteDoc([{ key: 'k', versionId: BAD }, { key: 'nokey', versionId: BAD }]) });
    t.equal(res.statusCode, 200);
    const r = results(res.body);
    t.same(r.deleted, []);
    t.same(r.errors.map((e) => [e.Key, e.VersionId, e.Code, e.Message]), [
      ['k', BAD, 'NoSuchVersion', 'The specified version does not exist.'],
      ['nokey', BAD, 'NoSuchVersion', 'The specified version does not exist.'],
    ], state);
  }
});

t.test('vector 38 – the same batch of version deletes twice: Deleted both times', async (t) => {
  const { send, putId } = await setup(t, 'E');
  const v1 = await putId('k', '1');
  const v2 = await putId('k', '2');
  for (let i = 0; i < 2; i++) {
    const r = results((await send({ method: 'POST', query: { delete: '' }, ...deleteDoc([{ key: 'k', versionId: v1 }, { key: 'k', versionId: v2 }]) })).body);
    t.equal(r.deleted.length, 2);
    t.same(r.errors, []);
  }
});

t.test('vector 39 – the bypass header without Object Lock', async (t) => {
  const { del } = await setup(t, 'U');
  const res = await del('k', {}, { 'x-amz-bypass-governance-retention': 'false' });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(res.body, 'Message'), 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.');
  t.equal(xmlText(res.body, 'ArgumentName'), 'x-amz-bypass-governance-retention');
});

t.test('vector 41 – conditional DELETE', async (t) => {
  const { put, del } = await setup(t, 'U');
  await put('k', 'v');
  const bad = await del('k', {}, { 'if-match': '"bad"' });
  t.equal(bad.statusCode, 412);
  t.equal(xmlText(bad.body, 'Code'), 'PreconditionFailed');
  const size = await del('k', {}, { 'x-amz-if-match-size': '1' });
  t.equal(size.statusCode, 501);
  t.equal(xmlText(size.body, 'Code'), 'NotImplemented');
  t.equal((await del('absent', {}, { 'if-match': '"x"' })).statusCode, 204, 'an absent target is 204');
});

t.test('vector 52 – a marker keeps the bucket', async (t) => {
  const { send, marker } = await setup(t, 'E');
  await marker('k');
  const res = await send({ method: 'DELETE' });
  t.equal(res.statusCode, 409);
  t.equal(xmlText(res.body, 'Code'), 'BucketNotEmpty');
  t.equal(xmlText(res.body, 'Message'), 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.');
  t.equal(xmlText(res.body, 'BucketName'), 'vbucket');
});

t.test('vector 53 – an open multipart upload does not keep the bucket', async (t) => {
  const { send } = await setup(t, 'U');
  await send({ method: 'POST', key: 'mpu', query: { uploads: '' } });
  t.equal((await send({ method: 'DELETE' })).statusCode, 204);
  t.equal((await send({ query: { uploads: '' } })).statusCode, 404);
  t.same(xmlTexts('', 'x'), []);
});
