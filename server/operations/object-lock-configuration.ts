/** Get/PutObjectLockConfiguration (docs/spec/versioning.md §9 K1–K4). */
import type { DefaultRetention, LockMode } from '../../storage';
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { verifyDocument } from '../body/integrity';
import { readDocument } from '../body/small-body';
import { buildXml, parseXml, text, type XmlNode } from '../xml/xml';
import { requireBucket } from './common';
import { LOCK_MODES, requireDocumentChecksum } from './lock-params';

// UNVERIFIED(S3): the upper bounds of a default retention (docs/spec/versioning.md §9 K3, §12).
const MAX_DAYS = 36500;
const MAX_YEARS = 100;

/** GetObjectLockConfiguration (§9 K4). */
export const getObjectLockConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  if (!bucket.objectLock) throw new S3Error('ObjectLockConfigurationNotFoundError', undefined, { BucketName: bucket.name });
  const node: XmlNode = { ObjectLockEnabled: 'Enabled' };
  const rule = bucket.objectLock.rule;
  if (rule) node.Rule = { DefaultRetention: { Mode: rule.mode, Days: rule.days, Years: rule.years } };
  return { body: buildXml('ObjectLockConfiguration', node) };
};

/** A positive whole number of Days or Years (§9 K3). */
function period(value: string, name: 'Days' | 'Years', max: number): number {
  if (!/^-?\d+$/.test(value)) throw new S3Error('MalformedXML');
  const n = Number(value);
  if (n <= 0 || n > max) throw new S3Error('InvalidArgument', 'Default retention period must be a positive integer value.', { ArgumentName: name, ArgumentValue: value });
  return n;
}

function parseLockConfiguration(body: Buffer): { rule?: DefaultRetention } {
  const root = parseXml(body).ObjectLockConfiguration;
  if (root === undefined || text(root, 'ObjectLockEnabled') !== 'Enabled') throw new S3Error('MalformedXML');
  if (typeof root !== 'object' || Array.isArray(root) || root.Rule === undefined) return {};
  const retention = typeof root.Rule === 'object' && !Array.isArray(root.Rule) ? root.Rule.DefaultRetention : undefined;
  if (retention === undefined || typeof retention !== 'object' || Array.isArray(retention)) throw new S3Error('MalformedXML');
  const mode = text(retention, 'Mode');
  const days = text(retention, 'Days');
  const years = text(retention, 'Years');
  if (mode === undefined || !LOCK_MODES.includes(mode) || (days === undefined) === (years === undefined)) throw new S3Error('MalformedXML');
  const rule: DefaultRetention = { mode: mode as LockMode };
  if (days !== undefined) rule.days = period(days, 'Days', MAX_DAYS);
  if (years !== undefined) rule.years = period(years, 'Years', MAX_YEARS);
  return { rule };
}

/** PutObjectLockConfiguration (§9 K2, K3). */
export const putObjectLockConfiguration: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  requireDocumentChecksum(ctx);
  const body = await readDocument(ctx, { maxBytes: 64 * 1024, tooLarge: () => new S3Error('MalformedXML') });
  await verifyDocument(ctx.headers, body);
  const { rule } = parseLockConfiguration(body);
  if (!bucket.objectLock && bucket.versioning !== 'Enabled') {
    throw new S3Error('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
  }
  ctx.services.storage.setBucketObjectLock(bucket.name, rule ? { enabled: true, rule } : { enabled: true });
  return {};
};
