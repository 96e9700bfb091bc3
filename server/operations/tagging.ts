/**
 * PutBucketTagging, GetBucketTagging, DeleteBucketTagging, PutObjectTagging, GetObjectTagging,
 * DeleteObjectTagging. The object calls take `versionId` and act on that version only
 * (docs/spec/versioning.md §5 R6); the rest is docs/spec/bucket-config.md §B1.
 */
import type { ObjectInfo } from '../../storage';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { authorizeRequestTags } from '../access/authorize';
import { readDocument } from '../body/small-body';
import { tagsFromXml, tagsToXml } from '../xml/tagging';
import { requireBucket } from './common';
import { validateTags } from './tag-rules';
import { requestedVersionId, targetVersion, versionHeader } from './version-target';

const MAX_DOCUMENT = 64 * 1024;

async function readTags(ctx: S3Context, scope: 'bucket' | 'object') {
  const body = await readDocument(ctx, { maxBytes: MAX_DOCUMENT });
  const tags = tagsFromXml(body);
  validateTags(tags, scope);
  return tags;
}

/** PutBucketTagging: replaces the set; an empty set removes it (204, §B1.1). */
export const putBucketTagging: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const tags = await readTags(ctx, 'bucket');
  ctx.services.storage.settings.set(bucket.name, 'tagging', tags.length > 0 ? tags : undefined);
  return { status: 204 };
};

/** GetBucketTagging: the set in stored order; none → NoSuchTagSet. */
export const getBucketTagging: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const tags = ctx.services.storage.settings.get(bucket.name, 'tagging');
  if (tags === undefined) throw new S3Error('NoSuchTagSet', undefined, { BucketName: bucket.name });
  return { body: tagsToXml(tags) };
};

/** DeleteBucketTagging: 204, also when there were none. */
export const deleteBucketTagging: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.settings.set(bucket.name, 'tagging', undefined);
  return { status: 204 };
};

/**
 * The object version a tagging call names (docs/spec/versioning.md §5 R6–R7): `versionId` or the
 * current one. A delete marker is 405 MethodNotAllowed; named by id it also carries the marker
 * headers. UNVERIFIED(S3): GetObjectTagging on a current marker is 405 too, as PutObjectAcl.
 * NoSuchKey carries `bucket/key` on GET, `key` otherwise (docs/spec/bucket-config.md §B1.2).
 */
function taggedObject(ctx: S3Context): { info: ObjectInfo; headers: Record<string, string> } {
  const bucket = requireBucket(ctx);
  try {
    const info = targetVersion(ctx, bucket, requestedVersionId(ctx, bucket), { currentMarker: 'MethodNotAllowed' });
    return { info, headers: versionHeader(bucket, info.versionId) };
  } catch (err) {
    if (err instanceof S3Error && err.code === 'NoSuchKey' && ctx.method === 'GET') throw new S3Error('NoSuchKey', undefined, { Key: `${ctx.bucket ?? ''}/${ctx.key ?? ''}` });
    throw err;
  }
}

/** Object tags are per version: only the version named (or the current one) changes. */
function setObjectTags(ctx: S3Context, info: ObjectInfo, tags: ReturnType<typeof tagsFromXml>): void {
  const meta = { ...info.meta };
  if (tags.length > 0) meta.tags = tags;
  else delete meta.tags;
  if (!ctx.services.storage.settings.updateObjectMeta(info.bucket, info.key, meta, info.versionId)) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
}

/** PutObjectTagging: 200 (§B1.2), with the version's `x-amz-version-id`. */
export const putObjectTagging: Handler = async (ctx) => {
  // With a bucket policy, access is decided once the tags are read (s3:RequestObjectTag/*).
  const tags = ctx.tagAccessPending === true ? await readTags(ctx, 'object') : undefined;
  if (tags !== undefined) authorizeRequestTags(ctx, tags);
  const { info, headers } = taggedObject(ctx);
  setObjectTags(ctx, info, tags ?? await readTags(ctx, 'object'));
  return { headers };
};

/** GetObjectTagging: untagged is `<TagSet/>`, never NoSuchTagSet. */
export const getObjectTagging: Handler = async (ctx) => {
  const { info, headers } = taggedObject(ctx);
  return { headers, body: tagsToXml(info.meta.tags ?? []) };
};

/** DeleteObjectTagging: 204. */
export const deleteObjectTagging: Handler = async (ctx) => {
  const { info, headers } = taggedObject(ctx);
  setObjectTags(ctx, info, []);
  return { status: 204, headers };
};
