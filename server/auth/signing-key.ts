/**
 * AWS SigV4, "Calculate the signature", step 1 (derive the signing key) and the hashing helpers.
 *
 *   kSecret  = "AWS4" + secret
 *   kDate    = HMAC(kSecret, Date)        Date = YYYYMMDD
 *   kRegion  = HMAC(kDate, Region)
 *   kService = HMAC(kRegion, Service)
 *   kSigning = HMAC(kService, "aws4_request")
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Buffer } from 'node:buffer';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function hmacSha256(key: Buffer | string | KeyObject, data: Buffer | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** HMAC-SHA256 as lower-case hex, digested straight to text (no Buffer in between). */
export function hmacSha256Hex(key: Buffer | string | KeyObject, data: Buffer | string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

const keyObjects = new WeakMap<Buffer, KeyObject>();

/** A signing key as a KeyObject, made once per key: an HMAC keyed by it skips importing the bytes (~0.4 µs). */
export function signingKeyObject(key: Buffer): KeyObject {
  let object = keyObjects.get(key);
  if (object === undefined) {
    object = createSecretKey(key);
    keyObjects.set(key, object);
  }
  return object;
}

/** crypto.hash (node ≥ 20.12): one call, no Hash object; createHash where it is missing. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Buffer | string, encoding: 'hex') => string }).hash;

export function sha256Hex(data: Buffer | string): string {
  return oneShot !== undefined ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

const MAX_CACHED_KEYS = 64;
const cache = new Map<string, Buffer>();

/**
 * The SigV4 signing key, cached per (secret, date, region, service) in a small bounded map
 * (least recently used entry evicted first). The key is a pure function of its inputs, so the
 * cache changes no result.
 */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  // The key of the previous request, compared field by field (no string built, no map touched).
  if (last !== undefined && last.date === date && last.region === region && last.service === service && last.secret === secret) return last.key;
  const key = cachedSigningKey(secret, date, region, service);
  last = { secret, date, region, service, key };
  return key;
}

let last: { secret: string; date: string; region: string; service: string; key: Buffer } | undefined;

function cachedSigningKey(secret: string, date: string, region: string, service: string): Buffer {
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

/**
 * Constant-time comparison of two hex signatures (case-sensitive, lowercase expected): every
 * character is compared whatever the first difference (the length is not secret).
 */
export function signaturesEqual(expected: string, provided: string): boolean {
  if (expected.length !== provided.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
  return diff === 0;
}
