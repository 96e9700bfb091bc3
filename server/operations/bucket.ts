/**
 * Service and bucket operations: ListBuckets, CreateBucket, DeleteBucket, HeadBucket,
 * GetBucketLocation (GetBucketVersioning: bucket-versioning.ts).
 */
import { StorageError, isObjectOwnership, type ObjectOwnership } from '../../storage';
import { ALL_BLOCKED } from '../access/access-decision';
import { checkNewBucketAcl } from '../access/acl-rules';
import { effectiveGrants } from '../access/acl-grants';
import { assertValidBucketName } from './bucket-names';
import type { Handler, S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { LOCK_HEADERS } from './lock-params';
import { ownerXml } from '../xml/owners';
import { readDocument } from '../body/small-body';
import { buildXml, parseXml, text } from '../xml/xml';
import { requestedAcl } from '../access/requested-acl';
import { requireBucket } from './common';

/** ListBuckets */
export const listBuckets: Handler = async (ctx) => {
  const user = ctx.auth.user;
  if (!user) throw new S3Error('AccessDenied');
  const buckets = ctx.services.storage.listBuckets().filter((b) => b.owner === user.id);
  return {
    body: buildXml('ListAllMyBucketsResult', {
      Owner: ownerXml(ctx.services, user.id),
      Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt.toISOString(), BucketRegion: b.region })) },
    }),
  };
};

/** CreateBucket, with or without a CreateBucketConfiguration body. */
export const createBucket: Handler = async (ctx) => {
  const name = ctx.bucket ?? '';
  assertValidBucketName(name);
  const user = ctx.auth.user;
  if (!user) throw new S3Error('AccessDenied');
  const acl = requestedAcl(ctx, 'bucket', user.id);
  const ownership = requestedOwnership(ctx);
  const body = await readDocument(ctx, { maxBytes: 64 * 1024 });
  let region = ctx.services.config.region;
  if (body.length > 0) {
    const doc = parseXml(body);
    const conf = doc.CreateBucketConfiguration;
    if (conf === undefined) throw new S3Error('MalformedXML');
    const constraint = text(conf, 'LocationConstraint');
    // DEVIATION(S3): any LocationConstraint is accepted and kept as the bucket's region; S3 refuses
    // one that differs from the endpoint's region (IllegalLocationConstraintException), which
    // would only stop clients configured for another region from working locally.
    if (constraint !== undefined && constraint !== '') region = constraint;
  }
  const existing = ctx.services.storage.getBucket(name);
  if (existing) {
    // S3 in us-east-1 answers 200 to the owner re-creating its bucket; elsewhere 409.
    if (existing.owner !== user.id) throw new S3Error('BucketAlreadyExists', undefined, { BucketName: name });
    if (ctx.services.config.region === 'us-east-1') return { headers: { [H.location]: `/${name}` } };
    throw new S3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
  }
  checkNewBucketAcl(ownership, effectiveGrants({ owner: user.id, ...acl }), user.id);
  // docs/spec/versioning.md §9 K1: a lock-enabled bucket is versioned from the start.
  const lock = headerValue(ctx.headers, LOCK_HEADERS.enabledAtCreation)?.trim().toLowerCase() === 'true';
  // S3's defaults since April 2023 (docs/spec/access.md §5 R5.2, §6 R6.1): every Block Public
  // Access setting on, and ACLs disabled unless the request asks for another ownership.
  ctx.services.storage.createBucket({
    name, createdAt: new Date(), owner: user.id, region, ...acl, publicAccessBlock: { ...ALL_BLOCKED }, ownership,
    ...(lock ? { versioning: 'Enabled' as const, objectLock: { enabled: true as const } } : {}),
  });
  return { headers: { [H.location]: `/${name}` } };
};

/** `x-amz-object-ownership` (§6 R6.2): a known rule, else 400 InvalidArgument; default BucketOwnerEnforced. */
function requestedOwnership(ctx: S3Context): ObjectOwnership {
  const value = headerValue(ctx.headers, H.amzObjectOwnership);
  if (value === undefined) return 'BucketOwnerEnforced';
  if (!isObjectOwnership(value)) {
    throw new S3Error('InvalidArgument', `Invalid x-amz-object-ownership header: ${value}`, { ArgumentName: H.amzObjectOwnership, ArgumentValue: value });
  }
  return value;
}

/** DeleteBucket: any version or delete marker keeps the bucket (docs/spec/versioning.md §8). */
export const deleteBucket: Handler = async (ctx) => {
  const name = ctx.bucket ?? '';
  try {
    ctx.services.storage.deleteBucket(name);
  } catch (err) {
    if (err instanceof StorageError && err.code === 'NoSuchBucket') throw new S3Error(err.code, undefined, { BucketName: name });
    if (err instanceof StorageError && err.code === 'BucketNotEmpty') {
      // UNVERIFIED(S3): a Suspended bucket answers as a versioned one (docs/spec/versioning.md §8 B1).
      const versioned = ctx.services.storage.getBucket(name)?.versioning !== undefined;
      throw new S3Error(err.code, versioned ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.' : undefined, { BucketName: name });
    }
    throw err;
  }
  return { status: 204 };
};

/**
 * HeadBucket (docs/spec/bucket-config.md §B4.6): region, access-point alias and ARN headers.
 * A request signed for another region is 301 PermanentRedirect (still naming the region, as the
 * 403 does: see bucketRegionHeader).
 */
export const headBucket: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const signedRegion = ctx.auth.scope?.split('/')[1];
  if (signedRegion !== undefined && signedRegion !== bucket.region) {
    throw new S3Error('PermanentRedirect', undefined, { BucketName: bucket.name, Endpoint: `s3.${bucket.region}.amazonaws.com` }, { [H.amzBucketRegion]: bucket.region });
  }
  return { headers: { [H.amzBucketRegion]: bucket.region, [H.amzAccessPointAlias]: 'false', [H.amzBucketArn]: `arn:aws:s3:::${bucket.name}` } };
};

/**
 * `x-amz-bucket-region` on every HeadBucket answer, including an anonymous 403 (§B4.6, §B7 row
 * 14: the region lookup of SDKs and Terraform is an unsigned HeadBucket that reads only it).
 * Set on the reply before authentication, so error answers keep it.
 */
export function bucketRegionHeader(ctx: S3Context): Record<string, string> {
  if (ctx.operation !== 'HeadBucket' || ctx.bucket === undefined) return {};
  const bucket = ctx.services.storage.getBucket(ctx.bucket);
  return bucket ? { [H.amzBucketRegion]: bucket.region } : {};
}

/** GetBucketLocation: us-east-1 is the empty LocationConstraint, as in S3. */
export const getBucketLocation: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const value = bucket.region === 'us-east-1' ? '' : bucket.region;
  return { body: buildXml('LocationConstraint', { '#text': value }) };
};
