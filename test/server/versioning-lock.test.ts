/**
 * Object Lock on objects – vectors 60–77 of docs/spec/versioning.md §11 (§9 K5–K11), over signed
 * inject requests.
 */
import t from 'tap';
import { checksumOf } from '../../storage';
import { md5Base64, xmlText } from '../helpers/s3-inject';
import { setup, withMd5 } from '../helpers/versioning';

const DAY = 86_400_000;
const future = (ms: number) => new Date(Date.now() + ms).toISOString();
const retention = (mode: string, until: string) => withMd5(`<Retention><Mode>${mode}</Mode><RetainUntilDate>${until}</RetainUntilDate></Retention>`);
const hold = (status: string) => withMd5(`<LegalHold><Status>${status}</Status></LegalHold>`);
const BYP = { 'x-amz-bypass-governance-retention': 'true' };

t.test('vector 60 – the bucket default: GOVERNANCE until LastModified + 1 day', async (t) => {
  const { send } = await setup(t, 'L+D');
  const crc32 = (await checksumOf('crc32', Buffer.from('body'))).toString('base64');
  t.equal((await send({ method: 'PUT', key: 'k', body: 'body', headers: { 'x-amz-checksum-crc32': crc32 } })).statusCode, 200);
  const head = await send({ method: 'HEAD', key: 'k' });
  t.equal(head.headers['x-amz-object-lock-mode'], 'GOVERNANCE');
  const until = Date.parse(head.headers['x-amz-object-lock-retain-until-date'] as string);
  const modified = Date.parse(head.headers['last-modified'] as string);
  t.ok(until - modified >= DAY && until - modified < DAY + 1000, 'one day after LastModified');
  t.match(head.headers['x-amz-object-lock-retain-until-date'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

t.test('vector 61 – a default that applies needs Content-MD5 or a checksum', async (t) => {
  const { send } = await setup(t, 'L+D');
  const res = await send({ method: 'PUT', key: 'k', body: 'body' });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'InvalidRequest');
  t.equal(xmlText(res.body, 'Message'), 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
});

t.test('vectors 62–63 – lock headers: both or neither; known modes only', async (t) => {
  const { put, send } = await setup(t, 'L');
  const noDate = await put('k', 'b', { 'x-amz-object-lock-mode': 'GOVERNANCE' });
  t.equal(noDate.statusCode, 400);
  t.equal(xmlText(noDate.body, 'Message'), 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
  t.equal(xmlText(noDate.body, 'ArgumentName'), 'x-amz-object-lock-retain-until-date');
  const noMode = await put('k', 'b', { 'x-amz-object-lock-retain-until-date': future(DAY) });
  t.equal(xmlText(noMode.body, 'ArgumentName'), 'x-amz-object-lock-mode');
  const bad = { 'x-amz-object-lock-mode': 'BAD-VALUE', 'x-amz-object-lock-retain-until-date': future(DAY) };
  const put1 = await put('k', 'b', bad);
  t.equal(put1.statusCode, 400);
  t.equal(xmlText(put1.body, 'Message'), 'Unknown wormMode directive.');
  const mpu = await send({ method: 'POST', key: 'k', query: { uploads: '' }, headers: bad });
  t.equal(mpu.statusCode, 400);
  t.equal(xmlText(mpu.body, 'Message'), 'Unknown wormMode directive.');
});

t.test('vector 64 – lock requests on a bucket without lock: Bucket is missing Object Lock Configuration', async (t) => {
  const { put, send } = await setup(t, 'U');
  const lockPut = await put('k', 'b', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': future(DAY), 'content-md5': md5Base64('b') });
  t.equal(lockPut.statusCode, 400);
  t.equal(xmlText(lockPut.body, 'Code'), 'InvalidRequest');
  await put('k', 'b');
  const requests: Array<{ method: string; query: Record<string, string>; body?: string; headers?: Record<string, string> }> = [
    { method: 'PUT', query: { retention: '' }, ...retention('GOVERNANCE', future(DAY)) },
    { method: 'GET', query: { retention: '' } },
    { method: 'PUT', query: { 'legal-hold': '' }, ...hold('ON') },
  ];
  for (const r of requests) {
    const res = await send({ key: 'k', ...r });
    t.equal(res.statusCode, 400, `${r.method} ${Object.keys(r.query)[0]}`);
    t.equal(xmlText(res.body, 'Message'), 'Bucket is missing Object Lock Configuration');
  }
});

t.test('vector 65 – retention and legal hold never set', async (t) => {
  const { put, send } = await setup(t, 'L');
  await put('k', 'b');
  for (const sub of ['retention', 'legal-hold']) {
    const res = await send({ key: 'k', query: { [sub]: '' } });
    t.equal(res.statusCode, 404, sub);
    t.equal(xmlText(res.body, 'Code'), 'NoSuchObjectLockConfiguration');
    t.equal(xmlText(res.body, 'Message'), 'The specified object does not have a ObjectLock configuration');
  }
});

t.test('vectors 66–68 – changing an active retention', async (t) => {
  const { put, send } = await setup(t, 'L');
  await put('k', 'b');
  const T = Date.now() + 30 * DAY;
  const set = (mode: string, at: number, headers: Record<string, string> = {}) => {
    const r = retention(mode, new Date(at).toISOString());
    return send({ method: 'PUT', key: 'k', query: { retention: '' }, body: r.body, headers: { ...r.headers, ...headers } });
  };
  t.equal((await set('GOVERNANCE', T)).statusCode, 200);
  const shorter = await set('GOVERNANCE', T - DAY);
  t.equal(shorter.statusCode, 403, 'vector 66: shortening GOVERNANCE');
  t.equal(xmlText(shorter.body, 'Message'), 'Access Denied because object protected by object lock.');
  t.equal((await set('GOVERNANCE', T - DAY, BYP)).statusCode, 200, 'with bypass');
  t.equal((await set('GOVERNANCE', T + DAY)).statusCode, 200, 'extending');
  t.equal((await set('COMPLIANCE', T + DAY)).statusCode, 403, 'vector 67: GOVERNANCE → COMPLIANCE');
  t.equal((await set('COMPLIANCE', T + DAY, BYP)).statusCode, 200, 'with bypass');
  t.equal((await set('GOVERNANCE', T + DAY, BYP)).statusCode, 403, 'vector 68: COMPLIANCE → GOVERNANCE even with bypass');
  t.equal((await set('COMPLIANCE', T + DAY - 1000)).statusCode, 403, 'COMPLIANCE shortened by a second');
  const got = await send({ key: 'k', query: { retention: '' } });
  t.equal(xmlText(got.body, 'Mode'), 'COMPLIANCE');
});

t.test('vectors 69–71 – retention in the past, bad modes and holds, removal', async (t) => {
  const { put, send } = await setup(t, 'L');
  await put('k', 'b');
  const past = await send({ method: 'PUT', key: 'k', query: { retention: '' }, ...retention('GOVERNANCE', '2020-01-01T00:00:00Z') });
  t.equal(past.statusCode, 400);
  t.equal(xmlText(past.body, 'Message'), 'The retain until date must be in the future!');
  t.equal(xmlText(past.body, 'ArgumentName'), 'RetainUntilDate');
  const lower = await send({ method: 'PUT', key: 'k', query: { retention: '' }, ...retention('governance', future(DAY)) });
  t.equal(xmlText(lower.body, 'Code'), 'MalformedXML');
  const abc = await send({ method: 'PUT', key: 'k', query: { 'legal-hold': '' }, ...hold('abc') });
  t.equal(xmlText(abc.body, 'Code'), 'MalformedXML');
  await send({ method: 'PUT', key: 'k', query: { retention: '' }, ...retention('GOVERNANCE', future(DAY)) });
  const empty = withMd5('<Retention/>');
  const removed = await send({ method: 'PUT', key: 'k', query: { retention: '' }, body: empty.body, headers: { ...empty.headers, ...BYP } });
  t.equal(removed.statusCode, 200, 'vector 71');
  t.equal((await send({ key: 'k', query: { retention: '' } })).statusCode, 404, 'retention gone');
});

t.test('vectors 72–74 – deleting protected versions', async (t) => {
  const { send, putId, del } = await setup(t, 'L');
  const gov = await putId('gov', 'b', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': future(DAY) });
  t.equal((await del('gov', { versionId: gov })).statusCode, 403, 'vector 72');
  const bypassed = await del('gov', { versionId: gov }, BYP);
  t.equal(bypassed.statusCode, 204);
  t.equal(bypassed.headers['x-amz-version-id'], gov);
  const comp = await putId('comp', 'b', { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': future(DAY) });
  t.equal((await del('comp', { versionId: comp }, BYP)).statusCode, 403, 'vector 73');
  const plain = await del('comp');
  t.equal(plain.statusCode, 204);
  t.equal(plain.headers['x-amz-delete-marker'], 'true');
  const held = await putId('held', 'b', { 'x-amz-object-lock-legal-hold': 'ON' });
  t.equal((await del('held', { versionId: held })).statusCode, 403, 'vector 74');
  t.equal((await send({ method: 'PUT', key: 'held', query: { 'legal-hold': '' }, ...hold('OFF') })).statusCode, 200);
  t.equal(xmlText((await send({ key: 'held', query: { 'legal-hold': '' } })).body, 'Status'), 'OFF');
  t.equal((await del('held', { versionId: held })).statusCode, 204);
});

t.test('vector 75 – retention on a marker by id: 405', async (t) => {
  const { send, putId, marker } = await setup(t, 'L');
  await putId('k', 'b');
  const dm = await marker('k');
  const put = await send({ method: 'PUT', key: 'k', query: { retention: '', versionId: dm }, ...retention('GOVERNANCE', future(DAY)) });
  t.equal(put.statusCode, 405);
  t.equal(xmlText(put.body, 'Method'), 'PUT');
  const get = await send({ key: 'k', query: { retention: '', versionId: dm } });
  t.equal(get.statusCode, 405);
  t.equal(xmlText(get.body, 'Method'), 'GET');
});

t.test('vector 76 – DeleteObjects with a locked entry', async (t) => {
  const { send, putId } = await setup(t, 'L');
  const v1 = await putId('k1', 'b', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': future(DAY) });
  const v2 = await putId('k2', 'b');
  const doc = (entries: Array<[string, string]>) => withMd5(`<Delete>${entries.map(([k, v]) => `<Object><Key>${k}</Key><VersionId>${v}</VersionId></Object>`).join('')}</Delete>`);
  const first = await send({ method: 'POST', query: { delete: '' }, ...doc([['k1', v1], ['k2', v2]]) });
  t.match(first.body, /<Deleted><Key>k2<\/Key>/);
  t.match(first.body, /<Error><Key>k1<\/Key><VersionId>[^<]+<\/VersionId><Code>AccessDenied<\/Code>/);
  const d = doc([['k1', v1]]);
  const second = await send({ method: 'POST', query: { delete: '' }, body: d.body, headers: { ...d.headers, ...BYP } });
  t.match(second.body, /<Deleted><Key>k1<\/Key>/);
});

t.test('vector 77 – a copy does not inherit the source lock', async (t) => {
  const { send, putId } = await setup(t, 'L');
  const v1 = await putId('k', 'b', { 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-retain-until-date': future(DAY), 'x-amz-object-lock-legal-hold': 'ON' });
  const copy = await send({ method: 'PUT', key: 'k2', headers: { 'x-amz-copy-source': '/vbucket/k' } });
  t.equal(copy.statusCode, 200);
  t.equal(copy.headers['x-amz-copy-source-version-id'], v1);
  const head = await send({ method: 'HEAD', key: 'k2' });
  t.equal(head.headers['x-amz-object-lock-mode'], undefined);
  t.equal(head.headers['x-amz-object-lock-legal-hold'], undefined);
  const src = await send({ method: 'HEAD', key: 'k' });
  t.equal(src.headers['x-amz-object-lock-legal-hold'], 'ON', '§9 K8: lock headers on the source');
});
