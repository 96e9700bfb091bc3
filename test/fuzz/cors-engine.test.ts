/**
 * Fuzz – the CORS engine: validateCorsRules and the aws-cli JSON reader answer any input
 * without throwing; every valid configuration compiles; evaluatePreflight and evaluateActual
 * answer any request without throwing, deterministically, and never send what a browser must
 * never see (credentials next to `*`, a comma list in Allow-Origin, CORS headers without Origin).
 */
import fc from 'fast-check';
import t from 'tap';
import {
  compileCors, corsConfigFromAwsJson, evaluateActual, evaluatePreflight, validateCorsRules, type CompiledCors, type RawCorsRule,
} from '../../cors-engine';

const RUNS = Number(process.env.CB_FUZZ_RUNS ?? 600);

const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

const piece = fc.oneof(
  fc.constantFrom('*', 'http://', 'https://', 'a.example', '*.example.com', 'http://*', ':8080', 'GET', 'PUT', 'POST', 'DELETE', 'HEAD',
    'get', 'OPTIONS', 'PATCH', 'x-amz-date', 'Content-Type', 'ETag', 'x-amz-*', '**', ' ', ',', '\t', 'null', '0', '3000', '-1', '2147483648', 'ÿ', '日'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const value = fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join(''));
const values = fc.array(value, { maxLength: 3 });

const rawRule: fc.Arbitrary<RawCorsRule> = fc.record({
  ids: fc.array(value, { maxLength: 2 }),
  allowedOrigins: values,
  allowedMethods: fc.array(fc.oneof(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD'), value), { maxLength: 3 }),
  allowedHeaders: values,
  exposeHeaders: values,
  maxAgeSeconds: fc.array(fc.oneof(fc.constantFrom('0', '3000', '-5', '1.5', ''), value), { maxLength: 2 }),
});

/** Configurations biased toward validity, so evaluation sees many real rule sets. */
const validish: fc.Arbitrary<RawCorsRule> = fc.record({
  ids: fc.constantFrom([], ['rule']),
  allowedOrigins: fc.array(fc.constantFrom('*', 'https://a.example', 'https://*.example.com', 'http://localhost:*', 'null', 'HTTPS://A.EXAMPLE'), { minLength: 1, maxLength: 3 }),
  allowedMethods: fc.subarray(['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], { minLength: 1 }),
  allowedHeaders: fc.array(fc.constantFrom('*', 'x-amz-*', 'Content-Type', 'authorization', 'x-amz-date'), { maxLength: 3 }),
  exposeHeaders: fc.array(fc.constantFrom('ETag', 'x-amz-request-id', 'x-amz-meta-custom'), { maxLength: 2 }),
  maxAgeSeconds: fc.constantFrom([], ['0'], ['3000']),
});

const origin = fc.option(fc.oneof({ arbitrary: fc.constantFrom('https://a.example', 'https://x.example.com', 'http://localhost:8080'), weight: 4 }, fc.constantFrom('https://a.example', 'https://b.example.com', 'https://x.y.example.com', 'http://localhost:3000',
  'null', 'HTTPS://A.EXAMPLE', '', '*', 'https://a.example, https://evil.example', 'https://evil.example'), fc.string({ maxLength: 20 })), { nil: undefined });
const method = fc.option(fc.oneof({ arbitrary: fc.constantFrom('GET', 'PUT'), weight: 4 }, fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'get', 'OPTIONS', 'PATCH', ''), fc.string({ maxLength: 6 })), { nil: undefined });
const requestHeaders = fc.option(fc.oneof(fc.constantFrom('content-type', 'x-amz-date, authorization', 'X-Amz-Meta-A,,', ' , ', 'bad header', '*'),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }).map((h) => h.join(','))), { nil: undefined });

t.test('fuzz – validation answers any rule set; valid ones compile', async (t) => {
  let valid = 0;
  let cases = 0;
  fc.assert(fc.property(fc.array(fc.oneof(rawRule, validish), { maxLength: 4 }), (rules) => {
    cases++;
    const result = validateCorsRules(rules);
    if (result.ok) {
      valid++;
      compileCors(result.config);
      return result.config.rules.length === rules.length;
    }
    return ['MalformedXML', 'InvalidRequest', 'InvalidArgument'].includes(result.error.code) && result.error.message !== '';
  }), { numRuns: RUNS });
  t.comment(`${cases} rule sets, ${valid} valid`);
  t.ok(valid > 0 && valid < cases, 'both valid and refused rule sets were generated');
});

t.test('fuzz – aws-cli JSON of any shape is read or refused', async (t) => {
  let cases = 0;
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.record({ CORSRules: fc.array(fc.dictionary(fc.constantFrom('AllowedOrigins', 'AllowedMethods', 'AllowedHeaders', 'ExposeHeaders', 'MaxAgeSeconds', 'ID', 'Other'), fc.jsonValue()), { maxLength: 3 }) })), (json) => {
    cases++;
    const result = corsConfigFromAwsJson(json);
    return typeof result.ok === 'boolean';
  }), { numRuns: RUNS });
  t.ok(cases >= RUNS, `${cases} JSON documents`);
});

t.test('fuzz – preflight and actual evaluation of any request: no throw, deterministic, browser-safe headers', async (t) => {
  const compiled = fc.array(validish, { minLength: 1, maxLength: 4 }).map((rules): CompiledCors | undefined => {
    const r = validateCorsRules(rules);
    return r.ok ? compileCors(r.config) : undefined;
  }).filter((c): c is CompiledCors => c !== undefined);
  const bucket = fc.oneof(fc.constantFrom<'missing' | 'no-cors'>('missing', 'no-cors'), compiled);
  let allowed = 0;
  let cases = 0;
  fc.assert(fc.property(bucket, origin, method, requestHeaders, method, fc.constantFrom<'BUCKET' | 'OBJECT'>('BUCKET', 'OBJECT'),
    (b, o, acrm, acrh, actualMethod, resourceType) => {
      cases++;
      const input = {
        bucket: b, resourceType,
        ...(o === undefined ? {} : { origin: o }),
        ...(acrm === undefined ? {} : { accessControlRequestMethod: acrm }),
        ...(acrh === undefined ? {} : { accessControlRequestHeaders: acrh }),
      };
      const pre = evaluatePreflight(input);
      if (JSON.stringify(pre) !== JSON.stringify(evaluatePreflight(input))) return false;
      if (pre.allowed) {
        allowed++;
        const h = lower(pre.headers);
        const allowOrigin = h['access-control-allow-origin'];
        if (allowOrigin === undefined || allowOrigin.includes(',')) return false;
        if (allowOrigin === '*' && h['access-control-allow-credentials'] !== undefined) return false;
      } else if (![400, 403].includes(pre.status)) {
        return false;
      }
      const actual = evaluateActual({
        method: actualMethod ?? 'GET', cors: typeof b === 'string' ? undefined : b,
        ...(o === undefined ? {} : { origin: o }),
      });
      const h = lower(actual.headers);
      if (o === undefined && Object.keys(h).length > 0) return false;
      const allowOrigin = h['access-control-allow-origin'];
      if (allowOrigin !== undefined && (allowOrigin.includes(',') || (allowOrigin === '*' && h['access-control-allow-credentials'] !== undefined))) return false;
      return true;
    }), { numRuns: RUNS * 2 });
  t.comment(`${cases} requests, ${allowed} preflights allowed`);
  t.ok(allowed > 0 && allowed < cases, 'both allowed and refused preflights were generated');
});
