/** Query parameters every S3 listing shares: page sizes and `encoding-type=url`. */
import type { ListedObject } from '../../storage';
import type { S3Context } from '../context';
import { ownerXml } from '../xml/owners';
import type { XmlNode } from '../xml/xml';
import { S3Error } from '../errors';

/** A non-negative integer query parameter (InvalidArgument otherwise); capped at `cap`. */
export function intParam(ctx: S3Context, name: string, fallback: number, cap = Number.MAX_SAFE_INTEGER): number {
  const v = ctx.query.get(name);
  if (v === undefined) return fallback;
  if (!/^\d{1,10}$/.test(v) || Number(v) > 2147483647) {
    throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: v });
  }
  return Math.min(Number(v), cap);
}

/** `encoding-type=url`: keys and prefixes percent-encoded in the reply (slashes kept). */
export function keyEncoder(ctx: S3Context): (s: string) => string {
  const type = ctx.query.get('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: type });
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

/** S3's page size, and the most max-keys may ask for. */
export const MAX_KEYS = 1000;

/** A listed object as ListObjects Contents and ListObjectVersions Version elements show it. */
export function contents(ctx: S3Context, o: ListedObject, enc: (s: string) => string, withOwner: boolean): XmlNode {
  const node: XmlNode = { Key: enc(o.key), LastModified: o.lastModified.toISOString(), ETag: o.etag };
  const algs = Object.keys(o.checksums);
  if (algs.length > 0) {
    node.ChecksumAlgorithm = algs.map((a) => a.toUpperCase());
    node.ChecksumType = o.checksumType ?? 'FULL_OBJECT';
  }
  node.Size = o.size;
  if (withOwner) node.Owner = ownerXml(ctx.services, o.owner);
  node.StorageClass = o.storageClass ?? 'STANDARD';
  return node;
}
