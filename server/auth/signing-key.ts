/**
 * AWS SigV4, "Calculate the signature", step 1 (derive the signing key) and the hashing helpers.
 *
 *   kSecret  = "AWS4" + secret
 *   kDate    = HMAC(kSecret, Date)        Date = YYYYMMDD
 *   kRegion  = HMAC(kDate, Region)
 *   kService = HMAC(kRegion, Service)
 *   kSigning = HMAC(kService, "aws4_request")
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Buffer } from 'node:buffer';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function hmacSha256(key: Buffer | string, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const MAX_CACHED_KEYS = 64;
const cache = new Map<string, Buffer>();

/**
 * The SigV4 signing key, cached per (secret, date, region, service) in a small bounded map
 * (least recently used entry evicted first). The key is a pure function of its inputs, so the
 * cache changes no result.
 */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}\n${region}\n${service}\n${secret}`;
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const kDate = hmacSha256(`AWS4${secret}`, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  const kSigning = hmacSha256(kService, 'aws4_request');
  cache.set(id, kSigning);
  if (cache.size > MAX_CACHED_KEYS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return kSigning;
}

/** Number of cached signing keys (for tests of the bound). */
export function signingKeyCacheSize(): number {
  return cache.size;
}

/** Constant-time comparison of two hex signatures (case-sensitive, lowercase expected). */
export function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
