'use strict';
// The library entry, `require('crossbucket')` (docs/embedding.md): the one-file build
// dist/crossbucket.js when it is at least as new as tsc's dist/index.js, else tsc's output, by the
// rule bin/crossbucket.js applies to the command line (so a stale bundle is never loaded). The
// bundle exports what index.ts exports (and the command line's `main`); loading it reads one file
// instead of ~320 modules, ~200 ms sooner on this VM's older CPU (docs/benchmarks.md).
const { join } = require('node:path');
const { entryFile } = require('../bin/crossbucket.js');

const dist = join(__dirname, '..', 'dist');
const entry = entryFile(dist, 'index.js');
if (entry === undefined) throw new Error(`crossbucket: ${join(dist, 'index.js')} is missing: run \`npm run build\` first`);
// The bundle also exports `main` for bin/crossbucket.js; the library's API is index.ts's alone.
const { main: _main, ...api } = require(entry);
module.exports = api;
