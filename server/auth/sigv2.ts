/**
 * AWS Signature Version 2 (AWS S3 API, "Signing and Authenticating REST Requests"), still made
 * by aws-cli v1 `aws s3 presign` and older SDKs:
 *
 *   Authorization = "AWS" + " " + AWSAccessKeyId + ":" + Signature
 *   Signature     = Base64(HMAC-SHA1(SecretAccessKey, UTF-8-Encoding-Of(StringToSign)))
 *   StringToSign  = HTTP-Verb + "\n" + Content-MD5 + "\n" + Content-Type + "\n" + Date + "\n"
 *                   + CanonicalizedAmzHeaders + CanonicalizedResource
 *
 * Query string form: `?AWSAccessKeyId=..&Expires=<epoch seconds>&Signature=..`, where the
 * Date line of the StringToSign is the Expires value.
 * DEVIATION(S3): S3 accepts SigV2 only in older regions; crossbucket accepts it everywhere.
 */
import { createHmac } from 'node:crypto';
import { MESSAGES, authFailure, type AuthFailure } from './auth-error';
import { formatIsoSeconds } from './amz-date';
import { hexBytes, headerValue, headerValues, type HeaderMap } from './canonical-request';
import { MAX_SKEW_MS, UNSIGNED_PAYLOAD } from './signing-context';
import { signaturesEqual } from './signing-key';
import type { VerifyRequestInput } from './sigv4';
import { parseQuery, queryValue, splitRawUrl, type QueryParam } from './uri-encode';

export interface SigV2Success {
  ok: true;
  signatureVersion: 2;
  accessKeyId: string;
  mode: 'header' | 'query';
  /** SigV2 does not sign the body. */
  payloadHash: typeof UNSIGNED_PAYLOAD;
}

export type SigV2Result = SigV2Success | AuthFailure;

/** Sub-resources that belong in the CanonicalizedResource (the list botocore signs). */
const SUB_RESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'defaultObjectAcl', 'delete', 'inventory', 'lifecycle',
  'location', 'logging', 'metrics', 'notification', 'object-lock', 'partNumber', 'policy',
  'replication', 'requestPayment', 'response-cache-control', 'response-content-disposition',
  'response-content-encoding', 'response-content-language', 'response-content-type',
  'response-expires', 'restore', 'select', 'select-type', 'storageClass', 'tagging', 'torrent',
  'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
]);

/** True when the request carries SigV2 credentials (header or query). */
export function hasSigV2Auth(authorization: string | undefined, rawQuery: string): boolean {
  if (authorization !== undefined) return authorization.startsWith('AWS ');
  return parseQuery(rawQuery).some((p) => p.key === 'AWSAccessKeyId');
}

