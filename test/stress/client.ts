/**
 * The client side of the stress runs: an AWS SDK v3 client (default checksum settings, path
 * style, no retries so each call is one request), bodies, MD5s and error classification.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';

export const ACCESS_KEY_ID = 'crossbucket';
export const SECRET_ACCESS_KEY = 'crossbucket-secret';

export function stressClient(endpoint: string, sockets = 256): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: sockets }), requestTimeout: 60_000 },
  });
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** The ETag of a multipart object: MD5 of the concatenated part MD5s, `-N`. */
export function multipartEtag(parts: Uint8Array[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(createHash('md5').update(p).digest());
  return `"${h.digest('hex')}-${parts.length}"`;
}

/** A small deterministic PRNG (mulberry32), so a run's choices can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Mostly small bodies, some up to 2 MiB, a few empty. */
export function randomBody(random: () => number): Buffer {
  const r = random();
  let size: number;
  if (r < 0.05) size = 0;
  else if (r < 0.65) size = Math.floor(random() * 16 * 1024);
  else if (r < 0.93) size = 16 * 1024 + Math.floor(random() * 240 * 1024);
  else size = 256 * 1024 + Math.floor(random() * 1792 * 1024);
  return randomBytes(size);
}

/** The HTTP status of an SDK failure; undefined when no response came back (network error). */
export function httpStatusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

export function describe(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return `${e.name ?? 'Error'}${e.code ? ` ${e.code}` : ''} (${e.$metadata?.httpStatusCode ?? 'no status'}): ${e.message ?? String(err)}`;
}
