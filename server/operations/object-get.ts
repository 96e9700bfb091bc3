/**
 * GetObject and HeadObject: conditional reads (If-Match, If-None-Match, If-Modified-Since,
 * If-Unmodified-Since), ranges, partNumber, response-* overrides; the body streams from storage.
 */
import type { ChecksumValues, ObjectInfo } from '../../storage';
import type { Handler, S3Context, S3Result } from '../context';
import { S3Error } from '../errors';
import { H, checksumHeader, headerValue } from '../headers';
import { objectHeaders } from './object-meta';
import { requireBucket } from './common';
import { lockHeaders } from './lock-params';
import { requestedVersionId, targetVersion } from './version-target';
import { checkReadConditions } from './conditions';
import { addReadHeaders, refuseCustomerKeys } from './object-settings';

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`. undefined: no usable range (the whole object is sent). */
export function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  // Built only when thrown: an Error captures a stack trace.
  const unsatisfiable = () => new S3Error('InvalidRange', undefined, { RangeRequested: value, ActualObjectSize: String(size) });
  if (m[1] === '') {
    const n = Number(m[2]);
    // A suffix of an empty object is unsatisfiable too (RFC 9110 §14.1.2).
    if (n === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}

/** The byte span of part N of a multipart object (partNumber reads). */
function partRange(info: ObjectInfo, partNumber: string): { start: number; end: number; count: number } {
  const n = Number(partNumber);
  const parts = info.segments.length > 1 || info.segments[0]?.etag !== undefined ? info.segments : undefined;
  const count = parts?.length ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: partNumber });
  if (n > count) throw new S3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', { PartNumberRequested: partNumber, ActualPartCount: String(count) });
  if (!parts) return { start: 0, end: info.size - 1, count };
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += parts[i]?.size ?? 0;
  return { start, end: start + (parts[n - 1]?.size ?? 0) - 1, count };
}

function read(ctx: S3Context, withBody: boolean): S3Result {
  refuseCustomerKeys(ctx.headers);
  const bucket = requireBucket(ctx);
  // docs/spec/versioning.md §5 R1–R5: the current entry or the one named; markers answer 404 / 405.
  const versionId = requestedVersionId(ctx, bucket);
  const info = targetVersion(ctx, bucket, versionId, 'object' in ctx ? { currentMarker: 'NoSuchKey', entry: ctx.object } : { currentMarker: 'NoSuchKey' });
  checkReadConditions(ctx.headers, info);
  const headers = objectHeaders(ctx, info);
  addReadHeaders(headers, ctx.services, info, withBody ? 'GET' : 'HEAD');
  if (bucket.versioning !== undefined) headers[H.amzVersionId] = info.versionId;
  if (info.lock !== undefined) Object.assign(headers, lockHeaders(info));
  let start = 0;
  let end = info.size - 1;
  let status = 200;
  let partChecksums: ChecksumValues | undefined;
  const partNumber = ctx.query.get('partNumber');
  if (partNumber !== undefined && headerValue(ctx.headers, H.range) !== undefined) {
    throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
  }
  if (partNumber !== undefined) {
    const part = partRange(info, partNumber);
    ({ start, end } = part);
    if (info.segments.length > 1 || info.segments[0]?.etag !== undefined) {
      headers[H.amzMpPartsCount] = part.count;
      status = 206;
      headers[H.contentRange] = `bytes ${start}-${end}/${info.size}`;
      partChecksums = info.segments[Number(partNumber) - 1]?.checksums;
    }
  } else {
    const range = parseRange(headerValue(ctx.headers, H.range), info.size);
    if (range) {
      ({ start, end } = range);
      status = 206;
      headers[H.contentRange] = `bytes ${start}-${end}/${info.size}`;
    }
  }
  if (status === 206) {
    // A checksum describes the whole object, never a range of it; a part read answers the part's
    // own checksum, as S3 does with x-amz-checksum-mode: ENABLED (docs/spec/bucket-config.md §B5.5;
    // S3 User Guide, part-level checksums). UNVERIFIED(S3): x-amz-checksum-type stays the object's.
    const type = headers[H.amzChecksumType];
    for (const name of Object.keys(headers)) if (name.startsWith(H.amzChecksumPrefix)) delete headers[name];
    if (partChecksums !== undefined && type !== undefined) {
      for (const [alg, value] of Object.entries(partChecksums)) headers[checksumHeader(alg)] = value;
      if (Object.keys(partChecksums).length > 0) headers[H.amzChecksumType] = type;
    }
  }
  headers[H.contentLength] = info.size === 0 ? 0 : end - start + 1;
  if (!withBody || info.size === 0) return { status, headers, body: withBody ? Buffer.alloc(0) : undefined };
  // A small range goes out as one buffer, without a stream.
  const storage = ctx.services.storage;
  return { status, headers, body: storage.readObjectBytes(info, start, end) ?? storage.readObject(info, start, end) };
}

/** GetObject */
export const getObject: Handler = (ctx) => read(ctx, true);

/** HeadObject */
export const headObject: Handler = (ctx) => read(ctx, false);
