/**
 * Condition operators: parsing their names, compiling their values, evaluating them against the
 * request's keys (docs/spec/access.md §2 R2.5, R2.6; IAM-OPS, IAM-MULTI).
 */

import { ipInCidr, parseCidr } from './cidr';
import type { Cidr } from './cidr';
import { compilePattern, matchPattern, resolveLiteral } from './pattern';
import type { CompiledPattern, CompiledCondition, Condition, ConditionVerdict, VariableLookup } from './types';

const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const COMPARISONS = ['Equals', 'NotEquals', 'LessThan', 'LessThanEquals', 'GreaterThan', 'GreaterThanEquals'];
const BASE_OPERATORS = new Set([
  ...STRING_OPS,
  ...COMPARISONS.map((c) => `Numeric${c}`),
  ...COMPARISONS.map((c) => `Date${c}`),
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);
const NEGATED = new Set([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress',
  'ArnNotEquals', 'ArnNotLike',
]);

export interface OperatorParts {
  base: string;
  set: 'ForAnyValue' | 'ForAllValues' | undefined;
  ifExists: boolean;
  negated: boolean;
}

/**
 * `[ForAnyValue:|ForAllValues:]Base[IfExists]`; undefined for an unknown operator ("Invalid
 * Condition type", §4 R4.3 step 11). There is no `NullIfExists` (§2 R2.5).
 * UNVERIFIED(S3): operator names are matched case-sensitively, and `Null` takes no set prefix.
 */
export function parseOperator(operator: string): OperatorParts | undefined {
  let rest = operator;
  let set: OperatorParts['set'];
  const prefix = (['ForAnyValue', 'ForAllValues'] as const).find((p) => rest.startsWith(`${p}:`));
  if (prefix !== undefined) {
    set = prefix;
    rest = rest.slice(prefix.length + 1);
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (!BASE_OPERATORS.has(base)) return undefined;
  if (base === 'Null' && (ifExists || set !== undefined)) return undefined;
  return { base, set, ifExists, negated: NEGATED.has(base) };
}

const NUMBER_FORM = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMBER_FORM.test(t) ? Number(t) : undefined;
}

/** ISO 8601 or epoch seconds (§2 R2.5); milliseconds since the epoch. */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER_FORM.test(t)) return Number(t) * 1000;
  if (!/^[0-9]{4}-/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(kind: string, a: number, b: number): boolean {
  switch (kind) {
    case 'Equals':
    case 'NotEquals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    default:
      return a >= b;
  }
}

function base64Canonical(text: string): string | undefined {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, 'base64').toString('base64');
}

/** `arn:partition:service:region:account:resource`: the resource part keeps its colons. */
function arnSegments(text: string): string[] | undefined {
  // Colons inside a policy variable (`${aws:PrincipalAccount}`) do not separate segments.
  const parts: string[] = [''];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '$' && text[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) parts.push('');
    else parts[parts.length - 1] += c;
  }
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

type Test = (value: string, vars: VariableLookup) => boolean | undefined;

/**
 * The positive test of one request value against every policy value: true when some policy value
 * matches, undefined when the request value cannot be read as the operator's type (then the
 * element is false whatever the operator's sense).
 */
function testFor(base: string, values: readonly string[], variables: boolean): Test {
  if (base.startsWith('String')) {
    const like = base.includes('Like');
    const fold = base.endsWith('IgnoreCase');
    const patterns = values.map((v) => compilePattern(v, { ignoreCase: false, variables, wildcards: like }));
    if (like) return (v, vars) => patterns.some((p) => matchPattern(p, v, vars, false));
    return (v, vars) => {
      const value = fold ? v.toLowerCase() : v;
      return patterns.some((p) => {
        const lit = resolveLiteral(p, vars);
        return lit !== undefined && (fold ? lit.toLowerCase() : lit) === value;
      });
    };
  }
  if (base.startsWith('Numeric') || base.startsWith('Date')) {
    const date = base.startsWith('Date');
    const kind = base.slice(date ? 4 : 7);
    const read = date ? parseDate : parseNumber;
    const policy = values.map(read).filter((n): n is number => n !== undefined);
    return (v) => {
      const n = read(v);
      return n === undefined ? undefined : policy.some((p) => compare(kind, n, p));
    };
  }
  if (base === 'Bool') {
    const policy = values.map((v) => v.toLowerCase());
    return (v) => policy.includes(v.toLowerCase());
  }
  if (base === 'BinaryEquals') {
    // UNVERIFIED(S3): the request value is taken as base64 too (no S3 key is binary).
    const policy = values.map(base64Canonical);
    return (v) => {
      const c = base64Canonical(v);
      return c === undefined ? undefined : policy.includes(c);
    };
  }
  if (base.endsWith('IpAddress')) {
    // UNVERIFIED(S3): a policy value that is not an address or CIDR is accepted and never matches.
    const cidrs = values.map(parseCidr).filter((c): c is Cidr => c !== undefined);
    return (v) => cidrs.some((c) => ipInCidr(v, c));
  }
  if (base.startsWith('Arn')) {
    const patterns: CompiledPattern[][] = [];
    for (const v of values) {
      const segs = arnSegments(v);
      if (segs !== undefined) patterns.push(segs.map((s) => compilePattern(s, { ignoreCase: false, variables })));
    }
    return (v, vars) => {
      const segs = arnSegments(v);
      if (segs === undefined) return undefined;
      return patterns.some((p) => p.every((seg, i) => matchPattern(seg, segs[i] ?? '', vars, false)));
    };
  }
  return () => undefined; // Null is evaluated on presence alone.
}

