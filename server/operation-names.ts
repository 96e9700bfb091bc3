/**
 * The names of the operations the resolver can produce (server/operations/resolve-operation.ts):
 * every AWS operation name crossbucket recognises, implemented or not (an unimplemented one is
 * answered 501 NotImplemented naming it), plus `PreflightRequest` for OPTIONS and
 * `UnsupportedMethod` for a method S3 has no operation for. Tables keyed by
 * operation are typed by these unions, so a typo or a missing entry fails to compile.
 */

export const OPERATION_NAMES = [
  'AbortMultipartUpload', 'CompleteMultipartUpload', 'CopyObject', 'CreateBucket',
  'CreateBucketMetadataTableConfiguration', 'CreateMultipartUpload', 'DeleteBucket',
  'DeleteBucketAccelerateConfiguration', 'DeleteBucketAnalyticsConfiguration', 'DeleteBucketCors',
  'DeleteBucketEncryption', 'DeleteBucketIntelligentTieringConfiguration',
  'DeleteBucketInventoryConfiguration', 'DeleteBucketLifecycle', 'DeleteBucketLogging',
  'DeleteBucketMetadataTableConfiguration', 'DeleteBucketMetricsConfiguration',
  'DeleteBucketNotificationConfiguration', 'DeleteBucketOwnershipControls', 'DeleteBucketPolicy',
  'DeleteBucketPolicyStatus', 'DeleteBucketReplication', 'DeleteBucketRequestPayment',
  'DeleteBucketTagging', 'DeleteBucketWebsite', 'DeleteObject', 'DeleteObjectAttributes',
  'DeleteObjectLegalHold', 'DeleteObjectRetention', 'DeleteObjectTagging', 'DeleteObjectTorrent',
  'DeleteObjects', 'DeletePublicAccessBlock', 'DeleteService', 'GetBucketAccelerateConfiguration',
  'GetBucketAcl', 'GetBucketAnalyticsConfiguration', 'GetBucketCors', 'GetBucketEncryption',
  'GetBucketIntelligentTieringConfiguration', 'GetBucketInventoryConfiguration',
  'GetBucketLifecycleConfiguration', 'GetBucketLocation', 'GetBucketLogging',
  'GetBucketMetadataTableConfiguration', 'GetBucketMetricsConfiguration',
  'GetBucketNotificationConfiguration', 'GetBucketOwnershipControls', 'GetBucketPolicy',
  'GetBucketPolicyStatus', 'GetBucketReplication', 'GetBucketRequestPayment', 'GetBucketTagging',
  'GetBucketVersioning', 'GetBucketWebsite', 'GetObject', 'GetObjectAcl', 'GetObjectAttributes',
  'GetObjectLegalHold', 'GetObjectLockConfiguration', 'GetObjectRetention', 'GetObjectTagging',
  'GetObjectTorrent', 'GetPublicAccessBlock', 'HeadBucket', 'HeadObject', 'HeadService',
  'ListBucketAnalyticsConfigurations', 'ListBucketIntelligentTieringConfigurations',
  'ListBucketInventoryConfigurations', 'ListBucketMetricsConfigurations', 'ListBuckets',
  'ListMultipartUploads', 'ListObjectVersions', 'ListObjects', 'ListObjectsV2', 'ListParts',
  'PostObject', 'PostService', 'PreflightRequest', 'PutBucketAccelerateConfiguration',
  'PutBucketAcl', 'PutBucketAnalyticsConfiguration', 'PutBucketCors', 'PutBucketEncryption',
  'PutBucketIntelligentTieringConfiguration', 'PutBucketInventoryConfiguration',
  'PutBucketLifecycleConfiguration', 'PutBucketLogging', 'PutBucketMetadataTableConfiguration',
  'PutBucketMetricsConfiguration', 'PutBucketNotificationConfiguration',
  'PutBucketOwnershipControls', 'PutBucketPolicy', 'PutBucketPolicyStatus', 'PutBucketReplication',
  'PutBucketRequestPayment', 'PutBucketTagging', 'PutBucketVersioning', 'PutBucketWebsite',
  'PutObject', 'PutObjectAcl', 'PutObjectAttributes', 'PutObjectLegalHold',
  'PutObjectLockConfiguration', 'PutObjectRetention', 'PutObjectTagging', 'PutObjectTorrent',
  'PutPublicAccessBlock', 'PutService', 'RestoreObject', 'SelectObjectContent', 'UnsupportedMethod', 'UploadPart',
  'UploadPartCopy',
] as const;

