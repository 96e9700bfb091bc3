/** DeleteObject and DeleteObjects (quiet mode too). */
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { verifyDocument } from '../body/integrity';
import { readSmallBody } from '../body/small-body';
import { buildXml, list, parseXml, text, type XmlNode } from '../xml/xml';
import { requireBucket } from './common';

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
  const body = await readSmallBody(ctx, 2 * 1024 * 1024);
  await verifyDocument(ctx.headers, body);
  const doc = parseDelete(body);
  const deleted: XmlNode[] = [];
  for (const key of doc.keys) {
    await ctx.services.storage.deleteObject(bucket.name, key);
    if (!doc.quiet) deleted.push({ Key: key });
  }
  return { body: buildXml('DeleteResult', { Deleted: deleted }) };
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
