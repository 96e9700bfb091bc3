/**
 * DeleteObject over the entries of a key (docs/spec/versioning.md §6 D1–D3, §9 K11), run inside
 * the caller's transaction: it returns the answer and the files to delete after the commit.
 */
import { StorageError } from './errors';
import { LOCKED_MESSAGE, removalAllowed } from './object-lock';
import type { Entries } from './versions';
import type { DeleteOptions, DeleteResult } from './types';

export function deleteEntry(entries: Entries, bucket: string, key: string, options: DeleteOptions): { result: DeleteResult; files: string[] } {
  const state = entries.bucket(bucket);
  if (!state) throw new StorageError('NoSuchBucket');
  if (options.versionId !== undefined) {
    // D2, D3: exactly the entry named, if it is still there and no lock protects it.
    const ref = entries.find(bucket, key, options.versionId);
    if (!ref) return { result: { removed: false, versionId: options.versionId }, files: [] };
    if (!removalAllowed(ref, options.bypassGovernance === true, Date.now())) throw new StorageError('AccessDenied', LOCKED_MESSAGE);
    const removed: DeleteResult = { removed: true, versionId: ref.version_id };
    if (ref.marker) removed.deleteMarker = true;
    return { result: removed, files: entries.remove(bucket, key, ref) };
  }
  const current = entries.current(bucket, key);
  if (state.versioning === undefined) {
    // D1, never versioned: the null entry goes.
    if (!current) return { result: { removed: false }, files: [] };
    return { result: { removed: true }, files: entries.remove(bucket, key, current) };
  }
  // D1, Enabled or Suspended: a delete marker on top (Suspended: in place of the null entry).
  const { row, freed } = entries.place(bucket, key, state.versioning, current, {
    bucket, key, size: 0, etag: '', last_modified: Date.now(), meta: '{"content":{},"user":{}}', checksums: '{}',
    checksum_type: null, owner: options.owner ?? state.owner, acl: 'private', file: null, multipart: 0, marker: 1,
    acl_grants: null, lock_mode: null, lock_until: null, legal_hold: null,
  });
  return { result: { removed: true, versionId: row.version_id, deleteMarker: true }, files: freed };
}
