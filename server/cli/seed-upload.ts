/**
 * Uploading a seed folder into a bucket through the storage API (as PutObject does: stage, then
 * commit with the MD5 ETag). A file whose ETag and Content-Type are already those of the object
 * under its key is left alone, so a restart uploads only what changed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BucketInfo, CannedAcl, Storage } from '../../storage';
import { ConfigError } from './config-file';

export interface UploadReport {
  uploaded: number;
  unchanged: number;
}

/** Content-Type by extension; anything else is `application/octet-stream`, as aws-cli does. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.cjs': 'text/javascript', '.map': 'application/json', '.json': 'application/json', '.xml': 'application/xml',
  '.txt': 'text/plain', '.md': 'text/markdown', '.csv': 'text/csv', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif',
  '.ico': 'image/vnd.microsoft.icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.wasm': 'application/wasm', '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.ogg': 'audio/ogg',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Uploaded files can be read by whoever can read the bucket, as `aws s3 sync --acl` would set. */
function objectAclFor(bucketAcl: CannedAcl): CannedAcl {
  if (bucketAcl === 'public-read' || bucketAcl === 'public-read-write') return 'public-read';
  if (bucketAcl === 'authenticated-read') return 'authenticated-read';
  return 'private';
}

/** Every regular file under `root` (symbolic links to files followed), as [key, path], in key order. */
export async function listFolder(root: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const key = `${prefix}${entry.name}`;
      if (entry.isDirectory()) await walk(path, `${key}/`);
      else if (entry.isFile()) out.push([key, path]);
      // A link to a folder is not followed (it could loop); a link to a file is.
      else if (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile()) out.push([key, path]);
    }
  };
  await walk(root, '');
  return out.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export async function uploadFolder(storage: Storage, bucket: BucketInfo, folder: string, owner: string, label: string): Promise<UploadReport> {
  const report: UploadReport = { uploaded: 0, unchanged: 0 };
  const acl = objectAclFor(bucket.acl);
  for (const [key, path] of await listFolder(folder)) {
    if (Buffer.byteLength(key) > 1024) throw new ConfigError(`${label}: ${path}: the key "${key}" is longer than S3's 1024 bytes`);
    const contentType = contentTypeFor(path);
    const current = storage.headObject(bucket.name, key);
    if (current && current.etag === `"${await md5Of(path)}"` && current.meta.content.contentType === contentType) {
      if (current.acl !== acl) storage.setObjectAcl(bucket.name, key, acl);
      report.unchanged++;
      continue;
    }
    const staged = await storage.stage(createReadStream(path), { checksums: [], inline: true });
    await storage.commitObject(bucket.name, key, staged, {
      meta: { content: { contentType }, user: {} },
      etag: `"${staged.md5.toString('hex')}"`,
      checksums: staged.checksums,
      owner,
      acl,
    });
    report.uploaded++;
  }
  return report;
}
