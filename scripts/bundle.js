#!/usr/bin/env node
'use strict';
/**
 * Writes the library and the command line as one file, `dist/crossbucket.js` (with
 * `dist/crossbucket.js.map`), from the compiled JavaScript of `dist/server/cli/package-entry.js`
 * (index.ts's exports and the command line's `main`; run directly, the command line) and every
 * module it requires. bin/crossbucket.js and lib/index.js (`require('crossbucket')`) load it.
 *
 * Why: at start-up Node resolves, reads and compiles ~320 separate modules (crossbucket's own
 * ~140, fastify's, pino's, semver's 47...), one at a time; loading them was ~250 of the ~450 ms
 * from spawn to the listening line on a first-generation EPYC. One file skips the resolution and
 * the per-module reads (docs/benchmarks.md, "Issue 19, thirteenth round").
 *
 * What stays the same: the input is the CommonJS that tsc (or, in tests, swc) wrote, so every
 * `require` resolves to the very file it resolves to unbundled (the packages' `require` entry
 * points, not their ESM builds); modules the server loads on first use (the bucket-settings
 * operations, `explain`) are still evaluated only on first use, since esbuild keeps
 * each CommonJS module in a function run by its first `require`.
 *
 * Left out, and required from node_modules as before:
 * - better-sqlite3: a native addon, found through the `bindings` of its own folder;
 * - pino-pretty: only for `--log-format pretty`, required by crossbucket's own code on that path.
 * Nothing else: marking a package external where a dependency imports it changes how its default
 * export is read (tried: fast-xml-parser's builder then failed to construct).
 *
 * Stack traces name positions in the bundle; with `NODE_OPTIONS=--enable-source-maps` they name the
 * TypeScript lines (the map chains through tsc's own maps). Not on by default: it costs ~25 ms
 * of every start.
 *
 * Usage: node scripts/bundle.js [compiled-dir [outfile]]   (defaults: dist, dist/crossbucket.js)
 */
const { join, resolve } = require('node:path');

const ROOT = join(__dirname, '..');
const EXTERNAL = ['better-sqlite3', 'pino-pretty'];

/** Bundles `<from>/server/cli/package-entry.js` into `outfile`; resolves with the output's size in bytes. */
async function bundle(from = join(ROOT, 'dist'), outfile = join(from, 'crossbucket.js')) {
  const { build } = require('esbuild');
  const result = await build({
    entryPoints: [join(resolve(from), 'server', 'cli', 'package-entry.js')],
    outfile: resolve(outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    // No keepNames: it wraps every named function expression in a call that sets its `name`,
    // also the ones made per request (getters), which cost a GET ~30% of its CPU (bench:ab).
    // Names stay the sources' anyway (no identifier minification); esbuild renames a handful that
    // would clash in one scope (a package's `stringify` becomes `stringify2`): only stack traces show it.
    keepNames: false,
    minifyWhitespace: true,
    minifySyntax: true,
    // Lines of at most ~120 characters: node prints the source line of an uncaught error, and
    // minified whitespace had put whole modules on one line (up to ~120 KB of code under one stack trace).
    lineLimit: 120,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return Object.values(result.metafile.outputs).reduce((n, o) => (o.entryPoint ? n + o.bytes : n), 0);
}

module.exports = { bundle, EXTERNAL };

if (require.main === module) {
  const [from, outfile] = process.argv.slice(2);
  bundle(from, outfile).catch((err) => {
    process.stderr.write(`bundle: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
}
