/** What the header and query parsers of SigV4 hand to the common verification step. */
import type { Credential } from './credential';

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
  /** SignedHeaders as listed by the client. */
  signedHeaders: string[];
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

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function isValidContentSha256(value: string): boolean {
  return CONTENT_SHA256_KEYWORDS.has(value) || HEX_SHA256.test(value);
}
