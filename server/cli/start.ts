/**
 * start(): open storage, apply the seed, build the app, listen. Used by the CLI and by tests that
 * embed crossbucket:
 *
 *   const s3 = await start({ port: 0 });          // temp data dir, removed by close()
 *   new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
 *   await s3.reset();                              // between tests
 *   await s3.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { openSqliteStorage, startLifecycleSweeper, type SqliteStorage } from '../../storage';
import { buildApp } from '../app';
import { defaultConfig, makeUser, type ServerConfig } from '../config';
import { makeLogger } from '../http/logging';
import { ServerEvents } from '../http/server-events';
import type * as Seeding from './seed';
import type { SeedJson, SeedReport } from './seed';

/** The seed code (and the configuration parsers only it uses) is loaded when a seed is given. */
export const seeding = (): typeof Seeding => require('./seed') as typeof Seeding;

export interface StartOptions {
  /** Default 9000; 0 picks a free port (see `Running.port`). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Defaults to a fresh temp directory, removed by close(). A directory that is in use, unusable
   * or whose database does not match its object files makes start() reject with a DataDirError
   * whose message says what is wrong and what to do (docs/data-directory.md).
   */
  dataDir?: string;
  durability?: 'normal' | 'full';
  /** The single user's credentials (default crossbucket / crossbucket-secret). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * Region, users, auth mode, base domains, `adminReset` (default true here: `POST
   * /_crossbucket/reset`, signed by the first user, is allowed). `credentials` above is the
   * short way to set one user.
   */
  config?: Partial<ServerConfig>;
  /**
   * A seed file path, or the seed itself (its `upload` folders relative to `seedDir`, default
   * the working directory). Applied before the server accepts requests.
   */
  seed?: string | SeedJson;
  seedDir?: string;
  /** pino level (default 'silent', or 'info' when `logDestination` is given). */
  logLevel?: string;
  /** Pretty, human-readable log lines (default: JSON lines). */
  prettyLogs?: boolean;
  /** Where log lines go (default stdout), e.g. a stream a test reads. */
  logDestination?: DestinationStream;
  /**
   * How often lifecycle rules are applied, in ms (docs/spec/bucket-config.md §B2.5); default
   * 60000, 0: never. The first pass runs at start-up.
   */
  lifecycleIntervalMs?: number;
  /** The clock the lifecycle sweep judges ages by (tests move it forward). */
  lifecycleClock?: () => Date;
  /** A ready pino logger; overrides logLevel, prettyLogs and logDestination. */
  logger?: Logger;
}

export interface Running {
  /** `http://127.0.0.1:PORT`: the `endpoint` of an S3 client. */
  endpoint: string;
  port: number;
  host: string;
  dataDir: string;
  region: string;
  /** The first user's credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  app: FastifyInstance;
  storage: SqliteStorage;
  /** What the start-up seed did, if there was one. */
  seeded: SeedReport | undefined;
  /**
   * CORS verdicts, access decisions and object changes as they happen (docs/embedding.md): an
   * EventEmitter (`on('cors' | 'access' | 'object' | 'event', fn)`), an async iterator, and
   * `waitFor(predicate)`. Recorded only while something listens: subscribe first.
   */
  events: ServerEvents;
  /** Empties every bucket ('objects', the default: buckets, ACLs and CORS stay) or removes every bucket too ('all'). */
  reset(mode?: 'objects' | 'all'): Promise<void>;
  /** Applies a seed now (e.g. after reset()). */
  seed(seed: string | SeedJson, seedDir?: string): Promise<SeedReport>;
  /** Stops listening once in-flight requests finish, closes the database, removes a temp data dir. */
  close(): Promise<void>;
}

function endpointHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The addresses a server bound to `host` answers on: that address, or every interface address
 * when bound to all of them. The admin API accepts them as Host (docs/security.md).
 */
export function serverAddressesFor(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

export async function start(options: StartOptions = {}): Promise<Running> {
  // Embedded in tests, reset over HTTP is on unless the caller says otherwise; the CLI passes
  // its --admin-reset explicitly (off by default).
  const config = defaultConfig({ ...options.config, adminReset: options.config?.adminReset ?? true });
  config.serverAddresses = [...config.serverAddresses, ...serverAddressesFor(options.host ?? '127.0.0.1')];
  if (options.credentials) config.users = [makeUser(options.credentials.accessKeyId, options.credentials.secretAccessKey)];
  const owner = config.users[0];
  if (!owner) throw new Error('crossbucket needs at least one user (config.users is empty)');
  const loadSeed = (seed: string | SeedJson, seedDir?: string) =>
    typeof seed === 'string' ? seeding().readSeedFile(seed) : seeding().planSeed(seed, 'seed', seedDir ?? process.cwd());
  // A bad seed is refused before anything is opened or written.
  const plan = options.seed === undefined ? undefined : loadSeed(options.seed, options.seedDir);

  const tempDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'crossbucket-')) : undefined;
  const dataDir = options.dataDir ?? (tempDir as string);
  const removeTemp = () => { if (tempDir) rmSync(tempDir, { recursive: true, force: true }); };
  let storage: SqliteStorage;
  try {
    storage = openSqliteStorage({ dataDir, durability: options.durability ?? 'normal' });
  } catch (err) {
    removeTemp();
    throw err;
  }
  const level = options.logLevel ?? (options.logDestination ? 'info' : 'silent');
  const logger = options.logger ?? makeLogger({ level, pretty: options.prettyLogs ?? false, ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const app = buildApp({ storage, config, loggerInstance: logger });
  const target = { storage, owner, region: config.region };
  const startedAt = Date.now();
  let seeded: SeedReport | undefined;
  try {
    if (plan) seeded = await seeding().applySeed(plan, target);
    await app.listen({ port: options.port ?? 9000, host: options.host ?? '127.0.0.1' });
  } catch (err) {
    await app.close().catch(() => undefined);
    storage.close();
    removeTemp();
    throw err;
  }
  // Orphans of a killed process are swept in the background; files this process writes are never touched.
  storage.sweepOrphans(startedAt).then(
    (n) => { if (n > 0) app.log.info({ removed: n }, 'swept orphan files'); },
    (err: unknown) => app.log.warn({ err }, 'orphan sweep failed'),
  );
  const interval = options.lifecycleIntervalMs ?? 60_000;
  const sweeper = interval > 0
    ? startLifecycleSweeper(storage, interval, (report, err) => {
      if (err !== undefined) app.log.warn({ err }, 'lifecycle sweep failed');
      else if (report && report.expired + report.aborted + report.transitioned > 0) app.log.info({ lifecycle: report }, 'lifecycle rules applied');
    }, options.lifecycleClock)
    : undefined;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 9000;
  const host = options.host ?? '127.0.0.1';
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://${endpointHost(host)}:${port}`,
    port,
    host,
    dataDir,
    region: config.region,
    credentials: { accessKeyId: owner.accessKeyId, secretAccessKey: owner.secretAccessKey },
    app,
    storage,
    seeded,
    events: new ServerEvents(app.services.events),
    async reset(mode = 'objects') {
      await storage.reset(mode);
    },
    async seed(seed, seedDir) {
      return seeding().applySeed(loadSeed(seed, seedDir), target);
    },
    close() {
      closed ??= (async () => {
        sweeper?.stop();
        await app.close();
        storage.close();
        removeTemp();
      })();
      return closed;
    },
  };
}
