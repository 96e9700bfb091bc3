/** The requests the benchmarks send before anything is timed. */
import { request } from 'undici';
import { runJob } from './loadgen';
import { SMALL_KEY, corsXml, createBucketRequest, digestOf, putBucketCorsRequest, putObjectRequest, type Target } from './requests';
import type { SignedRequest } from './sigv4';

/** One setup request; anything but 200 stops the run. */
export async function send(r: SignedRequest, origin: string, body?: Buffer): Promise<void> {
  const res = await request(origin + r.url, { method: r.method as 'PUT', headers: r.headers, body: body ?? null });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`setup ${r.method} ${r.url}: ${res.statusCode} ${text}`);
}

/**
 * One crossbucket as bench:ab and bench:alloc read it: the bench bucket with its ten CORS rules,
 * the 4 KiB hot key, and a pool of `poolKeys` 4 KiB keys (PUT from this process).
 */
export async function setUpPool(target: Target, poolKeys: number): Promise<void> {
  await send(createBucketRequest(target), target.origin);
  const xml = corsXml();
  await send(putBucketCorsRequest(target, xml), target.origin, Buffer.from(xml));
  const body = Buffer.alloc(4096, 'b');
  await send(putObjectRequest(target, SMALL_KEY, digestOf(body)), target.origin, body);
  const seeded = await runJob({ kind: 'seed-pool', target, size: 4096, keys: poolKeys });
  if (seeded.errors > 0) throw new Error(`seeding the pool: ${seeded.firstError ?? ''}`);
}
