/** crossbucket as a library: start it from a test, point an S3 client at `endpoint`. */
export { start, type StartOptions, type Running } from './server/start';
export { buildApp, type AppOptions } from './server/app';
export { openSqliteStorage } from './storage';
export * as corsEngine from './cors-engine';
