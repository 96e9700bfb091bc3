/**
 * CompleteMultipartUpload over inject: the result document, ETag and checksums, S3's part
 * rules and their errors, conditional writes, and reads of the completed object (whole, ranges
 * across part boundaries, partNumber), and the part files a completion, overwrite or delete frees.
 */
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { md5Base64, s3, xmlText, xmlTexts } from '../helpers/s3-inject';
import { settledBodies } from '../helpers/stored-bodies';
import { appWithBucket, createUpload, type App } from '../helpers/multipart';

const MiB = 1024 * 1024;
const B = 'mpc';


function crc32Bytes(data: Buffer): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b;
}

const md5Hex = (d: Buffer | string) => createHash('md5').update(d).digest('hex');

const setup = (t: Test): Promise<App> => appWithBucket(t, B);
const create = (h: App, key: string, headers: Record<string, string> = {}): Promise<string> => createUpload(h, B, key, headers);

async function part(h: App, key: string, uploadId: string, n: number, body: Buffer, headers: Record<string, string> = {}): Promise<string> {
  const res = await s3(h.app, { method: 'PUT', bucket: B, key, query: { partNumber: String(n), uploadId }, body, headers });
  if (res.statusCode !== 200) throw new Error(res.body);
  return String(res.headers.etag);
}

function completeXml(parts: Array<{ n: number | string; etag?: string; crc32?: string }>): string {
  const items = parts.map((p) =>
    `<Part>${p.etag !== undefined ? `<ETag>${p.etag}</ETag>` : ''}<PartNumber>${p.n}</PartNumber>${p.crc32 ? `<ChecksumCRC32>${p.crc32}</ChecksumCRC32>` : ''}</Part>`).join('');
  return `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${items}</CompleteMultipartUpload>`;
}

function complete(h: App, key: string, uploadId: string, body: string, headers: Record<string, string> = {}) {
  return s3(h.app, { method: 'POST', bucket: B, key, query: { uploadId }, body, headers });
}

