/**
 * A small AWS SigV4 header signer for the load generator: path-style S3 requests whose keys are
 * plain ASCII. Requests are signed before a timed window, so speed matters less than having no
 * dependency on the SDK's async signer; the server under test verifies every signature.
 */
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface RequestToSign {
  method: string;
  /** Path as sent on the wire (each segment already URI-encoded). */
  path: string;
  /** Query parameters (not yet encoded). */
  query?: Array<[string, string]>;
  /** Header names lower-case; `host` must be among them. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
}

export interface SignedRequest {
  method: string;
  /** Path plus `?query` in canonical order, exactly what was signed. */
  url: string;
  headers: Record<string, string>;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding, as SigV4 wants it for query names and values. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/bucket/a/b` with each segment of the key encoded. */
export function objectPath(bucket: string, key?: string): string {
  if (key === undefined) return `/${bucket}`;
  return `/${bucket}/${key.split('/').map(uriEncode).join('/')}`;
}

/** `20240101T000000Z` */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const keyCache = new Map<string, Buffer>();

function signingKey(secret: string, date: string, region: string): Buffer {
  const id = `${secret}\n${date}\n${region}`;
  let key = keyCache.get(id);
  if (key === undefined) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update('s3').digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    keyCache.set(id, key);
  }
  return key;
}

/** Adds x-amz-date, x-amz-content-sha256 and Authorization; signs every header given. */
export function signRequest(req: RequestToSign, creds: Credentials, now: Date = new Date()): SignedRequest {
  const stamp = amzDate(now);
  const date = stamp.slice(0, 8);
  const headers: Record<string, string> = { ...req.headers, 'x-amz-date': stamp, 'x-amz-content-sha256': req.payloadHash };
  const names = Object.keys(headers).map((n) => n.toLowerCase()).sort();
  const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const query = (req.query ?? [])
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [req.method, req.path, query, canonicalHeaders, signedHeaders, req.payloadHash].join('\n');
  const scope = `${date}/${creds.region}/s3/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', signingKey(creds.secretAccessKey, date, creds.region)).update(stringToSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { method: req.method, url: query === '' ? req.path : `${req.path}?${query}`, headers };
}

/** A presigned URL (SigV4 in the query, `host` the one signed header, UNSIGNED-PAYLOAD): path plus query. */
export function presignUrl(req: { method: string; path: string; host: string; expiresSeconds: number }, creds: Credentials, now: Date = new Date()): string {
  const stamp = amzDate(now);
  const date = stamp.slice(0, 8);
  const scope = `${date}/${creds.region}/s3/aws4_request`;
  const params: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${creds.accessKeyId}/${scope}`],
    ['X-Amz-Date', stamp],
    ['X-Amz-Expires', String(req.expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = params.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&');
  const canonicalRequest = [req.method, req.path, query, `host:${req.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', signingKey(creds.secretAccessKey, date, creds.region)).update(stringToSign).digest('hex');
  return `${req.path}?${query}&X-Amz-Signature=${signature}`;
}
