/**
 * Entry point for the server's auth hook: finds which signature a request carries (SigV4
 * header, SigV4 presigned, SigV2 header, SigV2 query, or none) and verifies it.
 */
import { MESSAGES, authFailure, type AuthFailure } from './auth-error';
import { headerValue, type HeaderMap } from './canonical-request';
import { verifySigV2, type SigV2Success } from './sigv2';
import { hasQueryAuthParams, hasSigV4QueryAuth, verifySigV4Parsed, type SigV4Success, type VerifyRequestInput } from './sigv4';
import { parseQuery, splitRawUrl } from './uri-encode';

export type AuthSuccess = SigV4Success | SigV2Success;
export type AuthResult = AuthSuccess | AuthFailure;

export type AuthScheme = 'sigv4-header' | 'sigv4-query' | 'sigv2-header' | 'sigv2-query' | 'other-header' | 'none';

/** Which credentials the request presents (looks at the Authorization header, then the query). */
export function detectAuthScheme(rawUrl: string, headers: HeaderMap): AuthScheme {
  const authorization = headerValue(headers, 'authorization');
  if (authorization !== undefined) {
    if (authorization.startsWith('AWS4-HMAC-SHA256')) return 'sigv4-header';
    if (authorization.startsWith('AWS ')) return 'sigv2-header';
    return 'other-header';
  }
  const { query } = splitRawUrl(rawUrl);
  if (hasSigV4QueryAuth(query)) return 'sigv4-query';
  if (parseQuery(query).some((p) => p.key === 'AWSAccessKeyId' || p.key === 'Signature')) return 'sigv2-query';
  return 'none';
}

/**
 * Verifies whatever signature the request carries. Returns `undefined` for an anonymous
 * request (no Authorization header, no signature parameters): the server then decides from
 * the ACLs.
 */
export function verifyRequestAuth(input: VerifyRequestInput): AuthResult | undefined {
  const authorization = headerValue(input.headers, 'authorization');
  // The target is split and its query parsed once, here, for every step after.
  const { path, query } = splitRawUrl(input.rawUrl);
  const params = parseQuery(query);
  const sigV4Query = hasQueryAuthParams(params);
  const queryAuth = sigV4Query || params.some((p) => p.key === 'AWSAccessKeyId' || p.key === 'Signature');
  if (authorization !== undefined && queryAuth) {
    return authFailure('InvalidArgument', MESSAGES.onlyOneAuthMechanism, {
      ArgumentName: 'Authorization',
      ArgumentValue: authorization,
    });
  }
  // detectAuthScheme's order: the Authorization header, then SigV4 query, then SigV2 query.
  if (authorization !== undefined) {
    if (authorization.startsWith('AWS ')) return verifySigV2(input);
    return verifySigV4Parsed(input, path, params);
  }
  if (sigV4Query) return verifySigV4Parsed(input, path, params);
  if (queryAuth) return verifySigV2(input);
  return undefined;
}
