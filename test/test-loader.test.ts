/**
 * The tests' own TypeScript loader (test/loader, docs/development.md): this test process was
 * started with it and with none of the loaders it replaces (which a stale build of tap's Test
 * class would still pass, as it did in CI before test/loader/build-tap.mjs), TypeScript's compiler
 * is not loaded, and a stack trace points at the line of the .ts file.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';

const REBUILD = 'run `node test/loader/build-tap.mjs` (npm test does) after npm ci or a change of tap.plugin';

t.test('this process loads its TypeScript through test/loader, not ts-node or @tapjs/mock', async (t) => {
  const imports = process.execArgv.filter((a) => a.startsWith('--import='));
  t.ok(imports.some((a) => a.endsWith('/test/loader/import.mjs')), `test/loader/import.mjs is in ${imports.join(' ')}: ${REBUILD}`);
  t.same(imports.filter((a) => /@tapjs\/(typescript|mock)|ts-node/.test(a)), [], `no ts-node or @tapjs/mock loader: ${REBUILD}`);
  t.equal(require.cache[require.resolve('typescript')], undefined, "TypeScript's compiler is not loaded");
});

t.test('a stack trace names the .ts file and line', async (t) => {
  const frame = new Error('where').stack?.split('\n')[1] ?? '';
  const line = readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes("new Error('where')")) + 1;
  t.match(frame, `test-loader.test.ts:${line}:`, frame);
});
