'use strict';
// The library entry, `require('crossbucket')` (docs/embedding.md): the one-file build
// dist/crossbucket.js, or tsc's dist/index.js where the bundle is missing or, in a checkout of the
// repository, older than tsc's output: the rule bin/crossbucket.js applies to the command line. The
// bundle exports what index.ts exports (and the command line's `main`); loading it reads one file
// instead of ~320 modules, ~90 ms sooner on this VM's older CPU (docs/benchmarks.md).
const { join } = require('node:path');
const { entryFile } = require('../bin/crossbucket.js');

const dist = join(__dirname, '..', 'dist');
const entry = entryFile(dist, 'index.js');
if (entry === undefined) throw new Error(`crossbucket: ${join(dist, 'index.js')} is missing: run \`npm run build\` first`);

// index.ts's exports, named one by one: an ES module's `import { start } from 'crossbucket'` finds
// the names of a CommonJS module by reading its text (node's cjs-module-lexer), and a name that
// is only computed (copied from the required file, say) cannot be found that way. The bundle's
// `main` stays out. test/e2e/package.test.ts checks this list against index.ts's exports.
const {
  start,
  buildApp,
  makeUser,
  defaultConfig,
  planSeed,
  readSeedFile,
  applySeed,
  makeLogger,
  redactUrl,
  ConfigError,
  openSqliteStorage,
  DataDirError,
  corsEngine,
} = require(entry);

module.exports = {
  start,
  buildApp,
  makeUser,
  defaultConfig,
  planSeed,
  readSeedFile,
  applySeed,
  makeLogger,
  redactUrl,
  ConfigError,
  openSqliteStorage,
  DataDirError,
  corsEngine,
};
