/**
 * Signed `app.inject` requests: SigV4 with the default credentials, made by the AWS SDK's own
 * signer (@smithy/signature-v4), so route tests go through real authentication.
 * Keys are encoded the way the SDK serializer encodes them; virtual-hosted requests put the
 * bucket in the Host header.
 */
import { createHash } from 'node:crypto';
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
}

const signer = new SignatureV4({
  service: 's3',
  region: 'us-east-1',
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  sha256: Sha256,
  uriEscapePath: false,
  applyChecksum: false,
});

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
  const host = virtual && r.bucket !== undefined ? `${r.bucket}.${HOST}` : HOST;
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
  const signed = await signer.sign(
    { method, protocol: 'http:', hostname: host.split(':')[0] ?? host, port: 9000, path, query, headers } as never,
    { signingDate: new Date() },
  );
  return { method, url, headers: signed.headers as Record<string, string> };
}

/** Signs and injects; returns light-my-request's response. */
export async function s3(app: FastifyInstance, r: S3Request) {
  const { method, url, headers } = await signRequest(r);
  return app.inject({ method: method as 'GET', url, headers, ...(r.body !== undefined ? { payload: r.body } : {}) });
}

/** The text of the first `<name>` element of an XML body (entities decoded). */
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
