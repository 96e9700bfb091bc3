/**
 * The request condition keys the server knows (docs/spec/access.md §2 R2.7). The engine derives
 * the principal keys (aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalType, aws:userid,
 * aws:username) itself. A key crossbucket cannot know is absent, never guessed: aws:SourceVpc,
 * aws:SourceArn, aws:PrincipalOrgID, principal tags, MFA, s3:TlsVersion (no TLS here) and
 * object-lock keys. The object-tag keys come from the object (s3:ExistingObjectTag/*) and from
 * the request (s3:RequestObjectTag/*, s3:RequestObjectTagKeys): `x-amz-tagging` here, the
 * PutObjectTagging body through authorize.ts, a POST form's `tagging` field (formConditionKeys).
 */
import type { ConditionValues } from '../../policy-engine';
import type { Tag } from '../../storage';
import type { S3Context } from '../context';
import { H, headerValue } from '../headers';
import { parseAmzDate } from '../auth/amz-date';
import { parseCopySource } from '../http/copy-source';

/** The request headers that become `s3:<header>` keys when sent. */
const HEADER_KEYS = [
  H.amzAcl, 'x-amz-grant-read', 'x-amz-grant-write', 'x-amz-grant-read-acp', 'x-amz-grant-write-acp', 'x-amz-grant-full-control',
  H.amzServerSideEncryption, H.amzServerSideEncryptionKmsKeyId, H.amzStorageClass, H.amzMetadataDirective,
];

/** `s3:<header>` for each of them, made once. */
const HEADER_KEY_NAMES = HEADER_KEYS.map((header) => [header, `s3:${header}`] as const);
const MILLIS = /\.\d{3}Z$/;

const LISTINGS: ReadonlySet<string> = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions']);
const COPIES: ReadonlySet<string> = new Set(['CopyObject', 'UploadPartCopy']);
const TAG_WRITES: ReadonlySet<string> = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload']);

function authType(ctx: S3Context): string | undefined {
  switch (ctx.auth.mode) {
    case 'header': return 'REST-HEADER';
    case 'query': return 'REST-QUERY-STRING';
    case 'post-policy': return 'POST';
    default: return undefined;
  }
}

/** Milliseconds since a presigned URL was signed (SigV2: 0); absent for header auth (UNVERIFIED(S3), §2 R2.7). */
function signatureAge(ctx: S3Context, now: Date): string | undefined {
  if (ctx.auth.mode !== 'query') return undefined;
  if (ctx.auth.signatureVersion === 2) return '0';
  const signedAt = ctx.auth.amzDate === undefined ? undefined : parseAmzDate(ctx.auth.amzDate);
  return signedAt === undefined ? undefined : String(Math.max(0, now.getTime() - signedAt.getTime()));
}

/** `s3:ExistingObjectTag/<k>`: the tags of the object the request acts on (§2 R2.7). */
export function existingTagKeys(tags: readonly Tag[] | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const { key, value } of tags ?? []) keys[`s3:ExistingObjectTag/${key}`] = value;
  return keys;
}

/** `s3:RequestObjectTag/<k>` and `s3:RequestObjectTagKeys`: the tags the request sets (§2 R2.7). */
export function requestTagKeys(tags: readonly Tag[]): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = { 's3:RequestObjectTagKeys': tags.map((t) => t.key) };
  for (const { key, value } of tags) keys[`s3:RequestObjectTag/${key}`] = value;
  return keys;
}

/**
 * The tags `x-amz-tagging` sets (a URL query string), read leniently: the handler refuses a
 * malformed header after authorization. CopyObject sets them only with the REPLACE directive
 * (docs/spec/bucket-config.md §B1.7).
 */
function headerTags(ctx: S3Context): Tag[] | undefined {
  if (!TAG_WRITES.has(ctx.operation)) return undefined;
  if (ctx.operation === 'CopyObject' && headerValue(ctx.headers, H.amzTaggingDirective)?.toUpperCase() !== 'REPLACE') return undefined;
  const value = headerValue(ctx.headers, H.amzTagging);
  if (value === undefined) return undefined;
  return [...new URLSearchParams(value)].map(([key, v]) => ({ key, value: v }));
}

/**
 * A POST form upload: its fields stand for PutObject's headers (`acl` for x-amz-acl, the
 * x-amz-* fields as sent) and its `tagging` document for the request tags (docs/spec/access.md §2 R2.7).
 * UNVERIFIED(S3): S3 documents the request-tag keys for POST; the header keys are inferred.
 */
export function formConditionKeys(fields: ReadonlyMap<string, string>, tags: readonly Tag[] | undefined): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {};
  const acl = fields.get('acl');
  if (acl !== undefined) keys[`s3:${H.amzAcl}`] = acl;
  for (const header of HEADER_KEYS) {
    const value = fields.get(header);
    if (value !== undefined && header !== H.amzAcl) keys[`s3:${header}`] = value;
  }
  return tags === undefined ? keys : Object.assign(keys, requestTagKeys(tags));
}

/** Every key this request supplies (docs/spec/access.md §2 R2.7), for the policy of the bucket it addresses. */
export function requestConditionKeys(ctx: S3Context, now: Date): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {
    'aws:SourceIp': ctx.sourceIp,
    'aws:SecureTransport': ctx.secure ? 'true' : 'false',
    'aws:CurrentTime': now.toISOString().replace(MILLIS, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
  };
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) keys[key] = value;
  };
  set('aws:Referer', headerValue(ctx.headers, H.referer));
  set('aws:UserAgent', headerValue(ctx.headers, H.userAgent));
  for (const [header, key] of HEADER_KEY_NAMES) set(key, headerValue(ctx.headers, header));
  if (LISTINGS.has(ctx.operation)) {
    set('s3:prefix', ctx.query.get('prefix'));
    set('s3:delimiter', ctx.query.get('delimiter'));
    // UNVERIFIED(S3): 1000 when unsent (§2 R2.7).
    set('s3:max-keys', ctx.query.get('max-keys') ?? '1000');
  }
  if (COPIES.has(ctx.operation)) {
    // UNVERIFIED(S3): `bucket/key` decoded, without a leading slash or versionId (§2 R2.7).
    // authorize() has parsed the header already: a malformed one never gets here.
    const source = parseCopySource(ctx);
    set('s3:x-amz-copy-source', `${source.bucket}/${source.key}`);
  }
  set('s3:VersionId', ctx.query.get('versionId'));
  const tags = headerTags(ctx);
  if (tags !== undefined) Object.assign(keys, requestTagKeys(tags));
  if (ctx.auth.user !== undefined) {
    set('s3:authType', authType(ctx));
    set('s3:signatureversion', ctx.auth.signatureVersion === 2 ? 'AWS' : 'AWS4-HMAC-SHA256');
    set('s3:signatureAge', signatureAge(ctx, now));
    if (ctx.auth.mode === 'header' && ctx.auth.signatureVersion === 4) set('s3:x-amz-content-sha256', ctx.auth.payloadHash);
  }
  return keys;
}

export type { ConditionValues };
