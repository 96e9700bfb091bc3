/**
 * PutBucketCors validation (docs/spec/cors.md §1D step 1, §3, §4.3, §4.4).
 *
 * Order of checks, like S3 validating a document against its schema before looking at values:
 *   1. the document has at least one rule                        → MalformedXML
 *   2. every rule passes the schema checks (required members,
 *      at most one ID / MaxAgeSeconds, MaxAgeSeconds an integer)  → MalformedXML
 *   3. at most 100 rules                                          → InvalidRequest
 *   4. every rule, in document order, passes the value checks:
 *      AllowedMethod, AllowedOrigin, AllowedHeader, ExposeHeader, ID length
 * UNVERIFIED(S3): the relative order of these checks (which error wins when a document has two
 * faults) is not recorded; only each error on its own is.
 */

import {
  CORS_MAX_ID_LENGTH,
  CORS_MAX_RULES,
  CORS_SUPPORTED_METHODS,
  ID_TOO_LONG_MESSAGE,
  MALFORMED_XML_MESSAGE,
  TOO_MANY_RULES_MESSAGE,
  allowedHeaderWildcardMessage,
  exposeHeaderWildcardMessage,
  invalidHeaderCharacterMessage,
  originWildcardMessage,
  unsupportedMethodMessage,
} from './messages';
import type { CorsRule, CorsValidationError, RawCorsRule, ValidationResult } from './types';

/** RFC 9110 `tchar`: the characters allowed in a header name. `*` is one of them. */
const HEADER_NAME_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/;

/**
 * MaxAgeSeconds lexical form: a non-negative integer (schema `xs:int`: optional `+`, surrounding
 * whitespace collapsed). UNVERIFIED(S3): S3's exact lexical rules are not recorded.
 */
const MAX_AGE_FORM = /^\s*\+?([0-9]+)\s*$/;
/** `xs:int` upper bound. UNVERIFIED(S3): larger values assumed refused like other schema faults. */
const MAX_AGE_LIMIT = 2147483647;

function malformed(): ValidationResult {
  return { ok: false, error: { code: 'MalformedXML', message: MALFORMED_XML_MESSAGE } };
}

function refuse(code: CorsValidationError['code'], message: string): ValidationResult {
  return { ok: false, error: { code, message } };
}

/** Parses a MaxAgeSeconds value; undefined when it is not a valid one (§4.4). */
export function parseMaxAgeSeconds(value: string): number | undefined {
  const m = MAX_AGE_FORM.exec(value);
  const digits = m?.[1];
  if (digits === undefined) return undefined;
  const n = Number(digits);
  return n <= MAX_AGE_LIMIT ? n : undefined;
}

function countStars(value: string): number {
  let n = 0;
  for (let i = value.indexOf('*'); i !== -1; i = value.indexOf('*', i + 1)) n++;
  return n;
}

/** Length in characters (code points), not UTF-16 units. UNVERIFIED(S3): S3's unit is unknown. */
function characterLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** §3 schema rows: missing AllowedOrigin/AllowedMethod, two ID or MaxAgeSeconds, bad MaxAge. */
function schemaValid(rule: RawCorsRule): boolean {
  if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0) return false;
  // §4.4: a rule with two `ID` or two `MaxAgeSeconds` is MalformedXML.
  if (rule.ids.length > 1 || rule.maxAgeSeconds.length > 1) return false;
  const maxAge = rule.maxAgeSeconds[0];
  // §4.4: negative, fractional or non-numeric MaxAgeSeconds is MalformedXML.
  // UNVERIFIED(S3): S3's message is not recorded; the generic schema text is used.
  return maxAge === undefined || parseMaxAgeSeconds(maxAge) !== undefined;
}

/** §3 value rows for one rule, in the order named in the file comment. */
function valueError(rule: RawCorsRule): CorsValidationError | undefined {
  // §3: AllowedMethod must be one of GET, PUT, HEAD, POST, DELETE, case-sensitively (also `get`, ``).
  for (const method of rule.allowedMethods) {
    if (!CORS_SUPPORTED_METHODS.includes(method)) {
      return { code: 'InvalidRequest', message: unsupportedMethodMessage(method) };
    }
  }
  // §3: AllowedOrigin has at most one `*`. Anything else is accepted, even `""` (#77).
  for (const origin of rule.allowedOrigins) {
    if (countStars(origin) > 1) return { code: 'InvalidRequest', message: originWildcardMessage(origin) };
  }
  // §3: AllowedHeader has at most one `*` and only header-name characters.
  for (const header of rule.allowedHeaders) {
    if (countStars(header) > 1) {
      return { code: 'InvalidRequest', message: allowedHeaderWildcardMessage(header) };
    }
    if (!HEADER_NAME_CHARS.test(header)) {
      return { code: 'InvalidRequest', message: invalidHeaderCharacterMessage(header) };
    }
  }
  // §3: ExposeHeader never contains `*`, and only header-name characters.
  for (const header of rule.exposeHeaders) {
    if (header.includes('*')) return { code: 'InvalidRequest', message: exposeHeaderWildcardMessage(header) };
    if (!HEADER_NAME_CHARS.test(header)) {
      return { code: 'InvalidRequest', message: invalidHeaderCharacterMessage(header) };
    }
  }
  // §4.4: ID longer than 255 characters.
  // UNVERIFIED(S3): code InvalidArgument is our decision; S3's code is not recorded (Q4).
  const id = rule.ids[0];
  if (id !== undefined && characterLength(id) > CORS_MAX_ID_LENGTH) {
    return { code: 'InvalidArgument', message: ID_TOO_LONG_MESSAGE };
  }
  return undefined;
}

/** Builds the stored rule: values as given, optional members only when present (§1D step 4). */
function toRule(raw: RawCorsRule): CorsRule {
  const rule: CorsRule = {
    allowedHeaders: [...raw.allowedHeaders],
    allowedMethods: [...raw.allowedMethods],
    allowedOrigins: [...raw.allowedOrigins],
    exposeHeaders: [...raw.exposeHeaders],
  };
  const id = raw.ids[0];
  if (id !== undefined) rule.id = id;
  const maxAge = raw.maxAgeSeconds[0];
  if (maxAge !== undefined) {
    const n = parseMaxAgeSeconds(maxAge);
    if (n !== undefined) rule.maxAgeSeconds = n;
  }
  return rule;
}

/**
 * PutBucketCors: validates the rules of a `<CORSConfiguration>` (or aws-cli JSON) document and
 * returns the configuration to store, or the S3 error to answer with (HTTP 400).
 * The 64 KB size limit and XML well-formedness are the caller's (see `CORS_MAX_DOCUMENT_BYTES`).
 */
export function validateCorsRules(raw: readonly RawCorsRule[]): ValidationResult {
  // §3: zero rules (`<CORSConfiguration/>`, `CORSRules: []`) is MalformedXML.
  if (raw.length === 0) return malformed();
  // §3: schema faults in any rule are MalformedXML.
  for (const rule of raw) {
    if (!schemaValid(rule)) return malformed();
  }
  // §4.3: more than 100 rules.
  // UNVERIFIED(S3): S3's answer is disputed (MalformedXML in LocalStack/moto); we follow CloudServer.
  if (raw.length > CORS_MAX_RULES) return refuse('InvalidRequest', TOO_MANY_RULES_MESSAGE);
  // §3: value checks, rule by rule in document order.
  for (const rule of raw) {
    const error = valueError(rule);
    if (error !== undefined) return { ok: false, error };
  }
  return { ok: true, config: { rules: raw.map(toRule) } };
}
