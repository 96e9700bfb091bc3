/**
 * SigV4 in the query string: presigned URLs (AWS S3 API, "Authenticating Requests: Using Query
 * Parameters"). The parameters are X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
 * X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature (plus X-Amz-Security-Token); every
 * other query parameter is part of the canonical query string, X-Amz-Signature excepted.
 */
import { MESSAGES, authFailure, type AuthFailure } from './auth-error';
import { formatIsoSeconds, parseAmzDate } from './amz-date';
import { headerValue, type HeaderMap } from './canonical-request';
import { isCredentialProblem, parseCredential, type CredentialProblem } from './credential';
import {
  ALGORITHM,
  MAX_EXPIRES_SECONDS,
  MAX_SKEW_MS,
  UNSIGNED_PAYLOAD,
  signedHeaderList,
  type SigningContext,
} from './signing-context';
import { queryValue, type QueryParam } from './uri-encode';

const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

function credentialFailure(p: CredentialProblem): AuthFailure {
  const code = 'AuthorizationQueryParametersError';
  switch (p.problem) {
    case 'malformed':
      return authFailure(code, MESSAGES.queryCredentialMalformed);
    case 'date':
      return authFailure(code, MESSAGES.queryIncorrectDate(p.value));
    case 'service':
      return authFailure(code, MESSAGES.queryIncorrectService(p.value));
    case 'terminal':
      return authFailure(code, MESSAGES.queryIncorrectTerminal(p.value));
  }
}

/**
 * The payload hash of a presigned request: the signed `X-Amz-Content-Sha256` parameter (the
 * AWS SDK presigners hoist the header into the query), else a signed header, else
 * UNSIGNED-PAYLOAD ("you don't include a payload hash in the Canonical Request, because when
 * you create a presigned URL, you don't know the payload content").
 */
function presignedPayloadHash(params: readonly QueryParam[], headers: HeaderMap, signed: readonly string[]): string {
  const fromQuery = params.find((p) => p.key.toLowerCase() === 'x-amz-content-sha256');
  if (fromQuery) return fromQuery.value;
  const fromHeader = headerValue(headers, 'x-amz-content-sha256');
  if (fromHeader !== undefined && signed.includes('x-amz-content-sha256')) return fromHeader;
  return UNSIGNED_PAYLOAD;
}

/**
 * Steps for query auth: every required parameter, the algorithm, the credential scope, the
 * X-Amz-Date form, X-Amz-Expires in 0..604800, then the validity window.
 */
export function parseQueryAuth(
  params: readonly QueryParam[],
  headers: HeaderMap,
  now: Date,
): SigningContext | AuthFailure {
  const values = new Map<string, string>();
  for (const name of REQUIRED) {
    const value = queryValue(params, name);
    if (value === undefined) return authFailure('AuthorizationQueryParametersError', MESSAGES.queryMissingParams);
    values.set(name, value);
  }
  const get = (name: (typeof REQUIRED)[number]): string => values.get(name) ?? '';

  if (get('X-Amz-Algorithm') !== ALGORITHM) {
    return authFailure('AuthorizationQueryParametersError', MESSAGES.queryAlgorithm);
  }
  const credential = parseCredential(get('X-Amz-Credential'));
  if (isCredentialProblem(credential)) return credentialFailure(credential);

  const amzDate = get('X-Amz-Date');
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) return authFailure('AuthorizationQueryParametersError', MESSAGES.queryDateFormat);

  // AWS SigV4: `host` is always among the signed headers (see sigv4-header.ts).
  if (!signedHeaderList(get('X-Amz-SignedHeaders')).includes('host')) {
    return authFailure('AuthorizationQueryParametersError', MESSAGES.queryHostNotSigned);
  }

  const expiresText = get('X-Amz-Expires');
  if (!/^[+-]?\d+$/.test(expiresText)) {
    return authFailure('AuthorizationQueryParametersError', MESSAGES.queryExpiresNumber);
  }
  const expires = Number(expiresText);
  if (expires < 0) return authFailure('AuthorizationQueryParametersError', MESSAGES.queryExpiresNegative);
  if (expires > MAX_EXPIRES_SECONDS) {
    return authFailure('AuthorizationQueryParametersError', MESSAGES.queryExpiresTooLarge);
  }
  if (amzDate.slice(0, 8) !== credential.date) {
    return authFailure(
      'AuthorizationQueryParametersError',
      MESSAGES.queryDateMismatch(credential.date, amzDate),
    );
  }

  const expiresAt = new Date(signedAt.getTime() + expires * 1000);
  // UNVERIFIED(S3): a URL signed more than the 15-minute skew in the future is "not yet valid";
  // the element set (X-Amz-Date in epoch milliseconds, Expires, ServerTime) is S3's.
  if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS) {
    return authFailure('AccessDenied', MESSAGES.requestNotYetValid, {
      'X-Amz-Date': String(signedAt.getTime()),
      Expires: formatIsoSeconds(expiresAt),
      ServerTime: formatIsoSeconds(now),
    });
  }
  if (now.getTime() > expiresAt.getTime()) {
    return authFailure('AccessDenied', MESSAGES.requestExpired, {
      'X-Amz-Expires': expiresText,
      Expires: formatIsoSeconds(expiresAt),
      ServerTime: formatIsoSeconds(now),
    });
  }

  const signedHeadersText = get('X-Amz-SignedHeaders');
  const signedHeaders = signedHeaderList(signedHeadersText);
  return {
    mode: 'query',
    credential,
    amzDate,
    signedHeaders,
    signedHeadersText,
    signature: get('X-Amz-Signature'),
    payloadHash: presignedPayloadHash(params, headers, signedHeaders),
  };
}
