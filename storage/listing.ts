/**
 * ListObjects / ListObjectsV2 as an index range scan in UTF-8 byte order. With a delimiter,
 * each common prefix is skipped with one seek past it, so a page costs O(page), not O(bucket).
 */
import { compareKeys, prefixSuccessor } from './key-order';
import type { ListPage, ListQuery } from './types';

export interface ListCursor<Row extends { key: string }> {
  /** Up to `limit` rows with key > `after` (or >= `from` when `inclusive`), in key order. */
  fetch(bound: string, inclusive: boolean, limit: number): Row[];
}

const MAX_BATCH = 256;
/** After a seek past a common prefix, fetch little: the next row may be another prefix. */
const SEEK_BATCH = 4;

export function listKeys<Row extends { key: string }>(
  cursor: ListCursor<Row>,
  query: ListQuery,
): { rows: Row[]; commonPrefixes: string[]; isTruncated: boolean; last?: string } {
  const { prefix, delimiter, after, maxKeys } = query;
  const rows: Row[] = [];
  const commonPrefixes: string[] = [];
  // UNVERIFIED(S3): max-keys=0 is an empty page that is not truncated (what AWS is reported to do).
  if (maxKeys <= 0) return { rows, commonPrefixes, isTruncated: false };
  let bound: string;
  let inclusive: boolean;
  if (after !== '' && compareKeys(after, prefix) >= 0) { bound = after; inclusive = false; }
  else { bound = prefix; inclusive = true; }
  let last: string | undefined;
  let count = 0;
  let isTruncated = false;

  let batchSize = delimiter === '' ? MAX_BATCH : SEEK_BATCH;
  scan: for (;;) {
    const batch = cursor.fetch(bound, inclusive, batchSize);
    if (batch.length === 0) break;
    for (const row of batch) {
      const key = row.key;
      // Keys >= prefix that start with it are contiguous in byte order: the first that does not is past them all.
      if (!key.startsWith(prefix)) break scan;
      let entry = key;
      let isPrefix = false;
      if (delimiter !== '') {
        const at = key.indexOf(delimiter, prefix.length);
        if (at >= 0) { entry = key.slice(0, at + delimiter.length); isPrefix = true; }
      }
      if (isPrefix && after !== '' && compareKeys(entry, after) <= 0) {
        // A common prefix already returned on an earlier page: seek past it.
        const next = prefixSuccessor(entry);
        if (next === undefined) break scan;
        bound = next; inclusive = true;
        continue scan;
      }
      if (count === maxKeys) { isTruncated = true; break scan; }
      count++;
      last = entry;
      if (isPrefix) {
        commonPrefixes.push(entry);
        const next = prefixSuccessor(entry);
        if (next === undefined) break scan;
        bound = next; inclusive = true; batchSize = SEEK_BATCH;
        continue scan;
      }
      rows.push(row);
    }
    const tail = batch[batch.length - 1];
    if (batch.length < batchSize || tail === undefined) break;
    bound = tail.key; inclusive = false;
    batchSize = Math.min(MAX_BATCH, batchSize * 4);
  }
  const page: { rows: Row[]; commonPrefixes: string[]; isTruncated: boolean; last?: string } = { rows, commonPrefixes, isTruncated };
  if (last !== undefined) page.last = last;
  return page;
}

export type { ListPage };
