export * from './types';
export * from './errors';
export * from './checksums';
export { SqliteStorage, openSqliteStorage, type SqliteStorageOptions } from './sqlite-storage';
export { etagMatches } from './write-conditions';
export { compareKeys, prefixSuccessor } from './key-order';
export * from './bucket-configs';
export type { IdConfigKind, IdConfigPage, IdConfigurations } from './id-configs';
export { lifecycleRuleFor, expiryDate, sweepLifecycle, startLifecycleSweeper, type LifecycleSweepReport } from './lifecycle';
