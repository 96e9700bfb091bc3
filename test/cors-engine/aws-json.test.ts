/**
 * aws-cli JSON (docs/spec/cors.md §5 "Seeding"): rawRulesFromAwsJson, corsConfigFromAwsJson, toAwsJson.
 */

import t from 'tap';
import { corsConfigFromAwsJson, rawRulesFromAwsJson, toAwsJson, validateCorsRules } from '../../cors-engine';
import type { CorsConfiguration } from '../../cors-engine';
import { MALFORMED } from './fixtures/rules';

const GUIDE = {
  CORSRules: [
    {
      ID: 'browser-uploads',
      AllowedHeaders: ['*'],
      AllowedMethods: ['GET', 'PUT', 'POST'],
      AllowedOrigins: ['http://localhost:3000', 'https://*.example.com'],
      ExposeHeaders: ['ETag', 'x-amz-version-id'],
      MaxAgeSeconds: 3000,
    },
    { AllowedMethods: ['GET'], AllowedOrigins: ['*'] },
  ],
};

t.test('reads the aws-cli shape into raw rules', async (t) => {
  t.strictSame(rawRulesFromAwsJson(GUIDE), {
    ok: true,
    raw: [
      {
        ids: ['browser-uploads'],
        allowedOrigins: ['http://localhost:3000', 'https://*.example.com'],
        allowedMethods: ['GET', 'PUT', 'POST'],
        allowedHeaders: ['*'],
        exposeHeaders: ['ETag', 'x-amz-version-id'],
        maxAgeSeconds: ['3000'],
      },
      { ids: [], allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: [] },
    ],
  });
});

t.test('round trip: JSON → config → JSON is the identity (members in aws-cli order)', async (t) => {
  const config = corsConfigFromAwsJson(GUIDE);
  if (!config.ok) throw new Error(config.error.message);
  const back = toAwsJson(config.config);
  t.strictSame(back, GUIDE);
  t.strictSame(
    Object.keys((back as { CORSRules: object[] }).CORSRules[0] ?? {}),
    ['ID', 'AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders', 'MaxAgeSeconds'],
  );
  t.equal(JSON.stringify(back), JSON.stringify(GUIDE));
});

t.test('round trip: config → JSON → config is the identity', async (t) => {
  const config: CorsConfiguration = {
    rules: [
      { id: '', allowedHeaders: ['x-AMZ-*'], allowedMethods: ['DELETE', 'GET'], allowedOrigins: [''], exposeHeaders: [], maxAgeSeconds: 0 },
      { allowedHeaders: [], allowedMethods: ['HEAD'], allowedOrigins: ['http://a'], exposeHeaders: ['ETag'] },
    ],
  };
  t.strictSame(corsConfigFromAwsJson(JSON.parse(JSON.stringify(toAwsJson(config)))), { ok: true, config });
});

t.test('#75 toAwsJson invents nothing', async (t) => {
  const config: CorsConfiguration = {
    rules: [{ allowedHeaders: [], allowedMethods: ['GET'], allowedOrigins: ['*'], exposeHeaders: [] }],
  };
  t.strictSame(toAwsJson(config), { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] });
});

t.test('accepts the --cli-input-json wrapper', async (t) => {
  const wrapped = { Bucket: 'photos', CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } };
  t.strictSame(rawRulesFromAwsJson(wrapped), {
    ok: true,
    raw: [{ ids: [], allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: [] }],
  });
});

t.test('null members count as absent', async (t) => {
  const r = rawRulesFromAwsJson({ CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], ID: null, AllowedHeaders: null }] });
  t.strictSame(r.ok && r.raw[0], { ids: [], allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposeHeaders: [], maxAgeSeconds: [] });
});

const shapeErrors: [string, unknown, string][] = [
  ['not an object', [], 'a CORS configuration must be a JSON object {"CORSRules": [...]}'],
  ['a string', 'CORSRules', 'a CORS configuration must be a JSON object {"CORSRules": [...]}'],
  ['null', null, 'a CORS configuration must be a JSON object {"CORSRules": [...]}'],
  ['missing CORSRules', {}, 'missing "CORSRules": a CORS configuration is {"CORSRules": [...]}'],
  ['CORSRules not an array', { CORSRules: {} }, '"CORSRules" must be an array of rules'],
  ['unknown top-level member', { CORSRules: [], Rules: [] }, 'unknown member "Rules": a CORS configuration is {"CORSRules": [...]}'],
  ['wrapper not an object', { CORSConfiguration: [] }, '"CORSConfiguration" must be an object {"CORSRules": [...]}'],
  ['rule not an object', { CORSRules: ['*'] }, 'CORSRules[0] must be an object with AllowedOrigins and AllowedMethods'],
  [
    'XML member name used',
    { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigin: ['*'] }] },
    'CORSRules[0] has an unknown member "AllowedOrigin" (did you mean "AllowedOrigins"?)',
  ],
  [
    'camelCase member name',
    { CORSRules: [{ AllowedMethods: ['GET'], allowedOrigins: ['*'] }] },
    'CORSRules[0] has an unknown member "allowedOrigins" (did you mean "AllowedOrigins"?)',
  ],
  [
    'unrelated member',
    { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], Foo: 1 }] },
    'CORSRules[0] has an unknown member "Foo" (members are ID, AllowedHeaders, AllowedMethods, AllowedOrigins, ExposeHeaders, MaxAgeSeconds)',
  ],
  [
    'string instead of a list',
    { CORSRules: [{ AllowedMethods: 'GET', AllowedOrigins: ['*'] }] },
    'CORSRules[0].AllowedMethods must be an array of strings, e.g. ["GET"]',
  ],
  [
    'non-string list item',
    { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }, { AllowedMethods: ['GET'], AllowedOrigins: [1] }] },
    'CORSRules[1].AllowedOrigins[0] must be a string',
  ],
  ['ID not a string', { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], ID: 7 }] }, 'CORSRules[0].ID must be a string'],
  [
    'MaxAgeSeconds as a string',
    { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSeconds: '3000' }] },
    'CORSRules[0].MaxAgeSeconds must be a non-negative integer number of seconds, got "3000"',
  ],
  [
    'MaxAgeSeconds fractional',
    { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSeconds: 1.5 }] },
    'CORSRules[0].MaxAgeSeconds must be a non-negative integer number of seconds, got 1.5',
  ],
  [
    'MaxAgeSeconds negative',
    { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSeconds: -1 }] },
    'CORSRules[0].MaxAgeSeconds must be a non-negative integer number of seconds, got -1',
  ],
];

for (const [name, json, message] of shapeErrors) {
  t.test(`shape error: ${name}`, async (t) => {
    t.strictSame(rawRulesFromAwsJson(json), { ok: false, error: { code: 'MalformedXML', message } });
  });
}

t.test('S3 checks apply to JSON too', async (t) => {
  t.strictSame(corsConfigFromAwsJson({ CORSRules: [] }), { ok: false, error: { code: 'MalformedXML', message: MALFORMED } });
  t.strictSame(corsConfigFromAwsJson({ CORSRules: [{ AllowedOrigins: ['*'] }] }), {
    ok: false,
    error: { code: 'MalformedXML', message: MALFORMED },
  });
  t.strictSame(corsConfigFromAwsJson({ CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] }), {
    ok: false,
    error: { code: 'InvalidRequest', message: 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH' },
  });
  const direct = rawRulesFromAwsJson(GUIDE);
  t.strictSame(corsConfigFromAwsJson(GUIDE), direct.ok ? validateCorsRules(direct.raw) : direct);
});
