// policy-engine stays pure (docs/architecture.md): it imports only itself and ipaddr.js (CIDR matching), does
// no I/O, no logging, reads no clock or environment; files stay small with named exports.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '..', '..', 'policy-engine');
const allowedPackages = new Set(['ipaddr.js']);

function specifiers(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

t.test('policy-engine imports only itself and ipaddr.js', async (t) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  t.ok(files.length > 8, 'the engine files are found');
  t.notOk(readdirSync(dir).some((f) => statSync(join(dir, f)).isDirectory()), 'flat folder');
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const spec of specifiers(text)) {
      const ok = allowedPackages.has(spec) || (spec.startsWith('./') && !spec.slice(2).includes('/') && !/\.(ts|js)$/.test(spec));
      t.ok(ok, `${file}: ${spec}`);
    }
    t.notMatch(text, /\bconsole\.|process\.(env|hrtime)|Date\.now\(|new Date\(\)|performance\./, `${file}: no I/O, logging or ambient clock`);
    t.ok(text.split('\n').length <= 300, `${file} under 300 lines`);
    t.notMatch(text, /^export default/m, `${file}: named exports only`);
    t.notMatch(text.replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, ''), /:\s*any\b|\bas any\b|<any>/, `${file}: no any`);
  }
});

t.test('the import reader sees the forms it must refuse', async (t) => {
  t.same(specifiers("import { x } from '../server/app';\nexport * from 'fastify';\nconst y = require('node:fs');"), ['../server/app', 'fastify', 'node:fs']);
});
