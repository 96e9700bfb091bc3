/**
 * Operation name → handler. Each S3 concern lives in its own file; anything not listed here
 * answers 501 NotImplemented naming the operation.
 */
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './bucket';
import type { Handler } from '../context';
import type { ImplementedOperation } from '../operation-names';
import { listObjects, listObjectsV2 } from './list';
import { deleteObject, deleteObjects } from './object-delete';
import { getObject, headObject } from './object-get';
import { putObject } from './object-put';
import type * as Acl from './acl';
import type * as BucketCors from './bucket-cors';
import type * as BucketAccessSettings from './bucket-access-settings';
import type * as BucketPolicy from './bucket-policy';
import type * as BucketVersioning from './bucket-versioning';
import type * as ListVersions from './list-versions';
import type * as Multipart from './multipart';
import type * as MultipartComplete from './multipart-complete';
import type * as BucketIdConfigs from './bucket-id-configs';
import type * as MultipartList from './multipart-list';
import type * as ObjectCopy from './object-copy';
import type * as ObjectLockConfiguration from './object-lock-configuration';
import type * as ObjectRetention from './object-retention';
import type * as PostObject from './post-object';
import type * as Tagging from './tagging';
import type * as BucketEncryption from './bucket-encryption';
import type * as BucketLifecycle from './bucket-lifecycle';
import type * as BucketSettings from './bucket-settings';
import type * as ObjectAttributes from './object-attributes';
import type * as BucketWebsite from './bucket-website';

/**
 * A module read on the first call of one of its handlers. Start-up (spawn to first answer)
 * reads only the modules of the everyday operations: the others had cost ~20 ms of its ~370.
 */
function onFirstCall<M>(load: () => M): () => M {
  let loaded: M | undefined;
  return () => (loaded ??= load());
}

const acl = onFirstCall(() => require('./acl') as typeof Acl);
const bucketCors = onFirstCall(() => require('./bucket-cors') as typeof BucketCors);
const bucketAccessSettings = onFirstCall(() => require('./bucket-access-settings') as typeof BucketAccessSettings);
const bucketPolicy = onFirstCall(() => require('./bucket-policy') as typeof BucketPolicy);
const bucketVersioning = onFirstCall(() => require('./bucket-versioning') as typeof BucketVersioning);
const listVersions = onFirstCall(() => require('./list-versions') as typeof ListVersions);
const multipart = onFirstCall(() => require('./multipart') as typeof Multipart);
const multipartComplete = onFirstCall(() => require('./multipart-complete') as typeof MultipartComplete);
const bucketIdConfigs = onFirstCall(() => require('./bucket-id-configs') as typeof BucketIdConfigs);
const multipartList = onFirstCall(() => require('./multipart-list') as typeof MultipartList);
const objectCopy = onFirstCall(() => require('./object-copy') as typeof ObjectCopy);
const objectLockConfiguration = onFirstCall(() => require('./object-lock-configuration') as typeof ObjectLockConfiguration);
const objectRetention = onFirstCall(() => require('./object-retention') as typeof ObjectRetention);
const postObjectModule = onFirstCall(() => require('./post-object') as typeof PostObject);
const tagging = onFirstCall(() => require('./tagging') as typeof Tagging);
const bucketEncryption = onFirstCall(() => require('./bucket-encryption') as typeof BucketEncryption);
const bucketLifecycle = onFirstCall(() => require('./bucket-lifecycle') as typeof BucketLifecycle);
const bucketSettings = onFirstCall(() => require('./bucket-settings') as typeof BucketSettings);
const objectAttributes = onFirstCall(() => require('./object-attributes') as typeof ObjectAttributes);
const bucketWebsite = onFirstCall(() => require('./bucket-website') as typeof BucketWebsite);

