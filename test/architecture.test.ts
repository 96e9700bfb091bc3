/**
 * The dependency rule of DESIGN.md, read from the import lines: only server/ (outside
 * server/auth) imports fastify; storage/ never imports server/ or fastify; cors-engine/ imports
 * only itself; server/auth has its own purity test (test/auth/purity.test.ts).
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const isFastify = (spec: string) => spec === 'fastify' || spec.startsWith('fastify/') || spec.startsWith('@fastify/');

t.test('storage/ imports neither server/ nor fastify', async (t) => {
  const files = tsFiles(join(ROOT, 'storage'));
  t.ok(files.length > 5);
  for (const file of files) {
    for (const spec of imports(file)) {
      t.notOk(isFastify(spec) || spec.includes('/server'), `${relative(ROOT, file)}: ${spec}`);
    }
  }
});

t.test('cors-engine/ imports only itself', async (t) => {
  const files = tsFiles(join(ROOT, 'cors-engine'));
  t.ok(files.length > 5);
  for (const file of files) {
    for (const spec of imports(file)) t.ok(spec.startsWith('./'), `${relative(ROOT, file)}: ${spec}`);
  }
});

t.test('fastify appears only in server/ outside server/auth', async (t) => {
  const files = [...tsFiles(join(ROOT, 'storage')), ...tsFiles(join(ROOT, 'cors-engine')), ...tsFiles(join(ROOT, 'server', 'auth'))];
  for (const file of files) {
    for (const spec of imports(file)) t.notOk(isFastify(spec), `${relative(ROOT, file)}: ${spec}`);
  }
});

t.test('server/auth and cors-engine never import storage', async (t) => {
  const files = [...tsFiles(join(ROOT, 'cors-engine')), ...tsFiles(join(ROOT, 'server', 'auth'))];
  for (const file of files) {
    for (const spec of imports(file)) t.notOk(spec.includes('storage'), `${relative(ROOT, file)}: ${spec}`);
  }
});

t.test('source files stay small and use named exports', async (t) => {
  const files = ['server', 'storage', 'cors-engine'].flatMap((d) => tsFiles(join(ROOT, d)));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    t.ok(text.split('\n').length <= 350, `${relative(ROOT, file)} has ${text.split('\n').length} lines`);
    t.notMatch(text, /^export default/m, `${relative(ROOT, file)}: named exports only`);
  }
});
