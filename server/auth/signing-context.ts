/** What the header and query parsers of SigV4 hand to the common verification step. */
import type { Credential } from './credential';
import { lastAnswer } from './last-answer';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** S3 allows 15 minutes between the request time and the server's clock. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** Presigned URLs live at most 7 days. */
export const MAX_EXPIRES_SECONDS = 604800;

export interface SigningContext {
  mode: 'header' | 'query';
  credential: Credential;
  /** The request time as signed, `YYYYMMDD'T'HHMMSS'Z'`. */
  amzDate: string;
  /** SignedHeaders as listed by the client (signedHeaderList's answer: do not change it). */
  signedHeaders: readonly string[];
  /** SignedHeaders as sent: the names joined with `;`, the canonical request's fifth line. */
  signedHeadersText: string;
  signature: string;
  /** The last line of the canonical request. */
  payloadHash: string;
}

/** The x-amz-content-sha256 values S3 accepts (besides a hex SHA-256). */
const CONTENT_SHA256_KEYWORDS = new Set([
  UNSIGNED_PAYLOAD,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

/** 64 hex digits, either case (checked before the keyword set: no hash of the string is made). */
function isHexSha256(value: string): boolean {
  if (value.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = value.charCodeAt(i);
    const lower = c | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x66))) return false;
  }
  return true;
}

export function isValidContentSha256(value: string): boolean {
  return isHexSha256(value) || CONTENT_SHA256_KEYWORDS.has(value);
}

/**
 * SignedHeaders split at `;`. A client signs the same list request after request: the previous
 * request's list is handed out again (frozen, so no caller can change it for the next), which also
 * saves V8 looking each name up afresh as a property of the headers.
 */
export const signedHeaderList: (text: string) => readonly string[] = lastAnswer((text: string) => Object.freeze(text.split(';')));
