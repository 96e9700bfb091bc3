/** CopyObject: metadata directive COPY/REPLACE, copy-source conditions; bytes shared by hard link. */
import { isChecksumAlgorithm, type ChecksumAlgorithm, type NewObject } from '../../storage';
import { newObjectOwnerId } from '../access/acl-rules';
import type { Handler } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { etagOf, refuseUnsupportedChecksums } from '../body/integrity';
import { assertKeyLength, metaFromHeaders } from './object-meta';
import { storageCall } from '../storage-errors';
import { buildXml } from '../xml/xml';
import { objectWriteAcl, requireBucket } from './common';
import { copySourceObject, writeConditions } from './conditions';
import { lockFromHeaders } from './lock-params';
import { NULL_VERSION, versionHeader } from './version-target';
import { settingsFrom, writeResponseHeaders } from './object-settings';

const ANNOTATION_DIRECTIVE = 'x-amz-object-annotation-directive';

/** `x-amz-checksum-algorithm`: the checksum the copy gets (InvalidRequest for an unknown one). */
function copyChecksum(ctx: Parameters<Handler>[0]): ChecksumAlgorithm | undefined {
  refuseUnsupportedChecksums(ctx.headers);
  const v = headerValue(ctx.headers, H.amzChecksumAlgorithm)?.toLowerCase();
  if (v === undefined) return undefined;
  if (!isChecksumAlgorithm(v)) throw new S3Error('InvalidRequest', 'Value for x-amz-checksum-algorithm header is invalid.');
  return v;
}

/** CopyObject */
export const copyObject: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const key = ctx.key ?? '';
  assertKeyLength(key);
  const { source, src } = copySourceObject(ctx);
  const directive = (headerValue(ctx.headers, H.amzMetadataDirective) ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new S3Error('InvalidArgument', 'Unknown metadata directive.', { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive });
  }
  const taggingDirective = (headerValue(ctx.headers, H.amzTaggingDirective) ?? 'COPY').toUpperCase();
  if (taggingDirective !== 'COPY' && taggingDirective !== 'REPLACE') {
    throw new S3Error('InvalidArgument', 'Unknown tagging directive.', { ArgumentName: H.amzTaggingDirective, ArgumentValue: taggingDirective });
  }
  // docs/spec/bucket-config.md §B1.7: COPY takes the source's tags and ignores x-amz-tagging.
  const settings = settingsFrom(ctx.services, bucket, ctx.headers, { tags: taggingDirective === 'REPLACE' });
  if (taggingDirective === 'COPY' && src.meta.tags !== undefined) settings.tags = src.meta.tags;
  // UNVERIFIED(S3): with the COPY metadata directive the redirect location travels with the metadata.
  if (settings.websiteRedirect === undefined && directive === 'COPY' && src.meta.websiteRedirect !== undefined) settings.websiteRedirect = src.meta.websiteRedirect;
  const changesSettings = [H.amzStorageClass, H.amzWebsiteRedirectLocation, H.amzSse].some((n) => ctx.headers[n] !== undefined);
  if (source.bucket === bucket.name && source.key === key && source.versionId === undefined && directive === 'COPY' && !changesSettings) {
    throw new S3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  // Object annotations do not exist here: COPY (the default) copies none; REPLACE cannot be honoured.
  const annotations = headerValue(ctx.headers, ANNOTATION_DIRECTIVE);
  if (annotations !== undefined && annotations.toUpperCase() !== 'COPY') {
    throw new S3Error('NotImplemented', 'Object annotations are not implemented by crossbucket.', { Header: ANNOTATION_DIRECTIVE });
  }
  const checksum = copyChecksum(ctx);
  const owner = newObjectOwnerId(ctx, bucket);
  const object: NewObject = {
    meta: { ...(directive === 'REPLACE' ? metaFromHeaders(ctx.headers) : { content: src.meta.content, user: src.meta.user }), ...settings },
    etag: src.etag,
    checksums: src.checksums,
    owner,
    ...objectWriteAcl(ctx, bucket, owner),
  };
  // docs/spec/versioning.md §4 W6: the source's lock is not copied; the request's or the default applies.
  const lock = lockFromHeaders(ctx, bucket);
  if (lock) object.lock = lock;
  const storage = ctx.services.storage;
  const conditions = writeConditions(ctx);
  let info;
  if (src.segments.length === 1 && (checksum === undefined || src.checksums[checksum] !== undefined)) {
    if (checksum !== undefined) object.checksums = { [checksum]: src.checksums[checksum] };
    info = await storageCall(ctx, () => storage.copyObject(src, bucket.name, key, object, conditions));
  } else {
    // A multipart source becomes one single-part object, with a plain MD5 ETag; a checksum the
    // request names replaces the source's (S3 User Guide, "Checking object integrity": copies).
    const algorithms = checksum !== undefined ? [checksum] : Object.keys(src.checksums) as ChecksumAlgorithm[];
    const staged = await storage.stage(storage.readObject(src), { checksums: algorithms, inline: true });
    object.etag = etagOf(staged.md5);
    object.checksums = staged.checksums;
    info = await storageCall(ctx, () => storage.commitObject(bucket.name, key, staged, object, conditions));
  }
  const result: Record<string, string> = { LastModified: info.lastModified.toISOString(), ETag: info.etag };
  for (const [alg, v] of Object.entries(info.checksums)) if (v !== undefined) result[`Checksum${alg.toUpperCase()}`] = v;
  // §4 W2, W6: the new version (`null` when Suspended), and the source version unless it is null.
  const headers: Record<string, string> = { ...versionHeader(bucket, info.versionId) };
  if (src.versionId !== NULL_VERSION) headers[H.amzCopySourceVersionId] = src.versionId;
  return {
    headers: { ...writeResponseHeaders(ctx.services, info), ...headers },
    body: buildXml('CopyObjectResult', result),
  };
};
