/** DeleteObject and DeleteObjects (quiet mode too), with version ids and Object Lock. */
import { StorageError, etagMatches, type BucketInfo, type DeleteOptions } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { readDocument } from '../body/small-body';
import { buildXml, list, parseXml, text, type XmlNode } from '../xml/xml';
import { storageCall } from '../storage-errors';
import { requireBucket } from './common';
import { keyAllowed } from '../access/authorize';
import { accountOf } from '../access/access-decision';
import { bypassGovernance } from './lock-params';
import { NULL_VERSION, requestedVersionId } from './version-target';

/** x-amz-if-match-size and x-amz-if-match-last-modified-time (docs/spec/versioning.md §6 D6). */
const UNSUPPORTED_CONDITIONS = ['x-amz-if-match-size', 'x-amz-if-match-last-modified-time'];

/** DeleteObject (docs/spec/versioning.md §6 D1–D4, D6): 204 whether or not the key existed. */
export const deleteObject: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  const versionId = requestedVersionId(ctx, bucket);
  const bypass = bypassGovernance(ctx, bucket);
  for (const name of UNSUPPORTED_CONDITIONS) {
    if (ctx.headers[name] !== undefined) throw new S3Error('NotImplemented', undefined, { Header: name });
  }
  const storage = ctx.services.storage;
  const ifMatch = headerValue(ctx.headers, H.ifMatch);
  if (ifMatch !== undefined) {
    // §6 D6: the target's ETag; an absent target deletes nothing (204). UNVERIFIED(S3): a current
    // delete marker matches only `*` (docs/spec/versioning.md §12).
    const target = storage.headObject(bucket.name, key, versionId);
    if (target && (target.deleteMarker ? ifMatch.trim() !== '*' : !etagMatches(ifMatch, target.etag))) {
      throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
    }
  }
  const options: DeleteOptions = { bypassGovernance: bypass, owner: ctx.auth.user?.id ?? bucket.owner };
  if (versionId !== undefined) options.versionId = versionId;
  const result = await storageCall(ctx, () => storage.deleteObject(bucket.name, key, options));
  const headers: Record<string, string> = {};
  // UNVERIFIED(S3): `versionId=null` in a never-versioned bucket echoes `null` (docs/spec/versioning.md §6 D3).
  if (versionId !== undefined) headers[H.amzVersionId] = versionId;
  else if (result.versionId !== undefined) headers[H.amzVersionId] = result.versionId;
  if (result.deleteMarker) headers[H.amzDeleteMarker] = 'true';
  return { status: 204, headers };
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
  // Each entry is authorized as DeleteObject (DeleteObjectVersion with a version id); a refused
  // one is an AccessDenied entry in the 200 (docs/spec/access.md §3, MOTO test_deny_delete_policy).
  const allowed = doc.entries.map((e) => keyAllowed(ctx, bucket, e.key, e.versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion'));
  // UNVERIFIED(S3): a caller outside the owner account whom no key lets in is refused as a whole.
  const user = ctx.auth.user;
  const ownerAccount = user !== undefined && user.accountId === accountOf(ctx.services, bucket.owner);
  if (!ownerAccount && !allowed.includes(true)) throw new S3Error('AccessDenied');
  const bypass = bypassGovernance(ctx, bucket);
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const [i, entry] of doc.entries.entries()) {
    if (allowed[i] !== true) {
      errors.push({ Key: entry.key, ...(entry.versionId === undefined ? {} : { VersionId: entry.versionId }), Code: 'AccessDenied', Message: 'Access Denied' });
      continue;
    }
    const outcome = await deleteEntry(ctx, bucket, entry, bypass);
    if ('Code' in outcome) errors.push(outcome);
    else if (!doc.quiet) deleted.push(outcome);
  }
  return { body: buildXml('DeleteResult', { Deleted: deleted, Error: errors }) };
};

/** One entry of DeleteObjects (docs/spec/versioning.md §6 D5): its Deleted or Error element. */
async function deleteEntry(ctx: S3Context, bucket: BucketInfo, entry: DeleteEntry, bypass: boolean): Promise<XmlNode> {
  const { key, versionId } = entry;
  const storage = ctx.services.storage;
  if (versionId !== undefined && versionId !== NULL_VERSION && (bucket.versioning === undefined || !storage.isVersionId(versionId))) {
    return { Key: key, VersionId: versionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' };
  }
  const options: DeleteOptions = { bypassGovernance: bypass, owner: ctx.auth.user?.id ?? bucket.owner };
  if (versionId !== undefined) options.versionId = versionId;
  let result;
  try {
    result = await storage.deleteObject(bucket.name, key, options);
  } catch (err) {
    if (err instanceof StorageError && err.code === 'AccessDenied') return { Key: key, VersionId: versionId, Code: 'AccessDenied', Message: err.message };
    throw err;
  }
  if (versionId !== undefined) {
    return result.deleteMarker ? { Key: key, VersionId: versionId, DeleteMarker: true, DeleteMarkerVersionId: versionId } : { Key: key, VersionId: versionId };
  }
  // UNVERIFIED(S3): DeleteMarkerVersionId `null` when Suspended (docs/spec/versioning.md §12).
  if (result.deleteMarker) return { Key: key, DeleteMarker: true, DeleteMarkerVersionId: result.versionId };
  return { Key: key };
}

interface DeleteEntry { key: string; versionId?: string }

function parseDelete(body: Buffer): { quiet: boolean; entries: DeleteEntry[] } {
  // Keys are kept exactly: ` a ` is not `a`.
  const doc = parseXml(body, undefined, { preserveWhitespace: true });
  const root = doc.Delete;
  if (root === undefined || typeof root !== 'object') throw new S3Error('MalformedXML');
  const objects = list(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw new S3Error('MalformedXML');
  const entries = objects.map((o): DeleteEntry => {
    const key = text(o, 'Key');
    if (key === undefined) throw new S3Error('MalformedXML');
    const versionId = text(o, 'VersionId')?.trim();
    return versionId === undefined ? { key } : { key, versionId };
  });
  return { quiet: text(root, 'Quiet')?.trim().toLowerCase() === 'true', entries };
}
