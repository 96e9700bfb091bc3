/**
 * Runs the real command line (server/main.ts) in a child process, for CLI and shutdown tests.
 *
 * The child loads TypeScript the way tap loads the tests: through test/loader/import.mjs (swc,
 * no type checking). So it works right after `npm ci`, with no build and no stale dist/.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'server', 'cli', 'main.ts');

/** The node arguments that let a child process run a .ts file: the tests' own loader (test/loader/import.mjs). */
export function tsLoaderArgs(): string[] {
  return [`--import=${pathToFileURL(join(ROOT, 'test', 'loader', 'import.mjs')).href}`];
}

/**
 * This environment without CROSSBUCKET_* variables, plus `env`; with `clean`, only PATH and
 * `env` (no AWS_* or HOME of this machine leaks in).
 */
function childEnv(env: NodeJS.ProcessEnv, clean = false): NodeJS.ProcessEnv {
  if (clean) return { PATH: process.env.PATH, ...env };
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CROSSBUCKET_')) out[k] = v;
  return { ...out, ...env };
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Start from an empty environment (PATH kept) instead of this process's. */
  cleanEnv?: boolean;
  /** A command that runs the node command line given after it (e.g. `unshare -m sh -c '...; exec "$@"' sh`). */
  wrap?: string[];
  /** A compiled command line to run with plain node (the one-file bundle) instead of the sources. */
  entry?: string;
}

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout or stderr (rejects if the child exits first). */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  /** Once the child has exited and its stdout and stderr are read to the end. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCrossbucket(args: string[], options: SpawnOptions = {}): Child {
  const program = options.entry === undefined ? [...tsLoaderArgs(), MAIN] : [options.entry];
  const command = [...(options.wrap ?? []), process.execPath, ...program, ...args];
  const proc = spawn(command[0] as string, command.slice(1), { cwd: options.cwd ?? ROOT, env: childEnv(options.env ?? {}, options.cleanEnv) });
  const out = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const feed = (which: 'stdout' | 'stderr') => (chunk: Buffer) => {
    out[which] += chunk.toString();
    for (const w of [...waiters]) w();
  };
  proc.stdout.on('data', feed('stdout'));
  proc.stderr.on('data', feed('stderr'));
  // 'close', not 'exit': after 'exit' the child's last output may still be in its pipes.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('close', (code, signal) => {
      resolve({ code, signal });
      for (const w of [...waiters]) w();
    });
  });
  let done = false;
  void exited.then(() => { done = true; });
  return {
    proc,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor(pattern, stream) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = stream ? out[stream] : `${out.stdout}\n${out.stderr}`;
          const m = pattern.exec(text);
          if (m) {
            waiters.splice(waiters.indexOf(check), 1);
            resolve(m);
          } else if (done || proc.exitCode !== null) {
            waiters.splice(waiters.indexOf(check), 1);
            reject(new Error(`exited before ${pattern}:\nstdout: ${out.stdout}\nstderr: ${out.stderr}`));
          }
        };
        waiters.push(check);
        check();
      });
    },
  };
}

/** Polls `check` every 20 ms until it holds or `ms` have passed; its last answer. */
export async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
}

/** Runs a command to completion. */
export async function runCrossbucket(args: string[], options: SpawnOptions = {}) {
  const child = spawnCrossbucket(args, options);
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}
