/**
 * Explain (docs/spec/cors.md §5): the admin endpoint, the `crossbucket explain` command, and the
 * debug log lines for refused preflights and actual requests left without CORS headers.
 */
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { buildApp } from '../../server/app';
import { runExplain } from '../../server/cli/explain-cli';
import { openSqliteStorage } from '../../storage';
import { s3 } from '../helpers/s3-inject';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer, tempDir } from '../helpers/server';
import { runCrossbucket } from '../helpers/spawn-server';
import { createBucket, putCors, type RuleXml } from './cors-fixtures';

const APP = 'http://app.test';
const VARY3 = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const RULES: RuleXml[] = [
  { id: 'reads', origins: ['*'], methods: ['GET'] },
  { id: 'uploads', origins: [APP], methods: ['GET', 'PUT'], headers: ['content-type', 'x-amz-date', 'authorization'] },
];
const HEADER_REFUSED = 'header "x-amz-checksum-crc32" not allowed by ["content-type", "x-amz-date", "authorization"]';

t.test('explain – admin endpoint', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await createBucket(s.app, 'uploads');
  await putCors(s.app, 'uploads', RULES);
  // Signed by the bucket owner (docs/security.md); a 4xx body is S3 XML, kept as text.
  const explain = async (query: Record<string, string>) => {
    const res = await s3(s.app, { rawPath: '/_crossbucket/explain', query });
    return { status: res.statusCode, body: (res.statusCode === 200 ? JSON.parse(res.body) : { xml: res.body }) as Record<string, unknown> };
  };

  const refused = await explain({ bucket: 'uploads', origin: APP, method: 'PUT', header: 'content-type,x-amz-checksum-crc32' });
  t.equal(refused.status, 200);
  t.match(refused.body, {
    bucket: 'uploads', method: 'PUT', bucketState: 'has-cors',
    preflight: { allowed: false, status: 403, code: 'AccessForbidden' },
  });
  t.strictSame((refused.body.explanation as unknown), {
    rules: [
      { index: 0, matched: false, detail: 'method "PUT" is not one of ["GET"]', id: 'reads', failed: 'method' },
      { index: 1, matched: false, detail: HEADER_REFUSED, id: 'uploads', failed: 'header' },
    ],
    summary: 'no rule matched (2 rules tried)',
  });

  // Access-Control-Request-Method is case-sensitive, as in a real preflight: `put` is refused.
  const lower = await explain({ bucket: 'uploads', origin: APP, method: 'put', header: 'Content-Type,X-Amz-Date' });
  t.match(lower.body, { method: 'put', preflight: { allowed: false, status: 403, code: 'AccessForbidden' } });
  const real = await s.app.inject({ method: 'OPTIONS', url: '/uploads/k', headers: { host: 'localhost:9000', origin: APP, 'access-control-request-method': 'put', 'access-control-request-headers': 'Content-Type,X-Amz-Date' } });
  t.equal(real.statusCode, 403, 'and a real preflight with `put` is refused too');

  const allowed = await explain({ bucket: 'uploads', origin: APP, method: 'PUT', header: 'Content-Type,X-Amz-Date' });
  t.strictSame(allowed.body.preflight, {
    allowed: true, status: 200,
    headers: {
      'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Methods': 'GET, PUT',
      'Access-Control-Allow-Headers': 'content-type, x-amz-date', Vary: VARY3,
    },
  });
  t.match(allowed.body.explanation, { matchedRule: 1, summary: 'rule 1 (ID "uploads") matched' });

  const missing = await explain({ bucket: 'nope', origin: APP });
  t.match(missing.body, { bucketState: 'missing', preflight: { allowed: false, status: 403, message: 'CORSResponse: Bucket not found' }, explanation: { rules: [], summary: 'refused: the bucket does not exist' } });
  // Without an origin the endpoint explains an access decision instead (docs/access.md).
  const noOrigin = await explain({ bucket: 'uploads' });
  t.equal(noOrigin.status, 200, 'no origin: an access explanation');
  t.match(noOrigin.body, { action: 's3:ListBucket', allowed: true });
  const noBucket = await explain({ origin: APP });
  t.equal(noBucket.status, 400, 'bucket is required');
  t.match(String(noBucket.body.xml), /<Code>InvalidArgument<\/Code>/);
});

/** The owner's credentials as aws-cli reads them, and nothing else of this machine's. */
const CREDENTIALS_ENV: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, HOME: '/nonexistent' };

