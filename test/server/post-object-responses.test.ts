/**
 * POST Object – the exchange: success_action_status / success_action_redirect answers, CORS
 * headers on success and on a refused policy, virtual-hosted addressing, the body's shape
 * (not multipart, no file, no key, fields too large, truncated), integrity fields, and real
 * sockets (fetch + FormData) for streaming and an early-stopped oversize file.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { injectApp, sdkClient, startServer } from '../helpers/server';
import { HOST, createAclBucket, md5Base64, s3, xmlText } from '../helpers/s3-inject';
import { formBody, postForm, signPolicy } from '../helpers/post-policy';

const KEY_ANY = ['starts-with', '$key', ''];
const ORIGIN = 'http://app.example:8080';
const VARY3 = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

async function setup(t: Test, acl?: string) {
  const h = injectApp();
  t.teardown(() => h.close());
  const created = await createAclBucket(h.app, 'forms', acl);
  t.equal(created.statusCode, 200, 'bucket created');
  return h;
}

function etagOf(data: string | Buffer): string {
  return `"${createHash('md5').update(data).digest('hex')}"`;
}

t.test('success_action_status – 204 by default, 200 empty, 201 PostResponse, anything else 204', async (t) => {
  const h = await setup(t);
  const form = (status?: string) => ({
    key: 'docs/a b.txt',
    ...(status === undefined ? {} : { success_action_status: status }),
    ...signPolicy({ conditions: status === undefined ? [KEY_ANY] : [KEY_ANY, { success_action_status: status }] }),
  });
  const etag = etagOf('hello');
  const location = `http://${HOST}/forms/docs%2Fa%20b.txt`;

  const d = await postForm(h.app, form(), { data: 'hello' });
  t.same([d.statusCode, d.headers.etag, d.headers.location, d.body], [204, etag, location, '']);

  const ok = await postForm(h.app, form('200'), { data: 'hello' });
  t.same([ok.statusCode, ok.headers.etag, ok.headers.location, ok.body], [200, etag, location, '']);

  const created = await postForm(h.app, form('201'), { data: 'hello' });
  t.equal(created.statusCode, 201);
  t.equal(created.headers['content-type'], 'application/xml');
  t.equal(
    created.body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>' +
      `<Location>${location}</Location><Bucket>forms</Bucket><Key>docs/a b.txt</Key><ETag>&quot;${etag.slice(1, -1)}&quot;</ETag></PostResponse>`,
  );
  t.equal(xmlText(created.body, 'ETag'), etag);

  const odd = await postForm(h.app, form('302'), { data: 'hello' });
  t.equal(odd.statusCode, 204);
});

t.test('success_action_redirect – 303 to the URL with bucket, key and etag appended', async (t) => {
  const h = await setup(t);
  const post = (fields: Record<string, string>) =>
    postForm(h.app, { key: 'up/ü 1.txt', ...fields, ...signPolicy({ conditions: [KEY_ANY, ...Object.keys(fields).map((k) => ['starts-with', `$${k}`, ''])] }) }, { data: 'hello' });
  const etag = encodeURIComponent(etagOf('hello'));
  const q = `bucket=forms&key=up%2F%C3%BC%201.txt&etag=${etag}`;

  const plain = await post({ success_action_redirect: 'http://app.example:8080/done' });
  t.equal(plain.statusCode, 303);
  t.equal(plain.headers.location, `http://app.example:8080/done?${q}`);
  t.equal(plain.body, '');

  const withQuery = await post({ success_action_redirect: 'https://app.example/done?from=form#top', success_action_status: '201' });
  t.equal(withQuery.statusCode, 303, 'the redirect wins over success_action_status');
  t.equal(withQuery.headers.location, `https://app.example/done?from=form&${q}#top`);

  const legacy = await post({ redirect: 'http://app.example/legacy' });
  t.equal(legacy.statusCode, 303);
  t.equal(legacy.headers.location, `http://app.example/legacy?${q}`);

  const unusable = await post({ success_action_redirect: 'not a url' });
  t.equal(unusable.statusCode, 204, 'an unusable URL is ignored');
});

t.test('redirect – a failed upload is an error, not a redirect', async (t) => {
  const h = await setup(t);
  const res = await postForm(h.app, { key: 'x', success_action_redirect: 'http://app.example/done', ...signPolicy({ conditions: [KEY_ANY, ['starts-with', '$success_action_redirect', 'http://app.example/'], ['content-length-range', 0, 1]] }) }, { data: 'xx' });
  t.equal(res.statusCode, 400);
  t.equal(xmlText(res.body, 'Code'), 'EntityTooLarge');
  t.equal(res.headers.location, undefined);
});

t.test('CORS – a rule allowing POST from the Origin puts its headers on success and on a policy failure', async (t) => {
  const h = await setup(t);
  const cors =
    `<CORSConfiguration><CORSRule><AllowedOrigin>${ORIGIN}</AllowedOrigin><AllowedMethod>POST</AllowedMethod>` +
    '<ExposeHeader>ETag</ExposeHeader><ExposeHeader>Location</ExposeHeader></CORSRule></CORSConfiguration>';
  const put = await s3(h.app, { method: 'PUT', bucket: 'forms', query: { cors: '' }, headers: { 'content-md5': md5Base64(cors) }, body: cors });
  t.equal(put.statusCode, 200, put.body);
  const expected = {
    'access-control-allow-origin': ORIGIN,
    'access-control-allow-methods': 'POST',
    'access-control-expose-headers': 'ETag, Location',
    'access-control-allow-credentials': 'true',
    vary: VARY3,
  };
  const pick = (headers: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('access-control-') || k === 'vary'));

  const ok = await postForm(h.app, { key: 'c', ...signPolicy({ conditions: [KEY_ANY] }) }, { data: 'x' }, [], { headers: { origin: ORIGIN } });
  t.equal(ok.statusCode, 204);
  t.same(pick(ok.headers), expected);

  const denied = await postForm(h.app, { key: 'c', ...signPolicy({ conditions: [['starts-with', '$key', 'only/']] }) }, { data: 'x' }, [], { headers: { origin: ORIGIN } });
  t.equal(denied.statusCode, 403);
  t.equal(xmlText(denied.body, 'Code'), 'AccessDenied');
  t.same(pick(denied.headers), expected, 'the same headers on the error');

  const otherOrigin = await postForm(h.app, { key: 'c', ...signPolicy({ conditions: [KEY_ANY] }) }, { data: 'x' }, [], { headers: { origin: 'http://evil.example' } });
  t.equal(otherOrigin.statusCode, 204, 'CORS never blocks the request itself');
  t.same(pick(otherOrigin.headers), {});
});

t.test('virtual-hosted – POST / on BUCKET.localhost', async (t) => {
  const h = await setup(t);
  const res = await postForm(h.app, { key: 'v/h.txt', ...signPolicy({ bucket: 'forms', conditions: [KEY_ANY] }) }, { data: 'vh' }, [], {
    url: '/',
    headers: { host: `forms.${HOST}` },
  });
  t.equal(res.statusCode, 204, res.body);
  t.equal(res.headers.location, `http://forms.${HOST}/v%2Fh.txt`);
  t.equal(h.storage.headObject('forms', 'v/h.txt')?.size, 2);
});

t.test('body – not multipart, no boundary, no file, no key, fields too large, truncated, no bucket', async (t) => {
  const h = await setup(t, 'public-read-write');
  const err = (res: { statusCode: number; body: string }) => [res.statusCode, xmlText(res.body, 'Code'), xmlText(res.body, 'Message')];

  const urlencoded = await h.app.inject({ method: 'POST', url: '/forms', headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'key=a' });
  t.same(err(urlencoded), [412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold']);
  t.equal(xmlText(urlencoded.body, 'Condition'), 'Bucket POST must be of the enclosure-type multipart/form-data');
  const none = await h.app.inject({ method: 'POST', url: '/forms', headers: { host: HOST }, payload: 'x' });
  t.equal(none.statusCode, 412);

  const noBoundary = await h.app.inject({ method: 'POST', url: '/forms', headers: { host: HOST, 'content-type': 'multipart/form-data' }, payload: 'x' });
  t.same(err(noBoundary), [400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.']);

  const noFile = await postForm(h.app, { key: 'a' });
  t.same(err(noFile), [400, 'InvalidArgument', 'POST requires exactly one file upload per request.']);
  t.equal(xmlText(noFile.body, 'ArgumentName'), 'file');
  t.equal(xmlText(noFile.body, 'ArgumentValue'), '0');

  const fileFirst = await postForm(h.app, {}, { data: 'x' }, { key: 'late' });
  t.same(err(fileFirst), [400, 'InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields."]);
  t.equal(xmlText(fileFirst.body, 'ArgumentName'), 'key');

  const huge = await postForm(h.app, { key: 'a', 'x-amz-meta-big': 'x'.repeat(21 * 1024) }, { data: 'x' });
  t.same(err(huge), [400, 'MaxPostPreDataLengthExceededError', 'Your POST request fields preceding the upload file were too large.']);
  const many = await postForm(h.app, { key: 'a', ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`x-ignore-${i}`, 'y'.repeat(700)])) }, { data: 'x' });
  t.equal(err(many)[1], 'MaxPostPreDataLengthExceededError', 'the bound is on all fields together');

  const { body, contentType } = formBody({ key: 'cut' }, { data: Buffer.alloc(4096, 7) });
  const truncated = await h.app.inject({ method: 'POST', url: '/forms', headers: { host: HOST, 'content-type': contentType }, payload: body.subarray(0, 2000) });
  t.same(err(truncated), [400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.']);
  t.equal(h.storage.headObject('forms', 'cut'), undefined, 'a truncated file is not stored');

  const missing = await postForm(h.app, { key: 'a' }, { data: 'x' }, [], { url: '/nobucket' });
  t.same(err(missing), [404, 'NoSuchBucket', 'The specified bucket does not exist']);
  t.equal(h.storage.headObject('forms', 'a'), undefined);
});

t.test('integrity – Content-MD5 and x-amz-checksum-* fields are verified and stored', async (t) => {
  const h = await setup(t, 'public-read-write');
  const data = 'checked bytes';
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data) >>> 0);
  const ok = await postForm(h.app, { key: 'sum', 'Content-MD5': md5Base64(data), 'x-amz-checksum-crc32': crc.toString('base64') }, { data });
  t.equal(ok.statusCode, 204, ok.body);
  t.equal(ok.headers['x-amz-checksum-crc32'], crc.toString('base64'));
  const head = await s3(h.app, { method: 'HEAD', bucket: 'forms', key: 'sum', headers: { 'x-amz-checksum-mode': 'ENABLED' } });
  t.equal(head.headers['x-amz-checksum-crc32'], crc.toString('base64'));

  const badMd5 = await postForm(h.app, { key: 'bad', 'Content-MD5': md5Base64('other') }, { data });
  t.equal(xmlText(badMd5.body, 'Code'), 'BadDigest');
  const badCrc = await postForm(h.app, { key: 'bad', 'x-amz-checksum-crc32': 'AAAAAA==' }, { data });
  t.equal(xmlText(badCrc.body, 'Code'), 'BadDigest');
  t.equal(h.storage.headObject('forms', 'bad'), undefined);
});

t.test('http – fetch + FormData: a 6 MiB file streams in; an oversize one stops with its exact size', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const client = sdkClient(server.endpoint);
  t.teardown(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: 'big' }));
  const data = Buffer.alloc(6 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  const send = (max: number, key: string) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ key, ...signPolicy({ bucket: 'big', conditions: [KEY_ANY, ['content-length-range', 0, max]] }) })) form.append(k, v);
    form.append('file', new Blob([data]), 'video.bin');
    form.append('after', 'ignored');
    return fetch(`${server.endpoint}/big`, { method: 'POST', body: form });
  };
  const ok = await send(data.length, 'whole.bin');
  t.equal(ok.status, 204, await ok.clone().text());
  t.equal(ok.headers.get('etag'), etagOf(data));
  const info = server.storage.headObject('big', 'whole.bin');
  t.equal(info?.size, data.length);

  const tooBig = await send(1024 * 1024, 'cut.bin');
  const xml = await tooBig.text();
  t.equal(tooBig.status, 400);
  t.equal(xmlText(xml, 'Code'), 'EntityTooLarge');
  t.equal(xmlText(xml, 'ProposedSize'), String(data.length));
  t.equal(xmlText(xml, 'MaxSizeAllowed'), String(1024 * 1024));
  t.equal(server.storage.headObject('big', 'cut.bin'), undefined);

  // The connection is still usable afterwards (the rest of the body was read, not abandoned).
  const again = await send(data.length, 'again.bin');
  t.equal(again.status, 204);
});
