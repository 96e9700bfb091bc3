/**
 * The 100,000-key listing bucket, written once per benchmark run and reused by every round.
 * crossbucket: inserted through the storage API (the same code path PutObject commits through,
 * without HTTP), so the data directory is what the server itself would have written.
 * s3rver: written in its own on-disk layout (`KEY._S3rver_object`, `.md5`, `._S3rver_metadata.json`),
 * what its PutObject writes. The ceiling needs no data: it answers canned pages.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { canonicalIdFor } from '../server/config';
import { openSqliteStorage } from '../storage';
import { listLayout } from './config';
import { BUCKET, CROSSBUCKET_CREDENTIALS } from './requests';

const BODY = Buffer.alloc(100, 'x');

export async function seedCrossbucket(dataDir: string, keys: number): Promise<void> {
  const storage = openSqliteStorage({ dataDir });
  try {
    const owner = canonicalIdFor(CROSSBUCKET_CREDENTIALS.accessKeyId);
    storage.createBucket({ name: BUCKET, createdAt: new Date(), owner, acl: 'private', region: CROSSBUCKET_CREDENTIALS.region });
    const layout = listLayout(keys);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < keys; i = next++) {
        const staged = await storage.stage(Readable.from([BODY]), { checksums: ['crc32'], inline: true });
        await storage.commitObject(BUCKET, layout.key(i), staged, {
          meta: { content: { contentType: 'application/octet-stream' }, user: {} },
          etag: `"${staged.md5.toString('hex')}"`,
          checksums: staged.checksums,
          owner,
          acl: 'private',
        });
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
  } finally {
    storage.close();
  }
}

export function seedS3rver(directory: string, keys: number): void {
  const layout = listLayout(keys);
  const md5 = createHash('md5').update(BODY).digest('hex');
  const metadata = JSON.stringify({ 'content-type': 'application/octet-stream' }, null, 2);
  const made = new Set<string>();
  for (let i = 0; i < keys; i++) {
    const path = join(directory, BUCKET, layout.key(i));
    const parent = join(path, '..');
    if (!made.has(parent)) { mkdirSync(parent, { recursive: true }); made.add(parent); }
    writeFileSync(`${path}._S3rver_object`, BODY);
    writeFileSync(`${path}._S3rver_object.md5`, md5);
    writeFileSync(`${path}._S3rver_metadata.json`, metadata);
  }
}
