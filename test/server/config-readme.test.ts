/**
 * The options table of docs/configuration.md is generated from OPTIONS; every CROSSBUCKET_ variable
 * and crossbucket flag that the README or a page of docs/ mentions must be a real option.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIONS, flagLabel, optionsTable } from '../../server/cli/cli-config';

const ROOT = join(__dirname, '..', '..');
const configuration = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
/** The README and every page of docs/ (not docs/spec/: the contracts quote S3, not our options). */
const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))]
  .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

t.test('configuration – the options table is the one OPTIONS produces', async (t) => {
  t.ok(configuration.includes(optionsTable()),
    'docs/configuration.md must contain optionsTable() verbatim; print it with: npm run build && node -e "console.log(require(\'./dist/server/cli/cli-config\').optionsTable())"');
  for (const o of OPTIONS) t.match(configuration, `| \`${flagLabel(o)}\` | \`${o.env}\` |`, `--${o.flag} has a row`);
});

t.test('docs – every CROSSBUCKET_ variable and --flag they mention exists', async (t) => {
  t.ok(pages.length >= 2, 'README.md and docs/*.md read');
  const envs = new Set(OPTIONS.map((o) => o.env));
  const flags = new Set([...OPTIONS.map((o) => o.flag), 'help', 'version', 'endpoint', 'bucket', 'origin', 'method', 'header', 'key', 'json', 'profile', 'action', 'anonymous']);
  for (const { path, text } of pages) {
    for (const m of text.matchAll(/\bCROSSBUCKET_[A-Z_]+\b/g)) t.ok(envs.has(m[0]), `${path}: ${m[0]} is an option`);
    // Flags given to crossbucket itself, in lines that run it.
    for (const line of text.split('\n').filter((l) => /(^|\s|`)(crossbucket|npm start --)\s/.test(l) && !/aws /.test(l))) {
      for (const m of line.matchAll(/\s--([a-z][a-z-]*)/g)) {
        if (m[1] === 'build-arg') continue;
        t.ok(flags.has(m[1] ?? ''), `${path}: --${m[1]} in "${line.trim().slice(0, 80)}"`);
      }
    }
  }
});
