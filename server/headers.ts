/** Header names, lower-case as node delivers them. One place, so handlers use no literals. */
export const H = {
  acceptRanges: 'accept-ranges',
  authorization: 'authorization',
  cacheControl: 'cache-control',
  contentDisposition: 'content-disposition',
  contentEncoding: 'content-encoding',
  contentLanguage: 'content-language',
  contentLength: 'content-length',
  contentMd5: 'content-md5',
  contentRange: 'content-range',
  contentType: 'content-type',
  date: 'date',
  etag: 'etag',
  expires: 'expires',
  host: 'host',
  ifMatch: 'if-match',
  ifModifiedSince: 'if-modified-since',
  ifNoneMatch: 'if-none-match',
  ifUnmodifiedSince: 'if-unmodified-since',
  lastModified: 'last-modified',
  location: 'location',
  origin: 'origin',
  range: 'range',
  transferEncoding: 'transfer-encoding',
  accessControlRequestMethod: 'access-control-request-method',
  accessControlRequestHeaders: 'access-control-request-headers',
  amzAcl: 'x-amz-acl',
  amzBucketRegion: 'x-amz-bucket-region',
  amzChecksumAlgorithm: 'x-amz-checksum-algorithm',
  amzSdkChecksumAlgorithm: 'x-amz-sdk-checksum-algorithm',
  amzChecksumMode: 'x-amz-checksum-mode',
  amzChecksumType: 'x-amz-checksum-type',
  amzContentSha256: 'x-amz-content-sha256',
  amzCopySource: 'x-amz-copy-source',
  amzCopySourceIfMatch: 'x-amz-copy-source-if-match',
  amzCopySourceIfNoneMatch: 'x-amz-copy-source-if-none-match',
  amzCopySourceIfModifiedSince: 'x-amz-copy-source-if-modified-since',
  amzCopySourceIfUnmodifiedSince: 'x-amz-copy-source-if-unmodified-since',
  amzCopySourceRange: 'x-amz-copy-source-range',
  amzCopySourceVersionId: 'x-amz-copy-source-version-id',
  amzDate: 'x-amz-date',
  amzDecodedContentLength: 'x-amz-decoded-content-length',
  amzDeleteMarker: 'x-amz-delete-marker',
  amzId2: 'x-amz-id-2',
  amzMetaPrefix: 'x-amz-meta-',
  amzMetadataDirective: 'x-amz-metadata-directive',
  amzMpPartsCount: 'x-amz-mp-parts-count',
  amzMpObjectSize: 'x-amz-mp-object-size',
  amzRequestId: 'x-amz-request-id',
  amzStorageClass: 'x-amz-storage-class',
  amzTrailer: 'x-amz-trailer',
  amzVersionId: 'x-amz-version-id',
  amzChecksumPrefix: 'x-amz-checksum-',
} as const;

/** `x-amz-content-sha256` values that are not a hex digest. */
export const PAYLOAD = {
  unsigned: 'UNSIGNED-PAYLOAD',
  streamingSigned: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  streamingSignedTrailer: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  streamingUnsignedTrailer: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
} as const;

/** A header value as one string (node gives arrays for repeated headers). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
