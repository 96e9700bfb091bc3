/**
 * The previous request's CORS decision is reused when everything it was made from repeats
 * (server/cors/cors-enforce.ts LastDecision, issue 19). Random sequences of preflights and GETs
 * with an Origin, each differing from the one before in one value or none, over two buckets whose
 * rules change halfway: every answer's status, CORS headers and refusal (its code, Method and
 * ResourceType) must be what the engine decides afresh.
 */
import t from 'tap';
import { compileCors, evaluateActual, evaluatePreflight, type CorsRule } from '../../cors-engine';
import { buildApp } from '../../server/app';
import { openSqliteStorage } from '../../storage';
import { tempDir } from '../helpers/server';
import { corsHeaders, createBucket, errorElements, putCors, send, type RuleXml } from './cors-fixtures';

const A = 'https://a.example';
const B = 'https://b.example';
const C = 'http://c.example';

const before: RuleXml[] = [
  { origins: [A], methods: ['GET', 'PUT'], headers: ['content-type'], expose: ['ETag'], maxAge: 60 },
  { origins: ['https://*.example'], methods: ['GET', 'HEAD'] },
];
const after: RuleXml[] = [
  { origins: [B], methods: ['PUT', 'DELETE'], headers: ['*'] },
  { origins: ['*'], methods: ['GET'] },
];

/** Lower-case names, sorted: the engine names headers as S3 sends them, node's client reads them lower-case. */
const normal = (headers: Record<string, unknown>): Record<string, string> => {
  const lower: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return Object.fromEntries(Object.entries(corsHeaders(lower)).sort(([x], [y]) => (x < y ? -1 : 1)));
};

const asRules = (rules: RuleXml[]): CorsRule[] => rules.map((r) => ({
  allowedOrigins: r.origins, allowedMethods: r.methods, allowedHeaders: r.headers ?? [], exposeHeaders: r.expose ?? [],
  ...(r.maxAge === undefined ? {} : { maxAgeSeconds: r.maxAge }),
}));

t.test('a reused decision is the one the engine makes afresh', async (t) => {
  const tmp = tempDir();
  const storage = openSqliteStorage({ dataDir: tmp.dir });
  const app = buildApp({ storage, logger: false });
  t.teardown(async () => {
    await app.close();
    storage.close();
    tmp.remove();
  });
  const rulesOf: Record<string, RuleXml[]> = { one: before, two: after };
  for (const bucket of Object.keys(rulesOf)) {
    await createBucket(app, bucket);
    await putCors(app, bucket, rulesOf[bucket] as RuleXml[]);
  }

  let seed = 7;
  const pick = <T>(values: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return values[Math.floor((seed / 2147483648) * values.length)] as T;
  };
  let current = { kind: 'preflight', method: 'GET', bucket: 'one', key: 'k', origin: A, acrm: 'PUT', acrh: 'content-type' as string | undefined };
  let wrong = 0;
  let sent = 0;
  for (let i = 0; i < 400; i++) {
    if (i === 200) {
      // New rules for both buckets: a decision made with the old ones must not come back.
      rulesOf.one = after;
      rulesOf.two = before;
      for (const bucket of Object.keys(rulesOf)) await putCors(app, bucket, rulesOf[bucket] as RuleXml[]);
    }
    // One value changed from the request before, or none (a repeat: the reused decision).
    const field = pick(['none', 'none', 'kind', 'method', 'bucket', 'key', 'origin', 'acrm', 'acrh']);
    if (field === 'kind') current = { ...current, kind: current.kind === 'preflight' ? 'actual' : 'preflight' };
    // The actual request's method (a preflight is always OPTIONS).
    if (field === 'method') current = { ...current, method: current.method === 'GET' ? 'HEAD' : 'GET' };
    if (field === 'bucket') current = { ...current, bucket: current.bucket === 'one' ? 'two' : 'one' };
    if (field === 'key') current = { ...current, key: current.key === '' ? 'k' : '' };
    if (field === 'origin') current = { ...current, origin: pick([A, B, C]) };
    if (field === 'acrm') current = { ...current, acrm: pick(['GET', 'PUT', 'DELETE', 'HEAD']) };
    if (field === 'acrh') current = { ...current, acrh: pick(['content-type', 'x-amz-date', 'content-type,x-amz-date', undefined]) };
    const compiled = compileCors({ rules: asRules(rulesOf[current.bucket] as RuleXml[]) });
    const headers: Record<string, string> = { origin: current.origin, 'access-control-request-method': current.acrm };
    if (current.acrh !== undefined) headers['access-control-request-headers'] = current.acrh;
    let expected: { status?: number; cors: Record<string, string>; refusal?: string[][] };
    let res;
    if (current.kind === 'preflight') {
      res = await send(app, { method: 'OPTIONS', bucket: current.bucket, ...(current.key === '' ? {} : { key: current.key }), headers, signed: false });
      const decision = evaluatePreflight({
        origin: current.origin, accessControlRequestMethod: current.acrm, accessControlRequestHeaders: current.acrh,
        bucket: compiled, resourceType: current.key === '' ? 'BUCKET' : 'OBJECT',
      });
      expected = decision.allowed
        ? { status: 200, cors: normal(decision.headers) }
        : {
            status: decision.status, cors: {},
            refusal: [['Code', decision.code], ...(decision.method === undefined ? [] : [['Method', decision.method]]), ...(decision.resourceType === undefined ? [] : [['ResourceType', decision.resourceType]])],
          };
    } else {
      // A key that does not exist: the answer is S3's 404, carrying the CORS headers all the same.
      res = await send(app, { method: current.method, bucket: current.bucket, key: current.key === '' ? 'missing' : current.key, headers });
      const decision = evaluateActual({ origin: current.origin, method: current.method, accessControlRequestMethod: current.acrm, accessControlRequestHeaders: current.acrh, cors: compiled });
      expected = { cors: normal(decision.headers) };
    }
    sent++;
    const got: typeof expected = { cors: normal(res.headers) };
    if (expected.status !== undefined) got.status = res.statusCode;
    if (expected.refusal !== undefined) got.refusal = errorElements(res.body).filter(([name]) => name === 'Code' || name === 'Method' || name === 'ResourceType');
    const text = (v: typeof expected) => JSON.stringify([v.status, v.cors, v.refusal]);
    if (text(got) !== text(expected)) {
      wrong++;
      if (wrong <= 3) t.same(got, expected, `request ${i}: ${JSON.stringify(current)}`);
    }
  }
  t.equal(wrong, 0, `${sent} requests`);
});
