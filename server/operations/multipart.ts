/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy and
 * AbortMultipartUpload. Parts stream into storage like PutObject bodies; CompleteMultipartUpload
 * lives in multipart-complete.ts, ListParts and ListMultipartUploads in multipart-list.ts.
 */
import { StorageError, type ChecksumAlgorithm, type ChecksumValues, type PartInfo, type StagedBlob, type UploadInfo } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { H, checksumHeader, headerValue } from '../headers';
import { declaredChecksums, etagOf, expectedMd5, requestedChecksums, verifyIntegrity } from '../body/integrity';
import { uploadChecksumSettings } from './multipart-checksums';
import { assertKeyLength, metaFromHeaders } from './object-meta';
import { encryptionHeaders, refuseCustomerKeys, settingsFrom } from './object-settings';
import { decodedBody } from '../body/payload';
import { copyPartResultXml, initiateMultipartUploadResultXml } from '../xml/multipart';
import { storageCall } from '../storage-errors';
import { MAX_PART_NUMBER, MAX_PART_SIZE, assertDeclaredSize, objectWriteAcl, requireBucket, requireUpload } from './common';
import { copySourceObject } from './conditions';
import { newObjectOwnerId } from '../access/acl-rules';
import { lockFromHeaders, requireLockChecksum } from './lock-params';

/** `?partNumber=`: an integer 1..10000 (InvalidArgument otherwise). */
export function partNumberOf(ctx: S3Context): number {
  const raw = ctx.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: raw });
  }
  return n;
}

/** `x-amz-checksum-*` response headers for a part. */
function partChecksumHeaders(checksums: ChecksumValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [alg, v] of Object.entries(checksums)) if (v !== undefined) out[checksumHeader(alg)] = v;
  return out;
}

/**
 * The checksums to compute for a part: those the request declares, plus the upload's.
 * A part checksummed with another algorithm than the upload's is refused, as is a part without
 * one in a COMPOSITE upload (whose completion needs every part's value from the client).
 */
function partAlgorithms(ctx: S3Context, upload: UploadInfo): ChecksumAlgorithm[] {
  const declared = requestedChecksums(ctx.headers);
  const expected = upload.checksumAlgorithm;
  // UNVERIFIED(S3): S3 once refused a part checksum on an upload created without an algorithm
  // ("expected checksum Type: null"); current SDKs send CRC32 on every part, so it is accepted.
  if (expected === undefined) return declared;
  const mismatch = (actual: string) =>
    new S3Error('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${expected}, actual checksum Type: ${actual}`);
  const other = declared.find((alg) => alg !== expected);
  if (other !== undefined && !declared.includes(expected)) throw mismatch(other);
  if (declared.length === 0 && upload.checksumType === 'COMPOSITE') throw mismatch('null');
  return [...new Set([...declared, expected])];
}

/** What a part keeps: the upload's checksum only. */
function storedChecksums(upload: UploadInfo, computed: ChecksumValues): ChecksumValues {
  const alg = upload.checksumAlgorithm;
  return alg !== undefined && computed[alg] !== undefined ? { [alg]: computed[alg] } : {};
}

/** CreateMultipartUpload */
export const createMultipartUpload: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  const meta = { ...metaFromHeaders(ctx.headers), ...settingsFrom(ctx.services, bucket, ctx.headers) };
  // docs/spec/access.md §6 R6.3, R6.4: the ACL and owner PutObject would give the object.
  const owner = newObjectOwnerId(ctx, bucket);
  const acl = objectWriteAcl(ctx, bucket, owner);
  const { algorithm, type } = uploadChecksumSettings(ctx.headers);
  const lock = lockFromHeaders(ctx, bucket);
  const upload = await storageCall(ctx, () => ctx.services.storage.createUpload({
    bucket: bucket.name, key, meta, ...acl, owner,
    ...(lock !== undefined ? { lock } : {}),
    ...(algorithm !== undefined ? { checksumAlgorithm: algorithm } : {}),
    ...(type !== undefined ? { checksumType: type } : {}),
  }));
  return {
    headers: { [H.amzChecksumAlgorithm]: algorithm?.toUpperCase(), [H.amzChecksumType]: type, ...encryptionHeaders(meta.sse) },
    body: initiateMultipartUploadResultXml(upload),
  };
};

