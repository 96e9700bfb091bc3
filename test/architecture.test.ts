/**
 * The dependency rules of docs/architecture.md, read from the import lines: only server/ (outside
 * server/auth) imports fastify; storage/ never imports server/ or fastify; the engines import
 * only themselves; server/auth has its own purity test (test/auth/purity.test.ts); and the rooms
 * of server/ import only rooms below them.
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';

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
  const files = ['server', 'storage', 'cors-engine', 'policy-engine'].filter((d) => existsSync(join(ROOT, d))).flatMap((d) => tsFiles(join(ROOT, d)));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    t.ok(text.split('\n').length <= 350, `${relative(ROOT, file)} has ${text.split('\n').length} lines`);
    t.notMatch(text, /^export default/m, `${relative(ROOT, file)}: named exports only`);
  }
});

/**
 * The rooms of server/, lowest first. A file may import its own room and rooms below it, never
 * one above: request plumbing (xml, http, body, access, cors) never reaches into operations/ or
 * cli/. The root files are the foundation (errors, headers, config, the context types, the
 * operation names) except app.ts and admin.ts, which assemble the server above operations/,
 * website/ (the website endpoint, which serves objects through the GetObject handler) and
 * pipeline/ (the S3 pipeline from a request's context to its answer, and the requests answered
 * in front of fastify through it).
 */
const ROOMS = ['auth', 'foundation', 'xml', 'http', 'body', 'access', 'cors', 'operations', 'website', 'pipeline', 'assembly', 'cli'] as const;
const ASSEMBLY = new Set(['app.ts', 'admin.ts']);

function roomOf(file: string): string {
  const rel = relative(join(ROOT, 'server'), file).split('/');
  if (rel.length === 1) return ASSEMBLY.has(rel[0] ?? '') ? 'assembly' : 'foundation';
  return rel[0] ?? '';
}

t.test('server/ rooms import only rooms below them', async (t) => {
  const files = tsFiles(join(ROOT, 'server'));
  const rooms = new Set(files.map(roomOf));
  for (const room of rooms) t.ok((ROOMS as readonly string[]).includes(room), `server/${room} is a known room`);
  let checked = 0;
  for (const file of files) {
    const from = ROOMS.indexOf(roomOf(file) as (typeof ROOMS)[number]);
    for (const spec of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(join(ROOT, 'server'))) continue;
      const targetFile = existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts');
      const to = ROOMS.indexOf(roomOf(targetFile) as (typeof ROOMS)[number]);
      checked++;
      t.ok(to <= from, `${relative(ROOT, file)} (${ROOMS[from]}) imports ${relative(ROOT, targetFile)} (${ROOMS[to]})`);
    }
  }
  t.ok(checked > 100, `${checked} imports checked`);
});

t.test('server/ keeps at most ten files at its root', async (t) => {
  const root = readdirSync(join(ROOT, 'server')).filter((n) => n.endsWith('.ts'));
  t.ok(root.length <= 10, root.join(', '));
});

t.test('operation handler files do not export what other handlers import', async (t) => {
  // Shared helpers live in operations/common.ts and operations/conditions.ts (or another
  // helper file), never in a file that exports handlers.
  const dir = join(ROOT, 'server', 'operations');
  const handlerFiles = new Set(tsFiles(dir).filter((f) => /export const \w+: Handler\b/.test(readFileSync(f, 'utf8'))));
  for (const file of tsFiles(dir)) {
    if (file.endsWith('operations.ts')) continue;
    for (const spec of imports(file)) {
      if (!spec.startsWith('./')) continue;
      t.notOk(handlerFiles.has(`${resolve(dir, spec)}.ts`), `${relative(ROOT, file)} imports the handler file ${spec}`);
    }
  }
});
