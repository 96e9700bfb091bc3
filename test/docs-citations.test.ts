/**
 * Code cites the contracts as `docs/spec/NAME.md §ID` (`§1B step 6`, `§1A-3`, `§4.4`). Every such
 * citation must name a page that exists and a section that page has: a heading whose first word
 * is ID (`### 1B. Preflight…`, `### 4.4 MaxAgeSeconds…`, `#### B2.4 x-amz-expiration`). The rule for a bare `§ID`: it refers to
 * the last `docs/spec/NAME.md` named before it in the same file, and to docs/spec/cors.md when
 * none was (most files cite only the CORS contract). `§` right after an RFC number (`RFC 9110 §14`)
 * cites the RFC and is skipped. The notes the project started from are not in the repository, so
 * no file may point a reader at them.
 */
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const CODE_DIRS = ['server', 'storage', 'cors-engine', 'policy-engine', 'bench', 'test'];
/** Built from parts so that this file does not trip its own check. */
const FORBIDDEN = ['DESIGN' + '.md', 'shared' + '/spec'];

function files(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'results') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

export interface Citation {
  page: string;
  section: string;
  text: string;
  line: number;
}

/** Every `docs/spec/NAME.md §ID` and bare `§ID` of a text, with the page each refers to. */
export function citations(text: string): Citation[] {
  const out: Citation[] = [];
  let page = 'cors';
  const token = /docs\/spec\/([a-z0-9-]+)\.md|§([A-Z]?\d+[A-Z]?(?:\.\d+)*)/g;
  for (const m of text.matchAll(token)) {
    const at = m.index ?? 0;
    if (m[1] !== undefined) {
      page = m[1];
      continue;
    }
    if (/RFC\s*\d+\s*$/i.test(text.slice(Math.max(0, at - 16), at))) continue;
    const line = text.slice(0, at).split('\n').length;
    out.push({ page, section: m[2] ?? '', text: text.slice(at, at + 20).split('\n')[0] ?? '', line });
  }
  return out;
}

/** The section ids of a page: the first word of each heading, without a trailing dot. */
export function sectionIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(\S+)/gm)) ids.add((m[1] ?? '').replace(/\.$/, ''));
  return ids;
}

t.test('citations – the rule itself', async (t) => {
  t.same(citations('spec §1B step 7 / §4.7').map((c) => `${c.page} ${c.section}`), ['cors 1B', 'cors 4.7']);
  t.same(citations('docs/spec/s3.md §2, then §3; docs/spec/cors.md §1A-3').map((c) => `${c.page} ${c.section}`), ['s3 2', 's3 3', 'cors 1A']);
  t.same(citations('RFC 7232 §6 and RFC 9110 §14.1.2'), []);
  t.same(citations('docs/spec/bucket-config.md §B2.4 and §A3.20').map((c) => `${c.page} ${c.section}`), ['bucket-config B2.4', 'bucket-config A3.20']);
  t.same([...sectionIds('# T\n## 1. The algorithm\n### 1A. Rule\n### 2.1 No config\n#### 4.14 Size')], ['T', '1', '1A', '2.1', '4.14']);
});

t.test('citations – every docs/spec/NAME.md §ID in the code resolves', async (t) => {
  const sources = CODE_DIRS.flatMap((d) => files(join(ROOT, d), /\.ts$/));
  t.ok(sources.length > 50, 'source files found');
  const pages = new Map<string, Set<string> | undefined>();
  const idsOf = (page: string) => {
    if (!pages.has(page)) {
      const path = join(ROOT, 'docs', 'spec', `${page}.md`);
      pages.set(page, existsSync(path) ? sectionIds(readFileSync(path, 'utf8')) : undefined);
    }
    return pages.get(page);
  };
  let count = 0;
  const unresolved: string[] = [];
  for (const file of sources) {
    for (const c of citations(readFileSync(file, 'utf8'))) {
      count++;
      const ids = idsOf(c.page);
      if (ids === undefined) unresolved.push(`${relative(ROOT, file)}:${c.line}: docs/spec/${c.page}.md does not exist (${c.text})`);
      else if (!ids.has(c.section)) unresolved.push(`${relative(ROOT, file)}:${c.line}: docs/spec/${c.page}.md has no section ${c.section} (${c.text})`);
    }
  }
  t.ok(count > 100, `${count} citations read`);
  t.same(unresolved, [], 'every citation names an existing page and section');
});

t.test('citations – no file points at notes outside the repository', async (t) => {
  const texts = [
    ...CODE_DIRS.flatMap((d) => files(join(ROOT, d), /\.(ts|md)$/)),
    ...files(join(ROOT, 'docs'), /\.md$/),
    join(ROOT, 'README.md'),
    join(ROOT, 'index.ts'),
  ];
  const found: string[] = [];
  for (const file of texts) {
    const text = readFileSync(file, 'utf8');
    for (const word of FORBIDDEN) if (text.includes(word)) found.push(`${relative(ROOT, file)}: ${word}`);
  }
  t.same(found, []);
});

t.test('citations – a contract is always named by its path, docs/spec/NAME.md', async (t) => {
  const names = files(join(ROOT, 'docs', 'spec'), /\.md$/).map((f) => relative(join(ROOT, 'docs', 'spec'), f));
  t.ok(names.length >= 2, 'the contracts are in docs/spec/');
  const sources = CODE_DIRS.flatMap((d) => files(join(ROOT, d), /\.(ts|md)$/));
  const loose: string[] = [];
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    for (const name of names) {
      for (const m of text.matchAll(new RegExp(`(?<![\\w-])${name.replace('.', '\\.')}\\b`, 'g'))) {
        const at = m.index ?? 0;
        // `docs/NAME.md` is the user page beside the contract (docs/cors.md, docs/access.md).
        const userPage = text.slice(at - 'docs/'.length, at) === 'docs/' && existsSync(join(ROOT, 'docs', name));
        if (text.slice(at - 'docs/spec/'.length, at) !== 'docs/spec/' && !userPage) {
          loose.push(`${relative(ROOT, file)}:${text.slice(0, at).split('\n').length}: ${text.slice(Math.max(0, at - 12), at + name.length)}`);
        }
      }
    }
  }
  t.same(loose, [], 'cite docs/spec/NAME.md, not NAME.md or spec/NAME.md');
});
