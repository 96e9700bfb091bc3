/**
 * Signatures of an aws-chunked body (AWS S3 API, "Signature Calculations for the Authorization
 * Header: Transferring Payload in Multiple Chunks" and "... Including Trailing Headers").
 *
 * Each chunk:   StringToSign = "AWS4-HMAC-SHA256-PAYLOAD" + "\n" + timestamp + "\n" + scope
 *                 + "\n" + previous-signature + "\n" + Hex(SHA256("")) + "\n" + Hex(SHA256(data))
 * The first "previous signature" is the seed: the signature of the request's headers. The final
 * chunk has no data and is signed the same way.
 *
 * Trailer:      StringToSign = "AWS4-HMAC-SHA256-TRAILER" + "\n" + timestamp + "\n" + scope
 *                 + "\n" + previous-signature + "\n" + Hex(SHA256(trailing headers))
 * where the trailing headers are `name:value\n` for each trailer, in order.
 */
import type { Buffer } from 'node:buffer';
import { EMPTY_SHA256, hmacSha256, sha256Hex } from './signing-key';

export const CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';
export const TRAILER_ALGORITHM = 'AWS4-HMAC-SHA256-TRAILER';

export interface ChunkSigningSeed {
  signingKey: Buffer;
  /** The verified signature of the request (the seed). */
  seedSignature: string;
  amzDate: string;
  scope: string;
}

export function chunkStringToSign(seed: ChunkSigningSeed, previousSignature: string, dataSha256Hex: string): string {
  return [CHUNK_ALGORITHM, seed.amzDate, seed.scope, previousSignature, EMPTY_SHA256, dataSha256Hex].join('\n');
}

/** The canonical trailing headers: `name:value\n` each (names lower-case). */
export function canonicalTrailers(trailers: ReadonlyArray<readonly [string, string]>): string {
  return trailers.map(([name, value]) => `${name}:${value}\n`).join('');
}

export function trailerStringToSign(seed: ChunkSigningSeed, previousSignature: string, trailers: string): string {
  return [TRAILER_ALGORITHM, seed.amzDate, seed.scope, previousSignature, sha256Hex(trailers)].join('\n');
}

export function signString(signingKey: Buffer, stringToSign: string): string {
  return hmacSha256(signingKey, stringToSign).toString('hex');
}
