/**
 * docs/spec/cors.md §5 "Explain": which rule matched, or for every rule consulted the first failing condition.
 */

import t from 'tap';
import { evaluateActual, evaluatePreflight } from '../../cors-engine';
import { CEPH, R1, SC_HEADERS, STAR_GET, cors } from './fixtures/rules';

t.test('#62 rule 0 fails on the header, rule 1 matches', async (t) => {
  const d = evaluatePreflight({
    bucket: SC_HEADERS,
    resourceType: 'OBJECT',
    origin: 'http://a.com',
    accessControlRequestMethod: 'GET',
    accessControlRequestHeaders: 'Puppies',
  });
  t.strictSame(d.explanation, {
    matchedRule: 1,
    rules: [
      { index: 0, matched: false, detail: 'header "puppies" not allowed by ["Content-Type", "amz-*", "Expires"]', failed: 'header' },
      { index: 1, matched: true, detail: 'origin "http://a.com" matches "*", method "GET" allowed, headers ["puppies"] allowed' },
    ],
    summary: 'rule 1 matched',
  });
});

t.test('#30 no rule matched: every rule with its first failing condition', async (t) => {
  const d = evaluatePreflight({ bucket: CEPH, resourceType: 'BUCKET', origin: 'foo.put', accessControlRequestMethod: 'GET' });
  t.strictSame(d.explanation, {
    rules: [
      { index: 0, matched: false, detail: 'origin "foo.put" matches none of ["*suffix"]', failed: 'origin' },
      { index: 1, matched: false, detail: 'origin "foo.put" matches none of ["start*end"]', failed: 'origin' },
      { index: 2, matched: false, detail: 'origin "foo.put" matches none of ["prefix*"]', failed: 'origin' },
      { index: 3, matched: false, detail: 'method "GET" is not one of ["PUT"]', failed: 'method' },
    ],
    summary: 'no rule matched (4 rules tried)',
  });
  t.notOk('matchedRule' in d.explanation);
});

t.test('§1A-1 rules after the matching one are not consulted', async (t) => {
  const d = evaluateActual({ cors: CEPH, method: 'GET', origin: 'prefix.suffix' });
  t.equal(d.explanation.matchedRule, 0);
  t.equal(d.explanation.rules.length, 1);
  t.equal(d.explanation.rules[0]?.detail, 'origin "prefix.suffix" matches "*suffix", method "GET" allowed');
});

t.test('the first header not allowed is named; rule ID carried', async (t) => {
  const bucket = cors(
    { id: 'uploads', origins: ['http://a', 'http://b'], methods: ['PUT'], headers: ['content-type'] },
    { origins: ['*'], methods: ['GET'] },
  );
  const d = evaluatePreflight({
    bucket,
    resourceType: 'OBJECT',
    origin: 'http://b',
    accessControlRequestMethod: 'PUT',
    accessControlRequestHeaders: 'content-type, x-amz-checksum-crc32, x-amz-sdk-checksum-algorithm',
  });
  t.strictSame(d.explanation.rules, [
    {
      index: 0,
      id: 'uploads',
      matched: false,
      detail: 'header "x-amz-checksum-crc32" not allowed by ["content-type"]',
      failed: 'header',
    },
    { index: 1, matched: false, detail: 'method "PUT" is not one of ["GET"]', failed: 'method' },
  ]);
  t.equal(d.explanation.summary, 'no rule matched (2 rules tried)');
});

t.test('a rule with no AllowedHeader says so', async (t) => {
  const d = evaluatePreflight({
    bucket: STAR_GET,
    resourceType: 'OBJECT',
    origin: 'x',
    accessControlRequestMethod: 'GET',
    accessControlRequestHeaders: 'x-amz-request-payer',
  });
  t.strictSame(d.explanation.rules, [
    {
      index: 0,
      matched: false,
      detail: 'header "x-amz-request-payer" not allowed by [] (the rule has no AllowedHeader)',
      failed: 'header',
    },
  ]);
  t.equal(d.explanation.summary, 'no rule matched (1 rule tried)');
});

t.test('matched rule with an ID', async (t) => {
  const d = evaluatePreflight({
    bucket: cors({ id: 'web', origins: ['http://*.test'], methods: ['GET'] }),
    resourceType: 'OBJECT',
    origin: 'http://app.test',
    accessControlRequestMethod: 'GET',
  });
  t.strictSame(d.explanation, {
    matchedRule: 0,
    rules: [{ index: 0, id: 'web', matched: true, detail: 'origin "http://app.test" matches "http://*.test", method "GET" allowed' }],
    summary: 'rule 0 (ID "web") matched',
  });
});

t.test('preflight refusals before rule matching', async (t) => {
  const cases: [Parameters<typeof evaluatePreflight>[0], string][] = [
    [{ bucket: R1, resourceType: 'OBJECT' }, 'refused: the preflight has no Origin header'],
    [{ bucket: 'missing', resourceType: 'OBJECT', origin: 'o' }, 'refused: the bucket does not exist'],
    [{ bucket: 'no-cors', resourceType: 'OBJECT', origin: 'o' }, 'refused: the bucket has no CORS configuration'],
    [{ bucket: R1, resourceType: 'OBJECT', origin: 'o' }, 'refused: the preflight has no Access-Control-Request-Method header'],
  ];
  for (const [input, summary] of cases) {
    t.strictSame(evaluatePreflight(input).explanation, { rules: [], summary }, summary);
  }
});

t.test('actual requests', async (t) => {
  t.strictSame(evaluateActual({ cors: R1, method: 'GET' }).explanation, {
    rules: [],
    summary: 'no Origin header: not a CORS request, no CORS headers',
  });
  t.strictSame(evaluateActual({ cors: undefined, method: 'GET', origin: 'o' }).explanation, {
    rules: [],
    summary: 'no CORS configuration (or no bucket): no CORS headers',
  });
  t.strictSame(
    evaluateActual({ cors: R1, method: 'GET', origin: 'https://localhost:4200', accessControlRequestMethod: 'DELETE' }).explanation,
    {
      rules: [{ index: 0, matched: false, detail: 'method "DELETE" is not one of ["GET", "PUT"]', failed: 'method' }],
      summary: 'no rule matched (1 rule tried); method checked: "DELETE" from Access-Control-Request-Method; no CORS headers',
    },
  );
  t.equal(evaluateActual({ cors: R1, method: 'GET', origin: 'https://localhost:4200' }).explanation.summary, 'rule 0 matched');
});

t.test('the explanation is computed once and serialises with the decision', async (t) => {
  const d = evaluatePreflight({ bucket: R1, resourceType: 'OBJECT', origin: 'http://x', accessControlRequestMethod: 'GET' });
  t.equal(d.explanation, d.explanation, 'same object on every access');
  const json = JSON.parse(JSON.stringify(d)) as { explanation?: { summary?: string } };
  t.equal(json.explanation?.summary, 'no rule matched (1 rule tried)');
  const a = evaluateActual({ cors: R1, method: 'GET', origin: 'https://localhost:4200' });
  t.equal(a.explanation, a.explanation);
  t.equal((JSON.parse(JSON.stringify(a)) as { explanation: { matchedRule: number } }).explanation.matchedRule, 0);
});
