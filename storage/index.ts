export * from './types';
export * from './errors';
export * from './checksums';
export { SqliteStorage, openSqliteStorage, etagMatches, type SqliteStorageOptions } from './sqlite-storage';
export { compareKeys, prefixSuccessor } from './key-order';
