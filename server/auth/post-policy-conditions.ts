/**
 * POST policy documents and their conditions (AWS S3 API, "Creating a POST Policy",
 * "Condition matching"):
 *
 *   {"bucket": "b"} / ["eq", "$key", "v"]   exact match
 *   ["starts-with", "$key", "uploads/"]     prefix match ("" allows any value)
 *   ["content-length-range", min, max]      size of the uploaded file, in bytes
 *
 * "Each form field that you specify in a form (except x-amz-signature, file, policy, and field
 * names that have an x-ignore- prefix) must appear in the list of conditions."
 */
import { Buffer } from 'node:buffer';
import { authFailure, type AuthFailure } from './auth-error';

/** Form fields by name, as the multipart parser gives them. */
export type PostFields = Record<string, string>;

/** Form fields keyed by lower-case name (the first value of a repeated field wins). */
export function normalizeFields(fields: PostFields): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(fields)) {
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

/** Decodes the base64 `policy` field (strictly: only the base64 alphabet and padding). */
export function decodePolicyBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

export type PolicyCondition =
  | { op: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { op: 'content-length-range'; min: number; max: number; text: string };

export interface PostPolicy {
  expiration: Date;
  conditions: PolicyCondition[];
}

// UNVERIFIED(S3): InvalidPolicyDocument wordings follow versitygw's catalogue.
const invalid = (detail: string): AuthFailure => authFailure('InvalidPolicyDocument', `Invalid Policy: ${detail}`);

/** S3 prints a failed condition as `["op", "$field", "value"]`. */
function renderCondition(items: readonly unknown[]): string {
  return `[${items.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`;
}

function parseCondition(raw: unknown): PolicyCondition | AuthFailure {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const entries = Object.entries(raw);
    if (entries.length !== 1) return invalid('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [name, value] = entries[0] as [string, unknown];
    if (typeof value !== 'string') return invalid('Invalid Simple-Condition: value must be a string.');
    // UNVERIFIED(S3): an object condition is reported in its ["eq", ...] form.
    return { op: 'eq', field: name.toLowerCase(), value, text: renderCondition(['eq', `$${name}`, value]) };
  }
  if (!Array.isArray(raw)) return invalid('Invalid condition test: must be a List or Object.');
  const [opRaw, a, b] = raw as unknown[];
  if (typeof opRaw !== 'string') return invalid('Invalid Condition: missing operation identifier.');
  const op = opRaw.toLowerCase();
  if (op === 'content-length-range') {
    const min = Number(a);
    const max = Number(b);
    if (raw.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max)) {
      return invalid('Invalid content-length-range: wrong number of arguments.');
    }
    return { op, min, max, text: renderCondition(raw) };
  }
  if (op !== 'eq' && op !== 'starts-with') return invalid(`Invalid Condition: unknown operation '${opRaw}'.`);
  if (raw.length !== 3 || typeof a !== 'string' || typeof b !== 'string' || !a.startsWith('$')) {
    return invalid(`Invalid ${opRaw}: wrong number of arguments.`);
  }
  return { op, field: a.slice(1).toLowerCase(), value: b, text: renderCondition(raw) };
}

/** Decodes and validates the policy document (base64 JSON with expiration and conditions). */
export function parsePolicyDocument(policyBase64: string): PostPolicy | AuthFailure {
  if (policyBase64.trim() === '') return invalid("Expecting '{' but found End-of-Input");
  const json = decodePolicyBase64(policyBase64);
  if (json === undefined) return invalid('invalid Base64 encoding.');
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return invalid('Invalid JSON.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return invalid('Invalid JSON.');
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) return invalid('Policy missing expiration.');
  const when = typeof expiration === 'string' ? Date.parse(expiration) : NaN;
  if (Number.isNaN(when)) return invalid(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (conditions === undefined) return invalid('Policy missing conditions.');
  if (!Array.isArray(conditions)) return invalid("Invalid 'conditions' value: must be a List.");
  const parsed: PolicyCondition[] = [];
  for (const raw of conditions) {
    const c = parseCondition(raw);
    if ('ok' in c) return c;
    parsed.push(c);
  }
  return { expiration: new Date(when), conditions: parsed };
}

/** The allowed file size, when the policy has a content-length-range (to enforce while streaming). */
export function contentLengthRange(policy: PostPolicy): { min: number; max: number } | undefined {
  for (const c of policy.conditions) if (c.op === 'content-length-range') return { min: c.min, max: c.max };
  return undefined;
}

/** Fields the policy never needs to mention. */
function isExempt(name: string): boolean {
  return (
    name === 'policy' || name === 'x-amz-signature' || name === 'file' || name.startsWith('x-ignore-') ||
    // SigV2 forms: the signature fields themselves.
    name === 'signature' || name === 'awsaccesskeyid'
  );
}

/**
 * Checks the form against the policy's conditions. `fields` are the form fields plus `bucket`
 * (the server adds the request's bucket) with `${filename}` in `key` already substituted.
 * `fileSize` is checked against content-length-range when given (after the upload ends).
 */
export function checkPostPolicyConditions(
  policy: PostPolicy,
  fields: PostFields,
  fileSize?: number,
): { ok: true } | AuthFailure {
  const f = normalizeFields(fields);
  for (const c of policy.conditions) {
    if (c.op === 'content-length-range') {
      if (fileSize === undefined) continue;
      // UNVERIFIED(S3): the extra elements; codes/messages from versitygw's catalogue.
      if (fileSize > c.max) {
        return authFailure('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          ProposedSize: String(fileSize),
          MaxSizeAllowed: String(c.max),
        });
      }
      if (fileSize < c.min) {
        return authFailure('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
          ProposedSize: String(fileSize),
          MinSizeAllowed: String(c.min),
        });
      }
      continue;
    }
    const actual = f.get(c.field);
    // A condition on a field the form lacks fails, even `starts-with ""` (seen from S3 with
    // ["starts-with", "$Content-Length", ""]).
    const pass = actual !== undefined && (c.op === 'eq' ? actual === c.value : actual.startsWith(c.value));
    if (!pass) {
      // verified form: `Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", ""]`
      return authFailure('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${c.text}`);
    }
  }
  const covered = new Set(policy.conditions.flatMap((c) => (c.op === 'content-length-range' ? [] : [c.field])));
  for (const name of f.keys()) {
    if (isExempt(name) || name === 'bucket' || covered.has(name)) continue;
    // UNVERIFIED(S3): wording (versitygw's catalogue).
    return authFailure('AccessDenied', `Invalid according to Policy: Extra input fields: ${name}`);
  }
  return { ok: true };
}
