/**
 * PutBucketPolicy validation: JSON text → a typed Policy, or S3's MalformedPolicy refusal
 * (docs/spec/access.md §2 R2.1, §4 R4.3).
 *
 * Checks run in phases over the whole document, in the order of §4 R4.3 (UNVERIFIED(S3): S3's
 * order is not recorded; when a document has two faults, the earlier phase wins):
 *   1 size · 2 first byte · 3 JSON · 4 Statement present and not empty, no unknown member ·
 *   5 Version, Effect values · 6 required members (Principal, Effect, Action, Resource), unique
 *   Sids · 7 principals · 8 actions · 9 resources · 10 actions apply to resources · 11 conditions.
 * Step 12 (BlockPublicPolicy) is the caller's, with {@link isPublicPolicy}.
 */

import {
  actionsApply,
  parseActions,
  parseConditions,
  parsePrincipal,
  parseResources,
} from './elements';
import {
  ACTION_RESOURCE_MISMATCH_MESSAGE,
  CONDITION_MISMATCH_MESSAGE,
  DUPLICATE_SID_MESSAGE,
  FIRST_BYTE_MESSAGE,
  INVALID_ACTION_MESSAGE,
  INVALID_CONDITION_KEY_MESSAGE,
  INVALID_JSON_MESSAGE,
  INVALID_PRINCIPAL_MESSAGE,
  INVALID_RESOURCE_MESSAGE,
  INVALID_VERSION_MESSAGE,
  POLICY_MAX_BYTES,
  POLICY_TOO_LARGE_MESSAGE,
  STATEMENT_EMPTY_MESSAGE,
  invalidConditionTypeMessage,
  invalidEffectMessage,
  missingFieldMessage,
  unknownFieldMessage,
} from './messages';
import type { Effect, ParseOptions, Policy, PolicyParseResult, PolicyVersion, Statement } from './types';

const DOCUMENT_MEMBERS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_MEMBERS = new Set([
  'Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition',
]);
const VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];

type Json = Record<string, unknown>;

class Refusal {
  constructor(readonly message: string) {}
}

function refuse(message: string): never {
  throw new Refusal(message);
}

function utf8Length(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * The document's size in UTF-8 bytes, not counting whitespace outside strings (§4 R4.3 step 1:
 * the limit is on the policy without its insignificant whitespace).
 */
