/**
 * GetObject and HeadObject: every request header (and query parameter) of the S3 API reference
 * is honoured — the answer shows the effect — or refused with S3's error
 * (docs/spec/bucket-config.md §B4.10). HEAD answers carry no body: its code is checked where
 * crossbucket gives it (`x-amz-error-code`), else its status.
 */
import t from 'tap';
import { injectApp } from '../helpers/server';
import { s3, uploadInParts, xmlText } from '../helpers/s3-inject';
import { KEY_B64, type Res } from './object-headers-fixtures';

const PAST = 'Mon, 01 Jan 2001 00:00:00 GMT';
const FUTURE = 'Fri, 01 Jan 2100 00:00:00 GMT';
type Expect = { honoured: (r: Res) => boolean; what: string } | { refused: number; code: string };
/** [header, or `?param` for a query parameter, value, key ('obj' unless named), expectation]. */
type Row = [string, string, Expect, string?];

const ok = (status: number) => (r: Res) => r.statusCode === status;

const READ: Row[] = [
  ['if-match', '"0"', { refused: 412, code: 'PreconditionFailed' }],
  ['if-match', '*', { honoured: ok(200), what: 'condition met' }],
  ['if-modified-since', FUTURE, { honoured: ok(304), what: '304 Not Modified' }],
  ['if-modified-since', PAST, { honoured: ok(200), what: 'modified since' }],
  ['if-none-match', '*', { honoured: ok(304), what: '304 Not Modified' }],
  ['if-unmodified-since', PAST, { refused: 412, code: 'PreconditionFailed' }],
  ['if-unmodified-since', FUTURE, { honoured: ok(200), what: 'not modified since' }],
  ['range', 'bytes=0-4', { honoured: (r) => r.statusCode === 206 && r.headers['content-length'] === '5' && r.headers['content-range'] === 'bytes 0-4/11', what: '206, five bytes' }],
  ['range', 'bytes=100-200', { refused: 416, code: 'InvalidRange' }],
  ['?response-cache-control', 'no-store', { honoured: (r) => r.headers['cache-control'] === 'no-store', what: 'overrides Cache-Control' }],
  ['?response-content-disposition', 'attachment', { honoured: (r) => r.headers['content-disposition'] === 'attachment', what: 'overrides Content-Disposition' }],
  ['?response-content-encoding', 'identity', { honoured: (r) => r.headers['content-encoding'] === 'identity', what: 'overrides Content-Encoding' }],
  ['?response-content-language', 'de', { honoured: (r) => r.headers['content-language'] === 'de', what: 'overrides Content-Language' }],
  ['?response-content-type', 'image/png', { honoured: (r) => r.headers['content-type'] === 'image/png', what: 'overrides Content-Type' }],
  ['?response-expires', FUTURE, { honoured: (r) => r.headers.expires === FUTURE, what: 'overrides Expires' }],
  ['?versionId', 'null', { honoured: ok(200), what: 'the null version' }],
  ['?versionId', 'not-a-version', { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-server-side-encryption-customer-algorithm', 'AES256', { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key', KEY_B64, { refused: 501, code: 'NotImplemented' }],
  ['x-amz-server-side-encryption-customer-key-md5', 'x', { refused: 501, code: 'NotImplemented' }],
  ['x-amz-request-payer', 'requester', { honoured: (r) => r.statusCode === 200 && r.headers['x-amz-request-charged'] === undefined, what: 'accepted, nothing charged' }],
  ['?partNumber', '2', { honoured: (r) => r.statusCode === 206 && r.headers['x-amz-mp-parts-count'] === '2' && r.headers['content-length'] === '4', what: 'the second part' }, 'mp'],
  ['?partNumber', '3', { refused: 416, code: 'InvalidPartNumber' }, 'mp'],
  ['?partNumber', '0', { refused: 400, code: 'InvalidArgument' }],
  ['x-amz-expected-bucket-owner', '000000000000', { honoured: ok(200), what: 'checked: the owner account' }],
  ['x-amz-expected-bucket-owner', '111111111111', { refused: 403, code: 'AccessDenied' }],
  ['x-amz-checksum-mode', 'ENABLED', { honoured: (r) => r.headers['x-amz-checksum-crc32'] === 'DUoRhQ==' && r.headers['x-amz-checksum-type'] === 'FULL_OBJECT', what: 'the checksum is returned' }],
];

t.test('GetObject and HeadObject – each request header is honoured or refused', async (t) => {
  const h = injectApp();
  t.teardown(() => h.close());
  await s3(h.app, { method: 'PUT', bucket: 'reads' });
  await s3(h.app, { method: 'PUT', bucket: 'reads', key: 'obj', body: 'hello world', headers: { 'x-amz-checksum-algorithm': 'CRC32' } });
  t.equal((await uploadInParts(h.app, 'reads', 'mp', [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.from('tail')])).statusCode, 200);
  const plain = await s3(h.app, { bucket: 'reads', key: 'obj' });
  t.equal(plain.headers['x-amz-checksum-crc32'], undefined, 'without x-amz-checksum-mode no checksum is returned');
  for (const method of ['GET', 'HEAD']) {
    for (const [name, value, expect, key = 'obj'] of READ) {
      const asQuery = name.startsWith('?');
      const res = await s3(h.app, { method, bucket: 'reads', key, ...(asQuery ? { query: { [name.slice(1)]: value } } : { headers: { [name]: value } }) });
      const label = `${method} ${name}: ${value}`;
      if ('refused' in expect) {
        t.equal(res.statusCode, expect.refused, `${label} refused ${expect.refused}`);
        if (method === 'GET') t.equal(xmlText(res.body, 'Code'), expect.code, `${label}: ${expect.code}`);
        else t.equal(res.body, '', `${label}: no body`);
        continue;
      }
      t.ok(expect.honoured(res), `${label}: ${expect.what}`);
    }
  }
});
