/**
 * docs/spec/cors.md §3: every PutBucketCors validation row (exact code and message), the accepted
 * values, and the pure part of the configuration vectors #75-#77.
 */

import t from 'tap';
import {
  CORS_DOCUMENT_TOO_LARGE_MESSAGE,
  CORS_MAX_DOCUMENT_BYTES,
  MISSING_CONTENT_MD5_MESSAGE,
  NO_SUCH_CORS_CONFIGURATION_MESSAGE,
  validateCorsRules,
} from '../../cors-engine';
import type { RawCorsRule, ValidationResult } from '../../cors-engine';
import { MALFORMED, raw } from './fixtures/rules';

const ok = raw({ origins: ['*'], methods: ['GET'] });
const rule = (patch: Partial<RawCorsRule>): RawCorsRule => ({ ...ok, ...patch });

interface Row {
  name: string;
  rules: RawCorsRule[];
  code: 'MalformedXML' | 'InvalidRequest' | 'InvalidArgument';
  message: string;
}

const invalidRequest = (name: string, rules: RawCorsRule[], message: string): Row => ({ name, rules, code: 'InvalidRequest', message });
const malformed = (name: string, rules: RawCorsRule[]): Row => ({ name, rules, code: 'MalformedXML', message: MALFORMED });
const method = (m: string): string => `Found unsupported HTTP method in CORS config. Unsupported method is ${m}`;

