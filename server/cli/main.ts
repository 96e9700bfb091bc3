/**
 * The command line: `crossbucket [serve] [options]` starts the server; `crossbucket explain`
 * asks a running server why a browser request would be allowed or refused; `crossbucket health`
 * checks a running server (the Docker HEALTHCHECK).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCliConfig, usage, type CliOptions } from './cli-config';
import { DataDirError } from '../../storage';
import { ConfigError } from './config-file';
import { ADMIN_PREFIX, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../config';
import type * as ExplainCli from './explain-cli';
import { packageVersion } from './version';
import { seeding, start, type Running } from './start';

/** `crossbucket explain` only: the server's start-up does not read it. */
const explainCli = (): typeof ExplainCli => require('./explain-cli') as typeof ExplainCli;

/** Where the command line writes, and the environment it reads (replaceable in tests). */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

const PROCESS_IO: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export const PERMISSIVE_WARNING = '!!! PERMISSIVE AUTH: any credentials are accepted and act as the first user. Signatures are NOT checked. !!!';

const HEALTH_USAGE = 'usage: crossbucket health [--endpoint URL]   exit 0 if a running server answers its health check (default endpoint: http://127.0.0.1:$CROSSBUCKET_PORT or :9000)\n';

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

/** `crossbucket health [--endpoint URL]`: 0 when the server answers its health check. */
async function runHealth(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(HEALTH_USAGE);
    return 0;
  }
  let given: string | undefined;
  try {
    given = parseArgs({ args: argv, options: { endpoint: { type: 'string' } }, strict: true }).values.endpoint;
  } catch (err) {
    throw new ConfigError(`health: ${(err as Error).message} (${HEALTH_USAGE.trim()})`);
  }
  const port = io.env.CROSSBUCKET_PORT || '9000';
  const endpoint = given ?? `http://127.0.0.1:${port}`;
  try {
    const res = await fetch(new URL(`${ADMIN_PREFIX}/health`, endpoint), { signal: AbortSignal.timeout(5000) });
    io.stdout.write(`${endpoint}: ${res.status}\n`);
    return res.ok ? 0 : 1;
  } catch (err) {
    io.stderr.write(`${endpoint}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/**
 * What the terminal shows once the server listens: one "listening" line, then lines that can be
 * pasted into a POSIX shell as they are (aws-cli and the AWS SDKs read AWS_ENDPOINT_URL).
 */
export function banner(running: Running, o: CliOptions): string[] {
  const { accessKeyId, secretAccessKey } = running.credentials;
  const isDefault = accessKeyId === DEFAULT_ACCESS_KEY_ID && secretAccessKey === DEFAULT_SECRET_ACCESS_KEY;
  const users = o.config.users ?? [];
  const lines = [`crossbucket ${packageVersion()} listening on ${running.endpoint}  (data: ${running.dataDir})`];
  lines.push(`export AWS_ACCESS_KEY_ID=${shellWord(accessKeyId)}`);
  // The documented default pair is printed in full; a configured secret is not.
  lines.push(isDefault
    ? `export AWS_SECRET_ACCESS_KEY=${shellWord(secretAccessKey)}`
    : `# AWS_SECRET_ACCESS_KEY: the secret configured for ${accessKeyId}${users.length > 1 ? ` (${users.length - 1} more user(s) in the users file)` : ''}`);
  lines.push(`export AWS_DEFAULT_REGION=${shellWord(running.region)}`);
  lines.push(`export AWS_ENDPOINT_URL=${shellWord(running.endpoint)}`);
  lines.push('aws s3 ls');
  if (running.seeded) lines.push(`# seed: ${seeding().describeSeed(running.seeded)}`);
  if (o.config.console !== false) lines.push(`# console: ${running.endpoint}${ADMIN_PREFIX}/console/ (sign in with the access key and secret above)`);
  if (o.config.adminReset === true) lines.push(`# admin reset: on (POST ${ADMIN_PREFIX}/reset, signed by ${accessKeyId}, deletes every bucket and object)`);
  if (o.config.authMode === 'permissive') lines.push(`# ${PERMISSIVE_WARNING}`);
  return lines;
}

/** A word a POSIX shell reads back as itself: quoted unless it is plain. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

async function serve(argv: string[], io: Io): Promise<number> {
  const parsed = parseCliConfig(argv, io.env);
  if (parsed.help) {
    io.stdout.write(usage());
    return 0;
  }
  const o = parsed.options;
  for (const w of o.warnings) io.stderr.write(`crossbucket: warning: ${w}\n`);
  const seed = o.seed !== undefined && (!o.seedIfPresent || existsSync(o.seed)) ? o.seed : undefined;
  const pretty = o.prettyLogs ?? (o.logFormat === 'pretty' || (o.logFormat === 'auto' && io.stdout.isTTY === true));
  const running = await start({
    port: o.port, host: o.host, dataDir: o.dataDir, durability: o.durability,
    config: o.config, logLevel: o.logLevel, prettyLogs: pretty, lifecycleIntervalMs: o.lifecycleIntervalMs, ...(seed === undefined ? {} : { seed }),
  });
  io.stderr.write(banner(running, o).join('\n') + '\n');
  const log = running.app.log;
  if (o.config.authMode === 'permissive') log.warn('permissive auth: any credentials are accepted, signatures are not checked');
  // The banner is the terminal's "listening" line; JSON logs get their own record of it.
  if (!pretty) log.info({ endpoint: running.endpoint, dataDir: running.dataDir, seed: running.seeded }, 'listening');

  let closing = false;
  const stop = (signal: string) => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    closing = true;
    log.info({ signal, timeoutMs: o.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      log.warn('shutdown timeout: closing the connections still open');
      running.app.server.closeAllConnections();
    }, o.shutdownTimeoutMs);
    timer.unref();
    running.close().then(
      () => { log.info('stopped: database closed'); process.exit(0); },
      (err: unknown) => { log.error({ err }, 'shutdown failed'); process.exit(1); },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return 0;
}

/** Runs a command line; resolves to the exit code (the server keeps running after `serve`). */
export async function main(argv: string[], io: Io = PROCESS_IO): Promise<number> {
  const exit = (code: number) => {
    if (io === PROCESS_IO) process.exitCode = code;
    return code;
  };
  try {
    if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
      io.stdout.write(`crossbucket ${packageVersion()}\n`);
      return exit(0);
    }
    if (argv[0] === 'explain' && wantsHelp(argv.slice(1))) {
      io.stdout.write(explainCli().EXPLAIN_USAGE);
      return exit(0);
    }
    if (argv[0] === 'explain') return exit(await explainCli().runExplain(argv.slice(1), io));
    if (argv[0] === 'health') return exit(await runHealth(argv.slice(1), io));
    return await serve(argv[0] === 'serve' ? argv.slice(1) : argv, io);
  } catch (err) {
    // An unusable, shared or mismatched data directory: one line, nothing started (docs/data-directory.md).
    if (err instanceof ConfigError || err instanceof DataDirError) {
      io.stderr.write(`crossbucket: ${err.message}\n`);
      return exit(2);
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      io.stderr.write(`crossbucket: the port is already in use (${e.message}); choose another with --port or CROSSBUCKET_PORT\n`);
      return exit(1);
    }
    throw err;
  }
}

/** `node <this file> ...`: the process's own arguments (also the one-file build's, server/cli/package-entry.ts). */
export function runCommandLine(): void {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`crossbucket: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}

if (require.main === module) runCommandLine();