export const OPERATIONS = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketVersioning: (ctx) => bucketVersioning().getBucketVersioning(ctx),
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: (ctx) => listVersions().listObjectVersions(ctx),
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CopyObject: (ctx) => objectCopy().copyObject(ctx),
  PutBucketCors: (ctx) => bucketCors().putBucketCors(ctx),
  GetBucketCors: (ctx) => bucketCors().getBucketCors(ctx),
  DeleteBucketCors: (ctx) => bucketCors().deleteBucketCors(ctx),
  PostObject: (ctx) => postObjectModule().postObject(ctx),
  CreateMultipartUpload: (ctx) => multipart().createMultipartUpload(ctx),
  UploadPart: (ctx) => multipart().uploadPart(ctx),
  UploadPartCopy: (ctx) => multipart().uploadPartCopy(ctx),
  CompleteMultipartUpload: (ctx) => multipartComplete().completeMultipartUpload(ctx),
  AbortMultipartUpload: (ctx) => multipart().abortMultipartUpload(ctx),
  ListParts: (ctx) => multipartList().listParts(ctx),
  ListMultipartUploads: (ctx) => multipartList().listMultipartUploads(ctx),
  GetBucketAcl: (ctx) => acl().getBucketAcl(ctx),
  PutBucketAcl: (ctx) => acl().putBucketAcl(ctx),
  GetObjectAcl: (ctx) => acl().getObjectAcl(ctx),
  PutObjectAcl: (ctx) => acl().putObjectAcl(ctx),
  PutBucketPolicy: (ctx) => bucketPolicy().putBucketPolicy(ctx),
  GetBucketPolicy: (ctx) => bucketPolicy().getBucketPolicy(ctx),
  DeleteBucketPolicy: (ctx) => bucketPolicy().deleteBucketPolicy(ctx),
  GetBucketPolicyStatus: (ctx) => bucketPolicy().getBucketPolicyStatus(ctx),
  PutPublicAccessBlock: (ctx) => bucketAccessSettings().putPublicAccessBlock(ctx),
  GetPublicAccessBlock: (ctx) => bucketAccessSettings().getPublicAccessBlock(ctx),
  DeletePublicAccessBlock: (ctx) => bucketAccessSettings().deletePublicAccessBlock(ctx),
  PutBucketOwnershipControls: (ctx) => bucketAccessSettings().putBucketOwnershipControls(ctx),
  GetBucketOwnershipControls: (ctx) => bucketAccessSettings().getBucketOwnershipControls(ctx),
  DeleteBucketOwnershipControls: (ctx) => bucketAccessSettings().deleteBucketOwnershipControls(ctx),
  PutBucketVersioning: (ctx) => bucketVersioning().putBucketVersioning(ctx),
  GetObjectLockConfiguration: (ctx) => objectLockConfiguration().getObjectLockConfiguration(ctx),
  PutObjectLockConfiguration: (ctx) => objectLockConfiguration().putObjectLockConfiguration(ctx),
  GetObjectRetention: (ctx) => objectRetention().getObjectRetention(ctx),
  PutObjectRetention: (ctx) => objectRetention().putObjectRetention(ctx),
  GetObjectLegalHold: (ctx) => objectRetention().getObjectLegalHold(ctx),
  PutObjectLegalHold: (ctx) => objectRetention().putObjectLegalHold(ctx),
  // docs/spec/bucket-config.md §B
  PutBucketTagging: (ctx) => tagging().putBucketTagging(ctx),
  GetBucketTagging: (ctx) => tagging().getBucketTagging(ctx),
  DeleteBucketTagging: (ctx) => tagging().deleteBucketTagging(ctx),
  PutObjectTagging: (ctx) => tagging().putObjectTagging(ctx),
  GetObjectTagging: (ctx) => tagging().getObjectTagging(ctx),
  DeleteObjectTagging: (ctx) => tagging().deleteObjectTagging(ctx),
  PutBucketEncryption: (ctx) => bucketEncryption().putBucketEncryption(ctx),
  GetBucketEncryption: (ctx) => bucketEncryption().getBucketEncryption(ctx),
  DeleteBucketEncryption: (ctx) => bucketEncryption().deleteBucketEncryption(ctx),
  PutBucketLifecycleConfiguration: (ctx) => bucketLifecycle().putBucketLifecycleConfiguration(ctx),
  GetBucketLifecycleConfiguration: (ctx) => bucketLifecycle().getBucketLifecycleConfiguration(ctx),
  DeleteBucketLifecycle: (ctx) => bucketLifecycle().deleteBucketLifecycle(ctx),
  PutBucketRequestPayment: (ctx) => bucketSettings().putBucketRequestPayment(ctx),
  GetBucketRequestPayment: (ctx) => bucketSettings().getBucketRequestPayment(ctx),
  PutBucketAccelerateConfiguration: (ctx) => bucketSettings().putBucketAccelerateConfiguration(ctx),
  GetBucketAccelerateConfiguration: (ctx) => bucketSettings().getBucketAccelerateConfiguration(ctx),
  PutBucketLogging: (ctx) => bucketSettings().putBucketLogging(ctx),
  GetBucketLogging: (ctx) => bucketSettings().getBucketLogging(ctx),
  PutBucketNotificationConfiguration: (ctx) => bucketSettings().putBucketNotificationConfiguration(ctx),
  GetBucketNotificationConfiguration: (ctx) => bucketSettings().getBucketNotificationConfiguration(ctx),
  PutBucketReplication: (ctx) => bucketSettings().putBucketReplication(ctx),
  GetBucketReplication: (ctx) => bucketSettings().getBucketReplication(ctx),
  DeleteBucketReplication: (ctx) => bucketSettings().deleteBucketReplication(ctx),
  ListBucketAnalyticsConfigurations: (ctx) => bucketIdConfigs().listBucketAnalyticsConfigurations(ctx),
  ListBucketMetricsConfigurations: (ctx) => bucketIdConfigs().listBucketMetricsConfigurations(ctx),
  ListBucketInventoryConfigurations: (ctx) => bucketIdConfigs().listBucketInventoryConfigurations(ctx),
  ListBucketIntelligentTieringConfigurations: (ctx) => bucketIdConfigs().listBucketIntelligentTieringConfigurations(ctx),
  GetBucketAnalyticsConfiguration: (ctx) => bucketIdConfigs().getBucketAnalyticsConfiguration(ctx),
  GetBucketMetricsConfiguration: (ctx) => bucketIdConfigs().getBucketMetricsConfiguration(ctx),
  GetBucketInventoryConfiguration: (ctx) => bucketIdConfigs().getBucketInventoryConfiguration(ctx),
  GetBucketIntelligentTieringConfiguration: (ctx) => bucketIdConfigs().getBucketIntelligentTieringConfiguration(ctx),
  PutBucketAnalyticsConfiguration: (ctx) => bucketIdConfigs().putBucketAnalyticsConfiguration(ctx),
  DeleteBucketAnalyticsConfiguration: (ctx) => bucketIdConfigs().deleteBucketAnalyticsConfiguration(ctx),
  PutBucketMetricsConfiguration: (ctx) => bucketIdConfigs().putBucketMetricsConfiguration(ctx),
  DeleteBucketMetricsConfiguration: (ctx) => bucketIdConfigs().deleteBucketMetricsConfiguration(ctx),
  PutBucketInventoryConfiguration: (ctx) => bucketIdConfigs().putBucketInventoryConfiguration(ctx),
  DeleteBucketInventoryConfiguration: (ctx) => bucketIdConfigs().deleteBucketInventoryConfiguration(ctx),
  PutBucketIntelligentTieringConfiguration: (ctx) => bucketIdConfigs().putBucketIntelligentTieringConfiguration(ctx),
  DeleteBucketIntelligentTieringConfiguration: (ctx) => bucketIdConfigs().deleteBucketIntelligentTieringConfiguration(ctx),
  GetObjectAttributes: (ctx) => objectAttributes().getObjectAttributes(ctx),
  PutBucketWebsite: (ctx) => bucketWebsite().putBucketWebsite(ctx),
  GetBucketWebsite: (ctx) => bucketWebsite().getBucketWebsite(ctx),
  DeleteBucketWebsite: (ctx) => bucketWebsite().deleteBucketWebsite(ctx),
} as const satisfies Record<ImplementedOperation, Handler>;