t.test('CompleteMultipartUpload – result, ETag, composite checksum; reads across parts', async (t) => {
  const h = await setup(t);
  const key = 'dir/my key';
  const id = await create(h, key, { 'x-amz-checksum-algorithm': 'CRC32', 'content-type': 'video/mp4', 'x-amz-meta-origin': 'camera' });
  const p1 = randomBytes(5 * MiB);
  const p2 = randomBytes(1000);
  const unused = randomBytes(10);
  const crc = (d: Buffer) => crc32Bytes(d).toString('base64');
  const e1 = await part(h, key, id, 1, p1, { 'x-amz-checksum-crc32': crc(p1) });
  const e2 = await part(h, key, id, 2, p2, { 'x-amz-checksum-crc32': crc(p2) });
  await part(h, key, id, 3, unused, { 'x-amz-checksum-crc32': crc(unused) });
  t.equal(await settledBodies(h), 3);

  // Quotes around the ETag are optional.
  const res = await complete(h, key, id, completeXml([{ n: 1, etag: e1, crc32: crc(p1) }, { n: 2, etag: e2.replace(/"/g, ''), crc32: crc(p2) }]));
  t.equal(res.statusCode, 200, res.body);
  t.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<CompleteMultipartUploadResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Location>/);
  t.equal(xmlText(res.body, 'Location'), 'http://localhost:9000/mpc/dir/my%20key');
  t.equal(xmlText(res.body, 'Bucket'), B);
  t.equal(xmlText(res.body, 'Key'), key);
  const etag = `"${md5Hex(Buffer.concat([Buffer.from(md5Hex(p1), 'hex'), Buffer.from(md5Hex(p2), 'hex')]))}-2"`;
  t.equal(xmlText(res.body, 'ETag'), etag);
  const composite = `${crc32Bytes(Buffer.concat([crc32Bytes(p1), crc32Bytes(p2)])).toString('base64')}-2`;
  t.equal(xmlText(res.body, 'ChecksumCRC32'), composite);
  t.equal(xmlText(res.body, 'ChecksumType'), 'COMPOSITE');
  t.equal(await settledBodies(h), 2, 'the unused part file is removed; the used ones are not copied');

  const whole = Buffer.concat([p1, p2]);
  const get = await s3(h.app, { bucket: B, key });
  t.equal(get.statusCode, 200);
  t.equal(get.headers.etag, etag);
  t.equal(get.headers['content-type'], 'video/mp4');
  t.equal(get.headers['x-amz-meta-origin'], 'camera');
  t.equal(get.headers['content-length'], String(whole.length));
  t.ok(get.rawPayload.equals(whole), 'the object is its parts in order');

  const range = await s3(h.app, { bucket: B, key, headers: { range: `bytes=${5 * MiB - 10}-${5 * MiB + 9}` } });
  t.equal(range.statusCode, 206);
  t.equal(range.headers['content-range'], `bytes ${5 * MiB - 10}-${5 * MiB + 9}/${whole.length}`);
  t.ok(range.rawPayload.equals(whole.subarray(5 * MiB - 10, 5 * MiB + 10)), 'a range across the part boundary');
  const suffix = await s3(h.app, { bucket: B, key, headers: { range: 'bytes=-1500' } });
  t.ok(suffix.rawPayload.equals(whole.subarray(whole.length - 1500)));

  const first = await s3(h.app, { bucket: B, key, query: { partNumber: '1' } });
  t.equal(first.statusCode, 206);
  t.equal(first.headers['x-amz-mp-parts-count'], '2');
  t.equal(first.headers['content-range'], `bytes 0-${5 * MiB - 1}/${whole.length}`);
  t.equal(first.headers['content-length'], String(5 * MiB));
  t.ok(first.rawPayload.equals(p1));
  const second = await s3(h.app, { method: 'HEAD', bucket: B, key, query: { partNumber: '2' } });
  t.equal(second.statusCode, 206);
  t.equal(second.headers['content-range'], `bytes ${5 * MiB}-${whole.length - 1}/${whole.length}`);
  t.equal(second.headers['content-length'], '1000');
  const third = await s3(h.app, { bucket: B, key, query: { partNumber: '3' } });
  t.equal(third.statusCode, 416);
  t.equal(xmlText(third.body, 'Code'), 'InvalidPartNumber');

  const head = await s3(h.app, { method: 'HEAD', bucket: B, key, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
  t.equal(head.headers['x-amz-checksum-crc32'], composite);
  t.equal(head.headers['x-amz-checksum-type'], 'COMPOSITE');

  // A retry of the completion (its first answer lost) gets the same result, as in S3
  // (test/security/multipart-cleanup.test.ts has the SDK's view).
  const again = await complete(h, key, id, completeXml([{ n: 1, etag: e1, crc32: crc(p1) }]));
  t.equal(again.statusCode, 200);
  t.equal(xmlText(again.body, 'ETag'), xmlText(res.body, 'ETag'), 'the same ETag');
  const listed = await s3(h.app, { bucket: B, query: { uploads: '' } });
  t.notMatch(listed.body, /<Upload>/, 'a completed upload is no longer listed');
});

t.test('CompleteMultipartUpload – MalformedXML, InvalidPartOrder, InvalidPart, EntityTooSmall, NoSuchUpload', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'k');
  const big = randomBytes(5 * MiB);
  const e1 = await part(h, 'k', id, 1, big);
  const e2 = await part(h, 'k', id, 2, Buffer.from('small'));
  const e3 = await part(h, 'k', id, 3, Buffer.from('tail'));
  const expect = async (body: string, status: number, code: string, extra: Record<string, string> = {}) => {
    const res = await complete(h, 'k', id, body);
    t.equal(res.statusCode, status, `${code}: ${body.slice(0, 120)}`);
    t.equal(xmlText(res.body, 'Code'), code);
    for (const [name, value] of Object.entries(extra)) t.equal(xmlText(res.body, name), value, name);
    return res;
  };
  await expect('', 400, 'MalformedXML');
  await expect('<CompleteMultipartUpload/>', 400, 'MalformedXML');
  await expect('<CompleteMultipartUpload></CompleteMultipartUpload>', 400, 'MalformedXML');
  await expect('not xml', 400, 'MalformedXML');
  await expect('<Other><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Other>', 400, 'MalformedXML');
  await expect(completeXml([{ n: 1 }]), 400, 'MalformedXML');
  await expect(completeXml([{ n: 'one', etag: e1 }]), 400, 'MalformedXML');
  const order = await expect(completeXml([{ n: 2, etag: e2 }, { n: 1, etag: e1 }]), 400, 'InvalidPartOrder');
  t.equal(xmlText(order.body, 'Message'), 'The list of parts was not in ascending order. Parts must be ordered by part number.');
  await expect(completeXml([{ n: 1, etag: e1 }, { n: 1, etag: e1 }]), 400, 'InvalidPartOrder');
  const missing = await expect(completeXml([{ n: 1, etag: e1 }, { n: 7, etag: e3 }]), 400, 'InvalidPart', { PartNumber: '7' });
  t.equal(xmlText(missing.body, 'Message'), "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
  await expect(completeXml([{ n: 1, etag: e1 }, { n: 3, etag: '"0123456789abcdef0123456789abcdef"' }]), 400, 'InvalidPart', { PartNumber: '3' });
  const small = await expect(completeXml([{ n: 1, etag: e1 }, { n: 2, etag: e2 }, { n: 3, etag: e3 }]), 400, 'EntityTooSmall', {
    ProposedSize: '5', MinSizeAllowed: String(5 * MiB), PartNumber: '2',
  });
  t.equal(xmlText(small.body, 'Message'), 'Your proposed upload is smaller than the minimum allowed object size.');
  const md5 = await complete(h, 'k', id, completeXml([{ n: 1, etag: e1 }]), { 'content-md5': md5Base64('something else') });
  t.equal(xmlText(md5.body, 'Code'), 'BadDigest');
  const unknown = await complete(h, 'k', 'not-an-upload', completeXml([{ n: 1, etag: e1 }]));
  t.equal(unknown.statusCode, 404);
  t.equal(xmlText(unknown.body, 'Code'), 'NoSuchUpload');
  t.equal(h.storage.listParts(id, 0, 10).parts.length, 3, 'failed completions leave the upload intact');
  t.equal(h.storage.headObject(B, 'k'), undefined);

  // Skipping part 2 is allowed: parts need not be contiguous.
  const ok = await complete(h, 'k', id, completeXml([{ n: 1, etag: e1 }, { n: 3, etag: e3 }]));
  t.equal(ok.statusCode, 200, ok.body);
  t.equal(h.storage.headObject(B, 'k')?.size, 5 * MiB + 4);
  t.equal(xmlText(ok.body, 'ChecksumCRC32'), undefined, 'no checksum on an upload without algorithm');
  t.equal(await settledBodies(h), 2);
});

t.test('CompleteMultipartUpload – per-part checksums of a COMPOSITE upload are required and checked', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'c', { 'x-amz-checksum-algorithm': 'CRC32' });
  const body = Buffer.from('only part');
  const crc = crc32Bytes(body).toString('base64');
  const etag = await part(h, 'c', id, 1, body, { 'x-amz-checksum-crc32': crc });
  const missing = await complete(h, 'c', id, completeXml([{ n: 1, etag }]));
  t.equal(missing.statusCode, 400);
  t.equal(xmlText(missing.body, 'Code'), 'InvalidRequest');
  t.equal(xmlText(missing.body, 'Message'), 'The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.');
  const wrong = await complete(h, 'c', id, completeXml([{ n: 1, etag, crc32: 'AAAAAA==' }]));
  t.equal(xmlText(wrong.body, 'Code'), 'InvalidPart');
  const ok = await complete(h, 'c', id, completeXml([{ n: 1, etag, crc32: crc }]));
  t.equal(ok.statusCode, 200);
  t.equal(xmlText(ok.body, 'ETag'), `"${md5Hex(Buffer.from(md5Hex(body), 'hex'))}-1"`);
  t.equal(xmlText(ok.body, 'ChecksumCRC32'), `${crc32Bytes(crc32Bytes(body)).toString('base64')}-1`);
});

t.test('CompleteMultipartUpload – FULL_OBJECT CRC32 is the CRC of the whole object', async (t) => {
  const h = await setup(t);
  const p1 = randomBytes(5 * MiB + 3);
  const p2 = randomBytes(777);
  const whole = crc32Bytes(Buffer.concat([p1, p2])).toString('base64');
  const upload = async (key: string) => {
    const id = await create(h, key, { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' });
    return { id, e1: await part(h, key, id, 1, p1), e2: await part(h, key, id, 2, p2) };
  };
  const a = await upload('a');
  const ok = await complete(h, 'a', a.id, completeXml([{ n: 1, etag: a.e1 }, { n: 2, etag: a.e2 }]), { 'x-amz-checksum-crc32': whole, 'x-amz-mp-object-size': String(p1.length + p2.length) });
  t.equal(ok.statusCode, 200, ok.body);
  t.equal(xmlText(ok.body, 'ChecksumCRC32'), whole);
  t.equal(xmlText(ok.body, 'ChecksumType'), 'FULL_OBJECT');
  const head = await s3(h.app, { method: 'HEAD', bucket: B, key: 'a', headers: { 'x-amz-checksum-mode': 'ENABLED' } });
  t.equal(head.headers['x-amz-checksum-crc32'], whole);
  t.equal(head.headers['x-amz-checksum-type'], 'FULL_OBJECT');

  const b = await upload('b');
  const bad = await complete(h, 'b', b.id, completeXml([{ n: 1, etag: b.e1 }, { n: 2, etag: b.e2 }]), { 'x-amz-checksum-crc32': 'AAAAAA==' });
  t.equal(bad.statusCode, 400);
  t.equal(xmlText(bad.body, 'Code'), 'BadDigest');
  const size = await complete(h, 'b', b.id, completeXml([{ n: 1, etag: b.e1 }, { n: 2, etag: b.e2 }]), { 'x-amz-mp-object-size': '12' });
  t.equal(xmlText(size.body, 'Code'), 'InvalidRequest');
  t.equal(h.storage.headObject(B, 'b'), undefined);
});

t.test('CompleteMultipartUpload – If-None-Match: * and If-Match, decided at commit', async (t) => {
  const h = await setup(t);
  await s3(h.app, { method: 'PUT', bucket: B, key: 'exists', body: 'old' });
  const id = await create(h, 'exists');
  const etag = await part(h, 'exists', id, 1, Buffer.from('new'));
  const doc = completeXml([{ n: 1, etag }]);
  const none = await complete(h, 'exists', id, doc, { 'if-none-match': '*' });
  t.equal(none.statusCode, 412);
  t.equal(xmlText(none.body, 'Code'), 'PreconditionFailed');
  const wrong = await complete(h, 'exists', id, doc, { 'if-match': '"0123456789abcdef0123456789abcdef"' });
  t.equal(wrong.statusCode, 412);
  t.equal(h.storage.listParts(id, 0, 10).parts.length, 1, 'a refused completion keeps the upload');
  t.equal(await settledBodies(h), 2);
  const match = await complete(h, 'exists', id, doc, { 'if-match': `"${md5Hex('old')}"` });
  t.equal(match.statusCode, 200, match.body);
  t.equal((await s3(h.app, { bucket: B, key: 'exists' })).body, 'new');
  t.equal(await settledBodies(h), 1, 'the replaced object file is removed');

  const id2 = await create(h, 'fresh');
  const etag2 = await part(h, 'fresh', id2, 1, Buffer.from('x'));
  const noKey = await complete(h, 'fresh', id2, completeXml([{ n: 1, etag: etag2 }]), { 'if-match': '*' });
  t.equal(noKey.statusCode, 404);
  t.equal(xmlText(noKey.body, 'Code'), 'NoSuchKey');
  const created = await complete(h, 'fresh', id2, completeXml([{ n: 1, etag: etag2 }]), { 'if-none-match': '*' });
  t.equal(created.statusCode, 200);
});

t.test('a multipart object frees its part files when overwritten or deleted', async (t) => {
  const h = await setup(t);
  const make = async (key: string) => {
    const id = await create(h, key);
    const e1 = await part(h, key, id, 1, randomBytes(5 * MiB));
    const e2 = await part(h, key, id, 2, Buffer.from('end'));
    const res = await complete(h, key, id, completeXml([{ n: 1, etag: e1 }, { n: 2, etag: e2 }]));
    t.equal(res.statusCode, 200);
  };
  await make('m');
  t.equal(await settledBodies(h), 2);
  await s3(h.app, { method: 'PUT', bucket: B, key: 'm', body: 'single' });
  t.equal(await settledBodies(h), 1, 'PutObject over a multipart object removes its parts');
  await make('m');
  t.equal(await settledBodies(h), 2, 'a multipart object over a single-part one removes its file');
  await make('m');
  t.equal(await settledBodies(h), 2, 'a multipart object over a multipart one removes the old parts');
  const del = await s3(h.app, { method: 'DELETE', bucket: B, key: 'm' });
  t.equal(del.statusCode, 204);
  t.equal(await settledBodies(h), 0);
});

t.test('CompleteMultipartUpload – Location in virtual-hosted style', async (t) => {
  const h = await setup(t);
  const id = await create(h, 'v/é');
  const etag = await part(h, 'v/é', id, 1, Buffer.from('v'));
  const res = await s3(h.app, { method: 'POST', bucket: B, key: 'v/é', style: 'virtual', query: { uploadId: id }, body: completeXml([{ n: 1, etag }]) });
  t.equal(res.statusCode, 200, res.body);
  t.equal(xmlText(res.body, 'Location'), 'http://mpc.localhost:9000/v/%C3%A9');
  t.same(xmlTexts(res.body, 'Key'), ['v/é']);
});