export function policySize(text: string): number {
  let size = 0;
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (!inString && (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r')) continue;
    size += utf8Length(ch);
    if (!inString) inString = ch === '"';
    else if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === '"') inString = false;
  }
  return size;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkUnknownMembers(obj: Json, allowed: ReadonlySet<string>): void {
  for (const name of Object.keys(obj)) if (!allowed.has(name)) refuse(unknownFieldMessage(name));
}

/** The value of a member given as `Name` or `NotName`; refuses both at once with `message`. */
function pair(s: Json, name: string, message: string): { value: unknown; negated: boolean } {
  const plain = s[name];
  const not = s[`Not${name}`];
  if (plain !== undefined && not !== undefined) refuse(message);
  return plain !== undefined ? { value: plain, negated: false } : { value: not, negated: true };
}

function parseDocument(text: string, options: ParseOptions): Policy {
  // 1-3: size, first byte, JSON.
  if (text.length * 3 > POLICY_MAX_BYTES && policySize(text) > POLICY_MAX_BYTES) refuse(POLICY_TOO_LARGE_MESSAGE);
  if (!text.startsWith('{')) refuse(FIRST_BYTE_MESSAGE);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    refuse(INVALID_JSON_MESSAGE);
  }
  if (!isObject(doc)) refuse(INVALID_JSON_MESSAGE);

  // 4: Statement.
  const rawStatement = doc.Statement;
  if (rawStatement === undefined) refuse(missingFieldMessage('Statement'));
  checkUnknownMembers(doc, DOCUMENT_MEMBERS);
  const raw: unknown[] = Array.isArray(rawStatement) ? rawStatement : [rawStatement];
  if (raw.length === 0) refuse(STATEMENT_EMPTY_MESSAGE);
  // UNVERIFIED(S3): a statement that is not an object, or a non-string Id/Sid, is invalid Json.
  const statements: Json[] = raw.map((s) => (isObject(s) ? s : refuse(INVALID_JSON_MESSAGE)));
  if (doc.Id !== undefined && typeof doc.Id !== 'string') refuse(INVALID_JSON_MESSAGE);

  // 5: Version and Effect values.
  const version = doc.Version;
  if (version !== undefined && (typeof version !== 'string' || !VERSIONS.includes(version))) refuse(INVALID_VERSION_MESSAGE);
  for (const s of statements) {
    const effect = s.Effect;
    // UNVERIFIED(S3): Effect is case-sensitive (`allow` is refused like `allowed`).
    if (effect !== undefined && effect !== 'Allow' && effect !== 'Deny') {
      refuse(invalidEffectMessage(typeof effect === 'string' ? effect : JSON.stringify(effect)));
    }
  }

  // 6: required members, unknown members, unique Sids.
  const sids = new Set<string>();
  for (const s of statements) {
    checkUnknownMembers(s, STATEMENT_MEMBERS);
    if (s.Principal === undefined && s.NotPrincipal === undefined) refuse(missingFieldMessage('Principal'));
    // UNVERIFIED(S3): the messages for a missing Effect, Action or Resource.
    if (s.Effect === undefined) refuse(missingFieldMessage('Effect'));
    if (s.Action === undefined && s.NotAction === undefined) refuse(missingFieldMessage('Action'));
    if (s.Resource === undefined && s.NotResource === undefined) refuse(missingFieldMessage('Resource'));
    if (s.Sid !== undefined) {
      if (typeof s.Sid !== 'string') refuse(INVALID_JSON_MESSAGE);
      if (sids.has(s.Sid)) refuse(DUPLICATE_SID_MESSAGE);
      sids.add(s.Sid);
    }
  }

  const out: Statement[] = statements.map((s, index) => {
    const st: Statement = { index, effect: s.Effect as Effect, conditions: [] };
    if (typeof s.Sid === 'string') st.sid = s.Sid;
    return st;
  });

  // 7: principals. UNVERIFIED(S3): Allow with NotPrincipal is refused with this message.
  statements.forEach((s, i) => {
    const st = out[i] as Statement;
    const { value, negated } = pair(s, 'Principal', INVALID_PRINCIPAL_MESSAGE);
    if (negated && st.effect === 'Allow') refuse(INVALID_PRINCIPAL_MESSAGE);
    const principals = parsePrincipal(value, options.knownAccounts ?? []) ?? refuse(INVALID_PRINCIPAL_MESSAGE);
    if (negated) st.notPrincipal = principals;
    else st.principal = principals;
  });
  // 8: actions.
  statements.forEach((s, i) => {
    const st = out[i] as Statement;
    const { value, negated } = pair(s, 'Action', INVALID_ACTION_MESSAGE);
    const actions = parseActions(value) ?? refuse(INVALID_ACTION_MESSAGE);
    if (negated) st.notAction = actions;
    else st.action = actions;
  });
  // 9: resources.
  statements.forEach((s, i) => {
    const st = out[i] as Statement;
    const { value, negated } = pair(s, 'Resource', INVALID_RESOURCE_MESSAGE);
    const resources = parseResources(value, options.bucket) ?? refuse(INVALID_RESOURCE_MESSAGE);
    if (negated) st.notResource = resources;
    else st.resource = resources;
  });
  // 10: some action applies to some resource (Action + Resource statements only).
  for (const st of out) {
    if (st.action !== undefined && st.resource !== undefined && !actionsApply(st.action, st.resource)) {
      refuse(ACTION_RESOURCE_MISMATCH_MESSAGE);
    }
  }
  // 11: conditions.
  statements.forEach((s, i) => {
    const st = out[i] as Statement;
    const parsed = parseConditions(s.Condition, st.action);
    if (!Array.isArray(parsed)) {
      if (parsed.fault === 'operator') refuse(invalidConditionTypeMessage(parsed.operator));
      refuse(parsed.fault === 'key' ? INVALID_CONDITION_KEY_MESSAGE : CONDITION_MISMATCH_MESSAGE);
    }
    st.conditions = parsed;
  });

  const policy: Policy = {
    version: (version ?? '2008-10-17') as PolicyVersion,
    versionGiven: version !== undefined,
    statements: out,
    text,
  };
  if (typeof doc.Id === 'string') policy.id = doc.Id;
  return policy;
}

/**
 * PutBucketPolicy's checks (§4 R4.3 steps 1-11) on the request body as text. A refusal is always
 * HTTP 400 `MalformedPolicy` with S3's message.
 */
export function parsePolicy(text: string, options: ParseOptions): PolicyParseResult {
  try {
    return { ok: true, policy: parseDocument(text, options) };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, error: { code: 'MalformedPolicy', message: err.message } };
    throw err;
  }
}
