/**
 * Shared by the auth and ACL tests: two configured users besides the default one, requests
 * signed by the AWS SDK's own signer at any date and with any key pair, and a snapshot of
 * everything storage holds (to show that a refused request changed nothing).
 */
import type { FastifyInstance } from 'fastify';
import { makeUser, type User } from '../../server/config';
import type { Storage } from '../../storage';
import { presign, signHeader, type Query } from '../auth/fixtures/signers';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY } from '../helpers/server';

export const OWNER: User = makeUser(ACCESS_KEY_ID, SECRET_ACCESS_KEY, 'Owner Display');
export const OTHER: User = makeUser('other-user', 'other-secret', 'Other Display');
export const THIRD: User = makeUser('third-user', 'third-secret', 'Third Display');
export const USERS = [OWNER, OTHER, THIRD];

export type Who = User | 'anonymous' | { accessKeyId: string; secretAccessKey: string };

export interface Req {
  method?: string;
  /** Raw, already encoded path. */
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string | Buffer;
  who?: Who;
  /** Signing time (default now). */
  date?: Date;
  /** Sign in the query string (presigned URL) instead of the Authorization header. */
  presigned?: { expiresIn: number };
  /** x-amz-content-sha256 for a header signature (default UNSIGNED-PAYLOAD). */
  payloadHash?: string;
  /** Host header (default localhost:9000); `bucket.localhost:9000` for virtual-hosted style. */
  host?: string;
}

function wire(query: Query): string {
  return Object.keys(query).sort().map((k) => {
    const v = query[k];
    const e = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return (Array.isArray(v) ? v : [v ?? '']).map((x) => `${e(k)}=${e(x)}`).join('&');
  }).join('&');
}

/** The method, URL and headers of a request signed (or not) as `who`. */
export async function signFor(r: Req): Promise<{ method: string; url: string; headers: Record<string, string> }> {
  const method = r.method ?? 'GET';
  const who = r.who ?? OWNER;
  if (who === 'anonymous') {
    const q = wire(r.query ?? {});
    return { method, url: q ? `${r.path}?${q}` : r.path, headers: { host: r.host ?? 'localhost:9000', ...(r.headers ?? {}) } };
  }
  const options = {
    method,
    path: r.path,
    query: r.query ?? {},
    headers: r.headers ?? {},
    date: r.date ?? new Date(),
    accessKeyId: who.accessKeyId,
    secret: who.secretAccessKey,
    ...(r.host !== undefined ? { host: r.host } : {}),
  };
  if (r.presigned) {
    const signed = await presign({ ...options, expiresIn: r.presigned.expiresIn });
    return { method, url: signed.rawUrl, headers: signed.headers };
  }
  const headers = { 'x-amz-content-sha256': r.payloadHash ?? 'UNSIGNED-PAYLOAD', ...options.headers };
  const signed = await signHeader({ ...options, headers });
  return { method, url: signed.rawUrl, headers: signed.headers };
}

/** Signs and injects. */
export async function send(app: FastifyInstance, r: Req) {
  const s = await signFor(r);
  return app.inject({ method: s.method as 'GET', url: s.url, headers: s.headers, ...(r.body !== undefined ? { payload: r.body } : {}) });
}

/** Everything a request could change: buckets (owner, ACL, grants, access settings, CORS, policy), objects (ETag, ACL), uploads. */
export function snapshot(storage: Storage): string {
  const out: unknown[] = [];
  for (const b of storage.listBuckets()) {
    const page = storage.listObjects(b.name, { prefix: '', delimiter: '', after: '', maxKeys: 10_000 });
    const objects = page.objects.map((o) => ({ key: o.key, etag: o.etag, owner: o.owner, access: storage.objectAccess(b.name, o.key), meta: storage.headObject(b.name, o.key)?.meta }));
    const uploads = storage.listUploads(b.name, { prefix: '', delimiter: '', keyMarker: '', uploadIdMarker: '', maxUploads: 10_000 }).uploads.map((u) => u.uploadId);
    out.push({ bucket: b, cors: storage.getBucketCors(b.name), policy: storage.getBucketPolicy(b.name), objects, uploads });
  }
  return JSON.stringify(out);
}

/** The text of the first `<name>` element (entities decoded). */
export function xml(body: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(body);
  if (m?.[1] === undefined) return undefined;
  return m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#xA;|&#10;/g, '\n').replace(/&amp;/g, '&');
}

/**
 * A bucket with ACLs on, made the way a user does it on S3 since April 2023 (docs/access.md):
 * CreateBucket with `x-amz-object-ownership: ObjectWriter`, DeletePublicAccessBlock, then the
 * ACL (canned name or `x-amz-grant-*` headers) with PutBucketAcl. Fails the test on any refusal.
 */
export async function aclBucket(app: FastifyInstance, name: string, acl?: string | Record<string, string>, who: Who = OWNER): Promise<void> {
  const steps: Req[] = [
    { method: 'PUT', path: `/${name}`, headers: { 'x-amz-object-ownership': 'ObjectWriter' }, who },
    { method: 'DELETE', path: `/${name}`, query: { publicAccessBlock: '' }, who },
  ];
  if (acl !== undefined) steps.push({ method: 'PUT', path: `/${name}`, query: { acl: '' }, headers: typeof acl === 'string' ? { 'x-amz-acl': acl } : acl, who });
  for (const step of steps) {
    const res = await send(app, step);
    if (res.statusCode >= 300) throw new Error(`aclBucket ${name}: ${step.method} ${JSON.stringify(step.query ?? {})} → ${res.statusCode} ${res.body}`);
  }
}

/** The status of one request by `who`. */
export async function status(app: FastifyInstance, method: string, path: string, who: Who, extra: { query?: Record<string, string>; body?: string; headers?: Record<string, string> } = {}): Promise<number> {
  return (await send(app, { method, path, who, ...extra })).statusCode;
}
