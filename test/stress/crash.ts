/**
 * Killed process: concurrent PutObject (new and overwrite), DeleteObject, CopyObject and
 * multipart uploads against a child server, SIGKILL at a random moment, restart on the same
 * data dir, then check that every acknowledged write is readable with its bytes and ETag (or the
 * unacknowledged write that was in flight on that key), that listings agree, that SQLite's
 * integrity check passes and that the start-up sweep leaves no orphan, temp or missing file.
 */
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand,
  CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand, UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { ServerBuild } from './build';
import { startChild, type ChildServer } from './child';
import { describe, httpStatusOf, md5Hex, multipartEtag, pick, prng, randomBody, stressClient } from './client';
import { diskState, integrityCheck, waitForSweep } from './data-dir';
import { ABSENT, Keyspace, keyNames, type KeyModel, type KeyState } from './model';
import { pool, verifyKeyspace } from './verify';

export const CRASH_BUCKET = 'crash-test';

export interface CrashOptions {
  build: ServerBuild;
  dataDir: string;
  /** Kill points. */
  rounds: number;
  /** Operations in flight at once. */
  concurrency: number;
  keys: number;
  /**
   * The kill comes after a random number of acknowledged writes in this range (counting makes
   * the kill point independent of the machine's speed), plus a random 0-50 ms.
   */
  killAfterAcks: [number, number];
  seed: number;
  /**
   * A versioned bucket (docs/spec/versioning.md): overwrites keep the old version, deletes add
   * markers, and every acknowledged version is read back by id after each restart.
   */
  versioned?: boolean;
  log?: (line: string) => void;
}

export interface CrashFigures {
  seed: number;
  killPoints: number;
  acked: Record<'put' | 'delete' | 'copy' | 'complete', number>;
  /** Operations cut by a kill: their outcome was unknown until the restart. */
  cut: number;
  /** Of those, how many had committed before the kill. */
  cutApplied: number;
  multipart: boolean;
  keysVerified: number;
  sweepMs: number[];
  integrity: string[];
  problems: string[];
  /** Acknowledged versions read back by id after the restarts (versioned runs). */
  versionsVerified: number;
}

/** An acknowledged PutObject of a versioned run: its id and bytes, which must outlive any crash. */
interface AckedVersion { key: string; versionId: string; md5: string }

const MIB = 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

class Round {
  stop = false;
  killed = false;
  readonly inFlight = new Set<Promise<void>>();
  bigUploads = 0;
  acks = 0;
  private onAck: (() => void) | undefined;

  constructor(
    readonly client: S3Client,
    readonly space: Keyspace,
    readonly figures: CrashFigures,
    readonly random: () => number,
    readonly versions: AckedVersion[] = [],
  ) {}

  problem(text: string): void {
    if (this.figures.problems.length < 100) this.figures.problems.push(text);
  }

  /** Runs one write whose success makes `target` the key's acknowledged state. */
  async write(k: KeyModel, target: KeyState, kind: keyof CrashFigures['acked'], send: () => Promise<unknown>, check?: (res: unknown) => string | undefined): Promise<void> {
    k.pending = target;
    try {
      const res = await send();
      const wrong = check?.(res);
      if (wrong) this.problem(`${kind} ${k.key}: ${wrong}`);
      k.acked = target;
      k.pending = undefined;
      this.figures.acked[kind]++;
      this.acks++;
      this.onAck?.();
    } catch (err) {
      this.failed(`${kind} ${k.key}`, err);
    }
  }

  /** A failure is expected only when the kill cut the connection (no HTTP response). */
  failed(what: string, err: unknown): void {
    if (this.killed && httpStatusOf(err) === undefined) {
      this.figures.cut++;
      return;
    }
    this.problem(`${what}: ${describe(err)}`);
  }

  async put(k: KeyModel): Promise<void> {
    const body = randomBody(this.random);
    const md5 = md5Hex(body);
    const etag = `"${md5}"`;
    await this.write(k, { kind: 'object', md5, etags: [etag], size: body.length }, 'put',
      () => this.client.send(new PutObjectCommand({ Bucket: CRASH_BUCKET, Key: k.key, Body: body })),
      (res) => {
        const { ETag, VersionId } = res as { ETag?: string; VersionId?: string };
        if (VersionId !== undefined && this.versions.length < 2000) this.versions.push({ key: k.key, versionId: VersionId, md5 });
        return ETag === etag ? undefined : `ETag ${ETag} for ${etag}`;
      });
  }

  async delete(k: KeyModel): Promise<void> {
    await this.write(k, ABSENT, 'delete', () => this.client.send(new DeleteObjectCommand({ Bucket: CRASH_BUCKET, Key: k.key })));
  }

