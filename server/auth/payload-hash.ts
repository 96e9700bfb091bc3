/**
 * The signed payload (AWS S3 API, "Signature Calculations for the Authorization Header:
 * Transferring Payload in a Single Chunk"): x-amz-content-sha256 holds the hex SHA-256 of the
 * body, and S3 checks it once the body has arrived (`XAmzContentSHA256Mismatch`).
 */
import { createHash, type Hash } from 'node:crypto';
import type { Buffer } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { AuthError, MESSAGES } from './auth-error';

/** True when x-amz-content-sha256 is a hex digest the body must match (not a keyword). */
export function isPayloadDigest(payloadHash: string): boolean {
  return HEX_SHA256.test(payloadHash);
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * A pass-through stream that hashes the body and, at its end, errors with
 * `XAmzContentSHA256Mismatch` when the digest differs from `expectedHex`. Data flows on as it
 * arrives; the error comes before the stream ends, so the consumer discards what it wrote.
 */
export class PayloadHashVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private readonly expected: string;
  private computed: string | undefined;

  constructor(expectedHex: string) {
    super();
    this.expected = expectedHex.toLowerCase();
  }

  /** The hex SHA-256 of the body, once the stream has ended. */
  digest(): string | undefined {
    return this.computed;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.computed = this.hash.digest('hex');
    callback(payloadMismatch(this.expected, this.computed));
  }
}

/** `XAmzContentSHA256Mismatch` when the body's hex SHA-256 is not the signed one, else undefined. */
export function payloadMismatch(expectedHex: string, computedHex: string): AuthError | undefined {
  const expected = expectedHex.toLowerCase();
  if (computedHex === expected) return undefined;
  // UNVERIFIED(S3): the two extra elements' names.
  return new AuthError('XAmzContentSHA256Mismatch', MESSAGES.contentSha256Mismatch, {
    ClientComputedContentSHA256: expected,
    S3ComputedContentSHA256: computedHex,
  });
}

export function createPayloadHashVerifier(expectedHex: string): PayloadHashVerifier {
  return new PayloadHashVerifier(expectedHex);
}
