/** ListObjectVersions (docs/spec/versioning.md §7 L1–L7): every version and delete marker. */
import type { ListedVersion } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { ownerXml } from '../xml/owners';
import { buildXmlWithRun, type XmlNode } from '../xml/xml';
import { requireBucket } from './common';
import { MAX_KEYS, contents, intParam, keyEncoder } from './list-params';
import { checkVersionId } from './version-target';

/** §7 L2: LastModified in whole seconds (`…:ss.000Z`). */
function lastModified(v: ListedVersion): string {
  return new Date(Math.floor(v.lastModified.getTime() / 1000) * 1000).toISOString();
}

function entry(ctx: S3Context, v: ListedVersion, enc: (s: string) => string): XmlNode {
  if (v.deleteMarker) {
    return { Key: enc(v.key), VersionId: v.versionId, IsLatest: v.isLatest, LastModified: lastModified(v), Owner: ownerXml(ctx.services, v.owner) };
  }
  const c = contents(ctx, v, enc, true);
  return {
    Key: c.Key, VersionId: v.versionId, IsLatest: v.isLatest, LastModified: lastModified(v), ETag: c.ETag,
    ChecksumAlgorithm: c.ChecksumAlgorithm, ChecksumType: c.ChecksumType,
    Size: c.Size, StorageClass: c.StorageClass, Owner: c.Owner,
  };
}

/** ListObjectVersions */
export const listObjectVersions: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const enc = keyEncoder(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const max = intParam(ctx, 'max-keys', MAX_KEYS, MAX_KEYS);
  const keyMarker = ctx.query.get('key-marker') ?? '';
  let versionIdMarker = ctx.query.get('version-id-marker') ?? '';
  if (versionIdMarker !== '') {
    // §7 L5; UNVERIFIED(S3): the ArgumentName of a malformed marker (docs/spec/versioning.md §12).
    if (keyMarker === '') {
      throw new S3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
    }
    versionIdMarker = checkVersionId(ctx, bucket, versionIdMarker, 'version-id-marker');
  }
  const p = ctx.services.storage.listObjectVersions(bucket.name, { prefix, delimiter, keyMarker, versionIdMarker, maxKeys: max });
  // Versions and delete markers keep their one order (§7 L3): a list of single-element groups.
  const run = p.entries.map((v): [string, XmlNode] => [v.deleteMarker ? 'DeleteMarker' : 'Version', entry(ctx, v, enc)]);
  const node: XmlNode = {
    Name: bucket.name, Prefix: enc(prefix),
    KeyMarker: enc(keyMarker), VersionIdMarker: versionIdMarker,
    NextKeyMarker: p.nextKeyMarker === undefined ? undefined : enc(p.nextKeyMarker),
    NextVersionIdMarker: p.nextVersionIdMarker,
    MaxKeys: max,
    Delimiter: delimiter === '' ? undefined : enc(delimiter),
    IsTruncated: p.isTruncated,
    RunPlaceholder: '',
    CommonPrefixes: p.commonPrefixes.map((c) => ({ Prefix: enc(c) })),
    EncodingType: ctx.query.get('encoding-type'),
  };
  return { body: buildXmlWithRun('ListVersionsResult', node, run) };
};
