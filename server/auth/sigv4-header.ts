/**
 * SigV4 in the Authorization header (AWS S3 API, "Authenticating Requests: Using the
 * Authorization Header"):
 *
 *   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request,
 *     SignedHeaders=host;range;x-amz-date, Signature=fe5f80f7...
 */
import { MESSAGES, authFailure, type AuthFailure } from './auth-error';
import { formatAmzDate, formatIsoSeconds, parseAmzDate } from './amz-date';
import { headerValue, type HeaderMap } from './canonical-request';
import { isCredentialProblem, parseCredential, type CredentialProblem } from './credential';
import {
  ALGORITHM,
  MAX_SKEW_MS,
  isValidContentSha256,
  signedHeaderList,
  type SigningContext,
} from './signing-context';

export interface AuthorizationComponents {
  credential: string;
  signedHeaders: string;
  signature: string;
}

const CREDENTIAL = `${ALGORITHM} Credential=`;
const SIGNED_HEADERS = ', SignedHeaders=';
const SIGNATURE = ', Signature=';

/** True when `part` has no comma and nothing at either end that trim() would remove. */
function isBarePart(part: string): boolean {
  const n = part.length;
  if (n === 0 || part.indexOf(',') >= 0) return false;
  const first = part.charCodeAt(0);
  const last = part.charCodeAt(n - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f;
}

/**
 * The form every SDK sends, `AWS4-HMAC-SHA256 Credential=A, SignedHeaders=B, Signature=C`, cut at
 * its three markers: what the general parser below gives for it, without splitting and trimming.
 */
function parseUsualForm(value: string): AuthorizationComponents | undefined {
  if (!value.startsWith(CREDENTIAL)) return undefined;
  const sh = value.indexOf(SIGNED_HEADERS, CREDENTIAL.length);
  const sig = sh < 0 ? -1 : value.indexOf(SIGNATURE, sh + SIGNED_HEADERS.length);
  if (sig < 0) return undefined;
  const credential = value.slice(CREDENTIAL.length, sh);
  const signedHeaders = value.slice(sh + SIGNED_HEADERS.length, sig);
  const signature = value.slice(sig + SIGNATURE.length);
  if (!isBarePart(credential) || !isBarePart(signedHeaders) || !isBarePart(signature)) return undefined;
  return { credential, signedHeaders, signature };
}

/** Step 1: split `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function parseAuthorizationComponents(value: string): AuthorizationComponents | AuthFailure {
  const usual = parseUsualForm(value);
  if (usual !== undefined) return usual;
  const space = value.indexOf(' ');
  const rest = space >= 0 ? value.slice(space + 1) : '';
  const found: Partial<Record<'Credential' | 'SignedHeaders' | 'Signature', string>> = {};
  for (const raw of rest.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq >= 0 ? part.slice(0, eq).trim() : part;
    if (eq < 0 || (name !== 'Credential' && name !== 'SignedHeaders' && name !== 'Signature')) {
      return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerComponentMalformed(part));
    }
    found[name] = part.slice(eq + 1).trim();
  }
  if (found.Credential === undefined || found.SignedHeaders === undefined || found.Signature === undefined) {
    return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerMissingComponents);
  }
  return { credential: found.Credential, signedHeaders: found.SignedHeaders, signature: found.Signature };
}

function credentialFailure(p: CredentialProblem): AuthFailure {
  switch (p.problem) {
    case 'malformed':
      return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerCredentialMalformed);
    case 'date':
      return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerIncorrectDate(p.value));
    case 'service':
      return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerIncorrectService(p.value));
    case 'terminal':
      return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerIncorrectTerminal(p.value));
  }
}

/** The request time: `x-amz-date`, else a `Date` header (RFC 1123 or ISO 8601 basic). */
function requestTime(headers: HeaderMap): { amzDate: string; time: Date; raw: string } | undefined {
  const amz = headerValue(headers, 'x-amz-date');
  if (amz !== undefined) {
    const amzDate = amz.trim();
    const time = parseAmzDate(amzDate);
    return time ? { amzDate, time, raw: amz } : undefined;
  }
  const date = headerValue(headers, 'date');
  if (date === undefined) return undefined;
  const basic = parseAmzDate(date.trim());
  if (basic) return { amzDate: date.trim(), time: basic, raw: date };
  const ms = Date.parse(date);
  if (Number.isNaN(ms)) return undefined;
  const time = new Date(ms);
  return { amzDate: formatAmzDate(time), time, raw: date };
}

/**
 * Steps 2-5 for header auth: the components, the credential scope, the request time (15
 * minutes of skew allowed) and the x-amz-content-sha256 header S3 requires.
 */
export function parseHeaderAuth(
  authorization: string,
  headers: HeaderMap,
  now: Date,
): SigningContext | AuthFailure {
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    return authFailure('InvalidArgument', MESSAGES.unsupportedAuthorizationType, {
      ArgumentName: 'Authorization',
      ArgumentValue: authorization,
    });
  }
  const parts = parseAuthorizationComponents(authorization);
  if ('ok' in parts) return parts;

  const credential = parseCredential(parts.credential);
  if (isCredentialProblem(credential)) return credentialFailure(credential);

  const when = requestTime(headers);
  if (!when) return authFailure('AccessDenied', MESSAGES.missingDate);
  // UNVERIFIED(S3): the date check comes before the skew check.
  if (when.amzDate.slice(0, 8) !== credential.date) {
    return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerDateMismatch);
  }
  if (Math.abs(now.getTime() - when.time.getTime()) > MAX_SKEW_MS) {
    return authFailure('RequestTimeTooSkewed', MESSAGES.requestTimeTooSkewed, {
      RequestTime: when.raw,
      ServerTime: formatIsoSeconds(now),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }

  const payloadHash = headerValue(headers, 'x-amz-content-sha256');
  if (payloadHash === undefined) {
    // UNVERIFIED(S3): code and wording from versitygw's catalogue.
    return authFailure('InvalidRequest', MESSAGES.missingContentSha256);
  }
  if (!isValidContentSha256(payloadHash)) {
    return authFailure('InvalidArgument', MESSAGES.invalidContentSha256, {
      ArgumentName: 'x-amz-content-sha256',
      ArgumentValue: payloadHash,
    });
  }

  // AWS SigV4: the CanonicalHeaders list must include the HTTP host header. Without it a
  // signature could be replayed against another virtual-hosted bucket.
  const signedHeaders = signedHeaderList(parts.signedHeaders);
  if (!signedHeaders.includes('host')) return authFailure('AuthorizationHeaderMalformed', MESSAGES.headerHostNotSigned);

  return {
    mode: 'header',
    credential,
    amzDate: when.amzDate,
    signedHeaders,
    signedHeadersText: parts.signedHeaders,
    signature: parts.signature,
    payloadHash,
  };
}
