/**
 * §1A and §4 decisions on preflights (UNVERIFIED(S3) choices pinned here), and the structure of
 * a preflight decision.
 */

import t from 'tap';
import { evaluatePreflight } from '../../cors-engine';
import type { PreflightInput } from '../../cors-engine';
import { ACRM_NEEDED, R1, R2, STAR_GET, cors } from './fixtures/rules';
import { badRequest, echoed, notAllowed, runPreflightVectors, star } from './fixtures/preflight';
import type { Vector } from './fixtures/preflight';

const LH = 'https://localhost:4200';

const vectors: Vector[] = [
  { name: '§4.1 ACRM missing with a configuration', bucket: R1, origin: LH, expect: { status: 400, code: 'BadRequest', message: ACRM_NEEDED } },
  {
    name: '§4.4 MaxAgeSeconds 0 is emitted',
    bucket: cors({ origins: ['*'], methods: ['GET'], maxAge: 0 }),
    origin: 'http://a.com',
    acrm: 'GET',
    expect: star('GET', { 'Access-Control-Max-Age': '0' }),
  },
  { name: '§4.6 origin compared case-sensitively', bucket: R1, origin: 'https://LOCALHOST:4200', acrm: 'GET', expect: notAllowed('GET') },
  {
    name: '§4.7 a rule listing `*` answers `*` even when another entry matched',
    bucket: cors({ origins: [LH, '*'], methods: ['GET'] }),
    origin: LH,
    acrm: 'GET',
    expect: star('GET'),
  },
  { name: '§1A-2 ACRM compared case-sensitively', bucket: R1, origin: LH, acrm: 'get', expect: notAllowed('get') },
  {
    name: '§1A-3 explicit default port does not match (DOC)',
    bucket: cors({ origins: ['http://www.example.com'], methods: ['GET'] }),
    origin: 'http://www.example.com:80',
    acrm: 'GET',
    expect: notAllowed('GET'),
  },
  { name: '§1A-3 no trailing-slash normalisation', bucket: R1, origin: `${LH}/`, acrm: 'GET', expect: notAllowed('GET') },
  {
    name: '§1A-3 prefix*: wildcard matches the empty string',
    bucket: cors({ origins: ['http://localhost:*'], methods: ['GET'] }),
    origin: 'http://localhost:',
    acrm: 'GET',
    expect: echoed('http://localhost:', 'GET'),
  },
  {
    name: '§1A-4 x-amz-* prefix pattern',
    bucket: cors({ origins: ['*'], methods: ['GET'], headers: ['x-amz-*'] }),
    origin: 'http://a.com',
    acrm: 'GET',
    acrh: 'X-Amz-Date, x-amz-content-sha256',
    expect: star('GET', { 'Access-Control-Allow-Headers': 'x-amz-date, x-amz-content-sha256' }),
  },
  {
    name: '§1A-4 x-amz-* does not allow authorization',
    bucket: cors({ origins: ['*'], methods: ['GET'], headers: ['x-amz-*'] }),
    origin: 'http://a.com',
    acrm: 'GET',
    acrh: 'x-amz-date, authorization',
    expect: notAllowed('GET'),
  },
  { name: '§4.11 ACRH with only empty items: no header condition, no ACAH', bucket: STAR_GET, origin: 'http://a.com', acrm: 'GET', acrh: ' , ,', expect: star('GET') },
  { name: '§4.11 empty ACRH value: no ACAH', bucket: STAR_GET, origin: 'http://a.com', acrm: 'GET', acrh: '', expect: star('GET') },
  { name: 'UNVERIFIED empty Origin value counts as absent', bucket: R2, origin: '', acrm: 'GET', expect: badRequest },
  { name: 'UNVERIFIED empty ACRM value counts as absent', bucket: R2, origin: 'http://a.com', acrm: '', expect: { status: 400, code: 'BadRequest', message: ACRM_NEEDED } },
];

runPreflightVectors(t, vectors);

t.test('#2 ResourceType BUCKET even for an object path; #17 OBJECT; #23 BUCKET', async (t) => {
  const noCors = evaluatePreflight({ bucket: 'no-cors', resourceType: 'OBJECT', origin: 'o', accessControlRequestMethod: 'PUT' });
  t.equal(noCors.allowed === false && noCors.resourceType, 'BUCKET');
  const obj = evaluatePreflight({ bucket: R1, resourceType: 'OBJECT', origin: 'http://x', accessControlRequestMethod: 'PUT' });
  t.equal(obj.allowed === false && obj.resourceType, 'OBJECT');
  const bkt = evaluatePreflight({ bucket: R1, resourceType: 'BUCKET', origin: 'http://x', accessControlRequestMethod: 'PUT' });
  t.equal(bkt.allowed === false && bkt.resourceType, 'BUCKET');
});

t.test('400 BadRequest has no Method or ResourceType element', async (t) => {
  for (const bucket of ['missing', 'no-cors', R1] as const) {
    const d = evaluatePreflight({ bucket, resourceType: 'OBJECT', accessControlRequestMethod: 'GET' });
    t.notOk('method' in d, 'no method key');
    t.notOk('resourceType' in d, 'no resourceType key');
  }
});

t.test('the returned headers are a fresh object each time', async (t) => {
  const input: PreflightInput = { bucket: R1, resourceType: 'OBJECT', origin: LH, accessControlRequestMethod: 'GET' };
  const a = evaluatePreflight(input);
  const b = evaluatePreflight(input);
  if (!a.allowed || !b.allowed) throw new Error('expected allowed');
  a.headers['X-Test'] = '1';
  t.notOk('X-Test' in b.headers);
});
