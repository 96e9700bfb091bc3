/**
 * What an object keeps besides its content headers (docs/spec/bucket-config.md §B1, §B3, §B4.8,
 * §A3.20): storage class, tags, server-side encryption, website redirect location. Read from
 * the write request (PutObject, CreateMultipartUpload, CopyObject, POST Object), given back on
 * GET/HEAD and on the write responses. Nothing here is dropped silently: a value crossbucket
 * cannot honour is refused.
 */
import { lifecycleRuleFor, type BucketInfo, type ObjectEncryption, type ObjectInfo, type ObjectMeta } from '../../storage';
import type { Services } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { LOCK_HEADERS, MISSING_LOCK } from './lock-params';
import { parseTaggingHeader } from './tag-rules';

type Headers = Record<string, string | string[] | undefined>;

/** The storage classes an object may be written with (§B4.8). */
export const STORAGE_CLASSES = [
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR',
] as const;
const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];
/** Classes whose objects must be restored before a GET (§B4.8). */
const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** DEVIATION(S3): the account shown in KMS key ARNs; crossbucket has no AWS account. */
export const ACCOUNT_ID = '000000000000';
const MAX_REDIRECT_BYTES = 2048;

export function storageClassFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!(STORAGE_CLASSES as readonly string[]).includes(value)) {
    throw new S3Error('InvalidStorageClass', undefined, { StorageClassRequested: value });
  }
  return value === 'STANDARD' ? undefined : value;
}

/** A KMS key id as S3 reports it: an ARN (DEVIATION(S3): no KMS here; any id is accepted, §B3.3). */
export function kmsKeyArn(services: Services, id: string | undefined): string {
  if (id !== undefined && id.startsWith('arn:')) return id;
  const region = services.config.region;
  return id === undefined ? `arn:aws:kms:${region}:${ACCOUNT_ID}:alias/aws/s3` : `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${id}`;
}

/**
 * SSE-C (`x-amz-server-side-encryption-customer-*`, also on a copy source): refused.
 * crossbucket does not encrypt with customer keys, and accepting the headers would promise a
 * protection that is not there (§B3.4).
 */
export function refuseCustomerKeys(headers: Headers): void {
  for (const name of [H.amzSseCustomerAlgorithm, H.amzSseCustomerKey, H.amzSseCustomerKeyMd5, H.amzCopySourceSseCustomerAlgorithm, H.amzCopySourceSseCustomerKey, H.amzCopySourceSseCustomerKeyMd5]) {
    if (headers[name] !== undefined) {
      throw new S3Error('NotImplemented', 'Server Side Encryption with Customer provided keys (SSE-C) is not implemented by crossbucket.', { Header: name });
    }
  }
}

