/**
 * Versioned writes and reads – vectors 4–24 and 40 of docs/spec/versioning.md §11 (§3 I1–I3,
 * §4 W1–W6, §5 R1–R7), over signed inject requests.
 */
import t from 'tap';
import { xmlText } from '../helpers/s3-inject';
import { BAD, setup, versioningXml } from '../helpers/versioning';

const ID = /^[A-Za-z0-9._]{32}$/;

t.test('vector 4 – Enabled PUT answers a 32-char id; Unversioned none', async (t) => {
  const e = await setup(t, 'E');
  t.match((await e.put('k', 'v1')).headers['x-amz-version-id'], ID);
  const u = await setup(t, 'U');
  t.equal((await u.put('k', 'v1')).headers['x-amz-version-id'], undefined);
});

t.test('vector 5 – Suspended PUT: no id header, listed as null and latest', async (t) => {
  const { put, listed } = await setup(t, 'S');
  t.equal((await put('k', 'v1')).headers['x-amz-version-id'], undefined);
  t.same(await listed(), [{ kind: 'Version', key: 'k', versionId: 'null', isLatest: true }]);
});

t.test('vector 6 – Enabled [v3,v2,v1] → Suspended, two PUTs: [n,v3,v2,v1]', async (t) => {
  const { putId, put, setVersioning, listed } = await setup(t, 'E');
  const ids = [await putId('k', '1'), await putId('k', '2'), await putId('k', '3')];
  await setVersioning('Suspended');
  await put('k', 'n1');
  await put('k', 'n2');
  t.same((await listed()).map((e) => e.versionId), ['null', ids[2], ids[1], ids[0]]);
});

