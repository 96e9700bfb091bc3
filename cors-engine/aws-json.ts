/**
 * The aws-cli / SDK JSON shape of a CORS configuration (docs/spec/cors.md §5 "Seeding"):
 * `{"CORSRules": [{"ID": "x", "AllowedHeaders": [...], "AllowedMethods": [...],
 * "AllowedOrigins": [...], "ExposeHeaders": [...], "MaxAgeSeconds": 3000}]}`
 * — what `aws s3api put-bucket-cors --cors-configuration file://cors.json` takes and
 * `aws s3api get-bucket-cors` prints.
 *
 * Reading gives raw rules for {@link validateCorsRules}, so JSON and XML go through the same S3
 * checks. Shape errors are reported with code `MalformedXML` (what S3 answers for a document that
 * does not fit its schema) but with a message naming the member at fault.
 * DEVIATION(S3): that message is ours; S3 would give its generic MalformedXML text (it never sees
 * JSON: the CLI converts it to XML).
 */

import { validateCorsRules } from './validate';
import type { CorsConfiguration, CorsValidationError, RawCorsRule, ValidationResult } from './types';

/** One rule in aws-cli JSON. Members appear in the order aws-cli prints them. */
export interface AwsCorsRuleJson {
  ID?: string;
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

export interface AwsCorsJson {
  CORSRules: AwsCorsRuleJson[];
}

export type AwsJsonResult = { ok: true; raw: RawCorsRule[] } | { ok: false; error: CorsValidationError };

type ListMember = 'AllowedHeaders' | 'AllowedMethods' | 'AllowedOrigins' | 'ExposeHeaders';
const LIST_MEMBERS: readonly ListMember[] = ['AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders'];
const RULE_MEMBERS: readonly string[] = ['ID', ...LIST_MEMBERS, 'MaxAgeSeconds'];

function shapeError(message: string): AwsJsonResult {
  return { ok: false, error: { code: 'MalformedXML', message } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Suggests the member meant by a misspelt one: `AllowedOrigin` (the XML name), `allowedOrigins`. */
function suggestion(key: string): string {
  const folded = key.toLowerCase();
  const known = RULE_MEMBERS.find((m) => m.toLowerCase() === folded || m.toLowerCase() === `${folded}s`);
  return known !== undefined ? ` (did you mean "${known}"?)` : ` (members are ${RULE_MEMBERS.join(', ')})`;
}

function readList(rule: Record<string, unknown>, member: ListMember, path: string): string[] | string {
  const value = rule[member];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    return `${path}.${member} must be an array of strings, e.g. ${JSON.stringify([String(value)])}`;
  }
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') return `${path}.${member}[${i}] must be a string`;
    out.push(item);
  }
  return out;
}

function readRule(rule: unknown, path: string): RawCorsRule | string {
  if (!isObject(rule)) return `${path} must be an object with AllowedOrigins and AllowedMethods`;
  for (const key of Object.keys(rule)) {
    if (!RULE_MEMBERS.includes(key)) return `${path} has an unknown member "${key}"${suggestion(key)}`;
  }
  const lists: Partial<Record<ListMember, string[]>> = {};
  for (const member of LIST_MEMBERS) {
    const list = readList(rule, member, path);
    if (typeof list === 'string') return list;
    lists[member] = list;
  }
  const ids: string[] = [];
  const id = rule['ID'];
  if (id !== undefined && id !== null) {
    if (typeof id !== 'string') return `${path}.ID must be a string`;
    ids.push(id);
  }
  const maxAgeSeconds: string[] = [];
  const maxAge = rule['MaxAgeSeconds'];
  if (maxAge !== undefined && maxAge !== null) {
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0) {
      return `${path}.MaxAgeSeconds must be a non-negative integer number of seconds, got ${JSON.stringify(maxAge)}`;
    }
    maxAgeSeconds.push(String(maxAge));
  }
  return {
    ids,
    allowedOrigins: lists.AllowedOrigins ?? [],
    allowedMethods: lists.AllowedMethods ?? [],
    allowedHeaders: lists.AllowedHeaders ?? [],
    exposeHeaders: lists.ExposeHeaders ?? [],
    maxAgeSeconds,
  };
}

/**
 * Reads `{"CORSRules": [...]}` (as parsed by `JSON.parse`) into raw rules. Also accepts the
 * `aws s3api put-bucket-cors --cli-input-json` shape `{"CORSConfiguration": {"CORSRules": [...]}}`,
 * whose other members (`Bucket`, …) are ignored. Missing members are left for
 * {@link validateCorsRules} to refuse, exactly as for XML.
 */
export function rawRulesFromAwsJson(json: unknown): AwsJsonResult {
  if (!isObject(json)) return shapeError('a CORS configuration must be a JSON object {"CORSRules": [...]}');
  let doc: Record<string, unknown> = json;
  if (!('CORSRules' in json) && 'CORSConfiguration' in json) {
    const inner = json['CORSConfiguration'];
    if (!isObject(inner)) return shapeError('"CORSConfiguration" must be an object {"CORSRules": [...]}');
    doc = inner;
  }
  for (const key of Object.keys(doc)) {
    if (key !== 'CORSRules') return shapeError(`unknown member "${key}": a CORS configuration is {"CORSRules": [...]}`);
  }
  const rules = doc['CORSRules'];
  if (rules === undefined) return shapeError('missing "CORSRules": a CORS configuration is {"CORSRules": [...]}');
  if (!Array.isArray(rules)) return shapeError('"CORSRules" must be an array of rules');
  const raw: RawCorsRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = readRule(rules[i], `CORSRules[${i}]`);
    if (typeof rule === 'string') return shapeError(rule);
    raw.push(rule);
  }
  return { ok: true, raw };
}

/** {@link rawRulesFromAwsJson} then {@link validateCorsRules}: aws-cli JSON to a stored configuration. */
export function corsConfigFromAwsJson(json: unknown): ValidationResult {
  const read = rawRulesFromAwsJson(json);
  return read.ok ? validateCorsRules(read.raw) : read;
}

/**
 * The configuration in aws-cli JSON, as `aws s3api get-bucket-cors` prints it: members absent
 * when the rule has none (nothing invented, §1D step 4), values in stored order and casing.
 */
export function toAwsJson(config: CorsConfiguration): AwsCorsJson {
  return {
    CORSRules: config.rules.map((rule) => {
      // Members added in aws-cli's printing order.
      const out = {} as AwsCorsRuleJson;
      if (rule.id !== undefined) out.ID = rule.id;
      if (rule.allowedHeaders.length > 0) out.AllowedHeaders = [...rule.allowedHeaders];
      out.AllowedMethods = [...rule.allowedMethods];
      out.AllowedOrigins = [...rule.allowedOrigins];
      if (rule.exposeHeaders.length > 0) out.ExposeHeaders = [...rule.exposeHeaders];
      if (rule.maxAgeSeconds !== undefined) out.MaxAgeSeconds = rule.maxAgeSeconds;
      return out;
    }),
  };
}
