/**
 * Signed `app.inject` requests: SigV4 with the default credentials, made by the AWS SDK's own
 * signer (@smithy/signature-v4), so route tests go through real authentication.
 * Keys are encoded the way the SDK serializer encodes them; virtual-hosted requests put the
 * bucket in the Host header.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FastifyInstance } from 'fastify';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY } from './server';

export const HOST = 'localhost:9000';

/** One key segment encoded as the SDK does (extended encodeURIComponent). */
export function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A key encoded for a path, `/` kept. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeSegment).join('/');
}

export interface S3Request {
  method?: string;
  bucket?: string;
  key?: string;
  /** Query parameters (unencoded); '' for a bare sub-resource like `?uploads`. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** 'virtual': Host `BUCKET.localhost:9000`, path `/KEY`. */
  style?: 'path' | 'virtual';
  /** Overrides the computed path (still-encoded). */
  rawPath?: string;
  /** false: send no signature at all (anonymous). */
  signed?: boolean;
  /** x-amz-content-sha256; defaults to the hex SHA-256 of the body. */
  payloadHash?: string;
  /** Defaults to crossbucket's default pair. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The Host header, signed as sent (default `localhost:9000`, or `BUCKET.localhost:9000`). */
  host?: string;
}

const DEFAULT_CREDENTIALS = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };
const signers = new Map<string, SignatureV4>();

function signerFor(credentials: { accessKeyId: string; secretAccessKey: string }): SignatureV4 {
  let signer = signers.get(`${credentials.accessKeyId}:${credentials.secretAccessKey}`);
  if (!signer) {
    signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    signers.set(`${credentials.accessKeyId}:${credentials.secretAccessKey}`, signer);
  }
  return signer;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function md5Base64(data: string | Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

function wireQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => {
      const v = query[k] ?? '';
      return v === '' && k !== 'prefix' && k !== 'delimiter' ? encodeSegment(k) : `${encodeSegment(k)}=${encodeSegment(v)}`;
    })
    .join('&');
}

/** The method, URL and headers of a signed request (nothing sent). */
export async function signRequest(r: S3Request): Promise<{ method: string; url: string; headers: Record<string, string> }> {
  const method = r.method ?? 'GET';
  const virtual = r.style === 'virtual';
  const host = r.host ?? (virtual && r.bucket !== undefined ? `${r.bucket}.${HOST}` : HOST);
  let path: string;
  if (r.rawPath !== undefined) path = r.rawPath;
  else if (virtual) path = `/${r.key === undefined ? '' : encodeKey(r.key)}`;
  else path = r.bucket === undefined ? '/' : `/${r.bucket}${r.key === undefined ? '' : `/${encodeKey(r.key)}`}`;
  const query = r.query ?? {};
  const headers: Record<string, string> = { host, ...(r.headers ?? {}) };
  const q = wireQuery(query);
  const url = q === '' ? path : `${path}?${q}`;
  if (r.signed === false) return { method, url, headers };
  headers['x-amz-content-sha256'] = r.payloadHash ?? sha256Hex(r.body ?? '');
  const signed = await signerFor(r.credentials ?? DEFAULT_CREDENTIALS).sign(
    { method, protocol: 'http:', hostname: host.split(':')[0] ?? host, port: 9000, path, query, headers } as never,
    { signingDate: new Date() },
  );
  return { method, url, headers: (signed as unknown as { headers: Record<string, string> }).headers };
}

/** Signs and injects; returns light-my-request's response. */
export async function s3(app: FastifyInstance, r: S3Request) {
  const { method, url, headers } = await signRequest(r);
  return app.inject({ method: method as 'GET', url, headers, ...(r.body !== undefined ? { payload: r.body } : {}) });
}

/**
 * Signs and sends over a real connection to `endpoint`, the path exactly as given (inject
 * normalises `..` segments, a socket does not). The signed Host header is sent unchanged.
 */
export async function s3Http(endpoint: string, r: S3Request): Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { method, url, headers } = await signRequest(r);
  const target = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, method, path: url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** The text of the first `<name>` element of an XML body (entities decoded). */
/**
 * A multipart upload through inject(): Create, one UploadPart per body (checked 200), and the
 * CompleteMultipartUpload response, which the caller checks.
 */
export async function uploadInParts(app: FastifyInstance, bucket: string, key: string, bodies: readonly Buffer[]) {
  const uploadId = xmlText((await s3(app, { method: 'POST', bucket, key, query: { uploads: '' } })).body, 'UploadId') ?? '';
  const parts: string[] = [];
  for (const [i, body] of bodies.entries()) {
    const res = await s3(app, { method: 'PUT', bucket, key, query: { partNumber: String(i + 1), uploadId }, body });
    if (res.statusCode !== 200) throw new Error(`UploadPart ${i + 1}: ${res.statusCode} ${res.body}`);
    parts.push(`<Part><PartNumber>${i + 1}</PartNumber><ETag>${String(res.headers.etag)}</ETag></Part>`);
  }
  return s3(app, { method: 'POST', bucket, key, query: { uploadId }, body: `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>` });
}

export function xmlText(body: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
}

/** Every `<name>` element's text, in order. */
export function xmlTexts(body: string, name: string): string[] {
  return [...body.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => decodeEntities(m[1] ?? ''));
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/**
 * A bucket with ACLs on, made the way a user does it on S3 since April 2023 (docs/access.md):
 * CreateBucket with `x-amz-object-ownership: ObjectWriter`, DeletePublicAccessBlock, then
 * PutBucketAcl with the canned ACL if one is given. Returns the CreateBucket response; throws if a
 * later step fails.
 */
export async function createAclBucket(app: FastifyInstance, bucket: string, acl?: string, credentials?: S3Request['credentials']) {
  const who = credentials === undefined ? {} : { credentials };
  const created = await s3(app, { method: 'PUT', bucket, headers: { 'x-amz-object-ownership': 'ObjectWriter' }, ...who });
  if (created.statusCode !== 200) return created;
  const unblock = await s3(app, { method: 'DELETE', bucket, query: { publicAccessBlock: '' }, ...who });
  if (unblock.statusCode !== 204) throw new Error(`DeletePublicAccessBlock ${bucket}: ${unblock.statusCode} ${unblock.body}`);
  if (acl !== undefined) {
    const put = await s3(app, { method: 'PUT', bucket, query: { acl: '' }, headers: { 'x-amz-acl': acl }, ...who });
    if (put.statusCode !== 200) throw new Error(`PutBucketAcl ${bucket}: ${put.statusCode} ${put.body}`);
  }
  return created;
}