t.test('explain – the CLI, in-process and through the real entry point', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  await createBucket(s.app, 'uploads');
  await putCors(s.app, 'uploads', RULES);
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runExplain(argv, { stdout: { write: (x: string) => (stdout += x) }, stderr: { write: (x: string) => (stderr += x) }, env: CREDENTIALS_ENV });
    return { code, stdout, stderr };
  };
  const base = ['--endpoint', s.endpoint, '--bucket', 'uploads', '--origin', APP];

  const refused = await run(...base, '--method', 'PUT', '--header', 'content-type', '--header', 'x-amz-checksum-crc32');
  t.equal(refused.code, 1);
  t.equal(refused.stdout, [
    'REFUSED  PUT from http://app.test on bucket uploads: 403 AccessForbidden CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.',
    '  no rule matched (2 rules tried)',
    '  rule 0 (ID "reads"): no - method "PUT" is not one of ["GET"]',
    `  rule 1 (ID "uploads"): no - ${HEADER_REFUSED}`,
    '',
  ].join('\n'));

  const allowed = await run(...base, '--method', 'PUT', '--header', 'content-type', '--key', 'photo.jpg');
  t.equal(allowed.code, 0);
  t.equal(allowed.stdout, [
    'ALLOWED  PUT from http://app.test on bucket uploads, key photo.jpg',
    '  rule 1 (ID "uploads") matched',
    '  rule 0 (ID "reads"): no - method "PUT" is not one of ["GET"]',
    '  rule 1 (ID "uploads"): MATCHED - origin "http://app.test" matches "http://app.test", method "PUT" allowed, headers ["content-type"] allowed',
    '  preflight response headers:',
    `    Access-Control-Allow-Origin: ${APP}`,
    '    Access-Control-Allow-Credentials: true',
    '    Access-Control-Allow-Methods: GET, PUT',
    '    Access-Control-Allow-Headers: content-type',
    `    Vary: ${VARY3}`,
    '',
  ].join('\n'));

  const json = await run(...base, '--json');
  t.equal(json.code, 0);
  t.match(JSON.parse(json.stdout), { preflight: { allowed: true }, explanation: { matchedRule: 0 } });

  const usage = await run('--origin', APP);
  t.equal(usage.code, 2, 'no bucket');
  t.match(usage.stderr, /^usage: crossbucket explain/);
  const unknown = await run(...base, '--nope');
  t.equal(unknown.code, 2);
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const closed = await run('--endpoint', `http://127.0.0.1:${port}`, '--bucket', 'b', '--origin', APP);
  t.equal(closed.code, 2);
  t.equal(closed.stderr, `explain failed: cannot reach crossbucket at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);

  // `crossbucket explain ...` through server/main.ts, as the bin runs it.
  const bin = await runCrossbucket(['explain', ...base, '--method', 'DELETE'], { cleanEnv: true, env: CREDENTIALS_ENV });
  t.equal(bin.code, 1, bin.stderr);
  t.match(bin.stdout, /^REFUSED  DELETE from http:\/\/app\.test on bucket uploads: 403 AccessForbidden /);
  t.match(bin.stdout, /rule 1 \(ID "uploads"\): no - method "DELETE" is not one of \["GET", "PUT"\]/);
});

t.test('explain – debug log lines for a refused preflight and an actual request without CORS headers', async (t) => {
  const dir = tempDir();
  const storage = openSqliteStorage({ dataDir: dir.dir });
  const lines: Array<Record<string, unknown>> = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const app = buildApp({ storage, loggerInstance: pino({ level: 'debug' }, stream) });
  t.teardown(async () => {
    await app.close();
    storage.close();
    dir.remove();
  });
  await createBucket(app, 'uploads');
  await putCors(app, 'uploads', RULES);
  lines.length = 0;
  const pre = await app.inject({
    method: 'OPTIONS', url: '/uploads/photo.jpg',
    headers: { host: 'localhost:9000', origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-checksum-crc32' },
  });
  t.equal(pre.statusCode, 403);
  await app.inject({ method: 'GET', url: '/uploads/photo.jpg', headers: { host: 'localhost:9000', origin: APP, 'access-control-request-method': 'DELETE' } });
  await new Promise((resolve) => setImmediate(resolve));
  const refused = lines.find((l) => l.msg === 'CORS preflight refused');
  t.ok(refused, 'a debug line for the refused preflight');
  t.match(refused, {
    level: 20, bucket: 'uploads', key: 'photo.jpg', origin: APP, status: 403, code: 'AccessForbidden',
    explanation: { summary: 'no rule matched (2 rules tried)', rules: [{ id: 'reads', failed: 'method' }, { id: 'uploads', failed: 'header', detail: HEADER_REFUSED }] },
  });
  const bare = lines.find((l) => l.msg === 'CORS: no headers for this request');
  t.match(bare, {
    level: 20, bucket: 'uploads', origin: APP, method: 'GET', op: 'GetObject',
    explanation: { rules: [{ failed: 'method' }, { failed: 'method', detail: 'method "DELETE" is not one of ["GET", "PUT"]' }] },
  });
  t.match(String((bare?.explanation as { summary?: string } | undefined)?.summary), /from Access-Control-Request-Method; no CORS headers$/);
});
