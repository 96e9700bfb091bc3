/**
 * §1A rule matching, shared by preflight (§1B step 5) and actual requests (§1C step 3).
 *
 * Two entry points over the same conditions: {@link findMatchingRule} is the hot path (no
 * allocation); {@link explainMatch} re-runs the same checks and says why, for the explanation.
 * The three conditions are independent, so the order in which they are checked does not change
 * the decision; it is origin, method, header, which is also the order an explanation reports the
 * first failure in.
 */

import { matchPattern } from './compile';
import type { CompiledRule, Explanation, RuleVerdict, WildcardPattern } from './types';

/**
 * A header value that carries information, or undefined.
 * UNVERIFIED(S3): an empty `Origin` or `Access-Control-Request-Method` value is treated as absent.
 */
export function headerValue(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * §1A step 4 / §4.11: splits ACRH on `,`, trims each name, lower-cases it and drops empty items.
 * An absent header, or one with only empty items, gives `[]` (no header condition).
 * UNVERIFIED(S3): dropping empty items follows CloudServer; not recorded on AWS.
 */
export function parseRequestHeaders(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  const names: string[] = [];
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const name = (comma === -1 ? value.slice(start) : value.slice(start, comma)).trim();
    if (name !== '') names.push(name.toLowerCase());
    if (comma === -1) return names;
    start = comma + 1;
  }
}

function anyMatch(patterns: readonly WildcardPattern[], value: string): boolean {
  for (let i = 0; i < patterns.length; i++) {
    if (matchPattern(patterns[i] as WildcardPattern, value)) return true;
  }
  return false;
}

/** Index of the first requested name no pattern allows, or -1 when all are allowed. */
function firstHeaderRefused(rule: CompiledRule, names: readonly string[]): number {
  for (let i = 0; i < names.length; i++) {
    // §1A step 4: a rule without AllowedHeader allows no requested header at all.
    if (!anyMatch(rule.headers, names[i] as string)) return i;
  }
  return -1;
}

function ruleMatches(rule: CompiledRule, origin: string, method: string, names: readonly string[]): boolean {
  return (
    anyMatch(rule.origins, origin) && // §1A step 3
    rule.methods.includes(method) && // §1A step 2: case-sensitive
    firstHeaderRefused(rule, names) === -1 // §1A step 4 (no condition when `names` is empty)
  );
}

/**
 * §1A step 1: the first rule, in document order, that satisfies all three conditions; later
 * rules are never consulted. `method` is ACRM, or the real method when ACRM is absent (§1A step 2).
 */
export function findMatchingRule(
  rules: readonly CompiledRule[],
  origin: string,
  method: string,
  names: readonly string[],
): CompiledRule | undefined {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as CompiledRule;
    if (ruleMatches(rule, origin, method, names)) return rule;
  }
  return undefined;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function quoteList(values: readonly string[]): string {
  return `[${values.map(quote).join(', ')}]`;
}

function verdict(rule: CompiledRule, matched: boolean, detail: string, failed?: RuleVerdict['failed']): RuleVerdict {
  const v: RuleVerdict = { index: rule.index, matched, detail };
  if (rule.rule.id !== undefined) v.id = rule.rule.id;
  if (failed !== undefined) v.failed = failed;
  return v;
}

/** The verdict of one rule: the first failing condition, or how it matched. */
function explainRule(rule: CompiledRule, origin: string, method: string, names: readonly string[]): RuleVerdict {
  const originPattern = rule.origins.find((p) => matchPattern(p, origin));
  if (originPattern === undefined) {
    return verdict(rule, false, `origin ${quote(origin)} matches none of ${quoteList(rule.rule.allowedOrigins)}`, 'origin');
  }
  if (!rule.methods.includes(method)) {
    return verdict(rule, false, `method ${quote(method)} is not one of ${quoteList(rule.methods)}`, 'method');
  }
  const refused = firstHeaderRefused(rule, names);
  if (refused !== -1) {
    const allowed = rule.rule.allowedHeaders;
    const why = allowed.length === 0 ? ' (the rule has no AllowedHeader)' : '';
    return verdict(rule, false, `header ${quote(names[refused] as string)} not allowed by ${quoteList(allowed)}${why}`, 'header');
  }
  const headerPart = names.length > 0 ? `, headers ${quoteList(names)} allowed` : '';
  return verdict(rule, true, `origin ${quote(origin)} matches ${quote(originPattern.source)}, method ${quote(method)} allowed${headerPart}`);
}

function ruleName(rule: CompiledRule): string {
  return rule.rule.id !== undefined ? `rule ${rule.index} (ID ${quote(rule.rule.id)})` : `rule ${rule.index}`;
}

/**
 * The explanation of §1A for one request: every rule consulted, in order, up to and including
 * the one that matched (docs/spec/cors.md §5 "Explain").
 */
export function explainMatch(
  rules: readonly CompiledRule[],
  origin: string,
  method: string,
  names: readonly string[],
): Explanation {
  const verdicts: RuleVerdict[] = [];
  for (const rule of rules) {
    const v = explainRule(rule, origin, method, names);
    verdicts.push(v);
    if (v.matched) return { matchedRule: rule.index, rules: verdicts, summary: `${ruleName(rule)} matched` };
  }
  const tried = rules.length === 1 ? '1 rule' : `${rules.length} rules`;
  return { rules: verdicts, summary: `no rule matched (${tried} tried)` };
}

/** An explanation for a decision taken before any rule was consulted. */
export function explainWithoutRules(summary: string): Explanation {
  return { rules: [], summary };
}
