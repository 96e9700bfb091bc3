/**
 * S3 addressing: path style (`/BUCKET/KEY`) and virtual-hosted style (`BUCKET.BASE/KEY`,
 * BASE being `localhost`, `s3.localhost` or a configured domain). The URL itself is never
 * rewritten, because SigV4 signs it as the client sent it.
 */
import type { Address } from '../context';
import { S3Error } from '../errors';
import { lastAnswerIn } from '../auth/last-answer';

export type { Address };

/**
 * The longest path fastify's router matches (its `maxParamLength`; a longer one is not found).
 * The requests answered in front of fastify (server/pipeline/answer-first.ts) leave any longer target to the router.
 */
export const MAX_PATH_LENGTH = 2048;

/** Base domains sorted longest first, so `b.s3.localhost` is bucket `b` under `s3.localhost`. */
export function normaliseBaseDomains(domains: string[]): string[] {
  const all = new Set(['localhost', 's3.localhost', ...domains.map((d) => d.toLowerCase().replace(/^\.+|\.+$/g, ''))]);
  return [...all].filter((d) => d !== '').sort((a, b) => b.length - a.length);
}

/** The bucket named by the Host header's first labels, if the host is under a base domain. */
export function bucketFromHost(host: string | undefined, baseDomains: readonly string[]): string | undefined {
  return host ? hostBucket(host, baseDomains) : undefined;
}

/** A client sends the same Host request after request: the previous answer, for the same server's base domains. */
const hostBucket = lastAnswerIn(parseBucketFromHost);

function parseBucketFromHost(host: string, baseDomains: readonly string[]): string | undefined {
  let name = host.toLowerCase();
  if (name.startsWith('[')) return undefined; // IPv6 literal
  const colon = name.lastIndexOf(':');
  if (colon >= 0) name = name.slice(0, colon);
  for (const base of baseDomains) {
    if (name.length > base.length + 1 && name.endsWith('.' + base)) return name.slice(0, -(base.length + 1));
  }
  return undefined;
}

const ABSOLUTE_FORM = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/;

/**
 * The origin-form (`/path?query`) of a request target. An absolute-form target (RFC 9112
 * section 3.2.2, `PUT http://host/key HTTP/1.1`, as sent through a proxy) is used by its path and
 * query, which is exactly what SigV4 signs; it is accepted only with an http(s) scheme and an
 * authority equal to the Host header (which the signature covers), so the bucket and key never
 * come from anything but the signed path and Host. undefined: refuse the target (InvalidURI).
 * DEVIATION(S3): RFC 9112 has the target's authority replace Host; here the two must agree.
 */
export function originForm(url: string, host: string | undefined): string | undefined {
  if (url.startsWith('/') || url === '*') return url;
  const m = ABSOLUTE_FORM.exec(url);
  if (!m) return undefined;
  const scheme = (m[1] ?? '').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  if (host === undefined || (m[2] ?? '').toLowerCase() !== host.toLowerCase()) return undefined;
  const rest = url.slice(m[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw new S3Error('InvalidURI');
  }
}

/**
 * Query parameters, decoded; `+` is a space (`prefix=dir+with+space/`), as S3 and its clients
 * read a query, and as the SigV4 verifier reads it (server/auth/uri-encode.ts), so a presigned
 * query means the same thing when verified as when used. A literal plus is `%2B`.
 */
export function parseQuery(rawQuery: string): Map<string, string> {
  const query = new Map<string, string>();
  if (rawQuery === '') return query;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1).replace(/\+/g, ' '));
    if (!query.has(name)) query.set(name, value);
  }
  return query;
}

export function parseAddress(url: string, host: string | undefined, baseDomains: string[]): Address {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const query = parseQuery(rawQuery);
  const hostBucket = bucketFromHost(host, baseDomains);
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (hostBucket !== undefined) {
    const address: Address = { bucket: hostBucket, style: 'virtual', rawPath, rawQuery, query };
    if (path !== '') address.key = decode(path);
    return address;
  }
  if (path === '') return { style: 'path', rawPath, rawQuery, query };
  const slash = path.indexOf('/');
  const bucket = decode(slash < 0 ? path : path.slice(0, slash));
  const address: Address = { bucket, style: 'path', rawPath, rawQuery, query };
  const key = slash < 0 ? '' : path.slice(slash + 1);
  if (key !== '') address.key = decode(key);
  return address;
}
