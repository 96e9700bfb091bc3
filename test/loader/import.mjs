/**
 * Loads the tests' TypeScript: every `.ts` file a test process requires is transpiled by swc as
 * it loads (types stripped, ES modules to CommonJS, an inline source map for stack traces), with
 * the options of ./swc-options.json, the mapping ts-node made of tsconfig.json. No type checking:
 * `npm run typecheck` does that once before the tests. Registered by ./plugin.js (`tap`), and
 * passed by hand to a child that runs a .ts file (test/helpers/spawn-server.ts `tsLoaderArgs`).
 *
 * Why not ts-node (tap's @tapjs/typescript): it loads TypeScript's compiler, ~9 MB of
 * JavaScript, in the test's thread and again in its loader thread, to read tsconfig.json, ~1 s
 * of CPU in every test process before its first line (docs/development.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const require = createRequire(import.meta.url);
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const options = JSON.parse(readFileSync(new URL('./swc-options.json', import.meta.url), 'utf8'));

// require() of a .ts file (and extensionless specifiers that resolve to one).
Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

// The entry file (`node x.test.ts`) and import() of a .ts file come through the ES module loader.
register('./hooks.mjs', import.meta.url);
