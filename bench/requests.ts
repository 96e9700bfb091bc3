/**
 * The requests of each workload, shaped like the AWS SDK v3 sends them (PutObject: SHA-256
 * payload hash plus a CRC32 checksum header; GetObject: checksum mode on), signed ahead of time.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { EMPTY_SHA256, objectPath, sha256Hex, signRequest, type Credentials, type SignedRequest } from './sigv4';

export const BUCKET = 'bench';
/** crossbucket only (s3rver 3.7.1 has no versioning): versioning Enabled, its own pool of keys. */
export const VERSIONED_BUCKET = 'bench-versioned';
export const SMALL_KEY = 'object-4k';
/** Large objects: `object-large-<MiB>[-unsigned]` (the ceiling streams any such key to a file of its own). */
export const LARGE_PREFIX = 'object-large-';
/** The ceiling's hashing variant: it computes MD5 + SHA-256 of these bodies while writing them. */
export const HASHING_MARK = '-hashing';

export function largeKey(mib: string, unsigned: boolean, hashing = false): string {
  return `${LARGE_PREFIX}${mib}${unsigned ? '-unsigned' : ''}${hashing ? HASHING_MARK : ''}`;
}

/** The i-th key of the GET/HEAD pool. */
export function poolKey(i: number): string {
  return `pool/key-${String(i).padStart(6, '0')}`;
}
export const CORS_ORIGIN = 'https://app.example.com';
export const PREFLIGHT_HEADERS = 'authorization,content-type,x-amz-content-sha256,x-amz-date';

/** s3rver's built-in account: it checks that the access key exists but does not verify SigV4. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
export const CROSSBUCKET_CREDENTIALS = { accessKeyId: 'crossbucket', secretAccessKey: 'crossbucket-secret', region: 'us-east-1' };

export interface Target {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  creds: Credentials;
}

export function hostOf(target: Target): string {
  return new URL(target.origin).host;
}

export function crc32Base64(body: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(body) >>> 0);
  return b.toString('base64');
}

/** A body's digests, computed once and reused for every request that sends it. */
export interface BodyDigest { sha256: string; crc32: string; size: number }

export function digestOf(body: Buffer): BodyDigest {
  return { sha256: sha256Hex(body), crc32: crc32Base64(body), size: body.length };
}

/** `unsigned`: UNSIGNED-PAYLOAD instead of the body's SHA-256 (nothing for the server to verify). */
export function putObjectRequest(target: Target, key: string, digest: BodyDigest, now?: Date, unsigned = false, bucket = BUCKET): SignedRequest {
  return signRequest({
    method: 'PUT',
    path: objectPath(bucket, key),
    headers: {
      host: hostOf(target),
      'content-type': 'application/octet-stream',
      'content-length': String(digest.size),
      'x-amz-sdk-checksum-algorithm': 'CRC32',
      'x-amz-checksum-crc32': digest.crc32,
    },
    payloadHash: unsigned ? 'UNSIGNED-PAYLOAD' : digest.sha256,
  }, target.creds, now);
}

/**
 * With `origin`, a GET as a page's script sends it: the SDK signs the request, then the browser
 * adds Origin, which scripts cannot set, so it is never one of the signed headers (until the
 * eighteenth round of issue 19 the benchmark signed it, one header more than a browser's).
 */
export function getObjectRequest(target: Target, key: string, method: 'GET' | 'HEAD' = 'GET', origin?: string, bucket = BUCKET): SignedRequest {
  const headers: Record<string, string> = { host: hostOf(target), 'x-amz-checksum-mode': 'ENABLED' };
  const signed = signRequest({ method, path: objectPath(bucket, key), headers, payloadHash: EMPTY_SHA256 }, target.creds);
  if (origin !== undefined) signed.headers.origin = origin;
  return signed;
}

/** A browser's preflight before a signed PUT: never signed. */
export function preflightRequest(target: Target, key: string): SignedRequest {
  return {
    method: 'OPTIONS',
    url: objectPath(BUCKET, key),
    headers: {
      host: hostOf(target),
      origin: CORS_ORIGIN,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': PREFLIGHT_HEADERS,
    },
  };
}

export function listRequest(target: Target, params: Record<string, string>): SignedRequest {
  const query: Array<[string, string]> = [['list-type', '2'], ...Object.entries(params)];
  return signRequest({ method: 'GET', path: objectPath(BUCKET), query, headers: { host: hostOf(target) }, payloadHash: EMPTY_SHA256 }, target.creds);
}

export function createBucketRequest(target: Target, bucket = BUCKET): SignedRequest {
  return signRequest({ method: 'PUT', path: objectPath(bucket), headers: { host: hostOf(target), 'content-length': '0' }, payloadHash: EMPTY_SHA256 }, target.creds);
}

export const VERSIONING_XML = '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>';

/** A bucket configuration PUT (`?versioning`, `?cors`, ...): the document with its Content-MD5. */
function putBucketDocumentRequest(target: Target, bucket: string, subresource: string, xml: string): SignedRequest {
  const body = Buffer.from(xml);
  return signRequest({
    method: 'PUT',
    path: objectPath(bucket),
    query: [[subresource, '']],
    headers: {
      host: hostOf(target),
      'content-type': 'application/xml',
      'content-length': String(body.length),
      'content-md5': createHash('md5').update(body).digest('base64'),
    },
    payloadHash: sha256Hex(body),
  }, target.creds);
}

export function putBucketVersioningRequest(target: Target, bucket: string): SignedRequest {
  return putBucketDocumentRequest(target, bucket, 'versioning', VERSIONING_XML);
}

/**
 * Ten CORS rules; only the last matches the benchmark's origin, so every evaluation walks them
 * all. The others use wildcards and several methods so that they are not trivially skipped.
 */
export function corsXml(): string {
  const rules: string[] = [];
  for (let i = 1; i <= 9; i++) {
    rules.push(
      '<CORSRule>' +
      `<ID>other-${i}</ID>` +
      `<AllowedOrigin>https://*.other-${i}.example.com</AllowedOrigin>` +
      `<AllowedOrigin>http://localhost:${3000 + i}</AllowedOrigin>` +
      '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod>' +
      '<AllowedHeader>*</AllowedHeader>' +
      '<ExposeHeader>ETag</ExposeHeader>' +
      '<MaxAgeSeconds>600</MaxAgeSeconds>' +
      '</CORSRule>',
    );
  }
  rules.push(
    '<CORSRule>' +
    '<ID>app</ID>' +
    `<AllowedOrigin>${CORS_ORIGIN}</AllowedOrigin>` +
    '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
    '<AllowedHeader>*</AllowedHeader>' +
    '<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-request-id</ExposeHeader>' +
    '<MaxAgeSeconds>3000</MaxAgeSeconds>' +
    '</CORSRule>',
  );
  return `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules.join('')}</CORSConfiguration>`;
}

export function putBucketCorsRequest(target: Target, xml: string): SignedRequest {
  return putBucketDocumentRequest(target, BUCKET, 'cors', xml);
}
