/**
 * The SQL behind ListObjects (storage/listing.ts) and ListObjectVersions
 * (storage/version-listing.ts): index range scans over `objects` (current entries) and
 * `object_versions` (older ones), read in raw mode.
 */
import type Database from 'better-sqlite3';
import { listKeys } from './listing';
import { LIST_COLUMNS, VERSION_LIST_COLUMNS, listRowToObject, type ListRow, type VersionListRow } from './object-rows';
import { NULL_VERSION, type VersionIds } from './version-ids';
import { listVersions } from './version-listing';
import type { Entries } from './versions';
import type { ListPage, ListQuery, VersionListPage, VersionListQuery } from './types';

export class ListQueries {
  private readonly stmt;

  constructor(db: Database.Database, private readonly entries: Entries, private readonly ids: VersionIds) {
    const scan = <Row>(columns: string, op: '>' | '>=', where = '') =>
      db.prepare<[string, string, number], Row>(`SELECT ${columns} FROM objects WHERE bucket = ? AND key ${op} ? ${where} ORDER BY key LIMIT ?`).raw(true);
    this.stmt = {
      // ListObjects shows keys whose current entry is an object version (docs/spec/versioning.md §7 L8).
      listGt: scan<ListRow>(LIST_COLUMNS, '>', 'AND marker = 0'),
      listGe: scan<ListRow>(LIST_COLUMNS, '>=', 'AND marker = 0'),
      keysGt: scan<VersionListRow>(VERSION_LIST_COLUMNS, '>'),
      keysGe: scan<VersionListRow>(VERSION_LIST_COLUMNS, '>='),
      olderVersions: db.prepare<[string, string, number, number], VersionListRow>(
        `SELECT ${VERSION_LIST_COLUMNS} FROM object_versions WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?`).raw(true),
    };
  }

  objects(bucket: string, query: ListQuery): ListPage {
    const cursor = {
      fetch: (bound: string, inclusive: boolean, limit: number) =>
        (inclusive ? this.stmt.listGe : this.stmt.listGt).all(bucket, bound, limit).map(listRowToObject),
    };
    const page = listKeys(cursor, query);
    const result: ListPage = { objects: page.rows, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated };
    if (page.last !== undefined) result.last = page.last;
    return result;
  }

  /** `hasHistory` false (a never-versioned bucket): no key has older entries to look up. */
  versions(bucket: string, query: VersionListQuery, hasHistory: boolean): VersionListPage {
    return listVersions({
      keys: (bound, inclusive, limit) => (inclusive ? this.stmt.keysGe : this.stmt.keysGt).all(bucket, bound, limit),
      older: (key, before, limit) => this.stmt.olderVersions.all(bucket, key, before, limit),
      markerSeq: (key, marker) => (marker === NULL_VERSION ? this.entries.find(bucket, key, NULL_VERSION)?.seq : this.ids.decode(marker)),
      hasHistory,
    }, query);
  }
}
