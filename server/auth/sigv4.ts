/**
 * Verifies an S3 request signed with AWS Signature Version 4, in the Authorization header or
 * in the query string (presigned URL). Pure: time and secrets come in as parameters.
 *
 * The steps follow AWS SigV4, "Elements of an AWS API request signature":
 *   1. parse the signature elements (header: sigv4-header.ts, query: sigv4-query.ts);
 *   2. look up the secret for the access key id of the credential;
 *   3. build the canonical request from the request as received;
 *   4. build the string to sign;
 *   5. derive the signing key and compute the signature;
 *   6. compare with the signature provided.
 */
import type { Buffer } from 'node:buffer';
import { MESSAGES, authFailure, type AuthFailure } from './auth-error';
import {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalHeaders,
  headerValue,
  hexBytes,
  type HeaderMap,
} from './canonical-request';
import { deriveSigningKey, hmacSha256Hex, signaturesEqual, signingKeyObject } from './signing-key';
import { ALGORITHM, type SigningContext } from './signing-context';
import { parseHeaderAuth } from './sigv4-header';
import { parseQueryAuth } from './sigv4-query';
import { canonicalQueryString, canonicalUri, parseQuery, splitRawUrl, type QueryParam } from './uri-encode';

export interface VerifyRequestInput {
  method: string;
  /** Path and query exactly as sent by the client (node's `req.url`, before any rewrite). */
  rawUrl: string;
  /**
   * Request headers with lower-case names. Pass `req.headersDistinct` (or arrays) so repeated
   * headers keep their separate values: node's `req.headers` joins some with ", ", which
   * changes their canonical form.
   */
  headers: HeaderMap;
  now: Date;
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** The configured region, for error text only: any region in the credential is accepted. */
  region?: string;
  /**
   * SigV2 only: the bucket when the request came virtual-hosted (`bucket.localhost`), since
   * the SigV2 CanonicalizedResource starts with `/bucket` in that case.
   */
  virtualHostBucket?: string;
}

export interface SigV4Success {
  ok: true;
  signatureVersion: 4;
  accessKeyId: string;
  mode: 'header' | 'query';
  /** x-amz-content-sha256 (header mode) or the presigned payload hash (UNSIGNED-PAYLOAD). */
  payloadHash: string;
  /** Seed for aws-chunked chunk signatures. */
  signingKey: Buffer;
  /** The verified signature (the seed signature of an aws-chunked body). */
  signature: string;
  /** `YYYYMMDD/region/s3/aws4_request`. */
  scope: string;
  amzDate: string;
  region: string;
  signedHeaders: readonly string[];
}

export type SigV4Result = SigV4Success | AuthFailure;

export function hasQueryAuthParams(params: readonly QueryParam[]): boolean {
  return params.some((p) => p.key === 'X-Amz-Algorithm' || p.key === 'X-Amz-Credential');
}

/** Query parameters that mark a SigV4 presigned request. */
export function hasSigV4QueryAuth(rawQuery: string): boolean {
  return hasQueryAuthParams(parseQuery(rawQuery));
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * S3 refuses x-amz-* headers that are present but not signed (`<HeadersNotSigned>`).
 * UNVERIFIED(S3): that no x-amz-* header is exempt, in either mode.
 */
function unsignedAmzHeaders(headers: HeaderMap, signed: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (const name in headers) {
    if (name.startsWith('x-amz-') && headers[name] !== undefined && !signed.includes(name)) (out ??= []).push(name);
  }
  return out === undefined ? NONE : out.sort();
}

const isSignatureParam = (key: string): boolean => key === 'X-Amz-Signature';

/** node gives the method upper-case already; others (inject, tests) may not. */
function upperCase(method: string): string {
  return method === 'GET' || method === 'PUT' || method === 'HEAD' ? method : method.toUpperCase();
}

/** Steps 2-6, shared by both modes. */
function checkSignature(
  input: VerifyRequestInput,
  ctx: SigningContext,
  rawPath: string,
  params: readonly QueryParam[],
): SigV4Result {
  const { accessKeyId } = ctx.credential;
  const secret = input.lookupSecret(accessKeyId);
  if (secret === undefined) {
    return authFailure('InvalidAccessKeyId', MESSAGES.invalidAccessKeyId, { AWSAccessKeyId: accessKeyId });
  }
  const notSigned = unsignedAmzHeaders(input.headers, ctx.signedHeaders);
  if (notSigned.length > 0) {
    return authFailure('AccessDenied', MESSAGES.headersNotSigned, { HeadersNotSigned: notSigned.join(', ') });
  }

  // Step 3: the canonical request. Presigned: "X-Amz-Signature" is not part of it.
  const exclude = ctx.mode === 'query' ? isSignatureParam : undefined;
  const canonicalRequest = buildCanonicalRequest({
    method: upperCase(input.method),
    canonicalUri: canonicalUri(rawPath),
    canonicalQuery: canonicalQueryString(params, exclude),
    canonicalHeaders: canonicalHeaders(input.headers, ctx.signedHeaders),
    signedHeaders: ctx.signedHeadersText,
    payloadHash: ctx.payloadHash,
  });
  // Step 4: the string to sign.
  const stringToSign = buildStringToSign(ALGORITHM, ctx.amzDate, ctx.credential.scope, canonicalRequest);
  // Step 5: signing key and signature.
  const { date, region, service } = ctx.credential;
  const signingKey = deriveSigningKey(secret, date, region, service);
  const expected = hmacSha256Hex(signingKeyObject(signingKey), stringToSign);
  // Step 6: compare.
  if (!signaturesEqual(expected, ctx.signature)) {
    return authFailure('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch, {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: ctx.signature,
      StringToSignBytes: hexBytes(stringToSign),
      CanonicalRequest: canonicalRequest,
      CanonicalRequestBytes: hexBytes(canonicalRequest),
    });
  }
  return {
    ok: true,
    signatureVersion: 4,
    accessKeyId,
    mode: ctx.mode,
    payloadHash: ctx.payloadHash,
    signingKey,
    signature: expected,
    scope: ctx.credential.scope,
    amzDate: ctx.amzDate,
    region,
    signedHeaders: ctx.signedHeaders,
  };
}

/**
 * Verifies a SigV4 request (header or presigned). A request carrying neither form is refused
 * with `AccessDenied`; use `verifyRequestAuth` to also accept SigV2 and anonymous requests.
 */
export function verifySigV4(input: VerifyRequestInput): SigV4Result {
  const { path, query } = splitRawUrl(input.rawUrl);
  return verifySigV4Parsed(input, path, parseQuery(query));
}

/** verifySigV4 for a target already split and a query already parsed (verifyRequestAuth). */
export function verifySigV4Parsed(input: VerifyRequestInput, path: string, params: readonly QueryParam[]): SigV4Result {
  const authorization = headerValue(input.headers, 'authorization');
  const queryAuth = hasQueryAuthParams(params);
  if (authorization !== undefined && queryAuth) {
    return authFailure('InvalidArgument', MESSAGES.onlyOneAuthMechanism, {
      ArgumentName: 'Authorization',
      ArgumentValue: authorization,
    });
  }
  let ctx: SigningContext | AuthFailure;
  if (authorization !== undefined) {
    ctx = parseHeaderAuth(authorization, input.headers, input.now);
  } else if (queryAuth) {
    ctx = parseQueryAuth(params, input.headers, input.now);
  } else {
    return authFailure('AccessDenied', 'Access Denied');
  }
  if ('ok' in ctx) return ctx;
  return checkSignature(input, ctx, path, params);
}
