/**
 * ListParts and ListMultipartUploads over inject: documents, pagination markers, prefix,
 * delimiter, encoding-type=url, and their argument errors.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { s3, xmlText, xmlTexts } from '../helpers/s3-inject';
import { appWithBucket, createUpload, type App } from '../helpers/multipart';

const B = 'mpl';

const setup = (t: Test): Promise<App> => appWithBucket(t, B);
const create = (h: App, key: string, headers: Record<string, string> = {}): Promise<string> => createUpload(h, B, key, headers);

function listUploads(h: App, query: Record<string, string> = {}) {
  return s3(h.app, { bucket: B, query: { uploads: '', ...query } });
}

t.test('ListParts – document and pagination with part-number-marker', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'photos/cat.jpg', { 'x-amz-checksum-algorithm': 'SHA256' });
  const etags: string[] = [];
  for (const n of [1, 2, 3, 5, 8]) {
    const body = `part ${n}`.repeat(n);
    const res = await s3(h.app, { method: 'PUT', bucket: B, key: 'photos/cat.jpg', query: { partNumber: String(n), uploadId: id }, body, headers: { 'x-amz-checksum-sha256': createHash('sha256').update(body).digest('base64') } });
    t.equal(res.statusCode, 200);
    etags.push(String(res.headers.etag));
  }
  const all = await s3(h.app, { bucket: B, key: 'photos/cat.jpg', query: { uploadId: id } });
  t.equal(all.statusCode, 200);
  t.match(all.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListPartsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Bucket>mpl<\/Bucket><Key>photos\/cat.jpg<\/Key><UploadId>/);
  t.equal(xmlText(all.body, 'UploadId'), id);
  t.equal(xmlText(all.body, 'MaxParts'), '1000');
  t.equal(xmlText(all.body, 'PartNumberMarker'), '0');
  t.equal(xmlText(all.body, 'NextPartNumberMarker'), '8');
  t.equal(xmlText(all.body, 'IsTruncated'), 'false');
  t.equal(xmlText(all.body, 'StorageClass'), 'STANDARD');
  t.match(all.body, /<Initiator><ID>[0-9a-f]{64}<\/ID><DisplayName>crossbucket<\/DisplayName><\/Initiator><Owner><ID>[0-9a-f]{64}<\/ID><DisplayName>crossbucket<\/DisplayName><\/Owner>/);
  t.same(xmlTexts(all.body, 'PartNumber'), ['1', '2', '3', '5', '8']);
  t.same(xmlTexts(all.body, 'ETag'), etags);
  t.same(xmlTexts(all.body, 'Size'), ['6', '12', '18', '30', '48']);
  t.equal(xmlTexts(all.body, 'ChecksumSHA256').length, 5);
  t.equal(xmlText(all.body, 'ChecksumAlgorithm'), 'SHA256');
  t.equal(xmlText(all.body, 'ChecksumType'), 'COMPOSITE');
  t.match(all.body, /<Part><PartNumber>1<\/PartNumber><LastModified>\d{4}-\d\d-\d\dT[\d:.]+Z<\/LastModified><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><Size>6<\/Size><ChecksumSHA256>/);

  const pages: string[][] = [];
  let marker = '0';
  for (let i = 0; i < 5; i++) {
    const res = await s3(h.app, { bucket: B, key: 'photos/cat.jpg', query: { uploadId: id, 'max-parts': '2', 'part-number-marker': marker } });
    t.equal(xmlText(res.body, 'MaxParts'), '2');
    t.equal(xmlText(res.body, 'PartNumberMarker'), marker);
    pages.push(xmlTexts(res.body, 'PartNumber'));
    if (xmlText(res.body, 'IsTruncated') !== 'true') break;
    marker = xmlText(res.body, 'NextPartNumberMarker') ?? '';
  }
  t.same(pages, [['1', '2'], ['3', '5'], ['8']]);
  const after = await s3(h.app, { bucket: B, key: 'photos/cat.jpg', query: { uploadId: id, 'part-number-marker': '4' } });
  t.same(xmlTexts(after.body, 'PartNumber'), ['5', '8']);
  const zero = await s3(h.app, { bucket: B, key: 'photos/cat.jpg', query: { uploadId: id, 'max-parts': '0' } });
  t.same(xmlTexts(zero.body, 'PartNumber'), []);
  t.equal(xmlText(zero.body, 'IsTruncated'), 'false');
  const capped = await s3(h.app, { bucket: B, key: 'photos/cat.jpg', query: { uploadId: id, 'max-parts': '5000' } });
  t.equal(xmlText(capped.body, 'MaxParts'), '1000');

  for (const [name, value] of [['max-parts', 'ten'], ['max-parts', '-1'], ['part-number-marker', 'x']] as const) {
    const res = await s3(h.app, { bucket: B, key: 'photos/cat.jpg', query: { uploadId: id, [name]: value } });
    t.equal(res.statusCode, 400, `${name}=${value}`);
    t.equal(xmlText(res.body, 'Code'), 'InvalidArgument');
    t.equal(xmlText(res.body, 'Message'), `Provided ${name} not an integer or within integer range`);
    t.equal(xmlText(res.body, 'ArgumentName'), name);
  }
  const none = await s3(h.app, { bucket: B, key: 'photos/cat.jpg', query: { uploadId: 'nope' } });
  t.equal(none.statusCode, 404);
  t.equal(xmlText(none.body, 'Code'), 'NoSuchUpload');
  const noBucket = await s3(h.app, { bucket: 'other-bucket', key: 'photos/cat.jpg', query: { uploadId: id } });
  t.equal(xmlText(noBucket.body, 'Code'), 'NoSuchBucket');
});

t.test('ListMultipartUploads – order by key then initiation, markers, max-uploads', async (t) => {
  const h = await setup(t);
  const keys = ['b', 'a', 'b', 'c/1', 'a', 'b', 'é', 'z'];
  const ids: Array<[string, string]> = [];
  for (const k of keys) ids.push([k, await create(h, k)]);
  // Key order (UTF-8 bytes), then creation order within a key.
  const expected = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x[0]), Buffer.from(y[0])) || ids.indexOf(x) - ids.indexOf(y));
  const all = await listUploads(h);
  t.equal(all.statusCode, 200);
  t.match(all.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListMultipartUploadsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Bucket>mpl<\/Bucket><KeyMarker><\/KeyMarker><UploadIdMarker><\/UploadIdMarker>/);
  t.same(xmlTexts(all.body, 'Key'), expected.map((e) => e[0]));
  t.same(xmlTexts(all.body, 'UploadId'), expected.map((e) => e[1]));
  t.equal(xmlText(all.body, 'IsTruncated'), 'false');
  t.equal(xmlText(all.body, 'MaxUploads'), '1000');
  t.equal(xmlText(all.body, 'NextKeyMarker'), undefined);
  t.match(all.body, /<Upload><Key>a<\/Key><UploadId>[^<]+<\/UploadId><Initiator><ID>[0-9a-f]{64}<\/ID><DisplayName>crossbucket<\/DisplayName><\/Initiator><Owner>.*?<\/Owner><StorageClass>STANDARD<\/StorageClass><Initiated>\d{4}-\d\d-\d\dT[\d:.]+Z<\/Initiated><\/Upload>/);

  const seen: Array<[string, string]> = [];
  let query: Record<string, string> = { 'max-uploads': '3' };
  for (let i = 0; i < 10; i++) {
    const res = await listUploads(h, query);
    const page = xmlTexts(res.body, 'Key').map((k, j): [string, string] => [k, xmlTexts(res.body, 'UploadId')[j] ?? '']);
    t.ok(page.length <= 3);
    seen.push(...page);
    if (xmlText(res.body, 'IsTruncated') !== 'true') break;
    const last = page[page.length - 1];
    t.equal(xmlText(res.body, 'NextKeyMarker'), last?.[0]);
    t.equal(xmlText(res.body, 'NextUploadIdMarker'), last?.[1]);
    query = { 'max-uploads': '3', 'key-marker': xmlText(res.body, 'NextKeyMarker') ?? '', 'upload-id-marker': xmlText(res.body, 'NextUploadIdMarker') ?? '' };
  }
  t.same(seen, expected, 'pages of 3 cover every upload once, in order');

  const afterB = await listUploads(h, { 'key-marker': 'b' });
  t.same(xmlTexts(afterB.body, 'Key'), ['c/1', 'z', 'é'], 'key-marker alone skips every upload of that key');
  t.equal(xmlText(afterB.body, 'KeyMarker'), 'b');
  const bIds = expected.filter((e) => e[0] === 'b').map((e) => e[1]);
  const midB = await listUploads(h, { 'key-marker': 'b', 'upload-id-marker': bIds[0] ?? '' });
  t.same(xmlTexts(midB.body, 'UploadId').slice(0, 2), bIds.slice(1));
  t.equal(xmlText(midB.body, 'UploadIdMarker'), bIds[0]);
  const ignored = await listUploads(h, { 'upload-id-marker': bIds[0] ?? '' });
  t.equal(xmlTexts(ignored.body, 'Key').length, keys.length, 'upload-id-marker without key-marker is ignored');
  const zero = await listUploads(h, { 'max-uploads': '0' });
  t.same(xmlTexts(zero.body, 'Key'), []);
  t.equal(xmlText(zero.body, 'IsTruncated'), 'false');
  const bad = await listUploads(h, { 'max-uploads': 'many' });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
  t.equal(xmlText(bad.body, 'Message'), 'Provided max-uploads not an integer or within integer range');
  const noBucket = await s3(h.app, { bucket: 'missing-bucket', query: { uploads: '' } });
  t.equal(xmlText(noBucket.body, 'Code'), 'NoSuchBucket');
});

t.test('ListMultipartUploads – prefix, delimiter and CommonPrefixes across pages', async (t) => {
  const h = await setup(t);
  for (const k of ['logs/2024/a', 'logs/2024/b', 'logs/2025/a', 'logs/top', 'logs/top', 'media/x', 'logs/2026/c', 'logz']) await create(h, k);
  const res = await listUploads(h, { prefix: 'logs/', delimiter: '/' });
  t.equal(xmlText(res.body, 'Prefix'), 'logs/');
  t.equal(xmlText(res.body, 'Delimiter'), '/');
  t.same(xmlTexts(res.body, 'Key'), ['logs/top', 'logs/top']);
  t.match(res.body, /<CommonPrefixes><Prefix>logs\/2024\/<\/Prefix><\/CommonPrefixes><CommonPrefixes><Prefix>logs\/2025\/<\/Prefix><\/CommonPrefixes><CommonPrefixes><Prefix>logs\/2026\/<\/Prefix><\/CommonPrefixes>/);

  const entries: string[] = [];
  let query: Record<string, string> = { prefix: 'logs/', delimiter: '/', 'max-uploads': '2' };
  for (let i = 0; i < 10; i++) {
    const page = await listUploads(h, query);
    const prefixes = [...page.body.matchAll(/<CommonPrefixes><Prefix>([^<]*)<\/Prefix>/g)].map((m) => `P:${m[1]}`);
    entries.push(...prefixes, ...xmlTexts(page.body, 'Key').map((k) => `U:${k}`));
    if (xmlText(page.body, 'IsTruncated') !== 'true') break;
    query = { prefix: 'logs/', delimiter: '/', 'max-uploads': '2', 'key-marker': xmlText(page.body, 'NextKeyMarker') ?? '', 'upload-id-marker': xmlText(page.body, 'NextUploadIdMarker') ?? '' };
  }
  t.same(entries.sort(), ['P:logs/2024/', 'P:logs/2025/', 'P:logs/2026/', 'U:logs/top', 'U:logs/top'], 'each prefix and upload once across pages');

  const top = await listUploads(h, { delimiter: '/' });
  t.same(xmlTexts(top.body, 'Key'), ['logz']);
  t.match(top.body, /<CommonPrefixes><Prefix>logs\/<\/Prefix><\/CommonPrefixes><CommonPrefixes><Prefix>media\/<\/Prefix><\/CommonPrefixes>/);
  const prefixOnly = await listUploads(h, { prefix: 'logs/2024' });
  t.same(xmlTexts(prefixOnly.body, 'Key'), ['logs/2024/a', 'logs/2024/b']);
});

t.test('ListMultipartUploads – encoding-type=url', async (t) => {
  const h = await setup(t);
  await create(h, 'a b/c+d&é');
  const res = await listUploads(h, { 'encoding-type': 'url', prefix: 'a b/' });
  t.equal(xmlText(res.body, 'Key'), 'a%20b/c%2Bd%26%C3%A9');
  t.equal(xmlText(res.body, 'Prefix'), 'a%20b/');
  t.equal(xmlText(res.body, 'EncodingType'), 'url');
  const cp = await listUploads(h, { 'encoding-type': 'url', delimiter: '/' });
  t.match(cp.body, /<CommonPrefixes><Prefix>a%20b\/<\/Prefix><\/CommonPrefixes>/);
  const plain = await listUploads(h);
  t.equal(xmlText(plain.body, 'Key'), 'a b/c+d&é');
  const bad = await listUploads(h, { 'encoding-type': 'base64' });
  t.equal(xmlText(bad.body, 'Code'), 'InvalidArgument');
});
