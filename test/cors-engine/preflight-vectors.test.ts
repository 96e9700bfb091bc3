/**
 * docs/spec/cors.md §2: every preflight (OPTIONS) vector, through evaluatePreflight (§1B).
 * HTTP-level parts (Content-Type, Content-Length, Connection, std headers) are the server's.
 */

import t from 'tap';
import { BUCKET_NOT_FOUND, CEPH, NOT_ENABLED, R1, R2, R3, R4, R5, SC_HEADERS, STAR_GET, cors } from './fixtures/rules';
import { badRequest, echoed, notAllowed, runPreflightVectors, star } from './fixtures/preflight';
import type { Vector } from './fixtures/preflight';

const LH = 'https://localhost:4200';

const PARTIAL = cors({ origins: ['http://*.origin.com'], methods: ['GET', 'PUT'], maxAge: 3000, headers: ['*'] });
const SC_TWO = cors(
  { origins: ['http://www.allowedwebsite.com', 'http://www.originwith*.com'], methods: ['GET'] },
  { origins: ['*'], methods: ['GET'] },
);

const vectors: Vector[] = [
  // §2.1
  { name: '#1 options-no-origin (no CORS)', bucket: 'no-cors', expect: badRequest },
  {
    name: '#2 options-with-origin-and-method',
    bucket: 'no-cors',
    origin: 'whatever',
    acrm: 'PUT',
    expect: { status: 403, code: 'AccessForbidden', message: NOT_ENABLED, method: 'PUT', resourceType: 'BUCKET' },
  },
  {
    name: '#3 options-with-origin-no-method',
    bucket: 'no-cors',
    origin: 'whatever',
    expect: { status: 403, code: 'AccessForbidden', message: NOT_ENABLED, method: 'OPTIONS', resourceType: 'BUCKET' },
  },
  { name: '#6 missing bucket, no headers', bucket: 'missing', expect: badRequest },
  {
    name: '#7 missing bucket with Origin',
    bucket: 'missing',
    origin: 'whatever',
    expect: { status: 403, code: 'AccessForbidden', message: BUCKET_NOT_FOUND, method: 'OPTIONS', resourceType: 'BUCKET' },
  },
  {
    name: '§4.2 missing bucket with Origin and ACRM: Method = ACRM',
    bucket: 'missing',
    origin: 'whatever',
    acrm: 'PUT',
    expect: { status: 403, code: 'AccessForbidden', message: BUCKET_NOT_FOUND, method: 'PUT', resourceType: 'BUCKET' },
  },
  { name: '§1B-1 missing bucket, ACRM but no Origin: Origin checked first', bucket: 'missing', acrm: 'GET', expect: badRequest },
  // §2.2 R1
  { name: '#11 opt-no-origin', bucket: R1, expect: badRequest },
  { name: '#13 opt-referer (Referer is not an Origin)', bucket: R1, acrm: 'PUT', expect: badRequest },
  { name: '#15 opt-right-origin', bucket: R1, origin: LH, acrm: 'PUT', expect: echoed(LH, 'GET, PUT', { 'Access-Control-Max-Age': '3000' }) },
  { name: '#17 opt-wrong-origin (scheme differs)', bucket: R1, origin: 'http://localhost:4200', acrm: 'PUT', expect: notAllowed('PUT') },
  // §2.3 R2
  {
    name: '#19 opt-random-wildcard-origin',
    bucket: R2,
    origin: 'http://random:1234',
    acrm: 'PUT',
    expect: star('GET, PUT', { 'Access-Control-Max-Age': '3000' }),
  },
  // §2.4
  {
    name: '#22 partial origin on the bucket',
    bucket: PARTIAL,
    resourceType: 'BUCKET',
    origin: 'http://test.origin.com',
    acrm: 'GET',
    expect: echoed('http://test.origin.com', 'GET, PUT', { 'Access-Control-Max-Age': '3000' }),
  },
  {
    name: '#23 partial origin with trailing slash fails, ResourceType BUCKET',
    bucket: PARTIAL,
    resourceType: 'BUCKET',
    origin: 'http://test.origin.com/',
    acrm: 'GET',
    expect: notAllowed('GET', 'BUCKET'),
  },
  { name: '#30 C foo.put ACRM GET', bucket: CEPH, resourceType: 'BUCKET', origin: 'foo.put', acrm: 'GET', expect: notAllowed('GET', 'BUCKET') },
  { name: '#31 C foo.put ACRM PUT', bucket: CEPH, resourceType: 'BUCKET', origin: 'foo.put', acrm: 'PUT', expect: echoed('foo.put', 'PUT') },
  { name: 'C foo.suffix ACRM GET on the object', bucket: CEPH, origin: 'foo.suffix', acrm: 'GET', expect: echoed('foo.suffix', 'GET') },
  { name: 'C foo.bar ACRM GET', bucket: CEPH, resourceType: 'BUCKET', origin: 'foo.bar', acrm: 'GET', expect: notAllowed('GET', 'BUCKET') },
  { name: 'C foo.suffix.get ACRM GET', bucket: CEPH, resourceType: 'BUCKET', origin: 'foo.suffix.get', acrm: 'GET', expect: notAllowed('GET', 'BUCKET') },
  { name: 'C startend ACRM GET', bucket: CEPH, resourceType: 'BUCKET', origin: 'startend', acrm: 'GET', expect: echoed('startend', 'GET') },
  {
    name: '#32 *.allowedorigin.com matches .allowedorigin.com',
    bucket: cors({ origins: ['*.allowedorigin.com'], methods: ['GET'] }),
    origin: '.allowedorigin.com',
    acrm: 'GET',
    expect: echoed('.allowedorigin.com', 'GET'),
  },
  {
    name: '#33 http://www.allowedorigin.* is anchored at the start',
    bucket: cors({ origins: ['http://www.allowedorigin.*'], methods: ['GET'] }),
    origin: 'testhttp://www.allowedorigin.',
    acrm: 'GET',
    expect: notAllowed('GET'),
  },
  { name: '#34 second rule `*` answers', bucket: SC_TWO, origin: 'http://www.anotherorigin.com', acrm: 'GET', expect: star('GET') },
  {
    name: '#35 first rule wildcard entry answers with the echo',
    bucket: SC_TWO,
    origin: 'http://www.originwithtest.com',
    acrm: 'GET',
    expect: echoed('http://www.originwithtest.com', 'GET'),
  },
  { name: '#36 `*` matches a non-origin string', bucket: STAR_GET, origin: 'localhost:4566', acrm: 'GET', expect: star('GET') },
  // §2.5 R3
  { name: '#37 opt-get', bucket: R3, origin: LH, acrm: 'GET', expect: echoed(LH, 'GET', { 'Access-Control-Max-Age': '3000' }) },
  { name: '#40 opt-put', bucket: R3, origin: LH, acrm: 'PUT', expect: notAllowed('PUT') },
  {
    name: '#44 ACAM is the full list in stored order',
    bucket: cors({ origins: ['http://www.allowedwebsite.com'], methods: ['PUT', 'POST', 'DELETE', 'GET'] }),
    origin: 'http://www.allowedwebsite.com',
    acrm: 'DELETE',
    expect: echoed('http://www.allowedwebsite.com', 'PUT, POST, DELETE, GET'),
  },
  { name: '#45 {*; GET} ACRM PUT', bucket: STAR_GET, origin: 'http://a.com', acrm: 'PUT', expect: notAllowed('PUT') },
  { name: '#45 {*; GET} ACRM POST', bucket: STAR_GET, origin: 'http://a.com', acrm: 'POST', expect: notAllowed('POST') },
  { name: '#45 {*; GET} ACRM DELETE', bucket: STAR_GET, origin: 'http://a.com', acrm: 'DELETE', expect: notAllowed('DELETE') },
  // §2.6 headers
  {
    name: '#46 opt-get with ACRH',
    bucket: R4,
    origin: LH,
    acrm: 'GET',
    acrh: 'x-amz-request-payer',
    expect: echoed(LH, 'GET', { 'Access-Control-Allow-Headers': 'x-amz-request-payer', 'Access-Control-Max-Age': '3000' }),
  },
  {
    name: '#47 opt-get-two: ACAH echoes, never `*`',
    bucket: R4,
    origin: LH,
    acrm: 'GET',
    acrh: 'x-amz-request-payer, x-amz-expected-bucket-owner',
    expect: echoed(LH, 'GET', {
      'Access-Control-Allow-Headers': 'x-amz-request-payer, x-amz-expected-bucket-owner',
      'Access-Control-Max-Age': '3000',
    }),
  },
  { name: '#50 opt-get-non-allowed', bucket: R5, origin: LH, acrm: 'GET', acrh: 'x-amz-request-payer', expect: notAllowed('GET') },
  {
    name: '#51 opt-get-allowed',
    bucket: R5,
    origin: LH,
    acrm: 'GET',
    acrh: 'x-amz-expected-bucket-owner',
    expect: echoed(LH, 'GET', { 'Access-Control-Allow-Headers': 'x-amz-expected-bucket-owner', 'Access-Control-Max-Age': '3000' }),
  },
  {
    name: '#52 opt-get-allowed-diff-casing',
    bucket: R5,
    origin: LH,
    acrm: 'GET',
    acrh: 'x-AMZ-expected-BUCKET-owner, x-amz-server-side-encryption',
    expect: echoed(LH, 'GET', {
      'Access-Control-Allow-Headers': 'x-amz-expected-bucket-owner, x-amz-server-side-encryption',
      'Access-Control-Max-Age': '3000',
    }),
  },
  {
    name: '#53 opt-get-allowed-no-space: re-joined with ", "',
    bucket: R5,
    origin: LH,
    acrm: 'GET',
    acrh: 'x-amz-expected-bucket-owner,x-amz-server-side-encryption',
    expect: echoed(LH, 'GET', {
      'Access-Control-Allow-Headers': 'x-amz-expected-bucket-owner, x-amz-server-side-encryption',
      'Access-Control-Max-Age': '3000',
    }),
  },
  { name: '#56 default values: ACAO *, ACAM, VARY3 only', bucket: STAR_GET, origin: 'localhost:4566', acrm: 'GET', expect: star('GET') },
  { name: '#57 opt-get-headers: no AllowedHeader refuses ACRH', bucket: STAR_GET, origin: 'localhost:4566', acrm: 'GET', acrh: 'x-amz-request-payer', expect: notAllowed('GET') },
  {
    name: '#58 ExposeHeader does not allow a request header',
    bucket: cors({ origins: ['*'], methods: ['GET'], expose: ['x-amz-meta-header1'] }),
    origin: 'http://a.com',
    acrm: 'GET',
    acrh: 'x-amz-meta-header2',
    expect: notAllowed('GET'),
  },
  {
    name: '#59 amz-* and Content-Type (case-insensitive)',
    bucket: SC_HEADERS,
    origin: 'http://a.com',
    acrm: 'GET',
    acrh: 'amz-meta-header-test, content-type',
    expect: star('GET', { 'Access-Control-Allow-Headers': 'amz-meta-header-test, content-type' }),
  },
  { name: '#60 ACRH Content-Type lower-cased', bucket: SC_HEADERS, origin: 'http://a.com', acrm: 'GET', acrh: 'Content-Type', expect: star('GET', { 'Access-Control-Allow-Headers': 'content-type' }) },
  { name: '#61 empty ACRH item dropped', bucket: SC_HEADERS, origin: 'http://a.com', acrm: 'GET', acrh: 'content-type,,expires', expect: star('GET', { 'Access-Control-Allow-Headers': 'content-type, expires' }) },
  { name: '#62 only rule 2 allows puppies', bucket: SC_HEADERS, origin: 'http://a.com', acrm: 'GET', acrh: 'puppies', expect: star('GET', { 'Access-Control-Allow-Headers': 'puppies' }) },
  {
    name: '#63 every requested header must be allowed',
    bucket: cors({ origins: ['*'], methods: ['GET'], headers: ['content-type'] }),
    origin: 'http://a.com',
    acrm: 'GET',
    acrh: 'Origin, Accept, content-type',
    expect: notAllowed('GET'),
  },
  // §2.7
  {
    name: '#64 ExposeHeader values joined, case as stored',
    bucket: cors({ origins: ['*'], methods: ['GET'], expose: ['x-amz-id-2', 'x-amz-request-id', 'x-amz-request-payer'] }),
    origin: 'localhost:4566',
    acrm: 'GET',
    expect: star('GET', { 'Access-Control-Expose-Headers': 'x-amz-id-2, x-amz-request-id, x-amz-request-payer' }),
  },
  {
    name: '#65 MaxAgeSeconds 86400',
    bucket: cors({ origins: ['*'], methods: ['GET'], maxAge: 86400 }),
    origin: 'http://a.com',
    acrm: 'GET',
    expect: star('GET', { 'Access-Control-Max-Age': '86400' }),
  },
  {
    name: '#66 missing key does not matter',
    bucket: cors({ origins: ['http://www.allowedwebsite.com'], methods: ['GET'] }),
    origin: 'http://www.allowedwebsite.com',
    acrm: 'GET',
    expect: echoed('http://www.allowedwebsite.com', 'GET'),
  },
  { name: '#67 credentials are not an input: same as #56', bucket: STAR_GET, origin: 'localhost:4566', acrm: 'GET', expect: star('GET') },
  // §2.8
  { name: '#71 presigned URL without Origin', bucket: 'no-cors', expect: badRequest },
  {
    name: '#72 presigned GET',
    bucket: cors({ origins: ['example'], methods: ['GET'] }),
    origin: 'example',
    acrm: 'GET',
    expect: echoed('example', 'GET'),
  },
  {
    name: '#72 presigned PUT',
    bucket: cors({ origins: ['example'], methods: ['PUT'] }),
    origin: 'example',
    acrm: 'PUT',
    expect: echoed('example', 'PUT'),
  },
];

runPreflightVectors(t, vectors);
