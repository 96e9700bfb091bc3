/**
 * Every string the engine hands to the wire: S3's MalformedPolicy messages (exact), limits, the
 * ACL group URIs. Citations are to docs/spec/access.md.
 */

// --- Limits ---

/** Bucket policy size limit, counted without insignificant whitespace (§4 R4.3 step 1). */
export const POLICY_MAX_BYTES = 20480;

// --- PutBucketPolicy messages, code MalformedPolicy, HTTP 400 (§4 R4.3) ---

/** UNVERIFIED(S3): the text of the size refusal is not recorded (§4 R4.3 step 1). */
export const POLICY_TOO_LARGE_MESSAGE = 'Policy exceeds the maximum allowed document size.';
/** §4 R4.3 step 2 (recorded on AWS). */
export const FIRST_BYTE_MESSAGE = "Policies must be valid JSON and the first byte must be '{'";
/** §4 R4.3 step 3. */
export const INVALID_JSON_MESSAGE = 'This policy contains invalid Json';
/** §4 R4.3 step 4. */
export const STATEMENT_EMPTY_MESSAGE = 'Could not parse the policy: Statement is empty!';
/** §4 R4.3 step 5. */
export const INVALID_VERSION_MESSAGE = 'The policy must contain a valid version string';
/** §4 R4.3 step 7. */
export const INVALID_PRINCIPAL_MESSAGE = 'Invalid principal in policy';
/** §4 R4.3 step 8. */
export const INVALID_ACTION_MESSAGE = 'Policy has invalid action';
/** §4 R4.3 step 9. */
export const INVALID_RESOURCE_MESSAGE = 'Policy has invalid resource';
/** §4 R4.3 step 10. */
export const ACTION_RESOURCE_MISMATCH_MESSAGE = 'Action does not apply to any resource(s) in statement';
/** §4 R4.3 step 11. UNVERIFIED(S3): text taken from a peer's reading of S3. */
export const INVALID_CONDITION_KEY_MESSAGE = 'Policy has an invalid condition key';
/** §4 R4.3 step 11. UNVERIFIED(S3): text taken from a peer's reading of S3. */
export const CONDITION_MISMATCH_MESSAGE = 'Conditions do not apply to combination of actions and resources in statement';
/**
 * UNVERIFIED(S3): duplicate Sids. The contract is silent; this is the text S3 is commonly quoted
 * with for a duplicate statement id.
 */
export const DUPLICATE_SID_MESSAGE = 'Statement IDs (SID) in a single policy must be unique';

/** §4 R4.3 steps 4 and 6: `Missing required field Statement`, `… Principal`, `… Effect`, … */
export function missingFieldMessage(field: string): string {
  return `Missing required field ${field}`;
}

/** §4 R4.3 step 5: the value as written, e.g. `Invalid effect: allowed`. */
export function invalidEffectMessage(value: string): string {
  return `Invalid effect: ${value}`;
}

/** §4 R4.3 step 11. UNVERIFIED(S3): text (with its space before the colon) from a peer. */
export function invalidConditionTypeMessage(operator: string): string {
  return `Invalid Condition type : ${operator}`;
}

/** UNVERIFIED(S3): an unknown member of the document or of a statement is refused with this text. */
export function unknownFieldMessage(field: string): string {
  return `Unknown field ${field}`;
}

// --- GetBucketPolicy / GetBucketPolicyStatus (§4 R4.2, §5 R5.8), code NoSuchBucketPolicy, 404 ---

export const NO_SUCH_BUCKET_POLICY_MESSAGE = 'The bucket policy does not exist';

// --- ACL group grantees (§7 R7.1) ---

export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

/** Canned ACLs that make a bucket or object public (§5 R5.4). */
export const PUBLIC_CANNED_ACLS: readonly string[] = ['public-read', 'public-read-write', 'authenticated-read'];
