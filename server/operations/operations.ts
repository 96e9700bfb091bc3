/**
 * Operation name → handler. Each S3 concern lives in its own file; anything not listed here
 * answers 501 NotImplemented naming the operation.
 */
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './acl';
import { deleteBucketCors, getBucketCors, putBucketCors } from './bucket-cors';
import {
  deleteBucketOwnershipControls, deletePublicAccessBlock, getBucketOwnershipControls, getPublicAccessBlock,
  putBucketOwnershipControls, putPublicAccessBlock,
} from './bucket-access-settings';
import { deleteBucketPolicy, getBucketPolicy, getBucketPolicyStatus, putBucketPolicy } from './bucket-policy';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './bucket';
import { getBucketVersioning, putBucketVersioning } from './bucket-versioning';
import type { Handler } from '../context';
import type { ImplementedOperation } from '../operation-names';
import { listObjects, listObjectsV2 } from './list';
import { listObjectVersions } from './list-versions';
import { abortMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from './multipart';
import { completeMultipartUpload } from './multipart-complete';
import {
  deleteBucketAnalyticsConfiguration, deleteBucketIntelligentTieringConfiguration, deleteBucketInventoryConfiguration, deleteBucketMetricsConfiguration, getBucketAnalyticsConfiguration, getBucketIntelligentTieringConfiguration, getBucketInventoryConfiguration, getBucketMetricsConfiguration,
  listBucketAnalyticsConfigurations, listBucketIntelligentTieringConfigurations, listBucketInventoryConfigurations, listBucketMetricsConfigurations, putBucketAnalyticsConfiguration, putBucketIntelligentTieringConfiguration, putBucketInventoryConfiguration, putBucketMetricsConfiguration,
} from './bucket-id-configs';
import { listMultipartUploads, listParts } from './multipart-list';
import { copyObject } from './object-copy';
import { deleteObject, deleteObjects } from './object-delete';
import { getObject, headObject } from './object-get';
import { putObject } from './object-put';
import { getObjectLockConfiguration, putObjectLockConfiguration } from './object-lock-configuration';
import { getObjectLegalHold, getObjectRetention, putObjectLegalHold, putObjectRetention } from './object-retention';
import { postObject } from './post-object';
import { deleteBucketTagging, deleteObjectTagging, getBucketTagging, getObjectTagging, putBucketTagging, putObjectTagging } from './tagging';
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption } from './bucket-encryption';
import { deleteBucketLifecycle, getBucketLifecycleConfiguration, putBucketLifecycleConfiguration } from './bucket-lifecycle';
import { deleteBucketReplication, getBucketAccelerateConfiguration, getBucketLogging, getBucketNotificationConfiguration, getBucketReplication, getBucketRequestPayment, putBucketAccelerateConfiguration, putBucketLogging, putBucketNotificationConfiguration, putBucketReplication, putBucketRequestPayment } from './bucket-settings';
import { getObjectAttributes } from './object-attributes';
import { deleteBucketWebsite, getBucketWebsite, putBucketWebsite } from './bucket-website';

export const OPERATIONS = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketVersioning: getBucketVersioning,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  PostObject: postObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  PutPublicAccessBlock: putPublicAccessBlock,
  GetPublicAccessBlock: getPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  PutBucketOwnershipControls: putBucketOwnershipControls,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  DeleteBucketOwnershipControls: deleteBucketOwnershipControls,
  PutBucketVersioning: putBucketVersioning,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectRetention: getObjectRetention,
  PutObjectRetention: putObjectRetention,
  GetObjectLegalHold: getObjectLegalHold,
  PutObjectLegalHold: putObjectLegalHold,
  // docs/spec/bucket-config.md §B
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  PutBucketLifecycleConfiguration: putBucketLifecycleConfiguration,
  GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  PutBucketRequestPayment: putBucketRequestPayment,
  GetBucketRequestPayment: getBucketRequestPayment,
  PutBucketAccelerateConfiguration: putBucketAccelerateConfiguration,
  GetBucketAccelerateConfiguration: getBucketAccelerateConfiguration,
  PutBucketLogging: putBucketLogging,
  GetBucketLogging: getBucketLogging,
  PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
  GetBucketNotificationConfiguration: getBucketNotificationConfiguration,
  PutBucketReplication: putBucketReplication,
  GetBucketReplication: getBucketReplication,
  DeleteBucketReplication: deleteBucketReplication,
  ListBucketAnalyticsConfigurations: listBucketAnalyticsConfigurations,
  ListBucketMetricsConfigurations: listBucketMetricsConfigurations,
  ListBucketInventoryConfigurations: listBucketInventoryConfigurations,
  ListBucketIntelligentTieringConfigurations: listBucketIntelligentTieringConfigurations,
  GetBucketAnalyticsConfiguration: getBucketAnalyticsConfiguration,
  GetBucketMetricsConfiguration: getBucketMetricsConfiguration,
  GetBucketInventoryConfiguration: getBucketInventoryConfiguration,
  GetBucketIntelligentTieringConfiguration: getBucketIntelligentTieringConfiguration,
  PutBucketAnalyticsConfiguration: putBucketAnalyticsConfiguration,
  DeleteBucketAnalyticsConfiguration: deleteBucketAnalyticsConfiguration,
  PutBucketMetricsConfiguration: putBucketMetricsConfiguration,
  DeleteBucketMetricsConfiguration: deleteBucketMetricsConfiguration,
  PutBucketInventoryConfiguration: putBucketInventoryConfiguration,
  DeleteBucketInventoryConfiguration: deleteBucketInventoryConfiguration,
  PutBucketIntelligentTieringConfiguration: putBucketIntelligentTieringConfiguration,
  DeleteBucketIntelligentTieringConfiguration: deleteBucketIntelligentTieringConfiguration,
  GetObjectAttributes: getObjectAttributes,
  PutBucketWebsite: putBucketWebsite,
  GetBucketWebsite: getBucketWebsite,
  DeleteBucketWebsite: deleteBucketWebsite,
} as const satisfies Record<ImplementedOperation, Handler>;
