/** The `x-amz-copy-source` header of CopyObject and UploadPartCopy: `[/]BUCKET/KEY[?versionId=ID]`, URL-encoded. */
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';

export function parseCopySource(ctx: S3Context): { bucket: string; key: string } {
  const raw = headerValue(ctx.headers, H.amzCopySource) ?? '';
  const q = raw.indexOf('?');
  let path = q < 0 ? raw : raw.slice(0, q);
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new S3Error('InvalidArgument', 'Invalid copy source object key', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  try {
    return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    throw new S3Error('InvalidArgument', 'Invalid copy source encoding', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  }
}
