/**
 * A client that hangs up mid-body is not a server fault (issue 12, item 13): it is logged at
 * debug level with its request line, never as an error-level "internal error".
 */
import t from 'tap';
import { startServer } from '../helpers/server';
import { s3Http, signRequest } from '../helpers/s3-inject';
import { head, rawRequest } from '../stress/raw-http';

interface Line { level: number; msg: string; method?: string; url?: string }

t.test('client disconnect mid-body – one debug line with the request line, no error', async (t) => {
  const lines: Line[] = [];
  const server = await startServer({ logLevel: 'debug', logDestination: { write: (s: string) => { for (const l of s.split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as Line); } } });
  t.teardown(() => server.close());
  t.equal((await s3Http(server.endpoint, { method: 'PUT', bucket: 'hangup' })).statusCode, 200);
  for (const key of ['plain', 'sha']) {
    const s = await signRequest({ method: 'PUT', bucket: 'hangup', key, headers: { 'content-length': '100000' }, ...(key === 'plain' ? { payloadHash: 'UNSIGNED-PAYLOAD' } : { payloadHash: 'a'.repeat(64) }) });
    await rawRequest(server.endpoint, [head('PUT', s.url, s.headers), 'x'.repeat(1000)], { destroy: true, pauseMs: 100, waitMs: 1000 });
  }
  // A request document (PutBucketCors, read whole by server/body/small-body.ts) cut off the same way.
  const doc = await signRequest({ method: 'PUT', bucket: 'hangup', query: { cors: '' }, headers: { 'content-length': '5000' }, payloadHash: 'UNSIGNED-PAYLOAD' });
  await rawRequest(server.endpoint, [head('PUT', doc.url, doc.headers), '<CORSConfiguration><CORSRule>'], { destroy: true, pauseMs: 100, waitMs: 1000 });
  await new Promise((r) => setTimeout(r, 500));
  const errors = lines.filter((l) => l.level >= 50);
  t.same(errors.map((l) => l.msg), [], 'no error-level line');
  const gone = lines.filter((l) => l.msg === 'client disconnected');
  t.equal(gone.length, 3, 'one debug line per hang-up');
  for (const l of gone) {
    t.equal(l.level, 20, 'at debug level');
    t.equal(l.method, 'PUT');
  }
  // Each hang-up once, with its own request line.
  t.same(gone.map((l) => l.url ?? '').sort(), ['/hangup/plain', '/hangup/sha', '/hangup?cors'].sort(), 'with its URL');
});
