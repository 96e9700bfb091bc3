/**
 * Helpers for the CORS route tests: SigV4-signed `inject` requests (signed by the AWS SDK's own
 * signer), CORSConfiguration documents, and S3 error bodies read element by element.
 */
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FastifyInstance } from 'fastify';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY } from '../helpers/server';

export const HOST = 'localhost:9000';
// The spec's strings, spelled out once for every CORS test (not imported from the engine).
export { BUCKET_NOT_FOUND, MALFORMED, NOT_ALLOWED, NOT_ENABLED, ORIGIN_NEEDED, VARY3 } from '../cors-engine/fixtures/rules';

export interface Req {
  method?: string;
  bucket?: string;
  key?: string;
  /** Raw query string without `?`, signed as given (`cors`, `list-type=2`). */
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  style?: 'path' | 'virtual';
  /** false: anonymous (no signature). */
  signed?: boolean;
  /** x-amz-content-sha256 to sign instead of the body's hex SHA-256 (UNSIGNED-PAYLOAD, STREAMING-…). */
  payloadHash?: string;
  /** Credentials other than the default user's. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

function signerFor(credentials: { accessKeyId: string; secretAccessKey: string }): SignatureV4 {
  return new SignatureV4({ service: 's3', region: 'us-east-1', credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
}

const defaultSigner = signerFor({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });

function parseQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split('&').filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    out[decodeURIComponent(eq < 0 ? part : part.slice(0, eq))] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}

/** A request built (and unless `signed: false`, signed) as `send` sends it: its target and headers. */
export async function signRequest(r: Req): Promise<{ url: string; headers: Record<string, string> }> {
  const method = r.method ?? 'GET';
  const virtual = r.style === 'virtual';
  const host = virtual && r.bucket !== undefined ? `${r.bucket}.${HOST}` : HOST;
  const keyPath = r.key === undefined ? '' : r.key.split('/').map(encodeURIComponent).join('/');
  const path = virtual ? `/${keyPath}` : r.bucket === undefined ? '/' : `/${r.bucket}${r.key === undefined ? '' : `/${keyPath}`}`;
  const url = r.query ? `${path}?${r.query}` : path;
  let headers: Record<string, string> = { host, ...(r.headers ?? {}) };
  if (r.signed !== false) {
    headers['x-amz-content-sha256'] = r.payloadHash ?? createHash('sha256').update(r.body ?? '').digest('hex');
    const signer = r.credentials ? signerFor(r.credentials) : defaultSigner;
    const signed = (await signer.sign(
      { method, protocol: 'http:', hostname: host.split(':')[0] ?? host, port: 9000, path, query: parseQuery(r.query ?? ''), headers } as never,
      { signingDate: new Date() },
    )) as unknown as { headers: Record<string, string> };
    headers = signed.headers;
  }
  return { url, headers };
}

/** Builds (and unless `signed: false`, signs) a request, then injects it. */
export async function send(app: FastifyInstance, r: Req) {
  const { url, headers } = await signRequest(r);
  return app.inject({ method: (r.method ?? 'GET') as 'GET', url, headers, ...(r.body === undefined ? {} : { payload: r.body }) });
}

export function md5Base64(data: string | Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

export interface RuleXml {
  id?: string;
  origins: string[];
  methods: string[];
  headers?: string[];
  expose?: string[];
  maxAge?: number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A CORSConfiguration document with the SDK's namespace (or without, `xmlns: false`). */
export function corsXml(rules: RuleXml[], options: { xmlns?: boolean } = {}): string {
  const el = (name: string, values: readonly (string | number)[] = []) => values.map((v) => `<${name}>${escapeXml(String(v))}</${name}>`).join('');
  const body = rules
    .map((r) => `<CORSRule>${el('ID', r.id === undefined ? [] : [r.id])}${el('AllowedOrigin', r.origins)}${el('AllowedMethod', r.methods)}${el('AllowedHeader', r.headers)}${el('ExposeHeader', r.expose)}${el('MaxAgeSeconds', r.maxAge === undefined ? [] : [r.maxAge])}</CORSRule>`)
    .join('');
  const ns = options.xmlns === false ? '' : ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
  return `<?xml version="1.0" encoding="UTF-8"?><CORSConfiguration${ns}>${body}</CORSConfiguration>`;
}

/** PutBucketCors with Content-MD5, as the owner; returns the response. */
export function putCors(app: FastifyInstance, bucket: string, rules: RuleXml[] | string, headers: Record<string, string> = {}) {
  const body = typeof rules === 'string' ? rules : corsXml(rules);
  return send(app, { method: 'PUT', bucket, query: 'cors', body, headers: { 'content-md5': md5Base64(body), ...headers } });
}

/**
 * A bucket with ACLs on, as the owner, with an optional canned ACL, made the way a user does it on
 * S3 since April 2023 (docs/access.md): CreateBucket with `x-amz-object-ownership: ObjectWriter`,
 * DeletePublicAccessBlock, then PutBucketAcl.
 */
export async function createBucket(app: FastifyInstance, bucket: string, acl?: string) {
  const res = await send(app, { method: 'PUT', bucket, headers: { 'x-amz-object-ownership': 'ObjectWriter' } });
  if (res.statusCode !== 200) throw new Error(`CreateBucket ${bucket}: ${res.statusCode} ${res.body}`);
  const unblock = await send(app, { method: 'DELETE', bucket, query: 'publicAccessBlock' });
  if (unblock.statusCode !== 204) throw new Error(`DeletePublicAccessBlock ${bucket}: ${unblock.statusCode} ${unblock.body}`);
  if (acl === undefined) return;
  const put = await send(app, { method: 'PUT', bucket, query: 'acl', headers: { 'x-amz-acl': acl } });
  if (put.statusCode !== 200) throw new Error(`PutBucketAcl ${bucket}: ${put.statusCode} ${put.body}`);
}

export async function putObject(app: FastifyInstance, bucket: string, key: string, body: string, acl?: string) {
  const res = await send(app, { method: 'PUT', bucket, key, body, headers: acl === undefined ? {} : { 'x-amz-acl': acl } });
  if (res.statusCode !== 200) throw new Error(`PutObject ${bucket}/${key}: ${res.statusCode} ${res.body}`);
}

/** The child elements of `<Error>`, in order: [[name, text], ...]. */
export function errorElements(body: string): Array<[string, string]> {
  const m = /<Error>([\s\S]*)<\/Error>/.exec(body);
  if (!m) return [];
  return [...(m[1] ?? '').matchAll(/<([\w-]+)>([\s\S]*?)<\/\1>/g)].map((x) => [x[1] ?? '', decode(x[2] ?? '')]);
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Response headers whose name starts with `access-control-`, plus `vary`. */
export function corsHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('access-control-') || name === 'vary') out[name] = String(value);
  }
  return out;
}