  async copy(dst: KeyModel, src: KeyModel): Promise<void> {
    const s = src.acked;
    if (s.kind !== 'object') return;
    // A multipart source may come out as one part with a plain MD5 ETag.
    const etags = [...new Set([...s.etags, `"${s.md5}"`])];
    await this.write(dst, { kind: 'object', md5: s.md5, etags, size: s.size }, 'copy',
      () => this.client.send(new CopyObjectCommand({
        Bucket: CRASH_BUCKET, Key: dst.key, CopySource: `${CRASH_BUCKET}/${encodeURIComponent(src.key)}`,
      })));
  }

  async multipart(k: KeyModel): Promise<void> {
    const big = this.bigUploads < 2 && this.random() < 0.1;
    const parts = big ? [randomBytes(5 * MIB), randomBody(this.random)] : [randomBody(this.random)];
    if (big) this.bigUploads++;
    try {
      let uploadId: string | undefined;
      try {
        uploadId = (await this.client.send(new CreateMultipartUploadCommand({ Bucket: CRASH_BUCKET, Key: k.key }))).UploadId;
        const done: Array<{ ETag: string | undefined; PartNumber: number }> = [];
        for (const [i, body] of parts.entries()) {
          const res = await this.client.send(new UploadPartCommand({ Bucket: CRASH_BUCKET, Key: k.key, UploadId: uploadId, PartNumber: i + 1, Body: body }));
          done.push({ ETag: res.ETag, PartNumber: i + 1 });
        }
        if (this.stop) return;
        const etag = multipartEtag(parts);
        await this.write(k, { kind: 'object', md5: md5Hex(Buffer.concat(parts)), etags: [etag], size: parts.reduce((n, p) => n + p.length, 0) }, 'complete',
          () => this.client.send(new CompleteMultipartUploadCommand({ Bucket: CRASH_BUCKET, Key: k.key, UploadId: uploadId, MultipartUpload: { Parts: done } })),
          (res) => ((res as { ETag?: string }).ETag === etag ? undefined : `ETag ${(res as { ETag?: string }).ETag} for ${etag}`));
        uploadId = undefined;
      } finally {
        // An upload the kill interrupted stays (its parts are referenced, not orphans); others are aborted.
        if (uploadId !== undefined && !this.killed) {
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: CRASH_BUCKET, Key: k.key, UploadId: uploadId })).catch(() => undefined);
        }
      }
    } catch (err) {
      this.failed(`multipart ${k.key}`, err);
    } finally {
      if (big) this.bigUploads--;
    }
  }

  /** One operation on idle keys (held busy until it settles). */
  async step(): Promise<void> {
    const r = this.random();
    const space = this.space;
    if (r < 0.2 && this.figures.multipart) {
      const k = space.take(this.random);
      if (!k) return sleep(1);
      try { await this.multipart(k); } finally { space.release(k); }
    } else if (r < 0.4) {
      const src = space.take(this.random, (c) => c.acked.kind === 'object');
      if (!src) return sleep(1);
      const dst = space.take(this.random);
      if (!dst) { space.release(src); return sleep(1); }
      try { await this.copy(dst, src); } finally { space.release(src); space.release(dst); }
    } else {
      const k = space.take(this.random);
      if (!k) return sleep(1);
      try { await (r < 0.55 ? this.delete(k) : this.put(k)); } finally { space.release(k); }
    }
  }

  /** Resolves once `n` writes of this round have been acknowledged. */
  acked(n: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => { if (this.acks >= n) { this.onAck = undefined; resolve(); } };
      this.onAck = check;
      check();
    });
  }

  async worker(): Promise<void> {
    while (!this.stop) await this.step();
  }
}

async function supportsMultipart(client: S3Client): Promise<boolean> {
  try {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: CRASH_BUCKET, Key: 'probe' }));
    await client.send(new AbortMultipartUploadCommand({ Bucket: CRASH_BUCKET, Key: 'probe', UploadId }));
    return true;
  } catch (err) {
    if (httpStatusOf(err) === 501) return false;
    throw err;
  }
}

