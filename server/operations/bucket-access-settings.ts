/**
 * Put/Get/DeletePublicAccessBlock and Put/Get/DeleteBucketOwnershipControls (docs/spec/access.md
 * §5 R5.2, §6 R6.2-R6.3): the bucket-level Block Public Access settings and Object Ownership.
 */
import { aclGrantsOthers } from '../../policy-engine';
import { effectiveGrants } from '../access/acl-grants';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { readDocument } from '../body/small-body';
import {
  ownershipControlsXml, parseOwnershipControls, parsePublicAccessBlock, publicAccessBlockXml,
} from '../xml/access-configurations';
import { requireBucket } from './common';

function document(ctx: S3Context): Promise<Buffer> {
  return readDocument(ctx, { maxBytes: 64 * 1024, tooLarge: () => new S3Error('MalformedXML') });
}

/** PutPublicAccessBlock: 200; omitted settings are false. */
export const putPublicAccessBlock: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.setPublicAccessBlock(bucket.name, parsePublicAccessBlock(await document(ctx)));
  return {};
};

/** GetPublicAccessBlock: the configuration, or 404 NoSuchPublicAccessBlockConfiguration. */
export const getPublicAccessBlock: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  if (bucket.publicAccessBlock === undefined) throw new S3Error('NoSuchPublicAccessBlockConfiguration', undefined, { BucketName: bucket.name });
  return { body: publicAccessBlockXml(bucket.publicAccessBlock) };
};

/** DeletePublicAccessBlock: 204, repeatable; the bucket then has every setting off. */
export const deletePublicAccessBlock: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.setPublicAccessBlock(bucket.name, undefined);
  return { status: 204 };
};

/**
 * PutBucketOwnershipControls: 200. Enforcing while the bucket ACL grants anyone but the owner is
 * 400 InvalidBucketAclWithObjectOwnership (§6 R6.3).
 */
export const putBucketOwnershipControls: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const ownership = parseOwnershipControls(await document(ctx));
  if (ownership === 'BucketOwnerEnforced' && aclGrantsOthers(effectiveGrants(bucket), bucket.owner)) {
    throw new S3Error('InvalidBucketAclWithObjectOwnership');
  }
  ctx.services.storage.setObjectOwnership(bucket.name, ownership);
  return {};
};

/** GetBucketOwnershipControls: the rule, or 404 OwnershipControlsNotFoundError. */
export const getBucketOwnershipControls: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  if (bucket.ownership === undefined) throw new S3Error('OwnershipControlsNotFoundError', undefined, { BucketName: bucket.name });
  return { body: ownershipControlsXml(bucket.ownership) };
};

/** DeleteBucketOwnershipControls: 204, repeatable; the bucket then behaves as ObjectWriter (§6 R6.1). */
export const deleteBucketOwnershipControls: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.storage.setObjectOwnership(bucket.name, undefined);
  return { status: 204 };
};
