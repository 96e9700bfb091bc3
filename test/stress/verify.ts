/**
 * Reads every key of a keyspace back (GET: bytes, MD5, ETag, length) and lists the bucket,
 * comparing both with what the model allows.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { describe, httpStatusOf, md5Hex } from './client';
import { describeObserved, describeState, matches, type Keyspace, type KeyModel, type Observed } from './model';

export async function readKey(client: S3Client, bucket: string, key: string): Promise<Observed | undefined> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
    if (res.ContentLength !== undefined && res.ContentLength !== body.length) {
      throw new Error(`Content-Length ${res.ContentLength} but ${body.length} bytes`);
    }
    return { md5: md5Hex(body), etag: res.ETag ?? '', size: body.length };
  } catch (err) {
    if (httpStatusOf(err) === 404 && (err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

export async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

export interface VerifyResult { checked: number; pendingApplied: number; problems: string[] }

/**
 * `resolve`: after a crash, a key's state becomes whichever allowed state it holds (its
 * unacknowledged write either happened or did not).
 */
export async function verifyKeyspace(client: S3Client, bucket: string, space: Keyspace, options: { resolve: boolean }): Promise<VerifyResult> {
  const result: VerifyResult = { checked: 0, pendingApplied: 0, problems: [] };
  await pool(space.keys, 32, async (k: KeyModel) => {
    let seen: Observed | undefined;
    try {
      seen = await readKey(client, bucket, k.key);
    } catch (err) {
      result.problems.push(`GET ${JSON.stringify(k.key)}: ${describe(err)}`);
      return;
    }
    result.checked++;
    if (matches(k.acked, seen)) {
      // The unacknowledged write did not happen (or wrote the same state).
    } else if (k.pending !== undefined && matches(k.pending, seen)) {
      if (options.resolve) k.acked = k.pending;
      result.pendingApplied++;
    } else {
      result.problems.push(`key ${JSON.stringify(k.key)}: read ${describeObserved(seen)}; allowed: acked ${describeState(k.acked)}, in flight ${describeState(k.pending)}`);
      return;
    }
    if (options.resolve) k.pending = undefined;
  });
  if (result.problems.length > 0) return result;

  const listed = new Map<string, { etag: string; size: number }>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, MaxKeys: 250 }));
    for (const o of page.Contents ?? []) listed.set(o.Key ?? '', { etag: o.ETag ?? '', size: o.Size ?? -1 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  for (const k of space.keys) {
    const l = listed.get(k.key);
    listed.delete(k.key);
    const state = k.acked;
    if (state.kind === 'absent') {
      if (l) result.problems.push(`listing shows ${JSON.stringify(k.key)} (${l.etag}) but GET says absent`);
    } else if (!l) {
      result.problems.push(`listing misses ${JSON.stringify(k.key)}`);
    } else if (!state.etags.includes(l.etag) || l.size !== state.size) {
      result.problems.push(`listing has ${JSON.stringify(k.key)} as ${l.etag} ${l.size}B; allowed ${describeState(state)}`);
    }
  }
  for (const extra of listed.keys()) if (extra !== 'probe') result.problems.push(`listing shows unknown key ${JSON.stringify(extra)}`);
  return result;
}