export type Operation = (typeof OPERATION_NAMES)[number];

/** The operations with a handler: OPERATIONS and the access table must name exactly these. */
export const IMPLEMENTED_OPERATIONS = [
  // docs/spec/bucket-config.md §B
  'PutBucketTagging', 'GetBucketTagging', 'DeleteBucketTagging', 'PutObjectTagging', 'GetObjectTagging', 'DeleteObjectTagging', 'PutBucketEncryption', 'GetBucketEncryption', 'DeleteBucketEncryption', 'PutBucketLifecycleConfiguration', 'GetBucketLifecycleConfiguration', 'DeleteBucketLifecycle', 'PutBucketRequestPayment', 'GetBucketRequestPayment', 'PutBucketAccelerateConfiguration', 'GetBucketAccelerateConfiguration', 'PutBucketLogging', 'GetBucketLogging', 'PutBucketNotificationConfiguration', 'GetBucketNotificationConfiguration', 'PutBucketReplication', 'GetBucketReplication', 'DeleteBucketReplication', 'ListBucketAnalyticsConfigurations', 'ListBucketMetricsConfigurations', 'ListBucketInventoryConfigurations', 'ListBucketIntelligentTieringConfigurations', 'GetBucketAnalyticsConfiguration', 'GetBucketMetricsConfiguration', 'GetBucketInventoryConfiguration', 'GetBucketIntelligentTieringConfiguration', 'GetObjectAttributes',
  'PutBucketAnalyticsConfiguration', 'DeleteBucketAnalyticsConfiguration', 'PutBucketMetricsConfiguration', 'DeleteBucketMetricsConfiguration',
  'PutBucketInventoryConfiguration', 'DeleteBucketInventoryConfiguration', 'PutBucketIntelligentTieringConfiguration', 'DeleteBucketIntelligentTieringConfiguration',
  'ListBuckets', 'CreateBucket', 'DeleteBucket', 'HeadBucket', 'GetBucketLocation',
  'GetBucketVersioning', 'ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'PutObject',
  'GetObject', 'HeadObject', 'DeleteObject', 'DeleteObjects', 'CopyObject', 'PutBucketCors',
  'GetBucketCors', 'DeleteBucketCors', 'PostObject', 'CreateMultipartUpload', 'UploadPart',
  'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts',
  'ListMultipartUploads', 'GetBucketAcl', 'PutBucketAcl', 'GetObjectAcl', 'PutObjectAcl',
  'PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'GetBucketPolicyStatus',
  'PutPublicAccessBlock', 'GetPublicAccessBlock', 'DeletePublicAccessBlock',
  'PutBucketOwnershipControls', 'GetBucketOwnershipControls', 'DeleteBucketOwnershipControls',
  'PutBucketVersioning', 'GetObjectLockConfiguration', 'PutObjectLockConfiguration',
  'GetObjectRetention', 'PutObjectRetention', 'GetObjectLegalHold', 'PutObjectLegalHold',
  'PutBucketWebsite', 'GetBucketWebsite', 'DeleteBucketWebsite',
] as const satisfies readonly Operation[];

export type ImplementedOperation = (typeof IMPLEMENTED_OPERATIONS)[number];

const NAMES: ReadonlySet<string> = new Set(OPERATION_NAMES);
const IMPLEMENTED: ReadonlySet<string> = new Set(IMPLEMENTED_OPERATIONS);

export function isOperation(name: string): name is Operation {
  return NAMES.has(name);
}

export function isImplemented(name: Operation): name is ImplementedOperation {
  return IMPLEMENTED.has(name);
}
