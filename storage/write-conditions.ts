/** Conditional writes (`If-None-Match: *`, `If-Match`), decided inside the committing transaction. */
import { StorageError } from './errors';
import type { WriteConditions } from './types';

/** `If-Match` may list several ETags, quoted or not, or `*`. */
export function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return header.split(',').some((v) => {
    const t = v.trim();
    return t === '*' || t.replace(/^W\//, '').replace(/"/g, '') === bare;
  });
}

/** Throws PreconditionFailed (or NoSuchKey for If-Match on a missing key) unless `current` satisfies the conditions. */
export function checkWriteConditions(current: { etag: string } | undefined, conditions: WriteConditions | undefined): void {
  if (!conditions) return;
  if (conditions.ifNoneMatchAny && current) throw new StorageError('PreconditionFailed');
  if (conditions.ifMatch !== undefined) {
    if (!current) throw new StorageError('NoSuchKey');
    if (!etagMatches(conditions.ifMatch, current.etag)) throw new StorageError('PreconditionFailed');
  }
}