function unfold(value: string): string {
  return value.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/**
 * CanonicalizedAmzHeaders: "lowercase x-amz- header names, sorted; values of one header
 * combined with commas; folding whitespace unfolded; `name:value\n` each". For query auth the
 * x-amz-* query parameters count as headers (botocore moves them there).
 */
function canonicalAmzHeaders(headers: HeaderMap, queryHeaders: ReadonlyMap<string, string>): string {
  const amz = new Map<string, string>();
  for (const name of Object.keys(headers)) {
    if (!name.startsWith('x-amz-')) continue;
    const values = headerValues(headers, name);
    if (values) amz.set(name, values.map(unfold).join(','));
  }
  for (const [name, value] of queryHeaders) if (name.startsWith('x-amz-')) amz.set(name, unfold(value));
  return [...amz.keys()].sort().map((name) => `${name}:${amz.get(name) ?? ''}\n`).join('');
}

/** CanonicalizedResource: [/bucket] + the un-decoded path + the signed sub-resources, sorted. */
function canonicalResource(rawPath: string, params: readonly QueryParam[], bucket: string | undefined, keepEmptyEquals = false): string {
  // A sub-resource sent as `uploads=` signs as `uploads` (rclone and Go signers build the
  // resource from the parsed query, where the two are the same); `keepEmptyEquals` is the
  // literal form, tried second.
  const subs = params
    .filter((p) => SUB_RESOURCES.has(p.key))
    .map((p) => (p.hasValue && (p.value !== '' || keepEmptyEquals) ? `${p.key}=${p.value}` : p.key))
    .sort((a, b) => {
      const ka = a.split('=')[0] ?? a;
      const kb = b.split('=')[0] ?? b;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  const resource = `${bucket ? `/${bucket}` : ''}${rawPath}`;
  return subs.length > 0 ? `${resource}?${subs.join('&')}` : resource;
}

export interface SigV2StringToSignParts {
  method: string;
  contentMd5: string;
  contentType: string;
  date: string;
  amzHeaders: string;
  resource: string;
}

export function buildSigV2StringToSign(p: SigV2StringToSignParts): string {
  return `${p.method}\n${p.contentMd5}\n${p.contentType}\n${p.date}\n${p.amzHeaders}${p.resource}`;
}

export function signV2(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

/** Verifies a SigV2 request, header or query form. */
export function verifySigV2(input: VerifyRequestInput): SigV2Result {
  const { path, query } = splitRawUrl(input.rawUrl);
  const params = parseQuery(query);
  const authorization = headerValue(input.headers, 'authorization');
  const queryHeaders = new Map<string, string>();
  let accessKeyId: string;
  let signature: string;
  let dateLine: string;

  if (authorization !== undefined) {
    const creds = authorization.slice('AWS '.length);
    const colon = creds.lastIndexOf(':');
    if (!authorization.startsWith('AWS ') || colon <= 0) {
      // UNVERIFIED(S3): wording.
      return authFailure('InvalidArgument', 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature', {
        ArgumentName: 'Authorization',
        ArgumentValue: authorization,
      });
    }
    accessKeyId = creds.slice(0, colon);
    signature = creds.slice(colon + 1);
    const amzDate = headerValue(input.headers, 'x-amz-date');
    const date = amzDate ?? headerValue(input.headers, 'date');
    const ms = date === undefined ? NaN : Date.parse(date);
    if (date === undefined || Number.isNaN(ms)) return authFailure('AccessDenied', MESSAGES.missingDate);
    if (Math.abs(input.now.getTime() - ms) > MAX_SKEW_MS) {
      return authFailure('RequestTimeTooSkewed', MESSAGES.requestTimeTooSkewed, {
        RequestTime: date,
        ServerTime: formatIsoSeconds(input.now),
        MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
      });
    }
    // "If the request has an x-amz-date header, the Date line of the StringToSign is empty."
    dateLine = amzDate !== undefined ? '' : date;
  } else {
    const id = queryValue(params, 'AWSAccessKeyId');
    const sig = queryValue(params, 'Signature');
    const expires = queryValue(params, 'Expires');
    if (id === undefined || sig === undefined || expires === undefined) {
      // UNVERIFIED(S3): wording.
      return authFailure('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
    }
    accessKeyId = id;
    // A `+` of the base64 signature sent unescaped was read as a space.
    signature = sig.replace(/ /g, '+');
    const expiresAt = Number(expires) * 1000;
    if (!/^\d+$/.test(expires) || input.now.getTime() > expiresAt) {
      return authFailure('AccessDenied', MESSAGES.requestExpired, {
        Expires: Number.isFinite(expiresAt) ? formatIsoSeconds(new Date(expiresAt)) : expires,
        ServerTime: formatIsoSeconds(input.now),
      });
    }
    dateLine = expires;
    for (const p of params) {
      const key = p.key.toLowerCase();
      if (key.startsWith('x-amz-') || key === 'content-type' || key === 'content-md5') queryHeaders.set(key, p.value);
    }
  }

  const secret = input.lookupSecret(accessKeyId);
  if (secret === undefined) {
    return authFailure('InvalidAccessKeyId', MESSAGES.invalidAccessKeyId, { AWSAccessKeyId: accessKeyId });
  }
  const stringToSignFor = (keepEmptyEquals: boolean): string => buildSigV2StringToSign({
    method: input.method.toUpperCase(),
    contentMd5: queryHeaders.get('content-md5') ?? headerValue(input.headers, 'content-md5') ?? '',
    contentType: queryHeaders.get('content-type') ?? headerValue(input.headers, 'content-type') ?? '',
    date: dateLine,
    amzHeaders: canonicalAmzHeaders(input.headers, queryHeaders),
    resource: canonicalResource(path, params, input.virtualHostBucket, keepEmptyEquals),
  });
  const stringToSign = stringToSignFor(false);
  const literal = params.some((p) => SUB_RESOURCES.has(p.key) && p.hasValue && p.value === '') ? stringToSignFor(true) : undefined;
  if (!signaturesEqual(signV2(secret, stringToSign), signature) && (literal === undefined || !signaturesEqual(signV2(secret, literal), signature))) {
    return authFailure('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch, {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: signature,
      StringToSignBytes: hexBytes(stringToSign),
    });
  }
  return { ok: true, signatureVersion: 2, accessKeyId, mode: authorization !== undefined ? 'header' : 'query', payloadHash: UNSIGNED_PAYLOAD };
}