const rows: Row[] = [
  invalidRequest(
    '§3 unsupported method MYMETHOD (other odd members accepted)',
    [rule({ allowedOrigins: ['*', 'https://test.com'], allowedMethods: ['GET', 'MYMETHOD'] })],
    method('MYMETHOD'),
  ),
  invalidRequest('§3 lower-case method get', [rule({ allowedMethods: ['get'] })], method('get')),
  invalidRequest('§3 lower-case method put', [rule({ allowedMethods: ['GET', 'put'] })], method('put')),
  invalidRequest('§3 empty AllowedMethod', [rule({ allowedMethods: [''] })], method('')),
  invalidRequest('§3 OPTIONS is not an AllowedMethod', [rule({ allowedMethods: ['OPTIONS'] })], method('OPTIONS')),
  malformed('§3 zero rules', []),
  malformed('§3 rule without AllowedMethod', [rule({ allowedMethods: [] })]),
  malformed('§3 rule without AllowedOrigin', [rule({ allowedOrigins: [] })]),
  malformed('§3 rule split in two (second lacks AllowedOrigin)', [
    rule({ allowedMethods: ['GET'] }),
    rule({ allowedOrigins: [], allowedMethods: ['PUT'] }),
  ]),
  invalidRequest(
    '§3 AllowedOrigin *example*.com',
    [rule({ allowedOrigins: ['*example*.com'] })],
    'AllowedOrigin "*example*.com" can not have more than one wildcard.',
  ),
  invalidRequest(
    '§3 AllowedOrigin http://*.*.com',
    [rule({ allowedOrigins: ['http://ok.com', 'http://*.*.com'] })],
    'AllowedOrigin "http://*.*.com" can not have more than one wildcard.',
  ),
  invalidRequest(
    '§3 AllowedHeader *-amz-*',
    [rule({ allowedHeaders: ['*-amz-*'] })],
    'AllowedHeader "*-amz-*" can not have more than one wildcard.',
  ),
  invalidRequest(
    '§3 ExposeHeader *',
    [rule({ exposeHeaders: ['*'] })],
    'ExposeHeader "*" contains wildcard. We currently do not support wildcard for ExposeHeader.',
  ),
  invalidRequest(
    '§3 ExposeHeader x-amz-*',
    [rule({ exposeHeaders: ['ETag', 'x-amz-*'] })],
    'ExposeHeader "x-amz-*" contains wildcard. We currently do not support wildcard for ExposeHeader.',
  ),
  invalidRequest(
    '§3 ExposeHeader x-amz-meta-*',
    [rule({ exposeHeaders: ['x-amz-meta-*'] })],
    'ExposeHeader "x-amz-meta-*" contains wildcard. We currently do not support wildcard for ExposeHeader.',
  ),
  invalidRequest('§3 AllowedHeader with a space', [rule({ allowedHeaders: ['x amz'] })], 'AllowedHeader "x amz" contains invalid character.'),
  invalidRequest('§3 AllowedHeader with a colon', [rule({ allowedHeaders: ['x-amz:'] })], 'AllowedHeader "x-amz:" contains invalid character.'),
  invalidRequest('§3 AllowedHeader with a slash', [rule({ allowedHeaders: ['a/b'] })], 'AllowedHeader "a/b" contains invalid character.'),
  invalidRequest('§3 AllowedHeader with a parenthesis', [rule({ allowedHeaders: ['a(b'] })], 'AllowedHeader "a(b" contains invalid character.'),
  invalidRequest('§3 AllowedHeader non-ASCII', [rule({ allowedHeaders: ['x-é'] })], 'AllowedHeader "x-é" contains invalid character.'),
  invalidRequest(
    '§3 ExposeHeader invalid character reported as AllowedHeader',
    [rule({ exposeHeaders: ['x-amz:id'] })],
    'AllowedHeader "x-amz:id" contains invalid character.',
  ),
  invalidRequest(
    '§3 / §4.3 more than 100 rules',
    Array.from({ length: 101 }, () => ok),
    'The number of CORS rules should not exceed allowed limit of 100 rules.',
  ),
  {
    name: '§3 / §4.4 ID longer than 255 characters',
    rules: [rule({ ids: ['x'.repeat(256)] })],
    code: 'InvalidArgument',
    message: 'ID length should not exceed allowed limit of 255',
  },
  malformed('§3 / §4.4 MaxAgeSeconds negative', [rule({ maxAgeSeconds: ['-1'] })]),
  malformed('§3 / §4.4 MaxAgeSeconds fractional', [rule({ maxAgeSeconds: ['1.5'] })]),
  malformed('§3 / §4.4 MaxAgeSeconds non-numeric', [rule({ maxAgeSeconds: ['abc'] })]),
  malformed('§3 / §4.4 MaxAgeSeconds empty', [rule({ maxAgeSeconds: [''] })]),
  malformed('§3 / §4.4 MaxAgeSeconds beyond xs:int', [rule({ maxAgeSeconds: ['2147483648'] })]),
  malformed('§3 / §4.4 two MaxAgeSeconds', [rule({ maxAgeSeconds: ['1', '2'] })]),
  malformed('§3 / §4.4 two ID', [rule({ ids: ['a', 'b'] })]),
  malformed('order: a schema fault wins over a value fault in an earlier rule', [
    rule({ allowedMethods: ['MYMETHOD'] }),
    rule({ ids: ['a', 'b'] }),
  ]),
  invalidRequest(
    'order: value faults reported in document order',
    [rule({ allowedOrigins: ['*a*'] }), rule({ allowedMethods: ['BAD'] })],
    'AllowedOrigin "*a*" can not have more than one wildcard.',
  ),
  invalidRequest(
    'order: AllowedMethod checked before AllowedOrigin in one rule',
    [rule({ allowedOrigins: ['*a*'], allowedMethods: ['BAD'] })],
    method('BAD'),
  ),
  malformed('order: 101 rules with a schema fault is MalformedXML', [
    ...Array.from({ length: 100 }, () => ok),
    rule({ allowedOrigins: [] }),
  ]),
];

function refusal(result: ValidationResult): unknown {
  return result.ok ? { ok: true } : result.error;
}

for (const row of rows) {
  t.test(row.name, async (t) => {
    t.strictSame(refusal(validateCorsRules(row.rules)), { code: row.code, message: row.message });
  });
}

