/** The GetObjectAttributesResponse document (docs/spec/bucket-config.md §B5.2–§B5.4). */
import type { ChecksumValues } from '../../storage';
import { buildXml, type XmlNode } from './xml';

export interface ObjectAttributes {
  etag?: string;
  checksum?: { values: ChecksumValues; type: string };
  parts?: {
    count: number;
    /** Present for COMPOSITE checksums only: the page of parts. */
    page?: { marker: number; next: number; max: number; truncated: boolean; parts: Array<{ number: number; size: number; checksums: ChecksumValues }> };
  };
  storageClass?: string;
  size?: number;
}

function checksumMembers(values: ChecksumValues): XmlNode {
  const out: XmlNode = {};
  // COMPOSITE values go out without their `-N` suffix (§B5.3).
  for (const [alg, v] of Object.entries(values)) if (v !== undefined) out[`Checksum${alg.toUpperCase()}`] = v.replace(/-\d+$/, '');
  return out;
}

/** Members in S3's fixed order, whatever order they were asked in. */
export function objectAttributesXml(a: ObjectAttributes): string {
  const node: XmlNode = {};
  if (a.etag !== undefined) node.ETag = a.etag;
  if (a.checksum !== undefined) node.Checksum = { ...checksumMembers(a.checksum.values), ChecksumType: a.checksum.type };
  if (a.parts !== undefined) {
    const p = a.parts.page;
    node.ObjectParts = p === undefined ? { PartsCount: a.parts.count } : {
      PartNumberMarker: p.marker, NextPartNumberMarker: p.next, MaxParts: p.max, IsTruncated: p.truncated, PartsCount: a.parts.count,
      Part: p.parts.map((part) => ({ PartNumber: part.number, Size: part.size, ...checksumMembers(part.checksums) })),
    };
  }
  if (a.storageClass !== undefined) node.StorageClass = a.storageClass;
  if (a.size !== undefined) node.ObjectSize = a.size;
  return buildXml('GetObjectAttributesResponse', node);
}
