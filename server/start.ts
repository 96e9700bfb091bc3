/**
 * start(): open storage, build the app, listen. Used by the CLI and by tests that embed
 * crossbucket (`import { start } from 'crossbucket'`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { openSqliteStorage, type SqliteStorage } from '../storage';
import { buildApp } from './app';
import { defaultConfig, type ServerConfig } from './config';

export interface StartOptions {
  port?: number;
  host?: string;
  /** Defaults to a fresh temp directory, removed by close(). */
  dataDir?: string;
  durability?: 'normal' | 'full';
  config?: Partial<ServerConfig>;
  /** pino level, or 'silent' (the default when embedded). */
  logLevel?: string;
  /** Pretty, human-readable log lines (default: when stdout is a terminal). */
  prettyLogs?: boolean;
}

export interface Running {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  host: string;
  dataDir: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  app: FastifyInstance;
  storage: SqliteStorage;
  /** Empties every bucket ('objects', the default) or removes every bucket too ('all'). */
  reset(mode?: 'objects' | 'all'): Promise<void>;
  close(): Promise<void>;
}

export function makeLogger(level: string, pretty: boolean) {
  if (pretty) {
    return pino({
      level,
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level, redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' } });
}

export async function start(options: StartOptions = {}): Promise<Running> {
  const tempDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'crossbucket-')) : undefined;
  const dataDir = options.dataDir ?? (tempDir as string);
  const storage = openSqliteStorage({ dataDir, durability: options.durability ?? 'normal' });
  const config = defaultConfig(options.config);
  const level = options.logLevel ?? 'silent';
  const app = buildApp({ storage, config, loggerInstance: makeLogger(level, options.prettyLogs ?? false) });
  const startedAt = Date.now();
  try {
    await app.listen({ port: options.port ?? 9000, host: options.host ?? '127.0.0.1' });
  } catch (err) {
    storage.close();
    throw err;
  }
  // Orphans of a killed process are swept in the background; files this process writes are never touched.
  storage.sweepOrphans(startedAt).then(
    (n) => { if (n > 0) app.log.info({ removed: n }, 'swept orphan files'); },
    (err: unknown) => app.log.warn({ err }, 'orphan sweep failed'),
  );
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 9000;
  const host = options.host ?? '127.0.0.1';
  const first = config.users[0];
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    host,
    dataDir,
    region: config.region,
    credentials: { accessKeyId: first?.accessKeyId ?? '', secretAccessKey: first?.secretAccessKey ?? '' },
    app,
    storage,
    async reset(mode = 'objects') {
      await storage.reset(mode);
      app.services.cors.invalidate();
    },
    async close() {
      await app.close();
      storage.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
