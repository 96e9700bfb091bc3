/**
 * The outcome types of `server/auth` and S3's own wording for each failure.
 *
 * Every message below is the text S3 puts in `<Message>`. Where it was seen in a real S3
 * response (quoted in public bug reports) it is marked `verified`; otherwise the line carries
 * `UNVERIFIED(S3):` and says where the wording comes from.
 */

/** The S3 error codes that authentication can produce (AWS's strings, verbatim). */
export type AuthErrorCode =
  | 'SignatureDoesNotMatch'
  | 'InvalidAccessKeyId'
  | 'AccessDenied'
  | 'AuthorizationHeaderMalformed'
  | 'AuthorizationQueryParametersError'
  | 'RequestTimeTooSkewed'
  | 'MissingSecurityHeader'
  | 'InvalidArgument'
  | 'InvalidRequest'
  | 'XAmzContentSHA256Mismatch'
  | 'IncompleteSignature'
  | 'IncompleteBody'
  | 'InvalidChunkSizeError'
  | 'MalformedTrailerError'
  | 'InvalidPolicyDocument'
  | 'EntityTooLarge'
  | 'EntityTooSmall';

/** A refusal: the code and message S3 would send, plus the extra XML elements of its body. */
export interface AuthFailure {
  ok: false;
  code: AuthErrorCode;
  message: string;
  /** Extra `<Error>` children in S3's order, e.g. `AWSAccessKeyId`, `StringToSign`. */
  extra: Record<string, string>;
}

export function authFailure(
  code: AuthErrorCode,
  message: string,
  extra: Record<string, string> = {},
): AuthFailure {
  return { ok: false, code, message, extra };
}

/** Thrown (or emitted as a stream error) by the body decoders; carries an S3 code. */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly extra: Record<string, string>;

  constructor(code: AuthErrorCode, message: string, extra: Record<string, string> = {}) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.extra = extra;
  }

  toFailure(): AuthFailure {
    return authFailure(this.code, this.message, this.extra);
  }
}

const MALFORMED = 'The authorization header is malformed; ';
const QUERY_CREDENTIAL = 'Error parsing the X-Amz-Credential parameter; ';

/** S3's messages. Functions where S3 interpolates a value. */
export const MESSAGES = {
  // verified (many public S3 responses)
  signatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  // verified
  invalidAccessKeyId: 'The AWS Access Key Id you provided does not exist in our records.',
  // verified
  requestTimeTooSkewed: 'The difference between the request time and the current time is too large.',
  // verified (S3 responses from 2017-2020 quoted in aws-sdk-js#3493, aws-sdk-php#1333)
  requestExpired: 'Request has expired',
  // verified (S3 responses quoted in minio#2638, dmjio/s3-signer#16)
  requestNotYetValid: 'Request is not yet valid',
  // verified (hubrick/vertx-s3-client#5)
  missingDate: 'AWS authentication requires a valid Date or x-amz-date header',
  // verified (versitygw#1512, ng-file-upload#615)
  unsupportedAuthorizationType: 'Unsupported Authorization Type',
  // verified (moodle-tool_objectfs#303)
  onlyOneAuthMechanism:
    'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
  // verified (versitygw#1352 quoting S3)
  invalidContentSha256:
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
  // UNVERIFIED(S3): wording from versitygw's S3 error catalogue.
  missingContentSha256: 'Missing required header for this request: x-amz-content-sha256',
  // verified (XAmzContentSHA256Mismatch, versitygw catalogue and many S3 reports)
  contentSha256Mismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  // UNVERIFIED(S3): wording from versitygw's catalogue (HeadersNotSigned element too).
  headersNotSigned: 'There were headers present in the request which were not signed',
  // verified (aws-cli#2432 and others)
  sigV4Required: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  // verified (many reports)
  authHeaderOneSpace: "Authorization header is invalid -- one and only one ' ' (space) required.",

  // AuthorizationHeaderMalformed: the prefix and the credential text are verified
  // (deb-s3#157, ex_aws#537); the other tails follow versitygw's catalogue.
  headerMissingComponents: `${MALFORMED}the authorization header requires three components: Credential, SignedHeaders, and Signature.`,
  headerCredentialMalformed: `${MALFORMED}the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
  // UNVERIFIED(S3): the following five tails.
  headerComponentMalformed: (component: string): string =>
    `${MALFORMED}the authorization component "${component}" is malformed.`,
  headerIncorrectService: (service: string): string =>
    `${MALFORMED}incorrect service "${service}". This endpoint belongs to "s3".`,
  headerIncorrectTerminal: (terminal: string): string =>
    `${MALFORMED}incorrect terminal "${terminal}". This endpoint uses "aws4_request".`,
  headerIncorrectDate: (date: string): string =>
    `${MALFORMED}incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`,
  headerDateMismatch: `${MALFORMED}Invalid credential date. Date is not the same as X-Amz-Date.`,
  // UNVERIFIED(S3): the code and the tail for a SignedHeaders list without `host` (AWS SigV4:
  // "The CanonicalHeaders list must include ... HTTP host header").
  headerHostNotSigned: `${MALFORMED}the SignedHeaders list must include host.`,

  // AuthorizationQueryParametersError. UNVERIFIED(S3): wording from versitygw's catalogue,
  // which its maintainers compare against S3; the credential text matches the header one.
  queryMissingParams:
    'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
  queryAlgorithm: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"',
  queryCredentialMalformed: `${QUERY_CREDENTIAL}the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
  queryIncorrectService: (service: string): string =>
    `${QUERY_CREDENTIAL}incorrect service "${service}". This endpoint belongs to "s3".`,
  queryIncorrectTerminal: (terminal: string): string =>
    `${QUERY_CREDENTIAL}incorrect terminal "${terminal}". This endpoint uses "aws4_request".`,
  queryIncorrectDate: (date: string): string =>
    `${QUERY_CREDENTIAL}incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`,
  queryDateFormat: `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`,
  queryDateMismatch: (credentialDate: string, amzDate: string): string =>
    `Invalid credential date "${credentialDate}". This date is not the same as X-Amz-Date: "${amzDate}".`,
  // UNVERIFIED(S3): the code and wording for X-Amz-SignedHeaders without `host`.
  queryHostNotSigned: 'X-Amz-SignedHeaders must include host.',
  queryExpiresNumber: 'X-Amz-Expires should be a number',
  queryExpiresNegative: 'X-Amz-Expires must be non-negative',
  queryExpiresTooLarge:
    'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',

  // aws-chunked bodies.
  // UNVERIFIED(S3): versitygw's catalogue; the InvalidChunkSizeError text is quoted from S3
  // in versitygw#1683.
  incompleteBody: 'The request body terminated unexpectedly',
  invalidChunkSize: 'Only the last chunk is allowed to have a size less than 8192 bytes',
  malformedTrailer:
    'The request contained trailing data that was not well-formed or did not conform to our published schema.',
  // UNVERIFIED(S3): versitygw's catalogue.
  decodedLengthMismatch: 'You did not provide the number of bytes specified by the Content-Length HTTP header',
} as const;
