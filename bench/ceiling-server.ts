/**
 * The ceiling: a bare `node:http` server answering the benchmark's requests with canned bytes
 * (or streaming a file for the large object). No parsing beyond the URL, no auth, no storage:
 * what any Node server could at best do on this machine.
 *
 *   node dist/bench/ceiling-server.js --port P --dir DIR --list-keys N --page-size N
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { listLayout } from './config';
import { BUCKET, CORS_ORIGIN, HASHING_MARK, LARGE_PREFIX, PREFLIGHT_HEADERS } from './requests';

const { values } = parseArgs({
  options: { port: { type: 'string' }, dir: { type: 'string' }, 'list-keys': { type: 'string' }, 'page-size': { type: 'string' } },
});
const dir = values.dir ?? '.';
const listKeys = Number(values['list-keys'] ?? '0');
const pageSize = Number(values['page-size'] ?? '1000');

const ETAG = '"0f343b0931126a20f133d67c2b018a3b"';
const LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';
const SMALL = Buffer.alloc(4096, 7);
const COMMON: Record<string, string> = { 'x-amz-request-id': '0123456789ABCDEF', 'x-amz-id-2': 'Y2VpbGluZy1ob3N0LWlkLWJ5dGVzLWNlaWxpbmctaG9zdA==', server: 'ceiling' };
const OBJECT: Record<string, string | number> = {
  ...COMMON, 'last-modified': LAST_MODIFIED, etag: ETAG, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream',
  'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-type': 'FULL_OBJECT', 'content-length': SMALL.length,
};
const CORS_ACTUAL = { 'access-control-allow-origin': CORS_ORIGIN, 'access-control-expose-headers': 'ETag, x-amz-request-id', vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method' };
// Merged once: spreading the two into a new object per request cost the ceiling ~10-20 µs of a
// 25 µs GET in node 20 (its get-origin row measured V8's object spread, not HTTP).
const OBJECT_CORS = { ...OBJECT, ...CORS_ACTUAL };
const PREFLIGHT = {
  ...COMMON, 'access-control-allow-origin': CORS_ORIGIN, 'access-control-allow-methods': 'GET, PUT, HEAD',
  'access-control-allow-headers': PREFLIGHT_HEADERS, 'access-control-expose-headers': 'ETag, x-amz-request-id',
  'access-control-max-age': '3000', vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method', 'content-length': '0',
};
const PUT_OK = { ...COMMON, etag: ETAG, 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-type': 'FULL_OBJECT', 'content-length': '0' };

function contents(key: string): string {
  return `<Contents><Key>${key}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>&quot;0f343b0931126a20f133d67c2b018a3b&quot;</ETag><Size>100</Size><StorageClass>STANDARD</StorageClass></Contents>`;
}

function listXml(inner: string, extra: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name>${extra}${inner}</ListBucketResult>`);
}

// Canned listing pages over the same key layout the other servers hold.
const layout = listLayout(listKeys);
const keys = Array.from({ length: listKeys }, (_, i) => layout.key(i));
const pageCount = Math.max(1, Math.ceil(listKeys / pageSize));
const scanPages: Buffer[] = [];
for (let p = 0; p < pageCount; p++) {
  const slice = keys.slice(p * pageSize, (p + 1) * pageSize);
  const truncated = p < pageCount - 1;
  scanPages.push(listXml(slice.map(contents).join(''),
    `<Prefix></Prefix><KeyCount>${slice.length}</KeyCount><MaxKeys>${pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${p + 1}</NextContinuationToken>` : ''}`));
}
const prefixPage = (prefix: string) => listXml(keys.filter((k) => k.startsWith(prefix)).slice(0, 1000).map(contents).join(''),
  `<Prefix>${prefix}</Prefix><KeyCount>${layout.perDir}</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>`);
const prefixPages = new Map<string, Buffer>();
const delimiterPage = listXml(Array.from({ length: layout.dirs }, (_, d) => `<CommonPrefixes><Prefix>${layout.dir(d)}</Prefix></CommonPrefixes>`).join(''),
  `<Prefix></Prefix><KeyCount>${layout.dirs}</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>`);

function list(url: URL, res: ServerResponse): void {
  const q = url.searchParams;
  let body: Buffer;
  if (q.has('delimiter')) {
    const prefix = q.get('prefix') ?? '';
    if (prefix === '') body = delimiterPage;
    else {
      body = prefixPages.get(prefix) ?? prefixPage(prefix);
      prefixPages.set(prefix, body);
    }
  } else {
    body = scanPages[Number(q.get('continuation-token') ?? '0')] ?? scanPages[0] as Buffer;
  }
  res.writeHead(200, { ...COMMON, 'content-type': 'application/xml', 'content-length': body.length });
  res.end(body);
}

/** One file per large key (`object-large-256`, `object-large-256-unsigned`, ...). */
function largeFile(url: string): string {
  return join(dir, `${url.slice(url.lastIndexOf('/') + 1)}.bin`);
}

/**
 * The hashing ceiling: what a signed upload costs at least on one core. MD5 (the ETag) and
 * SHA-256 (the signed payload hash) of every chunk, while it is written to the file.
 */
function hashingPut(req: IncomingMessage, res: ServerResponse, file: string): void {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const hash = new Transform({
    transform(chunk: Buffer, _enc, done) {
      md5.update(chunk);
      sha256.update(chunk);
      done(null, chunk);
    },
  });
  pipeline(req, hash, createWriteStream(file)).then(() => {
    const ok = sha256.digest('hex') === req.headers['x-amz-content-sha256'];
    res.writeHead(ok ? 200 : 400, { ...PUT_OK, etag: `"${md5.digest('hex')}"` }).end();
  }, () => res.destroy());
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const isLarge = url.includes(`/${LARGE_PREFIX}`);
  switch (req.method) {
    case 'OPTIONS':
      res.writeHead(200, PREFLIGHT).end();
      return;
    case 'HEAD':
      res.writeHead(200, OBJECT).end();
      return;
    case 'GET':
      if (url.includes('list-type=2')) return list(new URL(url, 'http://x'), res);
      if (isLarge) {
        res.writeHead(200, { ...COMMON, 'content-type': 'application/octet-stream' });
        pipeline(createReadStream(largeFile(url)), res).catch(() => res.destroy());
        return;
      }
      res.writeHead(200, req.headers.origin === undefined ? OBJECT : OBJECT_CORS);
      res.end(SMALL);
      return;
    case 'PUT':
      if (isLarge && url.endsWith(HASHING_MARK)) return hashingPut(req, res, largeFile(url));
      if (isLarge) {
        pipeline(req, createWriteStream(largeFile(url))).then(() => res.writeHead(200, PUT_OK).end(), () => res.destroy());
        return;
      }
      req.on('end', () => res.writeHead(200, PUT_OK).end());
      req.resume();
      return;
    default:
      res.writeHead(405, { 'content-length': '0' }).end();
  }
}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.listen(Number(values.port ?? '0'), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
