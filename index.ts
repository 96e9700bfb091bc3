/**
 * crossbucket as a library: start it from a test, point an S3 client at `endpoint`.
 *
 *   import { start } from 'crossbucket';
 *   const s3 = await start({ port: 0 });   // endpoint, credentials, region, reset(), close()
 */
export { start, type StartOptions, type Running } from './server/cli/start';
export { buildApp, type AppOptions } from './server/app';
export { makeUser, defaultConfig, type User, type ServerConfig, type AuthMode } from './server/config';
export { planSeed, readSeedFile, applySeed, type SeedJson, type SeedBucketJson, type SeedReport } from './server/cli/seed';
export { makeLogger, redactUrl, type LoggerOptions } from './server/http/logging';
export { ConfigError } from './server/cli/config-file';
export { openSqliteStorage, DataDirError, type DataDirErrorCode } from './storage';
export * as corsEngine from './cors-engine';
