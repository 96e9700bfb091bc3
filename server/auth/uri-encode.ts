/**
 * URI encoding for SigV4 canonical requests.
 *
 * AWS SigV4, "Create a canonical request": "URI-encode each byte ... Do not URI-encode any of
 * the unreserved characters that RFC 3986 defines: A-Z, a-z, 0-9, hyphen (-), underscore (_),
 * period (.), and tilde (~). ... Percent-encode all other characters with %XY, where X and Y
 * are hexadecimal characters (0-9 and uppercase A-F)." S3 encodes the path once (no double
 * encoding) and keeps `/` between segments.
 */
import { Buffer } from 'node:buffer';

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

/** RFC 3986 percent-encoding of raw bytes, uppercase hex; `/` kept when `encodeSlash` is false. */
export function uriEncodeBytes(bytes: Uint8Array, encodeSlash: boolean): string {
  let out = '';
  for (const byte of bytes) {
    if (isUnreserved(byte) || (byte === 0x2f && !encodeSlash)) {
      out += String.fromCharCode(byte);
    } else {
      out += `%${HEX[byte >> 4] ?? '0'}${HEX[byte & 0xf] ?? '0'}`;
    }
  }
  return out;
}

/** RFC 3986 percent-encoding of a string's UTF-8 bytes. */
export function uriEncode(value: string, encodeSlash = true): string {
  return uriEncodeBytes(Buffer.from(value, 'utf8'), encodeSlash);
}

function hexValue(code: number | undefined): number {
  if (code === undefined) return -1;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Percent-decodes to bytes. A `%` not followed by two hex digits stays a literal `%` (so any
 * input decodes); characters outside ASCII become their UTF-8 bytes. With `plusAsSpace`
 * (query strings, as HTML forms and Go's url.ParseQuery read them) `+` is a space.
 */
export function percentDecode(value: string, plusAsSpace: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x25) {
      const hi = hexValue(value.charCodeAt(i + 1));
      const lo = hexValue(value.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
      bytes.push(code);
    } else if (code === 0x2b && plusAsSpace) {
      bytes.push(0x20);
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      const cp = value.codePointAt(i) ?? code;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  return Buffer.from(bytes);
}

/** Splits a request target (origin-form or absolute-form) into its raw path and raw query. */
export function splitRawUrl(rawUrl: string): { path: string; query: string } {
  let target = rawUrl;
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  // An origin-form target (`/…`, the usual one) has no scheme to strip.
  const scheme = target.charCodeAt(0) === 0x2f ? null : SCHEME_AND_AUTHORITY.exec(target);
  if (scheme) target = target.slice(scheme[0].length);
  const q = target.indexOf('?');
  const path = q >= 0 ? target.slice(0, q) : target;
  const query = q >= 0 ? target.slice(q + 1) : '';
  return { path: path === '' ? '/' : path, query };
}

/**
 * The S3 CanonicalURI. AWS SigV4: "Normalize URI paths according to RFC 3986 ... (except for
 * Amazon S3 which ... does not normalize)": `.`/`..` segments and empty segments (`a//b`)
 * stay as sent. Each `/`-separated segment of the raw path is percent-decoded and re-encoded
 * with the RFC 3986 rule, so a client that sent `!` raw but signed `%21` still matches, and
 * an encoded slash (`%2F`) inside a segment stays `%2F`.
 * UNVERIFIED(S3): that S3 re-encodes per segment exactly this way.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  // Unreserved characters and `/` only: decoding and re-encoding give the path back.
  if (isUnreservedOnly(rawPath, true)) return rawPath;
  return rawPath
    .split('/')
    .map((segment) => uriEncodeBytes(percentDecode(segment, false), true))
    .join('/');
}

const SCHEME_AND_AUTHORITY = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/;

/** One query parameter: decoded (UTF-8 text) and as sent. */
export interface QueryParam {
  key: string;
  value: string;
  /** The name and value as they appeared in the raw query, before percent-decoding. */
  rawKey: string;
  rawValue: string;
  /** True when the raw parameter had an `=` (so `?uploads` and `?uploads=` differ here). */
  hasValue: boolean;
}

/** True when `raw` holds only unreserved characters (and `/` with `slash`): decoding and re-encoding give it back. */
function isUnreservedOnly(raw: string, slash = false): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!isUnreserved(c) && !(slash && c === 0x2f)) return false;
  }
  return true;
}

/**
 * True when `raw` is already in SigV4's canonical form: unreserved characters, and `%XY` with
 * uppercase hex for every other byte (a presigned URL's `X-Amz-Credential=AKID%2F20261206%2F…`).
 * Decoding and re-encoding it give it back.
 */
function isCanonicalEncoding(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isUnreserved(c)) continue;
    if (c !== 0x25) return false;
    const hi = upperHexValue(raw.charCodeAt(i + 1));
    const lo = upperHexValue(raw.charCodeAt(i + 2));
    if (hi < 0 || lo < 0 || isUnreserved(hi * 16 + lo)) return false;
    i += 2;
  }
  return true;
}

function upperHexValue(code: number): number {
  return code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x41 && code <= 0x46 ? code - 0x37 : -1;
}

/** True when every character of `raw` is ASCII and none is `+`. */
function isAsciiWithoutPlus(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x80 || c === 0x2b) return false;
  }
  return true;
}

/** A query name or value as text. UNVERIFIED(S3): `+` in the query is read as a space (as Go and HTML forms do). */
function decodeQueryPart(raw: string): string {
  if (isUnreservedOnly(raw)) return raw;
  if (isAsciiWithoutPlus(raw)) {
    // The engine's decoder agrees with percentDecode on well-formed UTF-8 escapes; it throws on
    // anything else (a stray `%`, a broken sequence), which percentDecode reads its own way.
    try {
      return decodeURIComponent(raw);
    } catch {
      // below
    }
  }
  return percentDecode(raw, true).toString('utf8');
}

/** A query name or value in its SigV4 canonical form (decoded, then encoded by RFC 3986). */
function encodeQueryPart(raw: string): string {
  return isCanonicalEncoding(raw) ? raw : uriEncodeBytes(percentDecode(raw, true), true);
}

/** Parses a raw query string (without `?`) in order; empty pieces (`a&&b`) are skipped. */
export function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (rawQuery === '') return params;
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawKey = eq >= 0 ? piece.slice(0, eq) : piece;
    const rawValue = eq >= 0 ? piece.slice(eq + 1) : '';
    params.push({ key: decodeQueryPart(rawKey), value: decodeQueryPart(rawValue), rawKey, rawValue, hasValue: eq >= 0 });
  }
  return params;
}

/** First value of a query parameter by exact name. */
export function queryValue(params: readonly QueryParam[], name: string): string | undefined {
  return params.find((p) => p.key === name)?.value;
}

/**
 * AWS SigV4 CanonicalQueryString: "URI-encode each parameter name and value ... Sort the
 * encoded parameters by parameter name ... (with the same name, sort by value) ... separate
 * name and value with `=` (even when the value is empty) ... join with `&`."
 */
export function canonicalQueryString(
  params: readonly QueryParam[],
  exclude: (key: string) => boolean = () => false,
): string {
  const encoded: Array<[string, string]> = [];
  for (const p of params) {
    if (exclude(p.key)) continue;
    encoded.push([encodeQueryPart(p.rawKey), encodeQueryPart(p.rawValue)]);
  }
  if (encoded.length > 1) encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (const [k, v] of encoded) out += out === '' ? `${k}=${v}` : `&${k}=${v}`;
  return out;
}
