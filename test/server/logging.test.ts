import t from 'tap';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { request } from 'undici';
import { prettyMessage, redactUrl } from '../../server/http/logging';
import { start } from '../../server/cli/start';
import { SECRET_ACCESS_KEY, sdkClient } from '../helpers/server';

/**
 * A pino destination that keeps every line. The request line is written by the onResponse hook,
 * which may run after the client has its response: tests wait for the lines they expect.
 */
function capture() {
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  const json = (): Array<Record<string, unknown>> => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    lines,
    write(chunk: string) {
      lines.push(...chunk.split('\n').filter((l) => l !== ''));
      for (const w of [...waiters]) w();
    },
    json,
    requests(): Array<Record<string, unknown>> { return json().filter((l) => l.msg === 'request'); },
    /** Resolves once `test()` holds (checked after every line). */
    until(test: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!test()) return;
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
      });
    },
  };
}

const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLEsessionTOKEN/with+chars=';

t.test('logging – redactUrl replaces credential values in the query, nothing else', async (t) => {
  t.equal(redactUrl('/b/k'), '/b/k');
  t.equal(redactUrl('/b/k?uploads'), '/b/k?uploads');
  t.equal(
    redactUrl('/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=tok%2B&X-Amz-Signature=abcdef&X-Amz-SignedHeaders=host&x-id=GetObject'),
    '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Date=20250101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED&X-Amz-SignedHeaders=host&x-id=GetObject',
  );
  t.equal(redactUrl('/b/k?AWSAccessKeyId=AKID&Expires=1700000000&Signature=abc%2Bdef%3D'), '/b/k?AWSAccessKeyId=REDACTED&Expires=1700000000&Signature=REDACTED');
  t.equal(redactUrl('/b/k?x-amz-signature=abc&X%2DAmz%2DCredential=c'), '/b/k?x-amz-signature=REDACTED&X%2DAmz%2DCredential=REDACTED', 'names compared case-insensitively, decoded');
  t.equal(redactUrl('/b/k?X-Amz-Signature'), '/b/k?X-Amz-Signature=REDACTED', 'a bare name too');
  t.equal(redactUrl('/b/Signature=x?prefix=Signature'), '/b/Signature=x?prefix=Signature', 'the path and other values are left alone');
});

t.test('logging – a signed request and a presigned one: one line each, no secret', async (t) => {
  const log = capture();
  const s3 = await start({ port: 0, logDestination: log });
  t.teardown(() => s3.close());
  let authorization = '';
  const client = sdkClient(s3.endpoint, { credentials: { ...s3.credentials, sessionToken: SESSION_TOKEN } });
  t.teardown(() => client.destroy());
  client.middlewareStack.add((next) => async (args) => {
    const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
    authorization = headers.authorization ?? authorization;
    return next(args);
  }, { step: 'finalizeRequest', priority: 'low', name: 'captureAuthorization' });

  await client.send(new CreateBucketCommand({ Bucket: 'logs' }));
  await client.send(new PutObjectCommand({ Bucket: 'logs', Key: 'dir/a b.txt', Body: 'hello' }));
  const signature = /Signature=([0-9a-f]{64})/.exec(authorization)?.[1];
  t.ok(signature, 'the SDK signed with a header');

  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'logs', Key: 'dir/a b.txt' }), { expiresIn: 60 });
  const presignedSignature = new URL(url).searchParams.get('X-Amz-Signature') ?? '';
  const credential = new URL(url).searchParams.get('X-Amz-Credential') ?? '';
  t.match(presignedSignature, /^[0-9a-f]{64}$/);
  const res = await request(url);
  t.equal(res.statusCode, 200);
  t.equal(await res.body.text(), 'hello');

  await log.until(() => log.requests().length >= 3);
  const requests = log.requests();
  t.same(requests.map((r) => [r.method, r.op, r.bucket, r.key, r.status]), [
    ['PUT', 'CreateBucket', 'logs', undefined, 200],
    ['PUT', 'PutObject', 'logs', 'dir/a b.txt', 200],
    ['GET', 'GetObject', 'logs', 'dir/a b.txt', 200],
  ], 'one line per request with op, bucket, key and status');
  for (const r of requests) {
    t.type(r.ms, 'number');
    t.type(r.reqId, 'string');
  }
  t.match(requests[1]?.url, /^\/logs\/dir\/a%20b\.txt/);
  const presignedLine = String(requests[2]?.url);
  t.match(presignedLine, /X-Amz-Signature=REDACTED/);
  t.match(presignedLine, /X-Amz-Credential=REDACTED/);
  t.match(presignedLine, /X-Amz-Security-Token=REDACTED/);
  t.match(presignedLine, /X-Amz-Expires=60/, 'the rest of the query stays readable');

  const text = log.lines.join('\n');
  for (const secret of [signature ?? 'x', presignedSignature, SECRET_ACCESS_KEY, SESSION_TOKEN, encodeURIComponent(SESSION_TOKEN), credential, encodeURIComponent(credential), authorization]) {
    t.notOk(text.includes(secret), `no ${secret.slice(0, 24)}... in the log`);
  }
});

