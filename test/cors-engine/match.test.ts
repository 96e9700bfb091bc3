/**
 * §1A building blocks: wildcard patterns (§4.10), ACRH parsing (§1A step 4, §4.11), compiling,
 * and the cost of an evaluation.
 */

import t from 'tap';
import fc from 'fast-check';
import { compileCors, evaluateActual, evaluatePreflight, parseRequestHeaders } from '../../cors-engine';
import type { CorsConfiguration } from '../../cors-engine';
import { compilePattern, matchPattern } from '../../cors-engine/compile';
import { cors } from './fixtures/rules';

t.test('wildcard patterns', async (t) => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything at all', true],
    ['', '', true],
    ['', 'a', false],
    ['http://a.com', 'http://a.com', true],
    ['http://a.com', 'http://a.com/', false],
    ['http://*.origin.com', 'http://test.origin.com', true],
    ['http://*.origin.com', 'http://test.origin.com/', false],
    ['http://*.origin.com', 'http://.origin.com', true],
    ['start*end', 'startend', true],
    ['start*end', 'start12end', true],
    ['start*end', '0start12end', false],
    ['prefix*', 'prefix', true],
    ['*suffix', 'foo.suffix.get', false],
    ['ab*ba', 'aba', false], // prefix and suffix may not overlap
    ['ab*ba', 'abba', true],
  ];
  for (const [pattern, value, expected] of cases) {
    t.equal(matchPattern(compilePattern(pattern, false), value), expected, `${JSON.stringify(pattern)} vs ${JSON.stringify(value)}`);
  }
});

t.test('header patterns are lower-cased once; the source is kept', async (t) => {
  const p = compilePattern('X-Amz-*', true);
  t.equal(p.source, 'X-Amz-*');
  t.ok(matchPattern(p, 'x-amz-date'));
  t.notOk(matchPattern(compilePattern('X-Amz-*', false), 'x-amz-date'));
});

/** Reference: the pattern as an anchored regular expression, `*` = `.*`. */
function reference(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const source = star === -1 ? escape(pattern) : `${escape(pattern.slice(0, star))}[\\s\\S]*${escape(pattern.slice(star + 1))}`;
  return new RegExp(`^${source}$`).test(value);
}

t.test('property: matchPattern agrees with an anchored regex (§4.10)', async (t) => {
  const chars = fc.constantFrom('a', 'b', '.', '/', ':');
  const text = fc.string({ unit: chars, maxLength: 6 });
  const pattern = fc.oneof(text, fc.tuple(text, text).map(([a, b]) => `${a}*${b}`));
  fc.assert(
    fc.property(pattern, text, (p, v) => matchPattern(compilePattern(p, false), v) === reference(p, v)),
    { numRuns: 5000 },
  );
  t.pass('5000 runs');
});

t.test('ACRH parsing (§1A step 4, §4.11)', async (t) => {
  t.strictSame(parseRequestHeaders(undefined), []);
  t.strictSame(parseRequestHeaders(''), []);
  t.strictSame(parseRequestHeaders(' , ,'), []);
  t.strictSame(parseRequestHeaders('Content-Type'), ['content-type']);
  t.strictSame(parseRequestHeaders('a,,b'), ['a', 'b']);
  t.strictSame(parseRequestHeaders(' X-Amz-Date ,\tContent-Type,'), ['x-amz-date', 'content-type']);
});

t.test('compileCors copies and freezes its input', async (t) => {
  const config: CorsConfiguration = {
    rules: [{ allowedHeaders: [], allowedMethods: ['GET'], allowedOrigins: ['http://a'], exposeHeaders: [] }],
  };
  const compiled = compileCors(config);
  t.strictSame(compiled.config, config);
  config.rules[0]?.allowedOrigins.push('http://b');
  t.strictSame(compiled.config.rules[0]?.allowedOrigins, ['http://a']);
  t.ok(Object.isFrozen(compiled) && Object.isFrozen(compiled.config.rules[0]?.allowedMethods));
  t.strictSame(evaluateActual({ cors: compiled, method: 'GET', origin: 'http://b' }).headers, {});
});

t.test('speed: an evaluation over 10 rules takes microseconds', async (t) => {
  const specs = Array.from({ length: 9 }, (_, i) => ({
    origins: [`https://app${i}.example.com`, `https://*.tenant${i}.example.com`],
    methods: ['GET', 'PUT'],
    headers: ['content-type', 'x-amz-*'],
    maxAge: 600,
  }));
  const compiled = cors(...specs, { origins: ['https://*.last.example.com'], methods: ['GET', 'PUT', 'POST'], headers: ['*'] });
  const preflight = {
    bucket: compiled,
    resourceType: 'OBJECT' as const,
    origin: 'https://www.last.example.com',
    accessControlRequestMethod: 'PUT',
    accessControlRequestHeaders: 'content-type, x-amz-checksum-crc32, x-amz-date',
  };
  const actual = { cors: compiled, method: 'GET', origin: 'https://www.last.example.com' };
  const n = 100_000;
  for (let i = 0; i < 10_000; i++) {
    evaluatePreflight(preflight);
    evaluateActual(actual);
  }
  let start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) evaluatePreflight(preflight);
  const preflightNs = Number(process.hrtime.bigint() - start) / n;
  start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) evaluateActual(actual);
  const actualNs = Number(process.hrtime.bigint() - start) / n;
  t.comment(`preflight ${(preflightNs / 1000).toFixed(2)} µs, actual ${(actualNs / 1000).toFixed(2)} µs (10 rules, match on the last)`);
  // Generous bound so a loaded CI machine does not flake; typical is well under 2 µs.
  t.ok(preflightNs < 50_000, 'preflight under 50 µs');
  t.ok(actualNs < 50_000, 'actual under 50 µs');
  const d = evaluatePreflight(preflight);
  t.equal(d.allowed && d.headers['Access-Control-Allow-Headers'], 'content-type, x-amz-checksum-crc32, x-amz-date');
});
