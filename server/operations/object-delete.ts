/** DeleteObject and DeleteObjects (quiet mode too). */
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { readDocument } from '../body/small-body';
import { buildXml, list, parseXml, text, type XmlNode } from '../xml/xml';
import { requireBucket } from './common';
import { keyAllowed } from '../access/authorize';
import { accountOf } from '../access/access-decision';

/** DeleteObject: 204 whether or not the key existed, as S3 does. */
export const deleteObject: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  await ctx.services.storage.deleteObject(bucket.name, ctx.key ?? '');
  return { status: 204 };
};

const MAX_DELETE_KEYS = 1000;

/** DeleteObjects */
export const deleteObjects: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const hasIntegrity = headerValue(ctx.headers, H.contentMd5) !== undefined
    || Object.keys(ctx.headers).some((h) => h.startsWith(H.amzChecksumPrefix) && h !== H.amzChecksumMode)
    || headerValue(ctx.headers, H.amzSdkChecksumAlgorithm) !== undefined;
  if (!hasIntegrity) throw new S3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  const body = await readDocument(ctx, { maxBytes: 2 * 1024 * 1024 });
  const doc = parseDelete(body);
  // Each key is authorized as DeleteObject; a refused key is an AccessDenied entry in the 200
  // (docs/spec/access.md §3, MOTO test_deny_delete_policy).
  const allowed = doc.keys.map((key) => keyAllowed(ctx, bucket, key, 's3:DeleteObject'));
  // UNVERIFIED(S3): a caller outside the owner account whom no key lets in is refused as a whole.
  const user = ctx.auth.user;
  const ownerAccount = user !== undefined && user.accountId === accountOf(ctx.services, bucket.owner);
  if (!ownerAccount && !allowed.includes(true)) throw new S3Error('AccessDenied');
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const [i, key] of doc.keys.entries()) {
    if (allowed[i] !== true) {
      errors.push({ Key: key, Code: 'AccessDenied', Message: 'Access Denied' });
      continue;
    }
    await ctx.services.storage.deleteObject(bucket.name, key);
    if (!doc.quiet) deleted.push({ Key: key });
  }
  return { body: buildXml('DeleteResult', errors.length === 0 ? { Deleted: deleted } : { Deleted: deleted, Error: errors }) };
};

function parseDelete(body: Buffer): { quiet: boolean; keys: string[] } {
  // Keys are kept exactly: ` a ` is not `a`.
  const doc = parseXml(body, undefined, { preserveWhitespace: true });
  const root = doc.Delete;
  if (root === undefined || typeof root !== 'object') throw new S3Error('MalformedXML');
  const objects = list(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw new S3Error('MalformedXML');
  const keys = objects.map((o) => {
    const key = text(o, 'Key');
    if (key === undefined) throw new S3Error('MalformedXML');
    return key;
  });
  return { quiet: text(root, 'Quiet')?.trim().toLowerCase() === 'true', keys };
}
