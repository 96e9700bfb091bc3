/**
 * Load: a mixed workload at a fixed concurrency for a fixed time (PutObject, GetObject whole
 * and ranged, HeadObject, ListObjectsV2, DeleteObject, CORS preflights allowed and refused)
 * across many keys. Every read is checked against what was written (one operation per key at
 * a time, so the expected answer is exact); any 5xx, unexpected status or wrong byte counts
 * as an error. The server's RSS is sampled once a second.
 */
import {
  CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command,
  PutBucketCorsCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { describe, httpStatusOf, md5Hex, pick, prng, stressClient } from './client';

export const LOAD_BUCKET = 'load-test';
export const ALLOWED_ORIGIN = 'https://app.example';

export interface LoadOptions {
  endpoint: string;
  seconds: number;
  concurrency: number;
  keys: number;
  seed: number;
  /** The server's resident set size, sampled once a second. */
  rss?: () => number | undefined;
  log?: (line: string) => void;
}

export type OpName = 'put' | 'get' | 'range' | 'head' | 'list' | 'delete' | 'preflight' | 'preflight-refused';

export interface LoadFigures {
  seed: number;
  seconds: number;
  concurrency: number;
  ops: Record<OpName, number>;
  total: number;
  perSecond: number;
  bytesWritten: number;
  bytesRead: number;
  errors: number;
  status5xx: number;
  wrongBytes: number;
  /** RSS in MiB: after the first second, the highest, at the end. */
  rssMiB: { first: number; peak: number; last: number; samples: number[] } | undefined;
  latencyMs: { p50: number; p99: number; max: number };
  firstErrors: string[];
}

interface Slot { key: string; body: Buffer | undefined; busy: boolean; version: number }

const WEIGHTS: Array<[OpName, number]> = [
  ['put', 25], ['get', 22], ['range', 8], ['head', 10], ['list', 8], ['delete', 9], ['preflight', 12], ['preflight-refused', 6],
];

function chooseOp(random: () => number): OpName {
  const total = WEIGHTS.reduce((n, [, w]) => n + w, 0);
  let r = random() * total;
  for (const [name, w] of WEIGHTS) {
    if ((r -= w) < 0) return name;
  }
  return 'get';
}

function loadBody(random: () => number): Buffer {
  const r = random();
  const size = r < 0.05 ? 0 : r < 0.9 ? Math.floor(random() * 32 * 1024) : 32 * 1024 + Math.floor(random() * 992 * 1024);
  return randomBytes(size);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const random = prng(options.seed);
  const client: S3Client = stressClient(options.endpoint, options.concurrency + 8);
  const dispatcher = new Agent({ connections: 16 });
  const host = new URL(options.endpoint).host;
  const prefixes = Array.from({ length: 8 }, (_, i) => `p${i}/`);
  const slots: Slot[] = Array.from({ length: options.keys }, (_, i) => ({
    key: `${prefixes[i % prefixes.length] ?? ''}k${String(i).padStart(5, '0')}`, body: undefined, busy: false, version: 0,
  }));
  const figures: LoadFigures = {
    seed: options.seed, seconds: options.seconds, concurrency: options.concurrency,
    ops: { put: 0, get: 0, range: 0, head: 0, list: 0, delete: 0, preflight: 0, 'preflight-refused': 0 },
    total: 0, perSecond: 0, bytesWritten: 0, bytesRead: 0, errors: 0, status5xx: 0, wrongBytes: 0, rssMiB: undefined,
    latencyMs: { p50: 0, p99: 0, max: 0 }, firstErrors: [],
  };
  const latencies: number[] = [];
  const error = (text: string, status?: number) => {
    figures.errors++;
    if (status !== undefined && status >= 500) figures.status5xx++;
    if (figures.firstErrors.length < 20) figures.firstErrors.push(text);
  };
  const wrong = (text: string) => {
    figures.wrongBytes++;
    error(text);
  };

  await client.send(new CreateBucketCommand({ Bucket: LOAD_BUCKET }));
  await client.send(new PutBucketCorsCommand({
    Bucket: LOAD_BUCKET,
    CORSConfiguration: { CORSRules: [{ AllowedOrigins: [ALLOWED_ORIGIN], AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 }] },
  }));

  const take = (): Slot | undefined => {
    const start = Math.floor(random() * slots.length);
    for (let i = 0; i < slots.length; i++) {
      const s = slots[(start + i) % slots.length] as Slot;
      if (!s.busy) {
        s.busy = true;
        s.version++;
        return s;
      }
    }
    return undefined;
  };
  const release = (s: Slot) => {
    s.busy = false;
    s.version++;
  };

  const expectMissing = (what: string, err: unknown) => {
    const status = httpStatusOf(err);
    if (status === 404) return;
    error(`${what}: ${describe(err)}`, status);
  };

  const ops: Record<OpName, () => Promise<void>> = {
    put: async () => {
      const s = take();
      if (!s) return;
      try {
        const body = loadBody(random);
        const res = await client.send(new PutObjectCommand({ Bucket: LOAD_BUCKET, Key: s.key, Body: body }));
        s.body = body;
        figures.bytesWritten += body.length;
        if (res.ETag !== `"${md5Hex(body)}"`) wrong(`PUT ${s.key}: ETag ${res.ETag}`);
      } catch (err) {
        // The outcome is unknown: forget the key's contents rather than guess.
        s.body = undefined;
        error(`PUT ${s.key}: ${describe(err)}`, httpStatusOf(err));
        slots.splice(slots.indexOf(s), 1);
        return;
      } finally {
        release(s);
      }
    },
    get: async () => {
      const s = take();
      if (!s) return;
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: LOAD_BUCKET, Key: s.key }));
        const got = Buffer.from((await res.Body?.transformToByteArray()) ?? []);
        figures.bytesRead += got.length;
        if (!s.body) wrong(`GET ${s.key}: ${got.length} B for a deleted key`);
        else if (!got.equals(s.body)) wrong(`GET ${s.key}: ${got.length} B differ from the ${s.body.length} B written`);
        else if (res.ETag !== `"${md5Hex(s.body)}"`) wrong(`GET ${s.key}: ETag ${res.ETag}`);
      } catch (err) {
        if (s.body) error(`GET ${s.key}: ${describe(err)}`, httpStatusOf(err));
        else expectMissing(`GET ${s.key}`, err);
      } finally {
        release(s);
      }
    },
    range: async () => {
      const s = take();
      if (!s) return;
      const size = s.body?.length ?? 0;
      if (size < 2) return release(s);
      const a = Math.floor(random() * size);
      const b = a + Math.floor(random() * (size - a));
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: LOAD_BUCKET, Key: s.key, Range: `bytes=${a}-${b}` }));
        const got = Buffer.from((await res.Body?.transformToByteArray()) ?? []);
        figures.bytesRead += got.length;
        if (!s.body || !got.equals(s.body.subarray(a, b + 1))) wrong(`GET ${s.key} bytes=${a}-${b}: wrong bytes`);
        else if (res.ContentRange !== `bytes ${a}-${b}/${size}`) wrong(`GET ${s.key} bytes=${a}-${b}: Content-Range ${res.ContentRange}`);
      } catch (err) {
        error(`GET ${s.key} bytes=${a}-${b}: ${describe(err)}`, httpStatusOf(err));
      } finally {
        release(s);
      }
    },
    head: async () => {
      const s = take();
      if (!s) return;
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket: LOAD_BUCKET, Key: s.key }));
        if (!s.body) wrong(`HEAD ${s.key}: found a deleted key`);
        else if (res.ETag !== `"${md5Hex(s.body)}"` || res.ContentLength !== s.body.length) wrong(`HEAD ${s.key}: ${res.ETag} ${res.ContentLength}`);
      } catch (err) {
        if (s.body) error(`HEAD ${s.key}: ${describe(err)}`, httpStatusOf(err));
        else expectMissing(`HEAD ${s.key}`, err);
      } finally {
        release(s);
      }
    },
    delete: async () => {
      const s = take();
      if (!s) return;
      try {
        await client.send(new DeleteObjectCommand({ Bucket: LOAD_BUCKET, Key: s.key }));
        s.body = undefined;
      } catch (err) {
        error(`DELETE ${s.key}: ${describe(err)}`, httpStatusOf(err));
      } finally {
        release(s);
      }
    },
    list: async () => {
      const prefix = pick(random, prefixes);
      const mine = slots.filter((s) => s.key.startsWith(prefix));
      const before = mine.map((s) => (s.busy ? -1 : s.version));
      try {
        const listed = new Map<string, { etag: string; size: number }>();
        let token: string | undefined;
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket: LOAD_BUCKET, Prefix: prefix, ContinuationToken: token }));
          for (const o of page.Contents ?? []) listed.set(o.Key ?? '', { etag: o.ETag ?? '', size: o.Size ?? -1 });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token !== undefined);
        // Only keys no operation touched while the listing ran have a known answer.
        mine.forEach((s, i) => {
          if (s.busy || before[i] !== s.version) return;
          const l = listed.get(s.key);
          if (!s.body && l) wrong(`LIST ${prefix}: shows deleted ${s.key}`);
          else if (s.body && !l) wrong(`LIST ${prefix}: misses ${s.key}`);
          else if (s.body && l && (l.etag !== `"${md5Hex(s.body)}"` || l.size !== s.body.length)) wrong(`LIST ${prefix}: ${s.key} as ${l.etag} ${l.size}`);
        });
      } catch (err) {
        error(`LIST ${prefix}: ${describe(err)}`, httpStatusOf(err));
      }
    },
    preflight: async () => {
      const key = pick(random, slots).key;
      const res = await request(`${options.endpoint}/${LOAD_BUCKET}/${encodeURIComponent(key)}`, {
        method: 'OPTIONS', dispatcher,
        headers: { host, origin: ALLOWED_ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-amz-date' },
      });
      await res.body.dump();
      if (res.statusCode !== 200 || res.headers['access-control-allow-origin'] !== ALLOWED_ORIGIN) {
        error(`preflight ${key}: ${res.statusCode} allow-origin=${String(res.headers['access-control-allow-origin'])}`, res.statusCode);
      }
    },
    'preflight-refused': async () => {
      const res = await request(`${options.endpoint}/${LOAD_BUCKET}/x`, {
        method: 'OPTIONS', dispatcher,
        headers: { host, origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
      });
      const text = await res.body.text();
      if (res.statusCode !== 403 || !text.includes('<Code>AccessForbidden</Code>') || res.headers['access-control-allow-origin'] !== undefined) {
        error(`refused preflight: ${res.statusCode} ${text.slice(0, 120)}`, res.statusCode);
      }
    },
  };

  const rssSamples: number[] = [];
  const sampler = setInterval(() => {
    const rss = options.rss?.();
    if (rss !== undefined) rssSamples.push(Math.round(rss / 1024 / 1024));
  }, 1000);
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const name = chooseOp(random);
      const t0 = performance.now();
      try {
        await ops[name]();
      } catch (err) {
        error(`${name}: ${describe(err)}`);
      }
      latencies.push(performance.now() - t0);
      figures.ops[name]++;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(sampler);
    client.destroy();
    await dispatcher.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  figures.total = Object.values(figures.ops).reduce((a, b) => a + b, 0);
  figures.perSecond = Math.round(figures.total / elapsed);
  latencies.sort((a, b) => a - b);
  figures.latencyMs = { p50: Math.round(percentile(latencies, 0.5)), p99: Math.round(percentile(latencies, 0.99)), max: Math.round(latencies.at(-1) ?? 0) };
  if (rssSamples.length > 0) {
    figures.rssMiB = { first: rssSamples[0] ?? 0, peak: Math.max(...rssSamples), last: rssSamples.at(-1) ?? 0, samples: rssSamples };
  }
  options.log?.(`load: ${figures.total} requests in ${elapsed.toFixed(1)} s (${figures.perSecond}/s), errors ${figures.errors}`);
  return figures;
}
