/**
 * CompleteMultipartUpload: S3's part rules (InvalidPartOrder, InvalidPart, EntityTooSmall),
 * the `"<md5 of the part md5s>-N"` ETag, composite or full-object checksums, conditional writes.
 * The object becomes its parts in one storage transaction; no byte is copied or re-read.
 */
import { createHash } from 'node:crypto';
import { CHECKSUM_ALGORITHMS, StorageError, type ChecksumValues, type NewObject, type PartInfo, type UploadInfo } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { H, checksumHeader, headerValue } from '../headers';
import { expectedMd5, refuseUnsupportedChecksums } from '../body/integrity';
import { objectChecksum } from './multipart-checksums';
import { completeMultipartUploadFromXml, completeMultipartUploadResultXml, type CompletePart } from '../xml/multipart';
import { readSmallBody } from '../body/small-body';
import { storageCall } from '../storage-errors';
import { MAX_PART_NUMBER, MIN_PART_SIZE, requireBucket, requireUpload } from './common';
import { refuseCustomerKeys, writeResponseHeaders } from './object-settings';
import { writeConditions } from './conditions';
import { newVersionHeader } from './version-target';
import { recentCompletion, rememberCompletion } from './completed-uploads';

/** 10,000 parts of a few hundred bytes each. */
const MAX_COMPLETE_BODY = 8 * 1024 * 1024;

