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

// The bundle also exports `main` for bin/crossbucket.js; the library's API is index.ts's alone.
const { main: _main, ...api } = require(entry);
module.exports = api;

// The names, for an ES module's `import { start } from 'crossbucket'`: node finds a CommonJS
// module's names by reading its text (cjs-module-lexer), not by running it, and `api` is only
// computed. This statement never runs (esbuild marks its bundles' exports the same way).
// test/e2e/package.test.ts checks the list against index.ts's exports, through require and import.
0 && (module.exports = {
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
});