/** Restart-side checks: every key, the listing, then the sweep (server idle). */
async function verifyAfterRestart(child: ChildServer, client: S3Client, space: Keyspace, figures: CrashFigures, dataDir: string, label: string, versions: AckedVersion[]): Promise<void> {
  const result = await verifyKeyspace(client, CRASH_BUCKET, space, { resolve: true });
  // Nothing in the run deletes a version by id: every acknowledged one is still there, byte for byte.
  await pool(versions, 32, async (v) => {
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: CRASH_BUCKET, Key: v.key, VersionId: v.versionId }));
      const md5 = md5Hex(Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array()));
      if (md5 !== v.md5) figures.problems.push(`${label}: version ${v.versionId} of ${JSON.stringify(v.key)} reads md5 ${md5}, acknowledged ${v.md5}`);
      figures.versionsVerified++;
    } catch (err) {
      figures.problems.push(`${label}: version ${v.versionId} of ${JSON.stringify(v.key)}: ${describe(err)}`);
    }
  });
  figures.keysVerified += result.checked;
  figures.cutApplied += result.pendingApplied;
  for (const p of result.problems) figures.problems.push(`${label}: ${p}`);
  const sweep = await waitForSweep(dataDir);
  figures.sweepMs.push(sweep.waitedMs);
  if (sweep.orphans.length > 0) figures.problems.push(`${label}: ${sweep.orphans.length} orphan blob(s) after the sweep: ${sweep.orphans.slice(0, 5).join(', ')}`);
  if (sweep.temp.length > 0) figures.problems.push(`${label}: ${sweep.temp.length} temp file(s) after the sweep`);
  if (sweep.missing.length > 0) figures.problems.push(`${label}: ${sweep.missing.length} referenced blob(s) missing: ${sweep.missing.slice(0, 5).join(', ')}`);
  if (sweep.orphanBodies.length > 0) figures.problems.push(`${label}: ${sweep.orphanBodies.length} body row(s) no object owns`);
  void child;
}

export async function runCrash(options: CrashOptions): Promise<CrashFigures> {
  const log = options.log ?? (() => undefined);
  const random = prng(options.seed);
  const figures: CrashFigures = {
    seed: options.seed, killPoints: 0, acked: { put: 0, delete: 0, copy: 0, complete: 0 }, cut: 0, cutApplied: 0,
    multipart: false, keysVerified: 0, sweepMs: [], integrity: [], problems: [], versionsVerified: 0,
  };
  const versions: AckedVersion[] = [];
  const space = new Keyspace(keyNames(options.keys));
  let child = await startChild(options.build, { dataDir: options.dataDir });
  let client = stressClient(child.endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: CRASH_BUCKET }));
    if (options.versioned) await client.send(new PutBucketVersioningCommand({ Bucket: CRASH_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    figures.multipart = await supportsMultipart(client);
    for (let round = 1; round <= options.rounds; round++) {
      const state = new Round(client, space, figures, random, versions);
      const workers = Array.from({ length: options.concurrency }, () => state.worker());
      const [lo, hi] = options.killAfterAcks;
      const killAfter = lo + Math.floor(random() * (hi - lo));
      const started = Date.now();
      // A stalled server is killed anyway after 20 s (the figures then show few acks).
      let stall: NodeJS.Timeout | undefined;
      await Promise.race([state.acked(killAfter), new Promise((r) => { stall = setTimeout(r, 20_000); })]);
      clearTimeout(stall);
      await sleep(Math.floor(random() * 50));
      const killAt = Date.now() - started;
      state.stop = true;
      state.killed = true;
      const busy = space.keys.filter((k) => k.pending !== undefined).length;
      const killed = Date.now();
      await child.kill();
      await Promise.all(workers);
      const settled = Date.now() - killed;
      client.destroy();
      figures.killPoints++;
      const integrity = integrityCheck(options.dataDir);
      figures.integrity.push(integrity);
      if (integrity !== 'ok') figures.problems.push(`kill ${round}: integrity_check: ${integrity}`);
      log(`kill ${round}/${options.rounds} after ${state.acks} acks (${killAt} ms): ${busy} write(s) in flight (settled in ${settled} ms); acked so far ${JSON.stringify(figures.acked)}`);
      const restarted = Date.now();
      child = await startChild(options.build, { dataDir: options.dataDir });
      client = stressClient(child.endpoint);
      const booted = Date.now();
      await verifyAfterRestart(child, client, space, figures, options.dataDir, `after kill ${round}`, versions);
      log(`  restart ${booted - restarted} ms, verification ${Date.now() - booted} ms`);
      if (figures.problems.length > 0) break;
    }
    const stopping = Date.now();
    const stopped = await child.stop();
    log(`graceful stop in ${Date.now() - stopping} ms`);
    if (stopped.code !== 0) figures.problems.push(`graceful stop exited with ${stopped.code ?? stopped.signal}`);
    const integrity = integrityCheck(options.dataDir);
    if (integrity !== 'ok') figures.problems.push(`final integrity_check: ${integrity}`);
    const disk = diskState(options.dataDir);
    if (disk.orphans.length + disk.temp.length + disk.missing.length + disk.orphanBodies.length > 0) figures.problems.push(`final disk state: ${JSON.stringify(disk)}`);
  } finally {
    client.destroy();
    await child.kill();
  }
  return figures;
}