t.test('vector 7 – CompleteMultipartUpload: a new id when Enabled, none when Suspended', async (t) => {
  for (const state of ['E', 'S'] as const) {
    const { send } = await setup(t, state);
    const created = await send({ method: 'POST', key: 'mpu', query: { uploads: '' } });
    const uploadId = xmlText(created.body, 'UploadId') ?? '';
    const part = await send({ method: 'PUT', key: 'mpu', query: { partNumber: '1', uploadId }, body: 'only part' });
    const done = await send({
      method: 'POST', key: 'mpu', query: { uploadId },
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag as string}</ETag></Part></CompleteMultipartUpload>`,
    });
    t.equal(done.statusCode, 200);
    if (state === 'E') t.match(done.headers['x-amz-version-id'], ID);
    else t.equal(done.headers['x-amz-version-id'], undefined);
  }
});

t.test('vector 8 – Suspended in-place copy: VID null + copy-source-version-id, then none', async (t) => {
  const { send, putId, setVersioning } = await setup(t, 'E');
  const v1 = await putId('k', 'v1');
  await setVersioning('Suspended');
  const copy = () => send({ method: 'PUT', key: 'k', headers: { 'x-amz-copy-source': '/vbucket/k', 'x-amz-metadata-directive': 'REPLACE' } });
  const first = await copy();
  t.equal(first.statusCode, 200);
  t.equal(first.headers['x-amz-version-id'], 'null');
  t.equal(first.headers['x-amz-copy-source-version-id'], v1);
  const second = await copy();
  t.equal(second.headers['x-amz-version-id'], 'null');
  t.equal(second.headers['x-amz-copy-source-version-id'], undefined);
});

t.test('vector 9 – copy of a named older version', async (t) => {
  const { send, putId } = await setup(t, 'E');
  const v1 = await putId('k', 'body one');
  await putId('k', 'body two');
  const res = await send({ method: 'PUT', key: 'k2', headers: { 'x-amz-copy-source': `/vbucket/k?versionId=${v1}` } });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-amz-copy-source-version-id'], v1);
  t.equal((await send({ key: 'k2' })).body, 'body one');
});

t.test('vectors 10–12 – copy sources that are markers or bad ids', async (t) => {
  const { send, putId, marker } = await setup(t, 'E');
  await putId('k', 'v1');
  const dm = await marker('k');
  const copy = (source: string) => send({ method: 'PUT', key: 'k2', headers: { 'x-amz-copy-source': source } });
  const current = await copy('/vbucket/k');
  t.equal(current.statusCode, 404);
  t.equal(xmlText(current.body, 'Code'), 'NoSuchKey');
  t.equal(current.headers['x-amz-delete-marker'], 'true');
  t.equal(current.headers['x-amz-version-id'], dm);
  const named = await copy(`/vbucket/k?versionId=${dm}`);
  t.equal(named.statusCode, 400);
  t.equal(xmlText(named.body, 'Code'), 'InvalidRequest');
  t.equal(xmlText(named.body, 'Message'), 'The source of a copy request may not specifically refer to a delete marker by version id.');
  const empty = await copy('/vbucket/k?versionId=');
  t.equal(empty.statusCode, 400);
  t.equal(xmlText(empty.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(empty.body, 'Message'), 'Version id cannot be the empty string');
  const abc = await copy('/vbucket/k?versionId=abc');
  t.equal(abc.statusCode, 400);
  t.equal(xmlText(abc.body, 'Code'), 'InvalidRequest');
});

t.test('vector 13 – UploadPart with a versionId', async (t) => {
  const { send, putId } = await setup(t, 'E');
  const v1 = await putId('k', 'v1');
  const uploadId = xmlText((await send({ method: 'POST', key: 'k', query: { uploads: '' } })).body, 'UploadId') ?? '';
  const res = await send({ method: 'PUT', key: 'k', query: { partNumber: '1', uploadId, versionId: v1 }, body: 'x' });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(res.body, 'Message'), 'This operation does not accept a version-id.');
});

t.test('vector 14 – an object written before Enabled reads back with VID null', async (t) => {
  const { send, put, setVersioning } = await setup(t, 'U');
  await put('k', 'old');
  await setVersioning('Enabled');
  const res = await send({ key: 'k' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-amz-version-id'], 'null');
});

t.test('vector 15 – never configured: versionId=null reads without VID; BAD is IA', async (t) => {
  const { send, put } = await setup(t, 'U');
  await put('k', 'v');
  const ok = await send({ key: 'k', query: { versionId: 'null' } });
  t.equal(ok.statusCode, 200);
  t.equal(ok.headers['x-amz-version-id'], undefined);
  const bad = await send({ key: 'k', query: { versionId: BAD } });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(bad.body, 'Message'), 'Invalid version id specified');
  t.equal(xmlText(bad.body, 'ArgumentName'), 'versionId');
  t.equal(xmlText(bad.body, 'ArgumentValue'), BAD);
  const empty = await send({ key: 'k', query: { versionId: '' } });
  t.equal(xmlText(empty.body, 'Message'), 'Version id cannot be the empty string');
});

t.test('vectors 16–18 – a current marker and a marker named by id', async (t) => {
  const { send, putId, marker } = await setup(t, 'E');
  const v1 = await putId('k', 'v1 body');
  const dm = await marker('k');
  const get = await send({ key: 'k' });
  t.equal(get.statusCode, 404);
  t.equal(xmlText(get.body, 'Code'), 'NoSuchKey');
  t.equal(get.headers['x-amz-delete-marker'], 'true');
  t.equal(get.headers['x-amz-version-id'], dm);
  const old = await send({ key: 'k', query: { versionId: v1 } });
  t.equal(old.statusCode, 200);
  t.equal(old.body, 'v1 body');
  t.equal(old.headers['x-amz-version-id'], v1);
  const head = await send({ method: 'HEAD', key: 'k' });
  t.equal(head.statusCode, 404);
  t.equal(head.headers['x-amz-delete-marker'], 'true');
  t.equal(head.body, '');
  const headDm = await send({ method: 'HEAD', key: 'k', query: { versionId: dm } });
  t.equal(headDm.statusCode, 405);
  t.equal(headDm.body, '');
  const getDm = await send({ key: 'k', query: { versionId: dm } });
  t.equal(getDm.statusCode, 405);
  t.equal(xmlText(getDm.body, 'Code'), 'MethodNotAllowed');
  t.equal(xmlText(getDm.body, 'Method'), 'GET');
  t.equal(xmlText(getDm.body, 'ResourceType'), 'DeleteMarker');
  t.equal(getDm.headers['x-amz-delete-marker'], 'true');
  t.equal(getDm.headers['x-amz-version-id'], dm);
  t.equal(getDm.headers.allow, 'DELETE');
  t.ok(getDm.headers['last-modified']);
});

t.test('vector 19 – a deleted version is NoSuchVersion', async (t) => {
  const { send, putId, del } = await setup(t, 'E');
  const v1 = await putId('k', 'v1');
  await putId('k', 'v2');
  await del('k', { versionId: v1 });
  const res = await send({ key: 'k', query: { versionId: v1 } });
  t.equal(res.statusCode, 404);
  t.equal(xmlText(res.body, 'Code'), 'NoSuchVersion');
  t.equal(xmlText(res.body, 'Message'), 'The specified version does not exist.');
  t.equal(xmlText(res.body, 'Key'), 'k');
  t.equal(xmlText(res.body, 'VersionId'), v1);
  t.equal(res.headers['x-amz-version-id'], undefined);
  t.equal(res.headers['x-amz-delete-marker'], undefined);
});

t.test('vector 20 – ACL operations on a marker', async (t) => {
  const { send, putId, marker } = await setup(t, 'E');
  await putId('k', 'v1');
  const dm = await marker('k');
  const get = await send({ key: 'k', query: { acl: '' } });
  t.equal(get.statusCode, 404);
  t.equal(xmlText(get.body, 'Code'), 'NoSuchKey');
  t.equal(get.headers['x-amz-delete-marker'], 'true');
  t.equal(get.headers['x-amz-version-id'], dm);
  const put = await send({ method: 'PUT', key: 'k', query: { acl: '' }, headers: { 'x-amz-acl': 'public-read' } });
  t.equal(put.statusCode, 405);
  t.equal(xmlText(put.body, 'Method'), 'PUT');
  t.equal(put.headers.allow, 'DELETE');
  t.equal(put.headers['x-amz-delete-marker'], undefined);
  const named = await send({ key: 'k', query: { acl: '', versionId: dm } });
  t.equal(named.statusCode, 405);
  t.equal(xmlText(named.body, 'Method'), 'GET');
  t.equal(named.headers['x-amz-delete-marker'], 'true');
  t.equal(named.headers['x-amz-version-id'], dm);
});

t.test('vector 23 – PutObjectAcl on one version leaves the others', async (t) => {
  const { send, putId } = await setup(t, 'E');
  // ACLs on, as a user does it on S3 since 2023 (docs/access.md): ObjectWriter, public access block removed.
  t.equal((await send({ method: 'PUT', query: { ownershipControls: '' }, body: '<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>' })).statusCode, 200);
  t.equal((await send({ method: 'DELETE', query: { publicAccessBlock: '' } })).statusCode, 204);
  await putId('k', '1');
  const v2 = await putId('k', '2');
  const v3 = await putId('k', '3');
  const put = await send({ method: 'PUT', key: 'k', query: { acl: '', versionId: v2 }, headers: { 'x-amz-acl': 'public-read' } });
  t.equal(put.statusCode, 200);
  t.equal(put.headers['x-amz-version-id'], v2);
  const acl2 = await send({ key: 'k', query: { acl: '', versionId: v2 } });
  t.match(acl2.body, /AllUsers/);
  t.equal(acl2.headers['x-amz-version-id'], v2);
  const acl3 = await send({ key: 'k', query: { acl: '', versionId: v3 } });
  t.notMatch(acl3.body, /AllUsers/);
});

t.test('vector 40 – conditional PUT over a current marker', async (t) => {
  const { put, putId, marker } = await setup(t, 'E');
  await putId('k', 'v1');
  await marker('k');
  const ifMatch = await put('k', 'x', { 'if-match': '"ab2d9ed5a9a5d0b0ce4d5c7a4c5d8a0b"' });
  t.equal(ifMatch.statusCode, 404);
  t.equal(xmlText(ifMatch.body, 'Code'), 'NoSuchKey');
  const none = await put('k', 'x', { 'if-none-match': '*' });
  t.equal(none.statusCode, 200);
});

t.test('§3 I2 – HEAD with a malformed id: 400 without a body', async (t) => {
  const { send, putId } = await setup(t, 'E');
  await putId('k', 'v');
  const res = await send({ method: 'HEAD', key: 'k', query: { versionId: BAD } });
  t.equal(res.statusCode, 400);
  t.equal(res.body, '');
  t.ok(versioningXml('Enabled'));
});
