/**
 * The IAM action and resource of every implemented operation (docs/spec/access.md §3), in one
 * typed table: a missing operation or an unknown resource kind fails to compile, and a test
 * checks every action against the engine's list of S3 actions. authorize.ts evaluates with it,
 * and `crossbucket explain` maps an operation (or a method) to its action with it.
 */
import type { ImplementedOperation } from '../operation-names';

/**
 * - `account`: ListBuckets, identity only (any signed caller lists its own buckets);
 * - `new-bucket`: CreateBucket, no policy exists yet: any signed caller may (§3);
 * - `bucket` / `object`: evaluated before the handler on the bucket or `bucket/key` ARN;
 * - `each-key`: DeleteObjects, evaluated by the handler for every key of the document (§3);
 * - `form`: PostObject, evaluated by the handler once the form names the key and the signer.
 */
export type AccessResource = 'account' | 'new-bucket' | 'bucket' | 'object' | 'each-key' | 'form';

export interface AccessRule {
  action: `s3:${string}`;
  resource: AccessResource;
}

const bucket = (action: `s3:${string}`): AccessRule => ({ action, resource: 'bucket' });
const object = (action: `s3:${string}`): AccessRule => ({ action, resource: 'object' });

export const ACCESS = {
  ListBuckets: { action: 's3:ListAllMyBuckets', resource: 'account' },
  CreateBucket: { action: 's3:CreateBucket', resource: 'new-bucket' },
  PostObject: { action: 's3:PutObject', resource: 'form' },
  DeleteObjects: { action: 's3:DeleteObject', resource: 'each-key' },
  DeleteBucket: bucket('s3:DeleteBucket'),
  HeadBucket: bucket('s3:ListBucket'),
  GetBucketLocation: bucket('s3:GetBucketLocation'),
  GetBucketVersioning: bucket('s3:GetBucketVersioning'),
  ListObjects: bucket('s3:ListBucket'),
  ListObjectsV2: bucket('s3:ListBucket'),
  ListObjectVersions: bucket('s3:ListBucketVersions'),
  ListMultipartUploads: bucket('s3:ListBucketMultipartUploads'),
  PutBucketCors: bucket('s3:PutBucketCORS'),
  GetBucketCors: bucket('s3:GetBucketCORS'),
  DeleteBucketCors: bucket('s3:PutBucketCORS'),
  GetBucketAcl: bucket('s3:GetBucketAcl'),
  PutBucketAcl: bucket('s3:PutBucketAcl'),
  PutBucketPolicy: bucket('s3:PutBucketPolicy'),
  GetBucketPolicy: bucket('s3:GetBucketPolicy'),
  DeleteBucketPolicy: bucket('s3:DeleteBucketPolicy'),
  GetBucketPolicyStatus: bucket('s3:GetBucketPolicyStatus'),
  PutPublicAccessBlock: bucket('s3:PutBucketPublicAccessBlock'),
  GetPublicAccessBlock: bucket('s3:GetBucketPublicAccessBlock'),
  DeletePublicAccessBlock: bucket('s3:PutBucketPublicAccessBlock'),
  PutBucketOwnershipControls: bucket('s3:PutBucketOwnershipControls'),
  GetBucketOwnershipControls: bucket('s3:GetBucketOwnershipControls'),
  DeleteBucketOwnershipControls: bucket('s3:PutBucketOwnershipControls'),
  PutObject: object('s3:PutObject'),
  CopyObject: object('s3:PutObject'),
  CreateMultipartUpload: object('s3:PutObject'),
  UploadPart: object('s3:PutObject'),
  UploadPartCopy: object('s3:PutObject'),
  CompleteMultipartUpload: object('s3:PutObject'),
  AbortMultipartUpload: object('s3:AbortMultipartUpload'),
  ListParts: object('s3:ListMultipartUploadParts'),
  GetObject: object('s3:GetObject'),
  HeadObject: object('s3:GetObject'),
  DeleteObject: object('s3:DeleteObject'),
  GetObjectAcl: object('s3:GetObjectAcl'),
  PutObjectAcl: object('s3:PutObjectAcl'),
  PutBucketWebsite: bucket('s3:PutBucketWebsite'),
  GetBucketWebsite: bucket('s3:GetBucketWebsite'),
  DeleteBucketWebsite: bucket('s3:DeleteBucketWebsite'),
  // docs/spec/bucket-config.md §B
  PutBucketTagging: bucket('s3:PutBucketTagging'),
  GetBucketTagging: bucket('s3:GetBucketTagging'),
  DeleteBucketTagging: bucket('s3:PutBucketTagging'),
  PutObjectTagging: object('s3:PutObjectTagging'),
  GetObjectTagging: object('s3:GetObjectTagging'),
  DeleteObjectTagging: object('s3:DeleteObjectTagging'),
  PutBucketEncryption: bucket('s3:PutEncryptionConfiguration'),
  GetBucketEncryption: bucket('s3:GetEncryptionConfiguration'),
  DeleteBucketEncryption: bucket('s3:PutEncryptionConfiguration'),
  PutBucketLifecycleConfiguration: bucket('s3:PutLifecycleConfiguration'),
  GetBucketLifecycleConfiguration: bucket('s3:GetLifecycleConfiguration'),
  DeleteBucketLifecycle: bucket('s3:PutLifecycleConfiguration'),
  PutBucketRequestPayment: bucket('s3:PutBucketRequestPayment'),
  GetBucketRequestPayment: bucket('s3:GetBucketRequestPayment'),
  PutBucketAccelerateConfiguration: bucket('s3:PutAccelerateConfiguration'),
  GetBucketAccelerateConfiguration: bucket('s3:GetAccelerateConfiguration'),
  PutBucketLogging: bucket('s3:PutBucketLogging'),
  GetBucketLogging: bucket('s3:GetBucketLogging'),
  PutBucketNotificationConfiguration: bucket('s3:PutBucketNotification'),
  GetBucketNotificationConfiguration: bucket('s3:GetBucketNotification'),
  PutBucketReplication: bucket('s3:PutReplicationConfiguration'),
  GetBucketReplication: bucket('s3:GetReplicationConfiguration'),
  DeleteBucketReplication: bucket('s3:PutReplicationConfiguration'),
  // UNVERIFIED(S3): listing a kind of configuration needs the Get action of that kind.
  ListBucketAnalyticsConfigurations: bucket('s3:GetAnalyticsConfiguration'),
  ListBucketMetricsConfigurations: bucket('s3:GetMetricsConfiguration'),
  ListBucketInventoryConfigurations: bucket('s3:GetInventoryConfiguration'),
  ListBucketIntelligentTieringConfigurations: bucket('s3:GetIntelligentTieringConfiguration'),
  GetBucketAnalyticsConfiguration: bucket('s3:GetAnalyticsConfiguration'),
  GetBucketMetricsConfiguration: bucket('s3:GetMetricsConfiguration'),
  GetBucketInventoryConfiguration: bucket('s3:GetInventoryConfiguration'),
  GetBucketIntelligentTieringConfiguration: bucket('s3:GetIntelligentTieringConfiguration'),
  // Deleting a configuration needs the Put action of its kind (Service Authorization Reference).
  PutBucketAnalyticsConfiguration: bucket('s3:PutAnalyticsConfiguration'),
  DeleteBucketAnalyticsConfiguration: bucket('s3:PutAnalyticsConfiguration'),
  PutBucketMetricsConfiguration: bucket('s3:PutMetricsConfiguration'),
  DeleteBucketMetricsConfiguration: bucket('s3:PutMetricsConfiguration'),
  PutBucketInventoryConfiguration: bucket('s3:PutInventoryConfiguration'),
  DeleteBucketInventoryConfiguration: bucket('s3:PutInventoryConfiguration'),
  PutBucketIntelligentTieringConfiguration: bucket('s3:PutIntelligentTieringConfiguration'),
  DeleteBucketIntelligentTieringConfiguration: bucket('s3:PutIntelligentTieringConfiguration'),
  // docs/spec/access.md §3: s3:GetObject and s3:GetObjectAttributes (both checked: EXTRA_ACTIONS).
  GetObjectAttributes: object('s3:GetObjectAttributes'),
  // docs/spec/versioning.md: versioning and Object Lock.
  PutBucketVersioning: bucket('s3:PutBucketVersioning'),
  GetObjectLockConfiguration: bucket('s3:GetBucketObjectLockConfiguration'),
  PutObjectLockConfiguration: bucket('s3:PutBucketObjectLockConfiguration'),
  GetObjectRetention: object('s3:GetObjectRetention'),
  PutObjectRetention: object('s3:PutObjectRetention'),
  GetObjectLegalHold: object('s3:GetObjectLegalHold'),
  PutObjectLegalHold: object('s3:PutObjectLegalHold'),
} as const satisfies Record<ImplementedOperation, AccessRule>;

