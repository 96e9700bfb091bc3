/**
 * The previous request's CORS decision is reused when everything it was made from repeats
 * (server/cors/cors-enforce.ts LastDecision, issue 19). Random sequences of preflights and GETs
 * with an Origin, each differing from the one before in one value or none, over two buckets whose
 * rules change halfway: every answer's CORS headers must be what the engine decides afresh.
 */
import t from 'tap';
import { compileCors, evaluateActual, evaluatePreflight, type CorsRule } from '../../cors-engine';
import { buildApp } from '../../server/app';
import { openSqliteStorage } from '../../storage';
import { tempDir } from '../helpers/server';
import { corsHeaders, createBucket, putCors, send, type RuleXml } from './cors-fixtures';

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
  let current = { kind: 'preflight', bucket: 'one', key: 'k', origin: A, acrm: 'PUT', acrh: 'content-type' as string | undefined };
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
    const field = pick(['none', 'none', 'kind', 'bucket', 'key', 'origin', 'acrm', 'acrh']);
    if (field === 'kind') current = { ...current, kind: current.kind === 'preflight' ? 'actual' : 'preflight' };
    if (field === 'bucket') current = { ...current, bucket: current.bucket === 'one' ? 'two' : 'one' };
    if (field === 'key') current = { ...current, key: current.key === '' ? 'k' : '' };
    if (field === 'origin') current = { ...current, origin: pick([A, B, C]) };
    if (field === 'acrm') current = { ...current, acrm: pick(['GET', 'PUT', 'DELETE', 'HEAD']) };
    if (field === 'acrh') current = { ...current, acrh: pick(['content-type', 'x-amz-date', 'content-type,x-amz-date', undefined]) };
    const compiled = compileCors({ rules: asRules(rulesOf[current.bucket] as RuleXml[]) });
    const headers: Record<string, string> = { origin: current.origin, 'access-control-request-method': current.acrm };
    if (current.acrh !== undefined) headers['access-control-request-headers'] = current.acrh;
    let expected: Record<string, string>;
    let res;
    if (current.kind === 'preflight') {
      res = await send(app, { method: 'OPTIONS', bucket: current.bucket, ...(current.key === '' ? {} : { key: current.key }), headers, signed: false });
      const decision = evaluatePreflight({
        origin: current.origin, accessControlRequestMethod: current.acrm, accessControlRequestHeaders: current.acrh,
        bucket: compiled, resourceType: current.key === '' ? 'BUCKET' : 'OBJECT',
      });
      expected = decision.allowed ? normal(decision.headers) : {};
    } else {
      res = await send(app, { method: 'GET', bucket: current.bucket, key: current.key === '' ? 'missing' : current.key, headers });
      const decision = evaluateActual({ origin: current.origin, method: 'GET', accessControlRequestMethod: current.acrm, accessControlRequestHeaders: current.acrh, cors: compiled });
      expected = normal(decision.headers);
    }
    sent++;
    const got = normal(res.headers);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      wrong++;
      if (wrong <= 3) t.same(got, expected, `request ${i}: ${JSON.stringify(current)}`);
    }
  }
  t.equal(wrong, 0, `${sent} requests`);
});
