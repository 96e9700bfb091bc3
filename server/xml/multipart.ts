/**
 * The multipart upload documents (S3 API reference: CreateMultipartUpload, UploadPartCopy,
 * CompleteMultipartUpload, ListParts, ListMultipartUploads) ⇄ storage's types.
 */
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, type ChecksumValues, type PartInfo, type UploadInfo } from '../../storage';
import { S3Error } from '../errors';
import { buildXml, list, parseXml, text, type XmlNode, type XmlValue } from './xml';

/** One `<Part>` of a CompleteMultipartUpload request. */
export interface CompletePart {
  partNumber: number;
  etag: string;
  checksums: ChecksumValues;
}

/** `ChecksumCRC32`, `ChecksumCRC64NVME`, ... */
export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm.toUpperCase()}`;
}

/** Checksum elements in S3's order, for a result document. */
export function checksumElements(checksums: ChecksumValues): XmlNode {
  const out: XmlNode = {};
  for (const alg of CHECKSUM_ALGORITHMS) if (checksums[alg] !== undefined) out[checksumElement(alg)] = checksums[alg];
  return out;
}

function isNode(value: XmlValue): value is XmlNode {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `<CompleteMultipartUpload><Part><PartNumber/><ETag/>(<ChecksumCRC32/>…)</Part>…</…>`.
 * MalformedXML when the document has no part, or a part without a number or an ETag.
 */
export function completeMultipartUploadFromXml(body: Buffer): CompletePart[] {
  const doc = parseXml(body, 8 * 1024 * 1024);
  const root = doc.CompleteMultipartUpload;
  if (!isNode(root)) throw new S3Error('MalformedXML');
  const parts = list(root, 'Part');
  if (parts.length === 0) throw new S3Error('MalformedXML');
  return parts.map((part) => {
    if (!isNode(part)) throw new S3Error('MalformedXML');
    const number = text(part, 'PartNumber');
    const etag = text(part, 'ETag');
    if (number === undefined || !/^\d{1,9}$/.test(number) || etag === undefined || etag === '') throw new S3Error('MalformedXML');
    const checksums: ChecksumValues = {};
    for (const alg of CHECKSUM_ALGORITHMS) {
      const v = text(part, checksumElement(alg));
      if (v !== undefined) checksums[alg] = v;
    }
    return { partNumber: Number(number), etag, checksums };
  });
}

export function initiateMultipartUploadResultXml(upload: UploadInfo): string {
  return buildXml('InitiateMultipartUploadResult', { Bucket: upload.bucket, Key: upload.key, UploadId: upload.uploadId });
}

export function copyPartResultXml(part: PartInfo): string {
  return buildXml('CopyPartResult', { ETag: part.etag, LastModified: part.lastModified.toISOString(), ...checksumElements(part.checksums) });
}

export function completeMultipartUploadResultXml(r: {
  location: string; bucket: string; key: string; etag: string; checksums: ChecksumValues; checksumType?: string;
}): string {
  return buildXml('CompleteMultipartUploadResult', {
    Location: r.location, Bucket: r.bucket, Key: r.key, ETag: r.etag,
    ...checksumElements(r.checksums),
    ChecksumType: Object.keys(r.checksums).length > 0 ? r.checksumType : undefined,
  });
}

export function partXml(part: PartInfo): XmlNode {
  return {
    PartNumber: part.partNumber, LastModified: part.lastModified.toISOString(), ETag: part.etag, Size: part.size,
    ...checksumElements(part.checksums),
  };
}

export interface ListPartsResult {
  upload: UploadInfo;
  owner: XmlNode;
  partNumberMarker: number;
  maxParts: number;
  parts: PartInfo[];
  isTruncated: boolean;
}

export function listPartsResultXml(r: ListPartsResult): string {
  const last = r.parts[r.parts.length - 1];
  return buildXml('ListPartsResult', {
    Bucket: r.upload.bucket, Key: r.upload.key, UploadId: r.upload.uploadId,
    Initiator: r.owner, Owner: r.owner, StorageClass: r.upload.meta.storageClass ?? 'STANDARD',
    PartNumberMarker: r.partNumberMarker,
    // UNVERIFIED(S3): the last part listed, truncated or not; absent from an empty page, which
    // is what ends the SDK's paginateListParts (it follows the marker, not IsTruncated).
    NextPartNumberMarker: last?.partNumber,
    MaxParts: r.maxParts, IsTruncated: r.isTruncated,
    Part: r.parts.map(partXml),
    ChecksumAlgorithm: r.upload.checksumAlgorithm?.toUpperCase(),
    ChecksumType: r.upload.checksumType,
  });
}

export function uploadXml(upload: UploadInfo, owner: XmlNode, encode: (s: string) => string): XmlNode {
  return {
    Key: encode(upload.key), UploadId: upload.uploadId, Initiator: owner, Owner: owner,
    StorageClass: upload.meta.storageClass ?? 'STANDARD', Initiated: upload.initiated.toISOString(),
    ChecksumAlgorithm: upload.checksumAlgorithm?.toUpperCase(),
    ChecksumType: upload.checksumType,
  };
}
