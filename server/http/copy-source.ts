/** The `x-amz-copy-source` header of CopyObject and UploadPartCopy: `[/]BUCKET/KEY[?versionId=ID]`, URL-encoded. */
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';

export interface CopySource {
  bucket: string;
  key: string;
  /** `versionId=` after the first `?`, percent-decoded; undefined when absent. */
  versionId?: string;
}

/** docs/spec/versioning.md §4 W5: split at the first `?`, then percent-decode the key. */
export function parseCopySource(ctx: S3Context): CopySource {
  const raw = headerValue(ctx.headers, H.amzCopySource) ?? '';
  const q = raw.indexOf('?');
  let path = q < 0 ? raw : raw.slice(0, q);
  const versionId = q < 0 ? undefined : new URLSearchParams(raw.slice(q + 1)).get('versionId') ?? undefined;
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new S3Error('InvalidArgument', 'Invalid copy source object key', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  try {
    const source: CopySource = { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
    if (versionId !== undefined) source.versionId = versionId;
    return source;
  } catch {
    throw new S3Error('InvalidArgument', 'Invalid copy source encoding', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  }
}
