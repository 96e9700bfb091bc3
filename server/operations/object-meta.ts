/**
 * What an object keeps from its upload request, and gives back on GET/HEAD: the content
 * headers, `x-amz-meta-*`, and its checksums.
 */
import type { ContentHeaders, ObjectInfo, ObjectMeta } from '../../storage';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, checksumHeader, headerValue } from '../headers';

/** S3 stores this when an upload names no Content-Type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
export const MAX_KEY_BYTES = 1024;
export const MAX_USER_METADATA_BYTES = 2048;

const CONTENT_HEADERS: Array<[keyof ContentHeaders, string]> = [
  ['contentType', H.contentType],
  ['contentEncoding', H.contentEncoding],
  ['contentDisposition', H.contentDisposition],
  ['contentLanguage', H.contentLanguage],
  ['cacheControl', H.cacheControl],
  ['expires', H.expires],
];

/** Overrides a GET may ask for: `response-content-type=...` etc. */
const RESPONSE_OVERRIDES: Array<[string, string]> = [
  ['response-content-type', H.contentType],
  ['response-content-language', H.contentLanguage],
  ['response-expires', H.expires],
  ['response-cache-control', H.cacheControl],
  ['response-content-disposition', H.contentDisposition],
  ['response-content-encoding', H.contentEncoding],
];

export function assertKeyLength(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', undefined, { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(Buffer.byteLength(key)) });
  }
}

/** Content headers and user metadata from an upload request (headers or POST form fields). */
export function metaFromHeaders(headers: Record<string, string | string[] | undefined>): ObjectMeta {
  const content: ContentHeaders = {};
  for (const [field, name] of CONTENT_HEADERS) {
    let v = headerValue(headers, name);
    if (v === undefined) continue;
    if (field === 'contentEncoding') {
      // aws-chunked is transfer framing, not a property of the stored object.
      v = v.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'aws-chunked').join(',');
      if (v === '') continue;
    }
    content[field] = v;
  }
  const user: Record<string, string> = {};
  let size = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(H.amzMetaPrefix) || value === undefined) continue;
    const short = name.slice(H.amzMetaPrefix.length);
    const v = Array.isArray(value) ? value.join(',') : value;
    user[short] = v;
    size += Buffer.byteLength(short) + Buffer.byteLength(v);
  }
  if (size > MAX_USER_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', undefined, { MaxSizeAllowed: String(MAX_USER_METADATA_BYTES), Size: String(size) });
  }
  return { content, user };
}

const httpDates = new Map<number, string>();
const HTTP_DATES_KEPT = 1024;

/**
 * An HTTP date (`Last-Modified`): whole seconds, so every time within a second has the same text,
 * made once per second seen (`toUTCString` costs ~1 µs, on every GET and HEAD) and kept in a
 * small map that is emptied when full.
 */
export function httpDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  let text = httpDates.get(second);
  if (text === undefined) {
    if (httpDates.size >= HTTP_DATES_KEPT) httpDates.clear();
    text = date.toUTCString();
    httpDates.set(second, text);
  }
  return text;
}

/**
 * A `response-*` value as a header: control characters (a CR/LF would split the response) are
 * refused, characters past U+00FF go out as their UTF-8 bytes. UNVERIFIED(S3): the error S3
 * gives for a control character.
 */
function overrideValue(param: string, value: string): string {
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    throw new S3Error('InvalidArgument', `Invalid value for ${param}`, { ArgumentName: param, ArgumentValue: value });
  }
  return /[^\u0000-\u00ff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}

/**
 * A stored value as a header. Values that came in as headers pass unchanged (byte for byte);
 * one a POST form gave with a control character or a character past U+00FF (which no header
 * can carry) goes out RFC 2047-encoded, as S3 returns non-ASCII user metadata.
 * UNVERIFIED(S3): the same for content headers.
 */
function headerSafe(value: string): string {
  if (!/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The headers GET and HEAD return for an object (before range/partNumber adjustments). */
export function objectHeaders(ctx: S3Context, info: ObjectInfo): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {
    [H.lastModified]: httpDate(info.lastModified),
    [H.etag]: info.etag,
    [H.acceptRanges]: 'bytes',
    [H.contentType]: headerSafe(info.meta.content.contentType ?? DEFAULT_CONTENT_TYPE),
  };
  for (const [field, name] of CONTENT_HEADERS) {
    const v = info.meta.content[field];
    if (v !== undefined) out[name] = headerSafe(v);
  }
  for (const [name, value] of Object.entries(info.meta.user)) out[H.amzMetaPrefix + name] = headerSafe(value);
  for (const [param, name] of RESPONSE_OVERRIDES) {
    const v = ctx.query.get(param);
    if (v === undefined) continue;
    // S3 (GetObject, "Overriding response header values through the request"): only a signed
    // request may use the overrides. UNVERIFIED(S3): the same answer for HeadObject.
    if (ctx.auth.user === undefined) throw new S3Error('InvalidRequest', 'Request specific response headers cannot be used for anonymous GET requests.');
    out[name] = overrideValue(param, v);
  }
  if (headerValue(ctx.headers, H.amzChecksumMode)?.toUpperCase() === 'ENABLED') {
    for (const [alg, value] of Object.entries(info.checksums)) out[checksumHeader(alg)] = value;
    if (Object.keys(info.checksums).length > 0) out[H.amzChecksumType] = info.checksumType ?? 'FULL_OBJECT';
  }
  return out;
}