function bare(etag: string): string {
  return etag.replace(/"/g, '').trim();
}

/** The stored parts the request names, in order, after S3's checks. */
export function chooseParts(upload: UploadInfo, requested: CompletePart[], stored: Map<number, PartInfo>): PartInfo[] {
  let previous = 0;
  for (const p of requested) {
    if (p.partNumber <= previous) throw new S3Error('InvalidPartOrder', undefined, { UploadId: upload.uploadId });
    previous = p.partNumber;
  }
  const algorithm = upload.checksumAlgorithm;
  const chosen = requested.map((p) => {
    const part = p.partNumber <= MAX_PART_NUMBER ? stored.get(p.partNumber) : undefined;
    const invalid = new S3Error('InvalidPart', undefined, { UploadId: upload.uploadId, PartNumber: String(p.partNumber), ETag: p.etag });
    if (!part || bare(part.etag) !== bare(p.etag)) throw invalid;
    if (algorithm !== undefined) {
      const given = p.checksums[algorithm];
      if (given === undefined && upload.checksumType === 'COMPOSITE') {
        throw new S3Error('InvalidRequest', `The upload was created using a ${algorithm} checksum. The complete request must include the checksum for each part. It was missing for part ${p.partNumber} in the request.`);
      }
      if (given !== undefined && given !== part.checksums[algorithm]) throw invalid;
    }
    return part;
  });
  chosen.forEach((part, i) => {
    if (i < chosen.length - 1 && part.size < MIN_PART_SIZE) {
      throw new S3Error('EntityTooSmall', undefined, {
        ProposedSize: String(part.size), MinSizeAllowed: String(MIN_PART_SIZE), PartNumber: String(part.partNumber), ETag: part.etag,
      });
    }
  });
  return chosen;
}

/** `"<hex md5 of the concatenated binary part MD5s>-N"` */
export function multipartEtag(parts: PartInfo[]): string {
  const md5 = createHash('md5');
  for (const p of parts) md5.update(Buffer.from(bare(p.etag), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

/** The checksum headers a client may send with the completion, checked against ours. */
function checkDeclared(ctx: S3Context, upload: UploadInfo, parts: PartInfo[], checksum: string | undefined): void {
  const size = parts.reduce((n, p) => n + p.size, 0);
  const declaredSize = headerValue(ctx.headers, H.amzMpObjectSize);
  if (declaredSize !== undefined && declaredSize.trim() !== String(size)) {
    // UNVERIFIED(S3): the wording.
    throw new S3Error('InvalidRequest', `The provided 'x-amz-mp-object-size' header value ${declaredSize} does not match what was computed: ${size}`);
  }
  const type = headerValue(ctx.headers, H.amzChecksumType)?.toUpperCase();
  if (type !== undefined && upload.checksumType !== undefined && type !== upload.checksumType) {
    // UNVERIFIED(S3): the wording.
    throw new S3Error('InvalidRequest', `The upload was created using the ${upload.checksumType} checksum mode. The complete request must use the same checksum mode.`);
  }
  const alg = upload.checksumAlgorithm;
  // A checksum of another algorithm than the upload's cannot be checked: refused, not ignored.
  // UNVERIFIED(S3): the wording.
  const other = CHECKSUM_ALGORITHMS.find((a) => a !== alg && ctx.headers[checksumHeader(a)] !== undefined);
  if (other !== undefined) {
    throw new S3Error('InvalidRequest', `The upload was created using ${alg === undefined ? 'no' : `the ${alg.toUpperCase()}`} checksum algorithm; the complete request cannot carry a ${other.toUpperCase()} checksum.`);
  }
  if (alg === undefined) return;
  // The value for the whole object: FULL_OBJECT's CRC, or COMPOSITE's checksum of the part
  // checksums (UNVERIFIED(S3): compared with or without its `-N` suffix).
  const declared = headerValue(ctx.headers, checksumHeader(alg));
  const bare = (v: string | undefined) => v?.replace(/-\d+$/, '');
  if (declared !== undefined && bare(declared) !== bare(checksum)) {
    throw new S3Error('BadDigest', `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`);
  }
}

/** `http://host/bucket/key` (path style) or `http://bucket.host/key`, key URL-encoded. */
function locationOf(ctx: S3Context, bucket: string, key: string): string {
  const host = headerValue(ctx.headers, H.host) ?? 'localhost';
  const path = key.split('/').map(encodeURIComponent).join('/');
  return ctx.address.style === 'virtual' ? `http://${host}/${path}` : `http://${host}/${bucket}/${path}`;
}

/** CompleteMultipartUpload */
export const completeMultipartUpload: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  const conditions = writeConditions(ctx);
  const storage = ctx.services.storage;
  const uploadId = ctx.query.get('uploadId') ?? '';
  const earlier = storage.getUpload(bucket.name, key, uploadId) ? undefined : recentCompletion(storage, uploadId, bucket.name, key);
  if (earlier) {
    // A retry of a completion that succeeded: the same answer (the document is read, not used).
    await readSmallBody(ctx, MAX_COMPLETE_BODY);
    return { headers: earlier.headers, body: earlier.body };
  }
  const upload = requireUpload(ctx, bucket.name, key);
  // No upload is ever SSE-C (refused at creation), and no checksum here is of an algorithm crossbucket lacks.
  refuseCustomerKeys(ctx.headers);
  refuseUnsupportedChecksums(ctx.headers);
  const md5 = expectedMd5(ctx.headers);
  const document = await readSmallBody(ctx, MAX_COMPLETE_BODY);
  if (md5 && !md5.equals(createHash('md5').update(document).digest())) throw new S3Error('BadDigest');
  const requested = completeMultipartUploadFromXml(document);
  const stored = new Map(storage.listParts(upload.uploadId, 0, MAX_PART_NUMBER).parts.map((p) => [p.partNumber, p]));
  const parts = chooseParts(upload, requested, stored);
  const checksum = await objectChecksum(upload, parts);
  checkDeclared(ctx, upload, parts, checksum);
  const checksums: ChecksumValues = upload.checksumAlgorithm !== undefined && checksum !== undefined ? { [upload.checksumAlgorithm]: checksum } : {};
  const object: NewObject = { meta: upload.meta, etag: multipartEtag(parts), checksums, owner: upload.owner, acl: upload.acl };
  if (upload.grants !== undefined) object.grants = upload.grants;
  if (upload.checksumType !== undefined) object.checksumType = upload.checksumType;
  // docs/spec/versioning.md §9 K7: the CreateMultipartUpload lock headers apply at completion.
  if (upload.lock !== undefined) object.lock = upload.lock;
  const info = await storageCall(ctx, async () => {
    try {
      return await storage.completeUpload(upload, parts, object, conditions);
    } catch (err) {
      if (err instanceof StorageError && err.code === 'NoSuchUpload') throw new S3Error('NoSuchUpload', undefined, { UploadId: upload.uploadId });
      throw err;
    }
  });
  const body = completeMultipartUploadResultXml({
    location: locationOf(ctx, bucket.name, key), bucket: bucket.name, key, etag: info.etag,
    checksums: info.checksums, ...(info.checksumType !== undefined ? { checksumType: info.checksumType } : {}),
  });
  const headers = { ...writeResponseHeaders(ctx.services, info), ...newVersionHeader(bucket, info.versionId) };
  rememberCompletion(storage, upload.uploadId, { bucket: bucket.name, key, etag: info.etag, body, headers });
  return { headers, body };
};
