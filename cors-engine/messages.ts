/**
 * Every string the engine puts on the wire: S3 error messages (exact, typos included), limits and
 * header names. Spec references are to `docs/spec/cors.md`.
 */

// --- Limits (§1D step 1, §3, §4.3, §4.4, §4.14) ---

/** PutBucketCors body limit; the server checks it before parsing (§4.14). */
export const CORS_MAX_DOCUMENT_BYTES = 65536;
/** At most 100 `<CORSRule>` (§3, §4.3). */
export const CORS_MAX_RULES = 100;
/** `ID` is at most 255 characters (§1D step 1, §4.4). */
export const CORS_MAX_ID_LENGTH = 255;
/** The methods an AllowedMethod may name (§1A step 2, §3), compared case-sensitively. */
export const CORS_SUPPORTED_METHODS: readonly string[] = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];

// --- PutBucketCors messages (§3) ---

/** §3 zero rules, missing AllowedOrigin/AllowedMethod, not well-formed, duplicates, bad MaxAge. */
export const MALFORMED_XML_MESSAGE =
  'The XML you provided was not well-formed or did not validate against our published schema';
/** §3 body > 64 KB, code `MalformedXML` (§4.14). */
export const CORS_DOCUMENT_TOO_LARGE_MESSAGE = 'The CORS XML document is limited to 64 KB in size.';
/** §3 / §4.3, code `InvalidRequest`. */
export const TOO_MANY_RULES_MESSAGE =
  'The number of CORS rules should not exceed allowed limit of 100 rules.';
/**
 * §4.4, code `InvalidArgument`.
 * UNVERIFIED(S3): S3's text for an over-long CORS rule ID is not recorded; this is the text S3
 * gives for an over-long lifecycle rule ID.
 */
export const ID_TOO_LONG_MESSAGE = 'ID length should not exceed allowed limit of 255';
/** §3 / §4.9, code `InvalidRequest` (the historic AWS text). */
export const MISSING_CONTENT_MD5_MESSAGE = 'Missing required header for this request: Content-MD5';
/** §1D step 4: GetBucketCors without a configuration, code `NoSuchCORSConfiguration` (404). */
export const NO_SUCH_CORS_CONFIGURATION_MESSAGE = 'The CORS configuration does not exist';

/** §3 unsupported AllowedMethod, code `InvalidRequest`: no quotes around the method. */
export function unsupportedMethodMessage(method: string): string {
  return `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`;
}

/** §3 AllowedOrigin with two or more `*`, code `InvalidRequest`. */
export function originWildcardMessage(origin: string): string {
  return `AllowedOrigin "${origin}" can not have more than one wildcard.`;
}

/** §3 AllowedHeader with two or more `*`, code `InvalidRequest`. */
export function allowedHeaderWildcardMessage(header: string): string {
  return `AllowedHeader "${header}" can not have more than one wildcard.`;
}

/** §3 ExposeHeader containing `*`, code `InvalidRequest`. */
export function exposeHeaderWildcardMessage(header: string): string {
  return `ExposeHeader "${header}" contains wildcard. We currently do not support wildcard for ExposeHeader.`;
}

/**
 * §3 AllowedHeader or ExposeHeader with a character illegal in a header name, code
 * `InvalidRequest`.
 * UNVERIFIED(S3): reportedly S3 says "AllowedHeader" even when the value is an ExposeHeader; we
 * do the same.
 */
export function invalidHeaderCharacterMessage(header: string): string {
  return `AllowedHeader "${header}" contains invalid character.`;
}

// --- Preflight messages (§1B) ---

/** §1B step 1, 400 `BadRequest`. */
export const ORIGIN_NEEDED_MESSAGE = 'Insufficient information. Origin request header needed.';
/** §1B step 4 / §4.1, 400 `BadRequest`. UNVERIFIED(S3): text modelled on the Origin one. */
export const REQUEST_METHOD_NEEDED_MESSAGE =
  'Insufficient information. Access-Control-Request-Method request header needed.';
/** §1B step 2, 403 `AccessForbidden`. */
export const BUCKET_NOT_FOUND_MESSAGE = 'CORSResponse: Bucket not found';
/** §1B step 3, 403 `AccessForbidden`. */
export const CORS_NOT_ENABLED_MESSAGE = 'CORSResponse: CORS is not enabled for this bucket.';
/** §1B step 6, 403 `AccessForbidden`; "evalution" is AWS's typo, kept verbatim. */
export const CORS_NOT_ALLOWED_MESSAGE =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

// --- Response header names (canonical casing) and the Vary value ---

export const ACCESS_CONTROL_ALLOW_ORIGIN = 'Access-Control-Allow-Origin';
export const ACCESS_CONTROL_ALLOW_CREDENTIALS = 'Access-Control-Allow-Credentials';
export const ACCESS_CONTROL_ALLOW_METHODS = 'Access-Control-Allow-Methods';
export const ACCESS_CONTROL_ALLOW_HEADERS = 'Access-Control-Allow-Headers';
export const ACCESS_CONTROL_EXPOSE_HEADERS = 'Access-Control-Expose-Headers';
export const ACCESS_CONTROL_MAX_AGE = 'Access-Control-Max-Age';
export const VARY = 'Vary';
/** VARY3: the exact `Vary` value S3 sends with every CORS answer (§1B step 7, §1C step 5). */
export const CORS_VARY_VALUE = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
