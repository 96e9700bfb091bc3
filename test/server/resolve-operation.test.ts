/**
 * resolveOperation: request lines as the S3 API reference writes them ("Request Syntax") →
 * the AWS operation name. Both addressing styles reach the resolver as (bucket, key), so the
 * lines are written path style.
 */
import t from 'tap';
import { parseAddress, normaliseBaseDomains } from '../../server/http/addressing';
import { resolveOperation } from '../../server/operations/resolve-operation';

type Row = [line: string, operation: string, headers?: Record<string, string>];

const COPY = { 'x-amz-copy-source': '/src/key' };

const TABLE: Row[] = [
  // Service
  ['GET /', 'ListBuckets'],
  // Buckets
  ['PUT /b', 'CreateBucket'],
  ['DELETE /b', 'DeleteBucket'],
  ['HEAD /b', 'HeadBucket'],
  ['GET /b?location', 'GetBucketLocation'],
  ['GET /b?versioning', 'GetBucketVersioning'],
  ['PUT /b?versioning', 'PutBucketVersioning'],
  ['GET /b?acl', 'GetBucketAcl'],
  ['PUT /b?acl', 'PutBucketAcl'],
  ['GET /b?cors', 'GetBucketCors'],
  ['PUT /b?cors', 'PutBucketCors'],
  ['DELETE /b?cors', 'DeleteBucketCors'],
  // Listing
  ['GET /b', 'ListObjects'],
  ['GET /b?delimiter=/&encoding-type=url&marker=m&max-keys=2&prefix=p', 'ListObjects'],
  ['GET /b?constructor&toString', 'ListObjects'],
  ['GET /b?list-type=2', 'ListObjectsV2'],
  ['GET /b?list-type=2&continuation-token=x&delimiter=/&fetch-owner=true&start-after=a', 'ListObjectsV2'],
  ['GET /b?versions', 'ListObjectVersions'],
  ['GET /b?versions&key-marker=k&version-id-marker=null', 'ListObjectVersions'],
  ['GET /b?uploads', 'ListMultipartUploads'],
  ['GET /b?uploads&prefix=p&key-marker=k', 'ListMultipartUploads'],
  // Objects
  ['PUT /b/k', 'PutObject'],
  ['GET /b/k', 'GetObject'],
  ['GET /b/k?response-content-type=text/plain&versionId=null', 'GetObject'],
  ['GET /b/k?partNumber=1', 'GetObject'],
  ['HEAD /b/k', 'HeadObject'],
  ['HEAD /b/k?partNumber=2', 'HeadObject'],
  ['DELETE /b/k', 'DeleteObject'],
  ['DELETE /b/k?versionId=null', 'DeleteObject'],
  ['POST /b?delete', 'DeleteObjects'],
  ['PUT /b/k', 'CopyObject', COPY],
  ['GET /b/k?acl', 'GetObjectAcl'],
  ['PUT /b/k?acl', 'PutObjectAcl'],
  // Multipart
  ['POST /b/k?uploads', 'CreateMultipartUpload'],
  ['PUT /b/k?partNumber=1&uploadId=u', 'UploadPart'],
  ['PUT /b/k?partNumber=1&uploadId=u', 'UploadPartCopy', COPY],
  ['POST /b/k?uploadId=u', 'CompleteMultipartUpload'],
  ['DELETE /b/k?uploadId=u', 'AbortMultipartUpload'],
  ['GET /b/k?uploadId=u', 'ListParts'],
  ['GET /b/k?max-parts=2&part-number-marker=1&uploadId=u', 'ListParts'],
  // Browser upload
  ['POST /b', 'PostObject'],
  // Not implemented: still their AWS names, so NotImplemented can name them.
  ['GET /b?policy', 'GetBucketPolicy'],
  ['PUT /b?policy', 'PutBucketPolicy'],
  ['DELETE /b?policy', 'DeleteBucketPolicy'],
  ['GET /b?policyStatus', 'GetBucketPolicyStatus'],
  ['GET /b?tagging', 'GetBucketTagging'],
  ['PUT /b?tagging', 'PutBucketTagging'],
  ['DELETE /b?tagging', 'DeleteBucketTagging'],
  ['GET /b?lifecycle', 'GetBucketLifecycleConfiguration'],
  ['PUT /b?lifecycle', 'PutBucketLifecycleConfiguration'],
  ['DELETE /b?lifecycle', 'DeleteBucketLifecycle'],
  ['GET /b?encryption', 'GetBucketEncryption'],
  ['PUT /b?encryption', 'PutBucketEncryption'],
  ['DELETE /b?encryption', 'DeleteBucketEncryption'],
  ['GET /b?website', 'GetBucketWebsite'],
  ['PUT /b?website', 'PutBucketWebsite'],
  ['DELETE /b?website', 'DeleteBucketWebsite'],
  ['GET /b?logging', 'GetBucketLogging'],
  ['PUT /b?logging', 'PutBucketLogging'],
  ['GET /b?notification', 'GetBucketNotificationConfiguration'],
  ['PUT /b?notification', 'PutBucketNotificationConfiguration'],
  ['GET /b?replication', 'GetBucketReplication'],
  ['PUT /b?replication', 'PutBucketReplication'],
  ['DELETE /b?replication', 'DeleteBucketReplication'],
  ['GET /b?requestPayment', 'GetBucketRequestPayment'],
  ['PUT /b?requestPayment', 'PutBucketRequestPayment'],
  ['GET /b?accelerate', 'GetBucketAccelerateConfiguration'],
  ['PUT /b?accelerate', 'PutBucketAccelerateConfiguration'],
  ['GET /b?ownershipControls', 'GetBucketOwnershipControls'],
  ['PUT /b?ownershipControls', 'PutBucketOwnershipControls'],
  ['DELETE /b?ownershipControls', 'DeleteBucketOwnershipControls'],
  ['GET /b?publicAccessBlock', 'GetPublicAccessBlock'],
  ['PUT /b?publicAccessBlock', 'PutPublicAccessBlock'],
  ['DELETE /b?publicAccessBlock', 'DeletePublicAccessBlock'],
  ['GET /b?object-lock', 'GetObjectLockConfiguration'],
  ['PUT /b?object-lock', 'PutObjectLockConfiguration'],
  ['GET /b?analytics&id=a', 'GetBucketAnalyticsConfiguration'],
  ['PUT /b?analytics&id=a', 'PutBucketAnalyticsConfiguration'],
  ['DELETE /b?analytics&id=a', 'DeleteBucketAnalyticsConfiguration'],
  ['GET /b?analytics', 'ListBucketAnalyticsConfigurations'],
  ['GET /b?inventory&id=i', 'GetBucketInventoryConfiguration'],
  ['GET /b?inventory', 'ListBucketInventoryConfigurations'],
  ['GET /b?metrics&id=m', 'GetBucketMetricsConfiguration'],
  ['GET /b?metrics', 'ListBucketMetricsConfigurations'],
  ['GET /b?intelligent-tiering&id=x', 'GetBucketIntelligentTieringConfiguration'],
  ['GET /b?intelligent-tiering', 'ListBucketIntelligentTieringConfigurations'],
  ['GET /b?metadataTable', 'GetBucketMetadataTableConfiguration'],
  ['POST /b?metadataTable', 'CreateBucketMetadataTableConfiguration'],
  ['DELETE /b?metadataTable', 'DeleteBucketMetadataTableConfiguration'],
  ['GET /b/k?tagging', 'GetObjectTagging'],
  ['PUT /b/k?tagging', 'PutObjectTagging'],
  ['DELETE /b/k?tagging', 'DeleteObjectTagging'],
  ['GET /b/k?attributes', 'GetObjectAttributes'],
  ['GET /b/k?retention', 'GetObjectRetention'],
  ['PUT /b/k?retention', 'PutObjectRetention'],
  ['GET /b/k?legal-hold', 'GetObjectLegalHold'],
  ['PUT /b/k?legal-hold', 'PutObjectLegalHold'],
  ['GET /b/k?torrent', 'GetObjectTorrent'],
  ['POST /b/k?restore', 'RestoreObject'],
  ['POST /b/k?select&select-type=2', 'SelectObjectContent'],
];

