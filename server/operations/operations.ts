/**
 * Operation name → handler. Each S3 concern lives in its own file; anything not listed here
 * answers 501 NotImplemented naming the operation.
 */
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './acl';
import { deleteBucketCors, getBucketCors, putBucketCors } from './bucket-cors';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './bucket';
import { getBucketVersioning, putBucketVersioning } from './bucket-versioning';
import type { Handler } from '../context';
import type { ImplementedOperation } from '../operation-names';
import { listObjects, listObjectsV2 } from './list';
import { listObjectVersions } from './list-versions';
import { abortMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from './multipart';
import { completeMultipartUpload } from './multipart-complete';
import { listMultipartUploads, listParts } from './multipart-list';
import { copyObject } from './object-copy';
import { deleteObject, deleteObjects } from './object-delete';
import { getObject, headObject } from './object-get';
import { putObject } from './object-put';
import { getObjectLockConfiguration, putObjectLockConfiguration } from './object-lock-configuration';
import { getObjectLegalHold, getObjectRetention, putObjectLegalHold, putObjectRetention } from './object-retention';
import { postObject } from './post-object';

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
  PutBucketVersioning: putBucketVersioning,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectRetention: getObjectRetention,
  PutObjectRetention: putObjectRetention,
  GetObjectLegalHold: getObjectLegalHold,
  PutObjectLegalHold: putObjectLegalHold,
} as const satisfies Record<ImplementedOperation, Handler>;
