/**
 * ListParts and ListMultipartUploads, with their pagination markers (part-number-marker;
 * key-marker + upload-id-marker) and, for uploads, prefix, delimiter and encoding-type=url.
 */
import type { Handler } from '../context';
import { ownerXml } from '../xml/owners';
import { listPartsResultXml, uploadXml } from '../xml/multipart';
import { intParam, keyEncoder } from './list-params';
import { buildXml } from '../xml/xml';
import { requireBucket, requireUpload } from './common';

const MAX_LIST = 1000;

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
  const enc = keyEncoder(ctx);
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
