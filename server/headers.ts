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
  referer: 'referer',
  userAgent: 'user-agent',
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
  amzExpectedBucketOwner: 'x-amz-expected-bucket-owner',
  amzSourceExpectedBucketOwner: 'x-amz-source-expected-bucket-owner',
  amzObjectOwnership: 'x-amz-object-ownership',
  amzConfirmRemoveSelfBucketAccess: 'x-amz-confirm-remove-self-bucket-access',
  amzServerSideEncryption: 'x-amz-server-side-encryption',
  amzServerSideEncryptionKmsKeyId: 'x-amz-server-side-encryption-aws-kms-key-id',
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
  // docs/spec/bucket-config.md §B
  amzAccessPointAlias: 'x-amz-access-point-alias',
  amzBucketArn: 'x-amz-bucket-arn',
  amzExpiration: 'x-amz-expiration',
  amzMaxParts: 'x-amz-max-parts',
  amzObjectAttributes: 'x-amz-object-attributes',
  amzPartNumberMarker: 'x-amz-part-number-marker',
  amzSse: 'x-amz-server-side-encryption',
  amzSseKmsKeyId: 'x-amz-server-side-encryption-aws-kms-key-id',
  amzSseContext: 'x-amz-server-side-encryption-context',
  amzSseBucketKeyEnabled: 'x-amz-server-side-encryption-bucket-key-enabled',
  amzSseCustomerAlgorithm: 'x-amz-server-side-encryption-customer-algorithm',
  amzSseCustomerKey: 'x-amz-server-side-encryption-customer-key',
  amzSseCustomerKeyMd5: 'x-amz-server-side-encryption-customer-key-md5',
  amzCopySourceSseCustomerAlgorithm: 'x-amz-copy-source-server-side-encryption-customer-algorithm',
  amzCopySourceSseCustomerKey: 'x-amz-copy-source-server-side-encryption-customer-key',
  amzCopySourceSseCustomerKeyMd5: 'x-amz-copy-source-server-side-encryption-customer-key-md5',
  amzTagging: 'x-amz-tagging',
  amzTaggingCount: 'x-amz-tagging-count',
  amzTaggingDirective: 'x-amz-tagging-directive',
  amzTransitionDefaultMinimumObjectSize: 'x-amz-transition-default-minimum-object-size',
  amzErrorCode: 'x-amz-error-code',
  amzErrorMessage: 'x-amz-error-message',
  amzWebsiteRedirectLocation: 'x-amz-website-redirect-location',
} as const;

/** `x-amz-content-sha256` values that are not a hex digest. */
export const PAYLOAD = {
  unsigned: 'UNSIGNED-PAYLOAD',
  streamingSigned: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  streamingSignedTrailer: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  streamingUnsignedTrailer: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
} as const;

/**
 * `x-amz-checksum-<alg>`, each name made once: a name built by `+` for each lookup is a new
 * string that V8 must flatten and look up in its string table before it can index the headers
 * (~80 ns each, some fifteen per PUT). The names kept are bounded (S3 defines ten algorithms);
 * past that a name is built each time.
 */
const checksumHeaders = new Map<string, string>();

export function checksumHeader(alg: string): string {
  let name = checksumHeaders.get(alg);
  if (name === undefined) {
    name = `${H.amzChecksumPrefix}${alg}`;
    if (checksumHeaders.size < 32) checksumHeaders.set(alg, name);
  }
  return name;
}

/** A header value as one string (node gives arrays for repeated headers). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
