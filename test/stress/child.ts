/**
 * The real command line (`server/main.js` of a `buildServer()` copy) in a child process on
 * 127.0.0.1, port 0: started on a data dir, killed with SIGKILL or stopped with SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ServerBuild } from './build';

export interface ChildServer {
  endpoint: string;
  pid: number;
  proc: ChildProcessWithoutNullStreams;
  /** Everything the child wrote to stdout (JSON log lines) and stderr (banner). */
  stdout(): string;
  stderr(): string;
  /** Resident set size in bytes (Linux /proc), undefined elsewhere or after exit. */
  rss(): number | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful: in-flight requests finish, database closed), resolved on exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ChildOptions {
  dataDir: string;
  logLevel?: string;
  /** Extra command-line flags. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

function childEnv(build: ServerBuild, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CROSSBUCKET_') && !k.startsWith('TAP')) env[k] = v;
  return { ...env, NODE_PATH: build.nodePath, ...extra };
}

export async function startChild(build: ServerBuild, options: ChildOptions): Promise<ChildServer> {
  const args = [
    build.main, '--port', '0', '--host', '127.0.0.1', '--data-dir', options.dataDir, '--seed', 'none',
    '--log-level', options.logLevel ?? 'warn', '--log-format', 'json', ...(options.args ?? []),
  ];
  const proc = spawn(process.execPath, args, { cwd: options.dataDir, env: childEnv(build, options.env ?? {}) });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    proc.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${err}\n${out}`)));
  });
  const pid = proc.pid ?? -1;
  return {
    endpoint,
    pid,
    proc,
    stdout: () => out,
    stderr: () => err,
    rss() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m?.[1] ? Number(m[1]) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
    exited,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}