/** UploadPart: the body streams into a part file; re-uploading a part number replaces it. */
export const uploadPart: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  const partNumber = partNumberOf(ctx);
  // docs/spec/versioning.md §3 I3.
  if (ctx.query.has('versionId')) throw new S3Error('InvalidArgument', 'This operation does not accept a version-id.', { ArgumentName: 'versionId', ArgumentValue: ctx.query.get('versionId') });
  refuseCustomerKeys(ctx.headers);
  const upload = requireUpload(ctx, bucket.name, key);
  requireLockChecksum(ctx, bucket, upload.lock, 'Put Part');
  const md5 = expectedMd5(ctx.headers);
  const algorithms = partAlgorithms(ctx, upload);
  const storage = ctx.services.storage;
  assertDeclaredSize(ctx, MAX_PART_SIZE);
  const body = decodedBody(ctx, { payloadInStage: true });
  const staged = await storageCall(ctx, () => storage.stage(body.stream, { checksums: algorithms, maxSize: MAX_PART_SIZE, sha256: body.stageSha256 }));
  try {
    await body.finished();
    body.checkPayload(staged);
    verifyIntegrity(staged, md5, declaredChecksums(ctx.headers, body.trailers()));
  } catch (err) {
    await storage.discard(staged);
    throw err;
  }
  const part = await commitPart(ctx, upload, partNumber, staged, staged.checksums);
  return { headers: { [H.etag]: part.etag, ...partChecksumHeaders(staged.checksums), ...encryptionHeaders(upload.meta.sse) } };
};

function commitPart(ctx: S3Context, upload: UploadInfo, partNumber: number, staged: StagedBlob, computed: ChecksumValues): Promise<PartInfo> {
  const part = { etag: etagOf(staged.md5), checksums: storedChecksums(upload, computed) };
  return storageCall(ctx, async () => {
    try {
      return await ctx.services.storage.commitPart(upload, partNumber, staged, part);
    } catch (err) {
      // Aborted or completed while the body was streaming.
      if (err instanceof StorageError && err.code === 'NoSuchUpload') {
        throw new S3Error('NoSuchUpload', undefined, { UploadId: upload.uploadId });
      }
      throw err;
    }
  });
}

const RANGE_FORM = 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';

/** `x-amz-copy-source-range: bytes=first-last`, both inclusive and inside the source. */
export function copySourceRange(value: string | undefined, size: number): { start: number; end: number } {
  if (value === undefined) return { start: 0, end: size - 1 };
  const m = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!m) throw new S3Error('InvalidArgument', RANGE_FORM, { ArgumentName: H.amzCopySourceRange, ArgumentValue: value });
  const start = Number(m[1]);
  const end = Number(m[2]);
  // UNVERIFIED(S3): a reversed range gets the same answer as one past the end.
  if (start > end || end >= size) {
    throw new S3Error('InvalidArgument', `Range specified is not valid for source object of size: ${size}`, { ArgumentName: H.amzCopySourceRange, ArgumentValue: value });
  }
  return { start, end };
}

/** UploadPartCopy: a part made of (a range of) an existing object's bytes. */
export const uploadPartCopy: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  const partNumber = partNumberOf(ctx);
  refuseCustomerKeys(ctx.headers);
  const upload = requireUpload(ctx, bucket.name, key);
  const { src } = copySourceObject(ctx);
  const { start, end } = copySourceRange(headerValue(ctx.headers, H.amzCopySourceRange), src.size);
  if (end - start + 1 > MAX_PART_SIZE) {
    throw new S3Error('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_SIZE}`);
  }
  const storage = ctx.services.storage;
  const algorithms = upload.checksumAlgorithm !== undefined ? [upload.checksumAlgorithm] : [];
  const staged = await storageCall(ctx, () => storage.stage(storage.readObject(src, start, end), { checksums: algorithms }));
  const part = await commitPart(ctx, upload, partNumber, staged, staged.checksums);
  return { headers: encryptionHeaders(upload.meta.sse), body: copyPartResultXml(part) };
};

/** AbortMultipartUpload: the upload and its part files are removed. */
export const abortMultipartUpload: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const uploadId = ctx.query.get('uploadId') ?? '';
  const removed = await ctx.services.storage.abortUpload(bucket.name, ctx.key ?? '', uploadId);
  if (!removed) throw new S3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return { status: 204 };
};