/** docs/spec/access.md §3: the action a request naming a `versionId` needs instead. */
export const VERSION_ACTIONS: Readonly<Record<string, `s3:${string}`>> = {
  's3:GetObject': 's3:GetObjectVersion',
  's3:DeleteObject': 's3:DeleteObjectVersion',
  's3:GetObjectAcl': 's3:GetObjectVersionAcl',
  's3:PutObjectAcl': 's3:PutObjectVersionAcl',
  's3:GetObjectTagging': 's3:GetObjectVersionTagging',
  's3:PutObjectTagging': 's3:PutObjectVersionTagging',
  's3:DeleteObjectTagging': 's3:DeleteObjectVersionTagging',
  's3:GetObjectAttributes': 's3:GetObjectVersionAttributes',
};

/** Operations that need a second action on the same resource (docs/spec/access.md §3). */
export const EXTRA_ACTIONS: Partial<Record<ImplementedOperation, `s3:${string}`>> = { GetObjectAttributes: 's3:GetObject' };

/** Writes that may carry an ACL (`x-amz-acl`, `x-amz-grant-*`): they need s3:PutObjectAcl too (§3). */
export const OBJECT_WRITES_WITH_ACL: ReadonlySet<ImplementedOperation> = new Set<ImplementedOperation>(['PutObject', 'CopyObject', 'CreateMultipartUpload']);

/** The operations a method names on a bucket or an object, for `crossbucket explain --method`. */
const OBJECT_METHODS: Readonly<Record<string, ImplementedOperation>> = { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject', DELETE: 'DeleteObject', POST: 'PostObject' };
const BUCKET_METHODS: Readonly<Record<string, ImplementedOperation>> = { GET: 'ListObjectsV2', HEAD: 'HeadBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket', POST: 'PostObject' };

export function operationForMethod(method: string, hasKey: boolean): ImplementedOperation | undefined {
  return (hasKey ? OBJECT_METHODS : BUCKET_METHODS)[method.toUpperCase()];
}

/** The first operation whose action is `action` (explain --action), and its resource. */
export function ruleForAction(action: string): { operation: ImplementedOperation; rule: AccessRule } | undefined {
  const wanted = action.toLowerCase();
  for (const [operation, rule] of Object.entries(ACCESS) as Array<[ImplementedOperation, AccessRule]>) {
    if (rule.action.toLowerCase() === wanted) return { operation, rule };
  }
  return undefined;
}
