/** The README's options table is generated from OPTIONS; names it mentions must be real options. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIONS, optionsTable } from '../../server/cli/cli-config';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

t.test('readme – the options table is the one OPTIONS produces', async (t) => {
  t.ok(readme.includes(optionsTable()),
    'README.md must contain optionsTable() verbatim; print it with: npm run build && node -e "console.log(require(\'./dist/server/cli-config\').optionsTable())"');
  for (const o of OPTIONS) t.match(readme, `| \`--${o.flag} <${o.arg}>\` | \`${o.env}\` |`, `--${o.flag} has a row`);
});

t.test('readme – every CROSSBUCKET_ variable and --flag it mentions exists', async (t) => {
  const envs = new Set(OPTIONS.map((o) => o.env));
  for (const m of readme.matchAll(/\bCROSSBUCKET_[A-Z_]+\b/g)) t.ok(envs.has(m[0]), `${m[0]} is an option`);
  const flags = new Set([...OPTIONS.map((o) => o.flag), 'help', 'endpoint', 'bucket', 'origin', 'method', 'header', 'key', 'json']);
  // Flags given to crossbucket itself, in lines that run it.
  for (const line of readme.split('\n').filter((l) => /(^|\s|`)(crossbucket|npm start --)\s/.test(l) && !/aws /.test(l))) {
    for (const m of line.matchAll(/\s--([a-z][a-z-]*)/g)) {
      if (m[1] === 'build-arg') continue;
      t.ok(flags.has(m[1] ?? ''), `--${m[1]} in "${line.trim().slice(0, 80)}"`);
    }
  }
});
