// server/auth stays pure: node:crypto, node:stream and node:buffer, and its own files only.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '..', '..', 'server', 'auth');
const allowed = new Set(['node:crypto', 'node:stream', 'node:buffer']);

t.test('server/auth imports only node:crypto, node:stream, node:buffer and itself', async (t) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  t.ok(files.length > 5);
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
    for (const spec of specifiers) {
      const ok = allowed.has(spec) || (spec.startsWith('./') && !spec.endsWith('.ts') && !spec.endsWith('.js'));
      t.ok(ok, `${file}: ${spec}`);
    }
    t.notMatch(text, /\bconsole\.|\brequire\(|process\.env|Date\.now\(|new Date\(\)/, `${file}: no I/O, logging or ambient clock`);
    t.ok(text.split('\n').length <= 300, `${file} under 300 lines`);
    t.notMatch(text, /^export default/m, `${file}: named exports only`);
  }
});
