/**
 * A runnable copy of the server for child-process tests, made without a prior `npm run build`:
 * every .ts file of server/, storage/, cors-engine/ and policy-engine/ is transpiled (TypeScript's
 * `transpileModule`: no type checking, so a colleague's half-typed file cannot stop the run)
 * into a temp dir, and the child resolves packages through NODE_PATH=<repo>/node_modules.
 *
 * Why not tap's TypeScript loader: it works, but a child spends ~7 s booting through ts-node on
 * a loaded 2-core machine, and the crash test restarts the server many times. Transpiling once
 * takes ~2 s and each boot then takes well under a second.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

export const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['server', 'storage', 'cors-engine', 'policy-engine'];

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

export function buildServer(): ServerBuild {
  const dir = mkdtempSync(join(tmpdir(), 'cb-stress-build-'));
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    esModuleInterop: true,
    sourceMap: false,
  };
  let files = 0;
  for (const top of SOURCE_DIRS) {
    for (const file of tsFiles(join(ROOT, top))) {
      const out = join(dir, relative(ROOT, file)).replace(/\.ts$/, '.js');
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
      files++;
    }
  }
  return {
    main: join(dir, 'server', 'cli', 'main.js'),
    nodePath: join(ROOT, 'node_modules'),
    dir,
    files,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
