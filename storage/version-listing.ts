/**
 * ListObjectVersions (docs/spec/versioning.md §7): keys ascending in UTF-8 byte order, each key's
 * entries newest first by seq. Keys come from `objects` (every key with an entry has its current
 * entry there), older entries from `object_versions`; with a delimiter each common prefix is
 * skipped with one seek, as in ListObjects.
 */
import { compareKeys, prefixSuccessor } from './key-order';
import { versionRowToListed, type VersionListRow } from './object-rows';
import type { ListedVersion, VersionListPage, VersionListQuery } from './types';

export interface VersionCursor {
  /** Current entries of keys > bound (>= when inclusive), in key order. */
  keys(bound: string, inclusive: boolean, limit: number): VersionListRow[];
  /** Older entries of `key` with seq < `before`, newest first. */
  older(key: string, before: number, limit: number): VersionListRow[];
  /** The seq `versionIdMarker` stands at in `key` (null entry or a decoded id); undefined: skip the key. */
  markerSeq(key: string, versionIdMarker: string): number | undefined;
  /** False for a bucket that never had versioning: no key has older entries. */
  readonly hasHistory: boolean;
}

const KEY_BATCH = 256;
const SEEK_BATCH = 4;
const VERSION_BATCH = 1000;

export function listVersions(cursor: VersionCursor, query: VersionListQuery): VersionListPage {
  const { prefix, delimiter, keyMarker, versionIdMarker, maxKeys } = query;
  const page: VersionListPage = { entries: [], commonPrefixes: [], isTruncated: false };
  // As for ListObjects: max-keys=0 is an empty page that is not truncated.
  if (maxKeys <= 0) return page;
  let last: { key: string; versionId?: string } | undefined;
  /** Adds one entry; false (and truncated) when the page is already full. */
  const add = (entry: ListedVersion): boolean => {
    if (page.entries.length + page.commonPrefixes.length === maxKeys) { page.isTruncated = true; return false; }
    page.entries.push(entry);
    last = { key: entry.key, versionId: entry.versionId };
    return true;
  };
  /** The entries of `key` older than `before` (the current one first when it is). */
  const addKey = (current: VersionListRow, before: number): boolean => {
    const key = current[0];
    if (current[8] < before && !add(strip(versionRowToListed(current, true)))) return false;
    if (!cursor.hasHistory) return true;
    let bound = Math.min(before, current[8]);
    for (;;) {
      const rows = cursor.older(key, bound, VERSION_BATCH);
      for (const row of rows) if (!add(strip(versionRowToListed(row, false)))) return false;
      const tail = rows[rows.length - 1];
      if (rows.length < VERSION_BATCH || tail === undefined) return true;
      bound = tail[8];
    }
  };
  const groupOf = (key: string): string | undefined => {
    if (delimiter === '') return undefined;
    const at = key.indexOf(delimiter, prefix.length);
    return at < 0 ? undefined : key.slice(0, at + delimiter.length);
  };

  let bound = prefix;
  let inclusive = true;
  if (keyMarker !== '' && compareKeys(keyMarker, prefix) >= 0) {
    bound = keyMarker;
    inclusive = false;
    // §7 L5: with a version-id marker, the rest of the marker key's entries come first.
    if (versionIdMarker !== '' && keyMarker.startsWith(prefix) && groupOf(keyMarker) === undefined) {
      const at = cursor.markerSeq(keyMarker, versionIdMarker);
      const current = at === undefined ? undefined : cursor.keys(keyMarker, true, 1)[0];
      if (at !== undefined && current !== undefined && current[0] === keyMarker && !addKey(current, at)) return finish(page, last);
    }
  }
  let batchSize = delimiter === '' ? KEY_BATCH : SEEK_BATCH;
  scan: for (;;) {
    const batch = cursor.keys(bound, inclusive, batchSize);
    for (const row of batch) {
      const key = row[0];
      if (!key.startsWith(prefix)) break scan;
      const group = groupOf(key);
      if (group !== undefined) {
        // §7 L6: a common prefix at or before the key marker was returned on an earlier page.
        if (keyMarker === '' || compareKeys(group, keyMarker) > 0) {
          if (page.entries.length + page.commonPrefixes.length === maxKeys) { page.isTruncated = true; break scan; }
          page.commonPrefixes.push(group);
          last = { key: group };
        }
        const next = prefixSuccessor(group);
        if (next === undefined) break scan;
        bound = next; inclusive = true; batchSize = SEEK_BATCH;
        continue scan;
      }
      if (!addKey(row, Number.MAX_SAFE_INTEGER)) break scan;
    }
    const tail = batch[batch.length - 1];
    if (batch.length < batchSize || tail === undefined) break;
    bound = tail[0]; inclusive = false;
    batchSize = Math.min(KEY_BATCH, batchSize * 4);
  }
  return finish(page, last);
}

function strip(entry: ListedVersion & { seq?: number }): ListedVersion {
  delete entry.seq;
  return entry;
}

/** §7 L4: the next markers are the last entry returned (a common prefix has no version id). */
function finish(page: VersionListPage, last: { key: string; versionId?: string } | undefined): VersionListPage {
  if (page.isTruncated && last) {
    page.nextKeyMarker = last.key;
    if (last.versionId !== undefined) page.nextVersionIdMarker = last.versionId;
  }
  return page;
}
