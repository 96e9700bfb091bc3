/**
 * A runnable copy of the server for child-process tests, made without a prior `npm run build`:
 * every .ts file of server/, storage/, cors-engine/ and policy-engine/, and the library's index.ts, is transpiled by swc, with
 * the options the tests load through (test/loader/swc-options.json: no type checking, so a
 * colleague's half-typed file cannot stop the run), into a temp dir, and the child resolves
 * packages through NODE_PATH=<repo>/node_modules.
 *
 * Why not the tests' loader (test/loader/import.mjs) in the child: it transpiles ~190 files on
 * every boot, and the crash test restarts the server many times. Transpiling once takes a few
 * hundred ms and each boot then only loads JavaScript.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { transformSync, type Options } from '@swc/core';
import swcOptions from '../loader/swc-options.json';

export const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['server', 'storage', 'cors-engine', 'policy-engine'];
/** The library's entry (the one-file build starts from server/cli/package-entry.ts, which re-exports it). */
const ROOT_FILES = ['index.ts'];

export interface BuildOptions {
  /** Top-level folders besides the server's own (the bench harness adds `bench`). */
  extraDirs?: string[];
  /** Where the copy goes (default: a fresh temp dir). Under the repository, packages resolve without NODE_PATH. */
  into?: string;
}

export interface ServerBuild {
  /** The compiled `server/main.js` (the real command line). */
  main: string;
  /** NODE_PATH for the child: the repository's node_modules. */
  nodePath: string;
  dir: string;
  files: number;
  remove(): void;
}

function* tsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

export function buildServer(opts: BuildOptions = {}): ServerBuild {
  const dir = opts.into ?? mkdtempSync(join(tmpdir(), 'cb-stress-build-'));
  const options = swcOptions as Options;
  let files = 0;
  const sources = [...SOURCE_DIRS, ...(opts.extraDirs ?? [])].flatMap((top) => [...tsFiles(join(ROOT, top))]);
  for (const file of [...ROOT_FILES.map((f) => join(ROOT, f)), ...sources]) {
    const out = join(dir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    const { code } = transformSync(readFileSync(file, 'utf8'), { ...options, filename: file });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
    files++;
  }
  return {
    main: join(dir, 'server', 'cli', 'main.js'),
    nodePath: join(ROOT, 'node_modules'),
    dir,
    files,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
