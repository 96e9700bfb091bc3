/**
 * ListParts and ListMultipartUploads, with their pagination markers (part-number-marker;
 * key-marker + upload-id-marker) and, for uploads, prefix, delimiter and encoding-type=url.
 */
import { requireBucket } from './bucket';
import type { Handler, S3Context } from './context';
import { S3Error } from './errors';
import { requireUpload } from './multipart';
import { ownerXml } from './owners';
import { listPartsResultXml, uploadXml } from './shapes/multipart';
import { buildXml } from './xml';

const MAX_LIST = 1000;

/** A non-negative integer query parameter (InvalidArgument otherwise); capped at `cap`. */
function intParam(ctx: S3Context, name: string, fallback: number, cap = Number.MAX_SAFE_INTEGER): number {
  const v = ctx.query.get(name);
  if (v === undefined) return fallback;
  if (!/^\d{1,10}$/.test(v) || Number(v) > 2147483647) {
    throw new S3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: v });
  }
  return Math.min(Number(v), cap);
}

function encoder(ctx: S3Context): (s: string) => string {
  const type = ctx.query.get('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: type });
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

/** ListParts */
export const listParts: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket.name, ctx.key ?? '');
  const maxParts = intParam(ctx, 'max-parts', MAX_LIST, MAX_LIST);
  const partNumberMarker = intParam(ctx, 'part-number-marker', 0);
  const { parts, isTruncated } = ctx.services.storage.listParts(upload.uploadId, partNumberMarker, maxParts);
  return {
    body: listPartsResultXml({ upload, owner: ownerXml(ctx.services, upload.owner), partNumberMarker, maxParts, parts, isTruncated }),
  };
};

/** ListMultipartUploads */
export const listMultipartUploads: Handler = async (ctx) => {
  const bucket = requireBucket(ctx);
  const enc = encoder(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  // S3 ignores upload-id-marker without key-marker.
  const uploadIdMarker = keyMarker === '' ? '' : ctx.query.get('upload-id-marker') ?? '';
  const maxUploads = intParam(ctx, 'max-uploads', MAX_LIST, MAX_LIST);
  const page = ctx.services.storage.listUploads(bucket.name, { prefix, delimiter, keyMarker, uploadIdMarker, maxUploads });
  return {
    body: buildXml('ListMultipartUploadsResult', {
      Bucket: bucket.name,
      KeyMarker: enc(keyMarker),
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: page.nextKeyMarker === undefined ? undefined : enc(page.nextKeyMarker),
      NextUploadIdMarker: page.nextUploadIdMarker,
      Delimiter: delimiter === '' ? undefined : enc(delimiter),
      Prefix: enc(prefix),
      MaxUploads: maxUploads,
      IsTruncated: page.isTruncated,
      Upload: page.uploads.map((u) => uploadXml(u, ownerXml(ctx.services, u.owner), enc)),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
      EncodingType: ctx.query.get('encoding-type'),
    }),
  };
};
