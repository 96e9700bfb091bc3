/**
 * Data directory faults (docs/data-directory.md): a populated data dir, a snapshot of every file
 * in it (to show that a refused start touched nothing), and the command line run until it exits
 * or says it is listening (then it is killed: a refused directory must never get that far).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { openSqliteStorage, type NewObject, type SqliteStorage } from '../../storage';
import { spawnCrossbucket, type Child, type SpawnOptions } from '../helpers/spawn-server';

const OBJECT: NewObject = { meta: { content: {}, user: {} }, etag: '"x"', checksums: {}, owner: 'owner-id', acl: 'private' };
/** Over 64 KiB: a file in blobs/, not a row. */
export const LARGE = Buffer.alloc(100 * 1024, 'L');
export const SMALL = Buffer.from('a small body, kept in the database');

/** A data dir with bucket `b`: `large.bin` (an object file) and `small.txt` (a row). */
export async function populate(dataDir: string): Promise<void> {
  const storage = openSqliteStorage({ dataDir });
  try {
    storage.createBucket({ name: 'b', createdAt: new Date(), owner: 'owner-id', acl: 'private', region: 'us-east-1' });
    for (const [key, body] of [['large.bin', LARGE], ['small.txt', SMALL]] as const) {
      await storage.commitObject('b', key, await storage.stage(Readable.from([body]), { checksums: [], inline: true }), OBJECT);
    }
  } finally {
    storage.close();
  }
}

export async function readBody(storage: SqliteStorage, bucket: string, key: string): Promise<Buffer | undefined> {
  const info = storage.headObject(bucket, key);
  if (!info) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of storage.readObject(info)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Every file under `dir` (relative path → size and SHA-1 of its bytes), except crossbucket.lock:
 * taking the lock writes the holder's pid into it.
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'crossbucket.lock') out[relative(dir, p)] = `${statSync(p).size} ${createHash('sha1').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

/** Object files in blobs/ (blobs/<2 hex>/<id>). */
export function countObjectFiles(dataDir: string): number {
  return Object.keys(snapshot(dataDir)).filter((p) => /^blobs\/[0-9a-f]{2}\//.test(p)).length;
}

export interface Outcome {
  /** 'exited' with its code, or 'listening' (then killed), or 'timeout' (then killed). */
  result: 'exited' | 'listening' | 'timeout';
  code: number | null;
  stderr: string;
  stdout: string;
}

export const LISTENING = /crossbucket \S+ listening on (http:\/\/\S+)/;

/** Waits until `child` exits or says it is listening; a listening child is left running. */
export async function outcome(child: Child, timeoutMs = 60_000): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    child.exited.then(() => 'exited' as const),
    child.waitFor(LISTENING, 'stderr').then(() => 'listening' as const, () => new Promise<never>(() => undefined)),
    new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); }),
  ]);
  clearTimeout(timer);
  return { result, code: child.proc.exitCode, stderr: child.stderr(), stdout: child.stdout() };
}

/** The command line on `dataDir` until it exits (a child still running after saying it listens is killed). */
export async function startCli(dataDir: string, options: SpawnOptions = {}): Promise<Outcome> {
  const child = spawnCrossbucket(['--port', '0', '--data-dir', dataDir, '--seed', 'none', '--log-format', 'json', '--log-level', 'warn'], options);
  const out = await outcome(child);
  if (out.result !== 'exited') {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
  return out;
}
