/**
 * Public types of the CORS engine (docs/spec/cors.md).
 *
 * Everything here is plain data: the engine takes strings and returns values, it never throws on
 * a request and never produces an HTTP response itself.
 */

/** What the request path names: the bucket itself (`/bucket`) or a key in it (`/bucket/key`). */
export type ResourceType = 'BUCKET' | 'OBJECT';

/**
 * A rule as read from XML or JSON, before validation (§1D step 1). Every member is the list of
 * strings found, in document order, so that duplicates (two `ID`, two `MaxAgeSeconds`) and
 * missing members can be detected by {@link validateCorsRules}.
 */
export interface RawCorsRule {
  ids: string[];
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: string[];
}

/**
 * A validated rule, as stored and as returned by GetBucketCors: values in stored order and casing
 * (§1D step 4). Optional members are absent (not `undefined`) when the document omitted them.
 */
export interface CorsRule {
  id?: string;
  allowedHeaders: string[];
  allowedMethods: string[];
  allowedOrigins: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

/** A bucket's CORS configuration: 1..100 rules, tried in order (§1A step 1). */
export interface CorsConfiguration {
  rules: CorsRule[];
}

/** A PutBucketCors refusal (§3): always HTTP 400 with this S3 error code and message. */
export interface CorsValidationError {
  code: 'MalformedXML' | 'InvalidRequest' | 'InvalidArgument';
  message: string;
}

export type ValidationResult =
  | { ok: true; config: CorsConfiguration }
  | { ok: false; error: CorsValidationError };

/** Why one rule did or did not answer a request (docs/spec/cors.md §5 "Explain"). */
export interface RuleVerdict {
  /** 0-based position of the rule in the configuration. */
  index: number;
  id?: string;
  matched: boolean;
  /** The first condition that failed, checked in the order origin, method, header. */
  failed?: 'origin' | 'method' | 'header';
  /** e.g. `origin "http://a" matches none of ["http://b"]`. */
  detail: string;
}

export interface Explanation {
  /** Index of the rule that answered, when one did. */
  matchedRule?: number;
  /** The rules consulted, in order; rules after the matching one are never consulted (§1A step 1). */
  rules: RuleVerdict[];
  summary: string;
}

/** The inputs of an OPTIONS request (§1B). Header values as received, `undefined` when absent. */
export interface PreflightInput {
  origin?: string;
  accessControlRequestMethod?: string;
  accessControlRequestHeaders?: string;
  bucket: 'missing' | 'no-cors' | CompiledCors;
  resourceType: ResourceType;
}

export type PreflightDecision =
  | { allowed: true; headers: Record<string, string>; explanation: Explanation }
  | {
      allowed: false;
      status: 400 | 403;
      code: 'BadRequest' | 'AccessForbidden';
      message: string;
      /** Present exactly when the S3 error body carries a `<Method>` element. */
      method?: string;
      /** Present exactly when the S3 error body carries a `<ResourceType>` element. */
      resourceType?: ResourceType;
      explanation: Explanation;
    };

/** The inputs of a non-OPTIONS request (§1C). `cors` is undefined for a missing bucket or no config. */
export interface ActualInput {
  origin?: string;
  method: string;
  accessControlRequestMethod?: string;
  accessControlRequestHeaders?: string;
  cors: CompiledCors | undefined;
}

export interface ActualDecision {
  /** `{}` when no CORS header applies (no Origin, no configuration, no rule matched). */
  headers: Record<string, string>;
  explanation: Explanation;
}

/** An origin or header pattern with at most one `*`, split once at compile time (§4.10). */
export interface WildcardPattern {
  /** The value as stored (original casing), for explanations. */
  readonly source: string;
  /** True for the bare `*`: matches anything. */
  readonly any: boolean;
  /** True when there is no `*`: `prefix` is the whole literal. */
  readonly exact: boolean;
  readonly prefix: string;
  readonly suffix: string;
  /** `prefix.length + suffix.length`. */
  readonly minLength: number;
}

/** One rule in matcher form. Internal to the engine; exposed read-only for tooling. */
export interface CompiledRule {
  readonly index: number;
  readonly rule: CorsRule;
  readonly origins: readonly WildcardPattern[];
  /** The AllowedOrigin list contains the bare `*` (§1B step 7, §4.7). */
  readonly anyOrigin: boolean;
  readonly methods: readonly string[];
  /** Header patterns, lower-cased (§1A step 4 compares case-insensitively). */
  readonly headers: readonly WildcardPattern[];
  /** Pre-joined response values. */
  readonly allowMethods: string;
  readonly exposeHeaders: string | undefined;
  readonly maxAge: string | undefined;
}

/** A configuration compiled once (per Put/Get of the rules), then evaluated many times. */
export interface CompiledCors {
  /** The configuration it was compiled from (for GetBucketCors from a cache). */
  readonly config: CorsConfiguration;
  readonly rules: readonly CompiledRule[];
}
