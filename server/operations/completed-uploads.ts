/**
 * CompleteMultipartUpload retried for an upload that has just completed answers 200 with the
 * same result and headers, as S3 does (a client whose first answer was lost retries safely). A bounded
 * in-memory record, per storage, of recent completions: upload ID → bucket, key, ETag and the
 * result document. A retry is answered from it only while the object is still the one that
 * completion made (same ETag); otherwise it is NoSuchUpload as before.
 * DEVIATION(S3): the record lives in memory (the last 1000 completions, for 15 minutes): a
 * restart forgets it. UNVERIFIED(S3): how long S3 keeps answering such a retry.
 */
import type { Storage } from '../../storage';

const MAX_RECORDS = 1000;
const MAX_AGE_MS = 15 * 60 * 1000;

export interface CompletedUpload {
  bucket: string;
  key: string;
  etag: string;
  /** The CompleteMultipartUploadResult document first returned. */
  body: string;
  /** The response headers first returned (SSE, expiration, the new version id). */
  headers: Record<string, string | undefined>;
  at: number;
}

const records = new WeakMap<Storage, Map<string, CompletedUpload>>();

function recordsOf(storage: Storage): Map<string, CompletedUpload> {
  let map = records.get(storage);
  if (!map) {
    map = new Map();
    records.set(storage, map);
  }
  return map;
}

export function rememberCompletion(storage: Storage, uploadId: string, completed: Omit<CompletedUpload, 'at'>): void {
  const map = recordsOf(storage);
  map.delete(uploadId);
  map.set(uploadId, { ...completed, at: Date.now() });
  // Insertion order is age order: the oldest go first.
  for (const id of map.keys()) {
    if (map.size <= MAX_RECORDS) break;
    map.delete(id);
  }
}

/** The earlier result, when `uploadId` completed `bucket/key` recently and the object is still that one. */
export function recentCompletion(storage: Storage, uploadId: string, bucket: string, key: string): CompletedUpload | undefined {
  const map = recordsOf(storage);
  const record = map.get(uploadId);
  if (!record) return undefined;
  if (Date.now() - record.at > MAX_AGE_MS) {
    map.delete(uploadId);
    return undefined;
  }
  if (record.bucket !== bucket || record.key !== key) return undefined;
  if (storage.headObject(bucket, key)?.etag !== record.etag) return undefined;
  return record;
}
