/** S3's general-purpose bucket naming rules (S3 user guide, "Bucket naming rules"). */
import { S3Error } from '../errors';

const NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function isValidBucketName(name: string): boolean {
  if (!NAME.test(name) || IP.test(name) || name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.startsWith('amzn-s3-demo-')) return false;
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3') || name.endsWith('.mrap') || name.endsWith('--x-s3') || name.endsWith('--table-s3')) return false;
  return true;
}

export function assertValidBucketName(name: string): void {
  if (!isValidBucketName(name)) throw new S3Error('InvalidBucketName', undefined, { BucketName: name });
}
