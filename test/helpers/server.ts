/** Test helpers: an app on a temp data dir (inject), or a listening server on port 0. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { buildApp } from '../../server/app';
import { openSqliteStorage } from '../../storage';
import { start, type Running, type StartOptions } from '../../server/cli/start';
import type { ServerConfig } from '../../server/config';

export const ACCESS_KEY_ID = 'crossbucket';
export const SECRET_ACCESS_KEY = 'crossbucket-secret';

export function tempDir(prefix = 'cb-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fastify app over fresh storage, for inject(); close() removes everything. */
export function injectApp(config: Partial<ServerConfig> = {}) {
  const t = tempDir();
  const storage = openSqliteStorage({ dataDir: t.dir });
  const app = buildApp({ storage, config });
  return {
    app,
    storage,
    dir: t.dir,
    async close() {
      await app.close();
      storage.close();
      t.remove();
    },
  };
}

/** A listening server on 127.0.0.1:0 with a temp data dir. */
export function startServer(options: StartOptions = {}): Promise<Running> {
  return start({ port: 0, host: '127.0.0.1', ...options });
}

/** An SDK v3 client with default settings (checksums included), path style. */
export function sdkClient(endpoint: string, overrides: Partial<ConstructorParameters<typeof S3Client>[0]> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    ...overrides,
  });
}

/** The S3 error an SDK call fails with; a call that succeeds, or fails otherwise, throws. */
export async function sdkFailure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