export function compileCondition(condition: Condition, variables: boolean): CompiledCondition {
  const parts = parseOperator(condition.operator);
  // Validation refused unknown operators; an unvalidated one never matches.
  const base = parts?.base ?? '';
  const test = parts === undefined ? () => false : testFor(base, condition.values, variables);
  return {
    condition,
    base,
    set: parts?.set,
    ifExists: parts?.ifExists ?? false,
    negated: parts?.negated ?? false,
    key: condition.key.toLowerCase(),
    test: (v, vars) => test(v, vars) === true,
  };
}

/** The request's values of a key, `[]` counting as absent (§2 R2.5). */
export type KeyLookup = (lowerKey: string) => string[] | undefined;

/**
 * One (operator, key) pair against the request (§2 R2.5):
 * - absent key: `Null:true` holds; `…IfExists` holds; `ForAllValues:` holds; `ForAnyValue:` fails;
 *   a negated operator holds; a positive one fails;
 * - `ForAnyValue:`: some request value passes; `ForAllValues:`: every one does;
 * - no set prefix: a positive operator needs some value to match some policy value, a negated one
 *   needs no value to match any.
 */
export function evaluateCondition(c: CompiledCondition, lookup: KeyLookup, vars: VariableLookup): ConditionVerdict {
  const requestValues = lookup(c.key);
  const { operator, key, values } = c.condition;
  const verdict = (matched: boolean, detail: string): ConditionVerdict => ({
    operator, key, policyValues: values, requestValues, matched, detail,
  });
  const shown = JSON.stringify(values);
  if (c.base === 'Null') {
    const present = requestValues !== undefined;
    const matched = values.some((v) => (v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' && present));
    return verdict(matched, `${operator} ${key} ${shown}: key ${present ? 'present' : 'absent'}`);
  }
  if (requestValues === undefined) {
    const matched = c.ifExists || c.set === 'ForAllValues' || (c.set === undefined && c.negated);
    const why = c.ifExists ? 'IfExists' : c.set === 'ForAllValues' ? 'ForAllValues of no values' : c.set === 'ForAnyValue' ? 'ForAnyValue of no values' : c.negated ? 'negated operator' : 'positive operator';
    return verdict(matched, `${operator} ${key} ${shown}: key absent (${why}) → ${matched}`);
  }
  const raw = requestValues.map((v) => c.test(v, vars));
  const element = (i: number): boolean => {
    const r = raw[i] ?? false;
    return c.negated ? !r && isComparable(c, requestValues[i] ?? '') : r;
  };
  const idx = requestValues.map((_, i) => i);
  const matched = c.set === 'ForAllValues' || (c.set === undefined && c.negated) ? idx.every(element) : idx.some(element);
  return verdict(matched, `${operator} ${key} ${shown}: request ${JSON.stringify(requestValues)} → ${matched}`);
}

/** Whether a request value can be read as the operator's type (numbers, dates, ARNs, base64). */
function isComparable(c: CompiledCondition, value: string): boolean {
  if (c.base.startsWith('Numeric')) return parseNumber(value) !== undefined;
  if (c.base.startsWith('Date')) return parseDate(value) !== undefined;
  if (c.base.startsWith('Arn')) return arnSegments(value) !== undefined;
  return true;
}
