/** GetBucketVersioning and PutBucketVersioning (docs/spec/versioning.md §2). */
import { requireBucket } from './common';
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { readDocument } from '../body/small-body';
import { buildXml, parseXml, text } from '../xml/xml';

const STATUSES: readonly string[] = ['Enabled', 'Suspended'];
const MFA_DELETE: readonly string[] = ['Enabled', 'Disabled'];

/** GetBucketVersioning: no Status until versioning was configured (§2 V1); MfaDelete once set (V4). */
export const getBucketVersioning: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  return { body: buildXml('VersioningConfiguration', { Status: bucket.versioning, MfaDelete: bucket.mfaDelete }) };
};

/** PutBucketVersioning (§2 V2–V5). */
export const putBucketVersioning: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const doc = parseXml(await readDocument(ctx, { maxBytes: 64 * 1024, tooLarge: () => new S3Error('MalformedXML') }));
  const root = doc.VersioningConfiguration;
  if (root === undefined) throw new S3Error('MalformedXML');
  const status = text(root, 'Status');
  const mfaDelete = text(root, 'MfaDelete');
  if (status === undefined) throw new S3Error('IllegalVersioningConfigurationException', 'The Versioning element must be specified');
  if (!STATUSES.includes(status)) throw new S3Error('MalformedXML');
  if (mfaDelete !== undefined && !MFA_DELETE.includes(mfaDelete)) throw new S3Error('MalformedXML');
  // DEVIATION(S3): MFA delete needs an MFA device crossbucket does not have (docs/spec/versioning.md §2 V4).
  if (mfaDelete === 'Enabled') throw new S3Error('NotImplemented', 'MfaDelete is not implemented by crossbucket.', { Header: 'MfaDelete' });
  if (bucket.objectLock && status === 'Suspended') {
    throw new S3Error('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
  }
  ctx.services.storage.setBucketVersioning(bucket.name, status as 'Enabled' | 'Suspended', mfaDelete as 'Disabled' | undefined);
  return {};
};