const BASES = normaliseBaseDomains([]);

function resolveLine(line: string, headers: Record<string, string> = {}, host = 'localhost:9000'): string {
  const [method, url] = line.split(' ') as [string, string];
  const a = parseAddress(url, host, BASES);
  return resolveOperation(method, a.bucket, a.key, a.query, headers);
}

t.test('resolveOperation – AWS request lines, path style', async (t) => {
  for (const [line, op, headers] of TABLE) {
    t.equal(resolveLine(line, headers), op, `${line}${headers ? ' + x-amz-copy-source' : ''}`);
  }
});

t.test('resolveOperation – the same lines, virtual-hosted style', async (t) => {
  for (const [line, op, headers] of TABLE) {
    const [method, url] = line.split(' ') as [string, string];
    const m = /^\/([^/?]+)(.*)$/.exec(url);
    if (!m) continue; // service-level
    const rest = m[2] ?? '';
    const virtualUrl = rest.startsWith('/') ? rest : `/${rest}`;
    t.equal(resolveLine(`${method} ${virtualUrl}`, headers, `${m[1]}.localhost:9000`), op, `${line} (virtual)`);
  }
});

t.test('resolveOperation – OPTIONS is a preflight wherever it goes', async (t) => {
  t.equal(resolveLine('OPTIONS /b/k'), 'PreflightRequest');
  t.equal(resolveLine('OPTIONS /b'), 'PreflightRequest');
});

t.test('resolveOperation – a trailing slash after the bucket is the bucket', async (t) => {
  t.equal(resolveLine('GET /b/'), 'ListObjects');
  t.equal(resolveLine('PUT /b/'), 'CreateBucket');
  t.equal(resolveLine('GET /b//'), 'GetObject', 'the key "/"');
});
