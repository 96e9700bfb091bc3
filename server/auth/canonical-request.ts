/**
 * AWS SigV4, "Create a canonical request" and "Create a string to sign".
 *
 *   CanonicalRequest =
 *     HTTPMethod + '\n' + CanonicalURI + '\n' + CanonicalQueryString + '\n' +
 *     CanonicalHeaders + '\n' + SignedHeaders + '\n' + HashedPayload
 *
 *   StringToSign =
 *     Algorithm + '\n' + RequestDateTime + '\n' + CredentialScope + '\n' +
 *     HexEncode(SHA256(CanonicalRequest))
 */
import { Buffer } from 'node:buffer';
import { sha256Hex } from './signing-key';

/** Request headers as node gives them: lower-case names, repeated ones as arrays. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** The values of a header (lower-case name), or undefined when absent. */
export function headerValues(headers: HeaderMap, name: string): string[] | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

/** The first value of a header, or undefined. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' || value === undefined ? value : value[0];
}

/**
 * SigV4 CanonicalHeaders value: "Trimall(value)": leading and trailing whitespace removed,
 * runs of spaces (and folded line breaks) collapsed to one space; several values of one
 * header "comma-separated" in the order received.
 */
export function canonicalHeaderValue(values: readonly string[] | string): string {
  if (typeof values === 'string') return isTrimmed(values) ? values : trimAll(values);
  if (values.length === 1 && isTrimmed(values[0] as string)) return values[0] as string;
  return values.map(trimAll).join(',');
}

function trimAll(value: string): string {
  return value.replace(LINE_BREAKS, ' ').replace(BLANKS, ' ').trim();
}

const LINE_BREAKS = /[\r\n]+/g;
const BLANKS = /[ \t]+/g;

/**
 * True when Trimall would not change the value (the usual case, checked without building
 * strings): printable ASCII at both ends, no tab or line break, no two spaces in a row.
 */
function isTrimmed(v: string): boolean {
  const n = v.length;
  if (n === 0) return true;
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(n - 1);
  if (first <= 0x20 || first >= 0x7f || last <= 0x20 || last >= 0x7f) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d || (c === 0x20 && v.charCodeAt(i + 1) === 0x20)) return false;
  }
  return true;
}

/**
 * SigV4 CanonicalHeaders: one `name:value\n` line for each signed header, in the order of
 * SignedHeaders (which clients sort). A signed header missing from the request is signed with
 * an empty value, so the signature cannot match.
 */
export function canonicalHeaders(headers: HeaderMap, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) {
    out += `${name}:${canonicalHeaderValue(headers[name] ?? '')}\n`;
  }
  return out;
}

export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  /** The CanonicalHeaders block (each line ending with `\n`). */
  canonicalHeaders: string;
  /** SignedHeaders joined with `;`. */
  signedHeaders: string;
  payloadHash: string;
}

export function buildCanonicalRequest(p: CanonicalRequestParts): string {
  return `${p.method}\n${p.canonicalUri}\n${p.canonicalQuery}\n${p.canonicalHeaders}\n${p.signedHeaders}\n${p.payloadHash}`;
}

export function buildStringToSign(
  algorithm: string,
  amzDate: string,
  scope: string,
  canonicalRequest: string,
): string {
  return `${algorithm}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** S3's `<StringToSignBytes>`/`<CanonicalRequestBytes>` form: lowercase hex bytes, space-separated. */
export function hexBytes(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
