/**
 * (method, bucket?, key?, query, headers) → the AWS operation name. Pure; tested with a table
 * of request lines from the S3 API reference. Sub-resources we do not implement still resolve
 * to their AWS name, so the NotImplemented error can name them.
 */

import { isOperation, type Operation } from '../operation-names';

export type OperationName = Operation;

/** A name built from the tables below; the test of the resolver checks every one is an Operation. */
function named(name: string): Operation {
  if (!isOperation(name)) throw new Error(`resolver built an unknown operation name: ${name}`);
  return name;
}

/**
 * Bucket sub-resources → the noun in AWS's operation names (GetBucket<noun>, PutBucket<noun>,
 * DeleteBucket<noun>). AWS's names are not regular: EXCEPTIONS holds the ones that differ.
 */
const BUCKET_SUBRESOURCES: Record<string, string> = {
  accelerate: 'AccelerateConfiguration',
  analytics: 'AnalyticsConfiguration',
  encryption: 'Encryption',
  'intelligent-tiering': 'IntelligentTieringConfiguration',
  inventory: 'InventoryConfiguration',
  lifecycle: 'LifecycleConfiguration',
  logging: 'Logging',
  metrics: 'MetricsConfiguration',
  metadataTable: 'MetadataTableConfiguration',
  notification: 'NotificationConfiguration',
  ownershipControls: 'OwnershipControls',
  policy: 'Policy',
  policyStatus: 'PolicyStatus',
  replication: 'Replication',
  requestPayment: 'RequestPayment',
  tagging: 'Tagging',
  website: 'Website',
};

/** `<METHOD> ?<sub-resource>` → AWS name, where the name does not follow GetBucket<noun>. */
const BUCKET_EXCEPTIONS: Record<string, string> = {
  'DELETE lifecycle': 'DeleteBucketLifecycle',
  'GET publicAccessBlock': 'GetPublicAccessBlock',
  'PUT publicAccessBlock': 'PutPublicAccessBlock',
  'DELETE publicAccessBlock': 'DeletePublicAccessBlock',
  'GET object-lock': 'GetObjectLockConfiguration',
  'PUT object-lock': 'PutObjectLockConfiguration',
  'POST metadataTable': 'CreateBucketMetadataTableConfiguration',
};

/** Sub-resources whose GET without `id` lists every configuration. */
const LISTED_BY_ID: Record<string, string> = {
  analytics: 'ListBucketAnalyticsConfigurations',
  inventory: 'ListBucketInventoryConfigurations',
  metrics: 'ListBucketMetricsConfigurations',
  'intelligent-tiering': 'ListBucketIntelligentTieringConfigurations',
};

/** Object sub-resources → AWS noun (GetObject<noun>, PutObject<noun>, DeleteObject<noun>). */
/** In the order they are looked for: an array made once (`Object.entries` per request cost ~2 µs of a GET). */
const OBJECT_SUBRESOURCES: ReadonlyArray<readonly [string, string]> = [
  ['tagging', 'Tagging'],
  ['retention', 'Retention'],
  ['legal-hold', 'LegalHold'],
  ['attributes', 'Attributes'],
  ['torrent', 'Torrent'],
];

const VERB: Record<string, string> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete', HEAD: 'Head', POST: 'Post' };

export function resolveOperation(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
  headers: Record<string, string | string[] | undefined>,
): OperationName {
  if (method === 'OPTIONS') return 'PreflightRequest';
  // Methods S3 has no operation for (PATCH, ...): the router answers them 405 MethodNotAllowed.
  if (!Object.hasOwn(VERB, method)) return 'UnsupportedMethod';
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : named(`${VERB[method] ?? method}Service`);
  return key === undefined ? resolveBucket(method, query) : resolveObject(method, query, headers);
}

function resolveBucket(method: string, q: ReadonlyMap<string, string>): OperationName {
  switch (method) {
    case 'GET':
      if (q.has('cors')) return 'GetBucketCors';
      if (q.has('location')) return 'GetBucketLocation';
      if (q.has('versioning')) return 'GetBucketVersioning';
      if (q.has('acl')) return 'GetBucketAcl';
      if (q.has('uploads')) return 'ListMultipartUploads';
      if (q.has('versions')) return 'ListObjectVersions';
      break;
    case 'PUT':
      if (q.has('cors')) return 'PutBucketCors';
      if (q.has('acl')) return 'PutBucketAcl';
      if (q.has('versioning')) return 'PutBucketVersioning';
      break;
    case 'DELETE':
      if (q.has('cors')) return 'DeleteBucketCors';
      break;
    case 'POST':
      if (q.has('delete')) return 'DeleteObjects';
      if (q.has('metadataTable')) return 'CreateBucketMetadataTableConfiguration';
      return 'PostObject';
    case 'HEAD':
      return 'HeadBucket';
    default:
      return named(`${method}Bucket`);
  }
  for (const name of q.keys()) {
    // Own properties only: `?constructor` is a query parameter, not a sub-resource.
    if (Object.hasOwn(BUCKET_EXCEPTIONS, `${method} ${name}`)) return named(BUCKET_EXCEPTIONS[`${method} ${name}`] as string);
    if (!Object.hasOwn(BUCKET_SUBRESOURCES, name)) continue;
    const listed = LISTED_BY_ID[name];
    if (listed !== undefined && method === 'GET' && !q.has('id')) return named(listed);
    const noun = BUCKET_SUBRESOURCES[name];
    if (noun !== undefined) return named(`${VERB[method] ?? method}Bucket${noun}`);
  }
  switch (method) {
    case 'GET': return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'PUT': return 'CreateBucket';
    default: return 'DeleteBucket';
  }
}

function resolveObject(method: string, q: ReadonlyMap<string, string>, headers: Record<string, string | string[] | undefined>): OperationName {
  const copy = headers['x-amz-copy-source'] !== undefined;
  switch (method) {
    case 'GET':
      if (q.has('acl')) return 'GetObjectAcl';
      if (q.has('uploadId')) return 'ListParts';
      break;
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      if (q.has('partNumber') && q.has('uploadId')) return copy ? 'UploadPartCopy' : 'UploadPart';
      if (q.has('acl')) return 'PutObjectAcl';
      break;
    case 'DELETE':
      if (q.has('uploadId')) return 'AbortMultipartUpload';
      break;
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      if (q.has('restore')) return 'RestoreObject';
      if (q.has('select')) return 'SelectObjectContent';
      return 'PostObject';
    default:
      return named(`${method}Object`);
  }
  if (q.size > 0) {
    for (const [name, noun] of OBJECT_SUBRESOURCES) if (q.has(name)) return named(`${VERB[method] ?? method}Object${noun}`);
  }
  switch (method) {
    case 'GET': return 'GetObject';
    case 'PUT': return copy ? 'CopyObject' : 'PutObject';
    default: return 'DeleteObject';
  }
}
