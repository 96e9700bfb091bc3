/**
 * GetObjectAttributes. `versionId` names the version (docs/spec/versioning.md §5 R6): a current
 * delete marker is 404 with the marker headers, one named by id 405, as for HeadObject. The
 * attributes (docs/spec/bucket-config.md §B5): those named in `x-amz-object-attributes`, in S3's
 * fixed order; parts paged by x-amz-max-parts and x-amz-part-number-marker.
 */
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { objectAttributesXml, type ObjectAttributes } from '../xml/object-attributes';
import { httpDate } from './object-meta';
import { refuseCustomerKeys } from './object-settings';
import { requireBucket } from './common';
import { requestedVersionId, targetVersion, versionHeader } from './version-target';

const NAMES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;
type Name = (typeof NAMES)[number];
const MAX_PARTS = 1000;

/** The requested names; missing or unknown → InvalidArgument. UNVERIFIED(S3): the message (§B5.1). */
function requested(value: string | undefined): Set<Name> {
  const names = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = () => new S3Error('InvalidArgument', 'Invalid attribute name specified.', { ArgumentName: H.amzObjectAttributes, ArgumentValue: value ?? '' });
  if (names.length === 0) throw bad();
  for (const n of names) if (!(NAMES as readonly string[]).includes(n)) throw bad();
  return new Set(names as Name[]);
}

function intHeader(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: value });
  return Number(value);
}

/** GetObjectAttributes */
export const getObjectAttributes: Handler = async (ctx) => {
  refuseCustomerKeys(ctx.headers);
  const want = requested(headerValue(ctx.headers, H.amzObjectAttributes));
  const bucket = requireBucket(ctx);
  const info = targetVersion(ctx, bucket, requestedVersionId(ctx, bucket), { currentMarker: 'NoSuchKey' });
  const a: ObjectAttributes = {};
  if (want.has('ETag')) a.etag = info.etag.replace(/"/g, '');
  // DEVIATION(S3): an object uploaded without a checksum has none here (S3 adds a CRC64NVME one).
  if (want.has('Checksum') && Object.keys(info.checksums).length > 0) a.checksum = { values: info.checksums, type: info.checksumType ?? 'FULL_OBJECT' };
  const multipart = info.segments.length > 1 || info.segments[0]?.etag !== undefined;
  if (want.has('ObjectParts') && multipart) {
    a.parts = { count: info.segments.length };
    if (info.checksumType === 'COMPOSITE') {
      const max = Math.min(intHeader(headerValue(ctx.headers, H.amzMaxParts), MAX_PARTS, H.amzMaxParts), MAX_PARTS);
      const marker = intHeader(headerValue(ctx.headers, H.amzPartNumberMarker), 0, H.amzPartNumberMarker);
      const all = info.segments.map((s, i) => ({ number: i + 1, size: s.size, checksums: s.checksums ?? {} })).filter((p) => p.number > marker);
      const parts = all.slice(0, max);
      a.parts.page = { marker, next: parts[parts.length - 1]?.number ?? marker, max, truncated: all.length > parts.length, parts };
    }
  }
  if (want.has('StorageClass')) a.storageClass = info.meta.storageClass ?? 'STANDARD';
  if (want.has('ObjectSize')) a.size = info.size;
  return { headers: { [H.lastModified]: httpDate(info.lastModified), ...versionHeader(bucket, info.versionId) }, body: objectAttributesXml(a) };
};
