/**
 * PutBucketTagging, GetBucketTagging, DeleteBucketTagging, PutObjectTagging, GetObjectTagging,
 * DeleteObjectTagging (docs/spec/bucket-config.md §B1).
 * Versioning hook: `versionId` on the object calls (and the 405 on a delete marker, §B1.2) come
 * with versioning; until then a `versionId` other than "null" is NoSuchVersion's business there.
 */
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { readDocument } from '../body/small-body';
import { tagsFromXml, tagsToXml } from '../xml/tagging';
import { requireBucket, requireObject } from './common';
import { validateTags } from './tag-rules';

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

/** The object a tagging call names; NoSuchKey carries `bucket/key` on GET, `key` otherwise (§B1.2). */
function taggedObject(ctx: S3Context) {
  try {
    return requireObject(ctx);
  } catch (err) {
    if (err instanceof S3Error && err.code === 'NoSuchKey' && ctx.method === 'GET') throw new S3Error('NoSuchKey', undefined, { Key: `${ctx.bucket ?? ''}/${ctx.key ?? ''}` });
    throw err;
  }
}

function setObjectTags(ctx: S3Context, tags: ReturnType<typeof tagsFromXml>): void {
  const info = taggedObject(ctx);
  const meta = { ...info.meta };
  if (tags.length > 0) meta.tags = tags;
  else delete meta.tags;
  if (!ctx.services.storage.settings.updateObjectMeta(info.bucket, info.key, meta)) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
}

/** PutObjectTagging: 200 (§B1.2). */
export const putObjectTagging: Handler = async (ctx) => {
  taggedObject(ctx);
  setObjectTags(ctx, await readTags(ctx, 'object'));
  return {};
};

/** GetObjectTagging: untagged is `<TagSet/>`, never NoSuchTagSet. */
export const getObjectTagging: Handler = async (ctx) => {
  return { body: tagsToXml(taggedObject(ctx).meta.tags ?? []) };
};

/** DeleteObjectTagging: 204. */
export const deleteObjectTagging: Handler = async (ctx) => {
  setObjectTags(ctx, []);
  return { status: 204 };
};
