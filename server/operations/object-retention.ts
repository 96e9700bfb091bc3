/**
 * Per-version retention and legal hold (docs/spec/versioning.md §9 K9–K10): Put/GetObjectRetention,
 * Put/GetObjectLegalHold.
 */
import type { BucketInfo, LockMode, ObjectInfo } from '../../storage';
import { requireBucket } from './common';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { verifyDocument } from '../body/integrity';
import { MISSING_LOCK, bypassGovernance, requireDocumentChecksum } from './lock-params';
import { readDocument } from '../body/small-body';
import { storageCall } from '../storage-errors';
import { requestedVersionId, targetVersion, versionHeader } from './version-target';
import { buildXml, parseXml, text } from '../xml/xml';

const MODES: readonly string[] = ['GOVERNANCE', 'COMPLIANCE'];


/** Steps (1) and (2) of §9 K9: a lock bucket, and an object version (a marker is 405). */
function lockedTarget(ctx: S3Context): { bucket: BucketInfo; info: ObjectInfo } {
  const bucket = requireBucket(ctx);
  if (!bucket.objectLock) throw new S3Error('InvalidRequest', MISSING_LOCK);
  const versionId = requestedVersionId(ctx, bucket);
  // UNVERIFIED(S3): a current delete marker is 405 here (docs/spec/versioning.md §12).
  return { bucket, info: targetVersion(ctx, bucket, versionId, { currentMarker: 'MethodNotAllowed' }) };
}

const noConfiguration = () => new S3Error('NoSuchObjectLockConfiguration');

/** GetObjectRetention */
export const getObjectRetention: Handler = async (ctx) => {
  const { bucket, info } = lockedTarget(ctx);
  if (info.lock?.mode === undefined || info.lock.retainUntil === undefined) throw noConfiguration();
  return {
    headers: versionHeader(bucket, info.versionId),
    body: buildXml('Retention', { Mode: info.lock.mode, RetainUntilDate: info.lock.retainUntil.toISOString() }),
  };
};

/** The Retention document: a mode and a future date, or empty to remove the retention (§9 K9 (3), (4)). */
function parseRetention(body: Buffer): { mode: LockMode; retainUntil: Date } | undefined {
  const root = parseXml(body).Retention;
  if (root === undefined) throw new S3Error('MalformedXML');
  if (root === '') return undefined;
  const mode = text(root, 'Mode');
  const until = text(root, 'RetainUntilDate');
  if (mode === undefined || until === undefined || !MODES.includes(mode)) throw new S3Error('MalformedXML');
  const at = Date.parse(until);
  if (Number.isNaN(at)) throw new S3Error('MalformedXML');
  if (at <= Date.now()) throw new S3Error('InvalidArgument', 'The retain until date must be in the future!', { ArgumentName: 'RetainUntilDate', ArgumentValue: until });
  return { mode: mode as LockMode, retainUntil: new Date(at) };
}

/** PutObjectRetention (§9 K9). */
export const putObjectRetention: Handler = async (ctx) => {
  const { bucket, info } = lockedTarget(ctx);
  // UNVERIFIED(S3): PutObjectRetention needs a checksum like the lock configuration (docs/spec/versioning.md §12).
  requireDocumentChecksum(ctx);
  const body = await readDocument(ctx, { maxBytes: 64 * 1024, tooLarge: () => new S3Error('MalformedXML') });
  await verifyDocument(ctx.headers, body);
  const retention = parseRetention(body);
  const bypass = bypassGovernance(ctx, bucket);
  const found = await storageCall(ctx, () => ctx.services.storage.setObjectRetention(bucket.name, info.key, info.versionId, retention, bypass));
  if (!found) throw new S3Error('NoSuchKey', undefined, { Key: info.key });
  return { headers: versionHeader(bucket, info.versionId) };
};

/** GetObjectLegalHold */
export const getObjectLegalHold: Handler = async (ctx) => {
  const { bucket, info } = lockedTarget(ctx);
  if (info.lock?.legalHold === undefined) throw noConfiguration();
  return { headers: versionHeader(bucket, info.versionId), body: buildXml('LegalHold', { Status: info.lock.legalHold }) };
};

/** PutObjectLegalHold (§9 K10): an empty body is MalformedXML before anything else. */
export const putObjectLegalHold: Handler = async (ctx) => {
  const body = await readDocument(ctx, { maxBytes: 64 * 1024, tooLarge: () => new S3Error('MalformedXML') });
  if (body.length === 0) throw new S3Error('MalformedXML');
  const { bucket, info } = lockedTarget(ctx);
  requireDocumentChecksum(ctx);
  await verifyDocument(ctx.headers, body);
  const status = text(parseXml(body).LegalHold, 'Status');
  if (status !== 'ON' && status !== 'OFF') throw new S3Error('MalformedXML');
  if (!ctx.services.storage.setObjectLegalHold(bucket.name, info.key, info.versionId, status)) throw new S3Error('NoSuchKey', undefined, { Key: info.key });
  return { headers: versionHeader(bucket, info.versionId) };
};
