/**
 * Public types of the policy engine (docs/spec/access.md).
 *
 * Plain data only: the engine takes strings and returns values; it never throws on a request and
 * never builds an HTTP response (the server maps decisions to S3 errors, docs/spec/access.md §9).
 */

// --- The bucket policy document (docs/spec/access.md §2) ---

export type Effect = 'Allow' | 'Deny';

/** `2012-10-17` enables policy variables; `2008-10-17` is the default when absent (§2 R2.1). */
export type PolicyVersion = '2012-10-17' | '2008-10-17';

/**
 * One principal value, classified at validation (§2 R2.2):
 * - `any`: `"*"` or `{"AWS":"*"}`, anonymous callers included;
 * - `account`: a 12-digit id or `arn:aws:iam::ID:root`: every principal of that account;
 * - `user`: `arn:aws:iam::ID:user/[path/]NAME`: that user only;
 * - `canonical`: `{"CanonicalUser": id}`: every principal of the account with that canonical id;
 * - `other`: roles, assumed roles, `Service`, `Federated`: valid, never match a crossbucket caller.
 */
export type PrincipalValue =
  | { kind: 'any'; source: string }
  | { kind: 'account'; accountId: string; source: string }
  | { kind: 'user'; accountId: string; arn: string; source: string }
  | { kind: 'canonical'; canonicalId: string; source: string }
  | { kind: 'other'; type: 'AWS' | 'Service' | 'Federated'; source: string };

/** A condition block entry: `{"StringEquals": {"s3:prefix": ["a", "b"]}}` → one per (operator, key). */
export interface Condition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** The key as written (matched case-insensitively, §2 R2.5). */
  key: string;
  /** The policy values, as strings (JSON numbers and booleans converted). */
  values: string[];
}

/** A validated statement. Exactly one of each pair is present (§2 R2.1). */
export interface Statement {
  /** 0-based position in the document (a single-object `Statement` is index 0). */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalValue[];
  notPrincipal?: PrincipalValue[];
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: Condition[];
}

export interface Policy {
  version: PolicyVersion;
  /** Whether the document named its Version (GetBucketPolicy returns the stored text anyway). */
  versionGiven: boolean;
  id?: string;
  statements: Statement[];
  /** The document exactly as put (§4 R4.2: GetBucketPolicy returns it verbatim). */
  text: string;
}

/** A PutBucketPolicy refusal: always HTTP 400 `MalformedPolicy` (§4 R4.3). */
export interface PolicyValidationError {
  code: 'MalformedPolicy';
  message: string;
}

export type PolicyParseResult = { ok: true; policy: Policy } | { ok: false; error: PolicyValidationError };

/** An account crossbucket knows, for the "unknown user of a known account" check (§4 R4.3 step 7). */
export interface KnownAccount {
  accountId: string;
  /** IAM user names of the account (the last segment of `user/[path/]NAME`). */
  userNames: readonly string[];
}

export interface ParseOptions {
  /** The bucket the policy is put on: every Resource must name it (§4 R4.3 step 9). */
  bucket: string;
  /** Accounts whose users are checked; principals of other accounts pass (DEVIATION, §4 R4.3 step 7). */
  knownAccounts?: readonly KnownAccount[];
}

// --- A request (docs/spec/access.md §1, §2 R2.7) ---

export interface AnonymousPrincipal {
  kind: 'anonymous';
}

/** A signed caller: an account root (no `userName`) or an IAM user of the account. */
export interface SignedPrincipal {
  kind: 'signed';
  /** 12 digits. */
  accountId: string;
  /** `arn:aws:iam::ACCOUNT:root` or `arn:aws:iam::ACCOUNT:user/[path/]NAME`. */
  arn: string;
  /** The account's canonical id (64 hex). */
  canonicalId: string;
  /** Present for IAM users only. */
  userName?: string;
  /** `aws:userid` of an IAM user; DEVIATION(S3): defaults to the user name (no AIDA… unique ids). */
  userId?: string;
}

export type RequestPrincipal = AnonymousPrincipal | SignedPrincipal;

/** Condition key → value(s). A key the server cannot know is absent; `[]` counts as absent. */
export type ConditionValues = Readonly<Record<string, string | readonly string[]>>;

export interface RequestContext {
  principal: RequestPrincipal;
  /** e.g. `s3:GetObject` (§3). */
  action: string;
  /** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key` with the decoded key (§2 R2.4). */
  resource: string;
  /**
   * Request condition keys (§2 R2.7). The principal keys (`aws:PrincipalAccount`,
   * `aws:PrincipalArn`, `aws:PrincipalType`, `aws:userid`, `aws:username`) are derived from
   * `principal` unless given here. A function is called only if a statement asks for a key
   * (a policy without conditions or variables never builds them).
   */
  conditionKeys?: ConditionValues | (() => ConditionValues);
}

// --- Compiled form ---

/** A wildcard pattern (`*` any run, `?` one character, §2 R2.3-R2.5) in matcher form. */
export interface CompiledPattern {
  readonly source: string;
  /** Null when the pattern holds a policy variable: it is resolved per request (§2 R2.6). */
  readonly regex: RegExp | null;
  readonly tokens: readonly PatternToken[];
}

export type PatternToken =
  | { readonly t: 'lit'; readonly v: string }
  | { readonly t: 'star' }
  | { readonly t: 'one' }
  | { readonly t: 'var'; readonly key: string };

export interface CompiledCondition {
  readonly condition: Condition;
  readonly base: string;
  readonly set: 'ForAnyValue' | 'ForAllValues' | undefined;
  readonly ifExists: boolean;
  readonly negated: boolean;
  /** Lower-cased key for lookup. */
  readonly key: string;
  /** Tests one request value against the policy values (positive sense for negated operators). */
  readonly test: (value: string, vars: VariableLookup) => boolean;
}

export type VariableLookup = (key: string) => string | undefined;

export interface CompiledStatement {
  readonly statement: Statement;
  readonly principals: readonly PrincipalValue[];
  readonly principalNegated: boolean;
  readonly actions: readonly CompiledPattern[];
  readonly actionNegated: boolean;
  readonly resources: readonly CompiledPattern[];
  readonly resourceNegated: boolean;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly statements: readonly CompiledStatement[];
}

// --- Decisions and explanations ---

export type PolicyEffect = 'Allow' | 'Deny' | 'NoDecision';

export interface StatementRef {
  index: number;
  sid?: string;
}

export type StatementPart = 'principal' | 'action' | 'resource' | 'condition';

export interface ConditionVerdict {
  operator: string;
  key: string;
  policyValues: string[];
  /** The request's values; undefined when the key is absent. */
  requestValues: string[] | undefined;
  matched: boolean;
  detail: string;
}

/** Why one statement applied or not. All four parts are reported, not only the first failure. */
export interface StatementVerdict extends StatementRef {
  effect: Effect;
  matched: boolean;
  /** The first part that failed, in the order principal, action, resource, condition. */
  failed?: StatementPart;
  principal: { matched: boolean; detail: string };
  action: { matched: boolean; detail: string };
  resource: { matched: boolean; detail: string };
  conditions: { matched: boolean; verdicts: ConditionVerdict[] };
}

export interface PolicyExplanation {
  /** The deciding statement: the first matching Deny, else the first matching Allow. */
  decidingStatement?: StatementRef;
  statements: StatementVerdict[];
  summary: string;
}

export interface PolicyDecision {
  effect: PolicyEffect;
  statement?: StatementRef;
  /** Computed on first access (the hot path builds only the effect); included by JSON.stringify. */
  readonly explanation: PolicyExplanation;
}