t.test('logging – SigV2 query credentials and failed signatures stay out of the log', async (t) => {
  const log = capture();
  const s3 = await start({ port: 0, logDestination: log });
  t.teardown(() => s3.close());
  const res = await request(`${s3.endpoint}/b/k?AWSAccessKeyId=crossbucket&Expires=4102444800&Signature=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D`);
  await res.body.dump();
  const bad = await request(`${s3.endpoint}/`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=crossbucket/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=deadbeefdeadbeef' } });
  t.equal(bad.statusCode, 403);
  await bad.body.dump();
  await log.until(() => log.requests().length >= 2);
  const lines = log.requests();
  t.equal(lines.length, 2);
  t.equal(lines[0]?.url, '/b/k?AWSAccessKeyId=REDACTED&Expires=4102444800&Signature=REDACTED');
  t.equal(lines[1]?.status, 403);
  const text = log.lines.join('\n');
  t.notOk(text.includes('c2VjcmV0LXNpZ25hdHVyZQ'));
  t.notOk(text.includes('deadbeefdeadbeef'));
});

t.test('logging – headers are censored should anything log them', async (t) => {
  const log = capture();
  const s3 = await start({ port: 0, logDestination: log });
  t.teardown(() => s3.close());
  s3.app.log.info({ req: { method: 'GET', url: '/b?Signature=s3cr3t', headers: { authorization: 'AWS4-HMAC-SHA256 Signature=s3cr3t' } } }, 'raw request');
  s3.app.log.info({ headers: { authorization: 'AWS x:s3cr3t', 'x-amz-security-token': 's3cr3t', host: 'h' } }, 'headers');
  t.notOk(log.lines.join('\n').includes('s3cr3t'));
  t.same(log.json().find((l) => l.msg === 'headers')?.headers, { authorization: 'REDACTED', 'x-amz-security-token': 'REDACTED', host: 'h' });
});

t.test('logging – pretty: one readable line per request', async (t) => {
  const log = capture();
  const s3 = await start({ port: 0, logDestination: log, prettyLogs: true });
  t.teardown(() => s3.close());
  const res = await request(`${s3.endpoint}/nobucket/k?X-Amz-Signature=abc`, { headers: { origin: 'http://localhost:5173' } });
  await res.body.dump();
  await log.until(() => log.lines.some((l) => l.includes('GetObject')));
  const line = log.lines.find((l) => l.includes('GetObject'));
  t.match(line, /INFO.*: \d{3} GET \/nobucket\/k\?X-Amz-Signature=REDACTED GetObject [\d.]+ms origin=http:\/\/localhost:5173$/);
  const others = log.lines.filter((l) => !l.includes('Server listening at'));
  t.same(others, [line], 'no field lines under it');
});

t.test('logging – pretty: a virtual-hosted request line names its bucket', async (t) => {
  const line = (fields: Record<string, unknown>) => prettyMessage({ msg: 'request', status: 200, method: 'GET', op: 'GetObject', ms: 1.5, ...fields }, 'msg');
  t.equal(line({ url: '/index.html', bucket: 'site', key: 'index.html' }), '200 GET /index.html [site] GetObject 1.5ms');
  t.equal(line({ url: '/site/index.html', bucket: 'site', key: 'index.html' }), '200 GET /site/index.html GetObject 1.5ms');
  t.equal(line({ url: '/site?list-type=2', bucket: 'site', op: 'ListObjectsV2' }), '200 GET /site?list-type=2 ListObjectsV2 1.5ms');
  t.equal(line({ url: '/', bucket: undefined, op: 'ListBuckets' }), '200 GET / ListBuckets 1.5ms');
});

t.test('logging – CORS refusals at debug level, with their explanation', async (t) => {
  const log = capture();
  const s3 = await start({ port: 0, logDestination: log, logLevel: 'debug', seed: { buckets: [{ name: 'nocors' }] } });
  t.teardown(() => s3.close());
  const res = await request(`${s3.endpoint}/nocors/k`, { method: 'OPTIONS', headers: { origin: 'http://a.test', 'access-control-request-method': 'GET' } });
  t.equal(res.statusCode, 403);
  await res.body.dump();
  const refusal = log.json().find((l) => l.level === 20 && typeof l.msg === 'string' && l.msg.includes('refused'));
  t.ok(refusal, 'a debug line');
  t.equal(refusal?.bucket, 'nocors');
  t.ok(refusal?.explanation, 'with the explanation');
});
