/**
 * docs/spec/cors.md §2: every actual-request (non-OPTIONS) vector, through evaluateActual (§1C).
 * The operation's own outcome (200 object, 404 NoSuchKey, 403 AccessDenied, …) is the server's;
 * here only the CORS headers it must carry are checked.
 */

import t from 'tap';
import { evaluateActual } from '../../cors-engine';
import type { ActualInput, CompiledCors } from '../../cors-engine';
import { CEPH, R1, R2, R3, R4, R5, STAR_GET, VARY3, cors } from './fixtures/rules';

const LH = 'https://localhost:4200';

interface Vector {
  name: string;
  cors: CompiledCors | undefined;
  method?: string;
  origin?: string;
  acrm?: string;
  acrh?: string;
  /** The exact header record; `{}` = no CORS header and no Vary. */
  headers: Record<string, string>;
}

const echoed = (origin: string, methods: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'Access-Control-Allow-Origin': origin,
  'Access-Control-Allow-Credentials': 'true',
  'Access-Control-Allow-Methods': methods,
  ...extra,
  Vary: VARY3,
});
const star = (methods: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': methods,
  ...extra,
  Vary: VARY3,
});
const MA3000 = { 'Access-Control-Max-Age': '3000' };
const NONE = {};

const vectors: Vector[] = [
  // §2.1
  { name: '#4 no CORS, no Origin', cors: undefined, headers: NONE },
  { name: '#5 no CORS, with Origin', cors: undefined, origin: 'whatever', headers: NONE },
  { name: '#8 missing bucket with Origin', cors: undefined, origin: 'http://www.allowedwebsite.com', headers: NONE },
  { name: '#9 no CORS, GET with Origin', cors: undefined, origin: 'http://www.allowedwebsite.com', headers: NONE },
  { name: '#9 no CORS, HEAD with Origin', cors: undefined, method: 'HEAD', origin: 'http://www.allowedwebsite.com', headers: NONE },
  // §2.2 R1
  { name: '#12 get-no-origin: no ACA*, no Vary', cors: R1, headers: NONE },
  { name: '#14 get-referer (Referer is not an Origin)', cors: R1, headers: NONE },
  { name: '#16 get-right-origin: ACAM and ACMA included', cors: R1, origin: LH, headers: echoed(LH, 'GET, PUT', MA3000) },
  { name: '#18 get-wrong-origin', cors: R1, origin: 'http://localhost:4200', headers: NONE },
  // §2.3 R2
  { name: '#20 get-random-wildcard-origin: no ACAC', cors: R2, origin: 'http://random:1234', headers: star('GET, PUT', MA3000) },
  { name: '#21 {*; GET} GET bucket', cors: STAR_GET, origin: 'example.origin', headers: star('GET') },
  // §2.4 Ceph rules
  { name: '#24 foo.suffix', cors: CEPH, origin: 'foo.suffix', headers: echoed('foo.suffix', 'GET') },
  { name: '#25 foo.suffix.get (anchored at the end)', cors: CEPH, origin: 'foo.suffix.get', headers: NONE },
  { name: '#26 startend (wildcard matches empty)', cors: CEPH, origin: 'startend', headers: echoed('startend', 'GET') },
  { name: '#27 0start12end (anchored at the start)', cors: CEPH, origin: '0start12end', headers: NONE },
  { name: '#28 prefix', cors: CEPH, origin: 'prefix', headers: echoed('prefix', 'GET') },
  { name: '#29 bla.prefix', cors: CEPH, origin: 'bla.prefix', headers: NONE },
  { name: 'C foo.bar', cors: CEPH, origin: 'foo.bar', headers: NONE },
  { name: 'C start1end', cors: CEPH, origin: 'start1end', headers: echoed('start1end', 'GET') },
  { name: 'C start12end', cors: CEPH, origin: 'start12end', headers: echoed('start12end', 'GET') },
  { name: 'C prefix.suffix (answered by rule 1)', cors: CEPH, origin: 'prefix.suffix', headers: echoed('prefix.suffix', 'GET') },
  // §2.5 R3
  { name: '#38 get-wrong-op: ACRM used as the method', cors: R3, origin: LH, acrm: 'PUT', headers: NONE },
  { name: '#39 get-op', cors: R3, origin: LH, headers: echoed(LH, 'GET', MA3000) },
  { name: '#41 put-op: no CORS headers', cors: R3, method: 'PUT', origin: LH, headers: NONE },
  { name: '#42 C probe 13: PUT with ACRM GET', cors: CEPH, method: 'PUT', origin: 'foo.suffix', acrm: 'GET', headers: echoed('foo.suffix', 'GET') },
  { name: 'C probe 14: PUT with ACRM PUT', cors: CEPH, method: 'PUT', origin: 'foo.suffix', acrm: 'PUT', headers: NONE },
  { name: 'C probe 15: PUT with ACRM DELETE', cors: CEPH, method: 'PUT', origin: 'foo.suffix', acrm: 'DELETE', headers: NONE },
  { name: 'C probe 16: PUT foo.suffix', cors: CEPH, method: 'PUT', origin: 'foo.suffix', headers: NONE },
  { name: '#43 C probe 17: PUT foo.put', cors: CEPH, method: 'PUT', origin: 'foo.put', headers: echoed('foo.put', 'PUT') },
  // §2.6
  { name: '#48 get-op: request headers are not checked, no ACAH', cors: R4, origin: LH, headers: echoed(LH, 'GET', MA3000) },
  { name: '#54 get-non-allowed-with-acl: ACRH checked on a GET', cors: R5, origin: LH, acrh: 'x-amz-request-payer', headers: NONE },
  { name: '#55 get-non-allowed: plain request headers ignored', cors: R5, origin: LH, headers: echoed(LH, 'GET', MA3000) },
  // §2.7
  { name: '#68 C probe 12: GET missing key (404) keeps CORS headers', cors: CEPH, origin: 'foo.suffix', headers: echoed('foo.suffix', 'GET') },
  {
    name: '#69 website GET, methods GET, HEAD',
    cors: cors({ origins: ['http://www.allowedwebsite.com'], methods: ['GET', 'HEAD'] }),
    origin: 'http://www.allowedwebsite.com',
    headers: echoed('http://www.allowedwebsite.com', 'GET, HEAD'),
  },
  // §2.8
  {
    name: '#73 browser POST Object (method POST)',
    cors: cors({ origins: ['http://x.test'], methods: ['POST'] }),
    method: 'POST',
    origin: 'http://x.test',
    headers: echoed('http://x.test', 'POST'),
  },
  {
    name: '§4.13 POST not allowed: no CORS headers',
    cors: cors({ origins: ['http://x.test'], methods: ['PUT'] }),
    method: 'POST',
    origin: 'http://x.test',
    headers: NONE,
  },
  // §4 decisions
  {
    name: '§4.5 allowed ACRH on a GET: ACAH echoed',
    cors: R5,
    origin: LH,
    acrh: 'X-Amz-Expected-Bucket-Owner',
    headers: echoed(LH, 'GET', { 'Access-Control-Allow-Headers': 'x-amz-expected-bucket-owner', ...MA3000 }),
  },
  { name: '§4.12 no match: no Vary either', cors: R1, origin: 'http://evil.test', headers: NONE },
  { name: '§1A-2 HEAD needs HEAD in AllowedMethod', cors: R1, method: 'HEAD', origin: LH, headers: NONE },
  {
    name: '§1C-5 ExposeHeader and MaxAge on an actual request',
    cors: cors({ origins: ['*'], methods: ['GET'], expose: ['ETag', 'x-amz-version-id'], maxAge: 60 }),
    origin: 'http://a.test',
    headers: star('GET', { 'Access-Control-Expose-Headers': 'ETag, x-amz-version-id', 'Access-Control-Max-Age': '60' }),
  },
  { name: 'UNVERIFIED empty Origin value counts as absent', cors: R2, origin: '', headers: NONE },
  { name: 'UNVERIFIED empty ACRM value: the real method is checked', cors: R3, origin: LH, acrm: '', headers: echoed(LH, 'GET', MA3000) },
];

for (const v of vectors) {
  t.test(v.name, async (t) => {
    const input: ActualInput = { method: v.method ?? 'GET', cors: v.cors };
    if (v.origin !== undefined) input.origin = v.origin;
    if (v.acrm !== undefined) input.accessControlRequestMethod = v.acrm;
    if (v.acrh !== undefined) input.accessControlRequestHeaders = v.acrh;
    const decision = evaluateActual(input);
    t.strictSame(decision.headers, v.headers);
    t.strictSame(Object.keys(decision).sort(), ['explanation', 'headers']);
    t.type(decision.explanation.summary, 'string');
  });
}