t.test('§3 accepted values', async (t) => {
  const accepted: [string, RawCorsRule[]][] = [
    ['#77 AllowedOrigin ""', [rule({ allowedOrigins: [''] })]],
    ['origins that are not real origins', [rule({ allowedOrigins: ['localhost', 'foo.suffix', 'http://test.com:80'] })]],
    ['one wildcard in AllowedOrigin', [rule({ allowedOrigins: ['http://*.example.com'] })]],
    ['mixed-case AllowedHeader', [rule({ allowedHeaders: ['x-AMZ-server-SIDE-encryption'] })]],
    ['one wildcard in AllowedHeader', [rule({ allowedHeaders: ['*', 'x-amz-*', '*-id'] })]],
    ['all five methods', [rule({ allowedMethods: ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'] })]],
    ['exactly 100 rules', Array.from({ length: 100 }, () => ok)],
    ['ID of exactly 255 characters', [rule({ ids: ['x'.repeat(255)] })]],
    ['ID of 255 non-BMP characters', [rule({ ids: ['😀'.repeat(255)] })]],
    ['MaxAgeSeconds 0', [rule({ maxAgeSeconds: ['0'] })]],
    ['MaxAgeSeconds 2147483647', [rule({ maxAgeSeconds: ['2147483647'] })]],
  ];
  for (const [name, rules] of accepted) {
    t.strictSame(refusal(validateCorsRules(rules)), { ok: true }, name);
  }
});

t.test('#75 nothing is invented for omitted members', async (t) => {
  const result = validateCorsRules([raw({ origins: ['*'], methods: ['GET'] })]);
  t.strictSame(result, {
    ok: true,
    config: { rules: [{ allowedHeaders: [], allowedMethods: ['GET'], allowedOrigins: ['*'], exposeHeaders: [] }] },
  });
  t.notOk(result.ok && 'id' in (result.config.rules[0] ?? {}), 'no id key');
  t.notOk(result.ok && 'maxAgeSeconds' in (result.config.rules[0] ?? {}), 'no maxAgeSeconds key');
});

t.test('#76 values kept in order and casing', async (t) => {
  const result = validateCorsRules([
    {
      ids: ['rule-1'],
      allowedOrigins: ['https://test.com', 'https://app.test.com', 'http://test.com:80'],
      allowedMethods: ['GET', 'PUT', 'HEAD'],
      allowedHeaders: ['x-amz-expected-bucket-owner', 'x-AMZ-server-SIDE-encryption'],
      exposeHeaders: ['ETag'],
      maxAgeSeconds: ['3000'],
    },
  ]);
  t.strictSame(result, {
    ok: true,
    config: {
      rules: [
        {
          id: 'rule-1',
          allowedHeaders: ['x-amz-expected-bucket-owner', 'x-AMZ-server-SIDE-encryption'],
          allowedMethods: ['GET', 'PUT', 'HEAD'],
          allowedOrigins: ['https://test.com', 'https://app.test.com', 'http://test.com:80'],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: 3000,
        },
      ],
    },
  });
});

t.test('#77 empty AllowedOrigin stored as given', async (t) => {
  const result = validateCorsRules([rule({ allowedOrigins: [''] })]);
  t.strictSame(result.ok && result.config.rules[0]?.allowedOrigins, ['']);
});

t.test('validation does not share arrays with its input', async (t) => {
  const input = rule({ allowedOrigins: ['http://a'] });
  const result = validateCorsRules([input]);
  input.allowedOrigins.push('http://b');
  t.strictSame(result.ok && result.config.rules[0]?.allowedOrigins, ['http://a']);
});

t.test('§3 / §4.9 / §4.14 / §1D-4 messages the server sends', async (t) => {
  t.equal(CORS_MAX_DOCUMENT_BYTES, 65536);
  t.equal(CORS_DOCUMENT_TOO_LARGE_MESSAGE, 'The CORS XML document is limited to 64 KB in size.');
  t.equal(MISSING_CONTENT_MD5_MESSAGE, 'Missing required header for this request: Content-MD5');
  t.equal(NO_SUCH_CORS_CONFIGURATION_MESSAGE, 'The CORS configuration does not exist');
});
