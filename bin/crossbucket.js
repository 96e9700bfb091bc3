#!/usr/bin/env node
'use strict';
// The CLI entry: runs the compiled server (`npm run build` writes dist/): the one-file bundle
// dist/crossbucket.js (scripts/bundle.js: ~20-25% faster to start), or tsc's
// dist/server/cli/main.js where the bundle is missing or stale (see entryFile).
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

/**
 * The file to load from a build directory, or undefined when it holds neither: the bundle, unless
 * it is missing or stale, then tsc's `compiled` file (the command line's main.js; lib/index.js
 * asks with tsc's index.js).
 *
 * Stale: in a checkout of the repository (the TypeScript sources beside dist/), a bundle older
 * than tsc's output, since a build by `tsc` alone leaves the bundle of the code before it. An
 * installed package has no sources and its bundle was built with its dist/ (`npm pack` runs the
 * build), and npm sets each file's time to when it unpacked that file, in no set order: there
 * the times say nothing, and the bundle always runs.
 */
function entryFile(dist, compiled = join('server', 'cli', 'main.js')) {
  const bundle = join(dist, 'crossbucket.js');
  const main = join(dist, compiled);
  const bundled = mtime(bundle);
  const built = mtime(main);
  if (bundled !== undefined && (built === undefined || !isCheckout(dist) || bundled >= built)) return bundle;
  return built === undefined ? undefined : main;
}

/** A build directory inside a checkout of the repository: its TypeScript sources are beside it. */
function isCheckout(dist) {
  return existsSync(join(dist, '..', 'server', 'cli', 'main.ts'));
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

module.exports = { entryFile };

/**
 * Node 22.1 and later: V8's compile cache for what loads next (in os.tmpdir(), keyed by each
 * file's contents, so a rebuilt bundle is compiled afresh). Compiling the 1.7 MB bundle is a fifth
 * of a start; with the cache, requiring it took ~120 instead of ~172 ms on Node 22. Node 20 has no
 * such API: nothing happens. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
function enableCompileCache() {
  const { enableCompileCache: enable } = require('node:module');
  if (typeof enable === 'function') {
    try {
      enable();
    } catch {
      // A cache that cannot be set up (a read-only tmpdir) only means compiling as before.
    }
  }
}

module.exports.enableCompileCache = enableCompileCache;

if (require.main === module) {
  enableCompileCache();
  const dist = join(__dirname, '..', 'dist');
  const entry = entryFile(dist);
  if (entry === undefined) {
    console.error(`crossbucket: ${join(dist, 'server', 'cli', 'main.js')} is missing: run \`npm run build\` first (or \`npm start\`, which builds)`);
    process.exit(1);
  }
  require(entry).main(process.argv.slice(2)).catch((err) => {
    console.error(`crossbucket: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  });
}