/** The encryption a write asks for, or the bucket's default (§B3.1, §B3.3). */
export function encryptionFrom(services: Services, bucket: BucketInfo, headers: Headers): ObjectEncryption {
  refuseCustomerKeys(headers);
  const algorithm = headerValue(headers, H.amzSse);
  const keyId = headerValue(headers, H.amzSseKmsKeyId);
  const bucketKey = headerValue(headers, H.amzSseBucketKeyEnabled);
  const context = headerValue(headers, H.amzSseContext);
  if (algorithm === undefined) {
    if (keyId !== undefined) {
      throw new S3Error('InvalidArgument', 'Specifying a KMS key id requires x-amz-server-side-encryption to be aws:kms', { ArgumentName: H.amzSseKmsKeyId, ArgumentValue: keyId });
    }
    const d = services.storage.settings.get(bucket.name, 'encryption') ?? { algorithm: 'AES256' };
    if (d.algorithm === 'AES256') {
      refuseKmsOnly(context, bucketKey);
      return { algorithm: d.algorithm };
    }
    // The bucket's KMS default: the request may still name its context and Bucket Key use.
    const out: ObjectEncryption = { algorithm: d.algorithm, kmsKeyId: kmsKeyArn(services, d.kmsKeyId) };
    if (bucketKey !== undefined ? bucketKey.toLowerCase() === 'true' : d.bucketKeyEnabled) out.bucketKeyEnabled = true;
    if (context !== undefined) out.context = context;
    return out;
  }
  if (!SSE_ALGORITHMS.includes(algorithm)) {
    // UNVERIFIED(S3): the message.
    throw new S3Error('InvalidArgument', 'The encryption method specified is not supported', { ArgumentName: H.amzSse, ArgumentValue: algorithm });
  }
  if (algorithm === 'AES256') {
    if (keyId !== undefined) throw new S3Error('InvalidArgument', 'a KMS key id is not applicable if the sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: H.amzSseKmsKeyId, ArgumentValue: keyId });
    refuseKmsOnly(context, bucketKey);
    return { algorithm };
  }
  const out: ObjectEncryption = { algorithm, kmsKeyId: kmsKeyArn(services, keyId) };
  if (bucketKey?.toLowerCase() === 'true') out.bucketKeyEnabled = true;
  if (context !== undefined) out.context = context;
  return out;
}

/**
 * An encryption context, or an S3 Bucket Key turned on, with SSE-S3: both exist for KMS only, so
 * they are refused rather than dropped. UNVERIFIED(S3): the code and wording; `false` passes.
 */
function refuseKmsOnly(context: string | undefined, bucketKey: string | undefined): void {
  if (context !== undefined) {
    throw new S3Error('InvalidArgument', 'An encryption context is not applicable if the sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: H.amzSseContext, ArgumentValue: context });
  }
  if (bucketKey !== undefined && bucketKey.toLowerCase() !== 'false') {
    throw new S3Error('InvalidArgument', 'An S3 Bucket Key is not applicable if the sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: H.amzSseBucketKeyEnabled, ArgumentValue: bucketKey });
  }
}

/** `x-amz-website-redirect-location`: `/`, `http://` or `https://`, at most 2 KB (§A3.20). */
export function websiteRedirectFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ok = value.startsWith('/') || value.startsWith('http://') || value.startsWith('https://');
  if (!ok || Buffer.byteLength(value) > MAX_REDIRECT_BYTES) throw new S3Error('InvalidRedirectLocation');
  return value;
}

/**
 * Object Lock headers: a lock-enabled bucket takes them (operations/lock-params.ts,
 * docs/spec/versioning.md §9 K5); refused on any other (docs/spec/bucket-config.md §B4.5).
 */
const LOCK_HEADER_NAMES = [LOCK_HEADERS.mode, LOCK_HEADERS.retainUntil, LOCK_HEADERS.legalHold];
/** Object Lock event holds: not implemented; on a bucket without Object Lock, refused as the other lock headers. */
const EVENT_HOLD_HEADERS = ['x-amz-object-lock-event-hold', 'x-amz-object-lock-event-hold-duration-days', 'x-amz-object-lock-event-hold-duration-years'];

/** Headers of features crossbucket (or this bucket) does not have, refused rather than ignored. */
function refuseUnsupported(bucket: BucketInfo, headers: Headers): void {
  if (!bucket.objectLock) for (const name of [...LOCK_HEADER_NAMES, ...EVENT_HOLD_HEADERS]) if (headers[name] !== undefined) throw new S3Error('InvalidRequest', MISSING_LOCK);
  const hold = EVENT_HOLD_HEADERS.find((name) => headers[name] !== undefined);
  if (hold !== undefined) throw new S3Error('NotImplemented', 'Object Lock event holds are not implemented by crossbucket.', { Header: hold });
  // Appends exist in S3 Express One Zone directory buckets only.
  if (headers['x-amz-write-offset-bytes'] !== undefined) throw new S3Error('NotImplemented', 'x-amz-write-offset-bytes (appends) is not implemented by crossbucket.', { Header: 'x-amz-write-offset-bytes' });
}

/** The settings of a new object from its write request (headers, or POST form fields as headers). */
export function settingsFrom(services: Services, bucket: BucketInfo, headers: Headers, options: { tags?: boolean } = {}): Omit<ObjectMeta, 'content' | 'user'> {
  refuseUnsupported(bucket, headers);
  const out: Omit<ObjectMeta, 'content' | 'user'> = {};
  const storageClass = storageClassFrom(headerValue(headers, H.amzStorageClass));
  if (storageClass !== undefined) out.storageClass = storageClass;
  out.sse = encryptionFrom(services, bucket, headers);
  const redirect = websiteRedirectFrom(headerValue(headers, H.amzWebsiteRedirectLocation));
  if (redirect !== undefined) out.websiteRedirect = redirect;
  const tagging = options.tags === false ? undefined : headerValue(headers, H.amzTagging);
  if (tagging !== undefined) {
    const tags = parseTaggingHeader(tagging);
    if (tags.length > 0) out.tags = tags;
  }
  return out;
}

/** The encryption headers of a write or read response (§B3.3), set on `out`. */
export function encryptionHeaders(sse: ObjectEncryption | undefined, out: Record<string, string | undefined> = {}): Record<string, string> {
  const e = sse ?? { algorithm: 'AES256' };
  out[H.amzSse] = e.algorithm;
  if (e.kmsKeyId !== undefined) out[H.amzSseKmsKeyId] = e.kmsKeyId;
  if (e.bucketKeyEnabled) out[H.amzSseBucketKeyEnabled] = 'true';
  if (e.context !== undefined) out[H.amzSseContext] = e.context;
  return out as Record<string, string>;
}

/** `x-amz-expiration` for an object a lifecycle rule expires (§B2.4), or undefined. */
export function expirationHeader(services: Services, info: Pick<ObjectInfo, 'bucket' | 'key' | 'size' | 'lastModified' | 'meta'>): string | undefined {
  const config = services.storage.settings.get(info.bucket, 'lifecycle');
  if (config === undefined) return undefined;
  const match = lifecycleRuleFor(config, { key: info.key, size: info.size, lastModified: info.lastModified, ...(info.meta.tags ? { tags: info.meta.tags } : {}) });
  if (match === undefined) return undefined;
  return `expiry-date="${match.due.toUTCString()}", rule-id="${match.rule.id}"`;
}

/** The headers of a write response: encryption, and x-amz-expiration when a rule applies; set on `out`. */
export function writeResponseHeaders(services: Services, info: ObjectInfo, out: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  encryptionHeaders(info.meta.sse, out);
  out[H.amzExpiration] = expirationHeader(services, info);
  return out;
}

/** What GET and HEAD add for these settings (§B1.8, §B3.3, §B4.8, §A3.19), set on `out`. */
export function addReadHeaders(out: Record<string, string | number | undefined>, services: Services, info: ObjectInfo, method: 'GET' | 'HEAD'): void {
  const m = info.meta;
  if (method === 'GET' && m.storageClass !== undefined && ARCHIVED.has(m.storageClass)) {
    // DEVIATION(S3): RestoreObject is not implemented, so such an object cannot be read again.
    throw new S3Error('InvalidObjectState', undefined, { StorageClass: m.storageClass });
  }
  // Set field by field: this runs for every GET and HEAD.
  const e = m.sse;
  out[H.amzSse] = e?.algorithm ?? 'AES256';
  if (e !== undefined) {
    if (e.kmsKeyId !== undefined) out[H.amzSseKmsKeyId] = e.kmsKeyId;
    if (e.bucketKeyEnabled) out[H.amzSseBucketKeyEnabled] = 'true';
    if (e.context !== undefined) out[H.amzSseContext] = e.context;
  }
  if (m.storageClass !== undefined) out[H.amzStorageClass] = m.storageClass;
  if (m.tags !== undefined && m.tags.length > 0) out[H.amzTaggingCount] = m.tags.length;
  if (m.websiteRedirect !== undefined) out[H.amzWebsiteRedirectLocation] = m.websiteRedirect;
  const expiration = expirationHeader(services, info);
  if (expiration !== undefined) out[H.amzExpiration] = expiration;
}
