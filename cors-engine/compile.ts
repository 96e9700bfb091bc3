/**
 * Compiling a configuration into matchers, once per stored configuration (docs/architecture.md "Storage": the
 * compiled rules are cached; a request never re-parses or builds a regex).
 */

import type { CompiledCors, CompiledRule, CorsConfiguration, CorsRule, WildcardPattern } from './types';

/**
 * Splits a pattern on its single `*` (§1A step 3, §1A step 4, §4.10): `*` matches zero or more
 * characters and the match is anchored at both ends.
 * UNVERIFIED(S3): "zero or more" and anchoring come from Ceph/CloudServer tests and one LocalStack
 * recording; the empty-match case is not recorded on AWS. A validated pattern has at most one `*`; if
 * an unvalidated one has more, only the first is a wildcard and the others are literal.
 */
export function compilePattern(source: string, lowerCase: boolean): WildcardPattern {
  const text = lowerCase ? source.toLowerCase() : source;
  if (text === '*') return { source, any: true, exact: false, prefix: '', suffix: '', minLength: 0 };
  const star = text.indexOf('*');
  if (star === -1) return { source, any: false, exact: true, prefix: text, suffix: '', minLength: text.length };
  const prefix = text.slice(0, star);
  const suffix = text.slice(star + 1);
  return { source, any: false, exact: false, prefix, suffix, minLength: prefix.length + suffix.length };
}

/** Anchored wildcard match; no normalisation of the value (§1A step 3). */
export function matchPattern(pattern: WildcardPattern, value: string): boolean {
  if (pattern.any) return true;
  if (pattern.exact) return value === pattern.prefix;
  return value.length >= pattern.minLength && value.startsWith(pattern.prefix) && value.endsWith(pattern.suffix);
}

function copyRule(rule: CorsRule): CorsRule {
  const copy: CorsRule = {
    allowedHeaders: [...rule.allowedHeaders],
    allowedMethods: [...rule.allowedMethods],
    allowedOrigins: [...rule.allowedOrigins],
    exposeHeaders: [...rule.exposeHeaders],
  };
  if (rule.id !== undefined) copy.id = rule.id;
  if (rule.maxAgeSeconds !== undefined) copy.maxAgeSeconds = rule.maxAgeSeconds;
  Object.freeze(copy.allowedHeaders);
  Object.freeze(copy.allowedMethods);
  Object.freeze(copy.allowedOrigins);
  Object.freeze(copy.exposeHeaders);
  return Object.freeze(copy);
}

function compileRule(rule: CorsRule, index: number): CompiledRule {
  // §1A step 3 / §4.6: origins compared case-sensitively, exactly as stored.
  // UNVERIFIED(S3): no AWS recording covers origin case (Q6); CloudServer and LocalStack agree.
  const origins = rule.allowedOrigins.map((o) => compilePattern(o, false));
  // §1A step 4: header names compared case-insensitively, so patterns are lower-cased once.
  const headers = rule.allowedHeaders.map((h) => compilePattern(h, true));
  return {
    index,
    rule,
    origins,
    // §1B step 7 / §4.7: the bare `*` in the list decides ACAO `*`, whichever entry matched.
    // UNVERIFIED(S3): a rule listing both `*` and a literal origin is not recorded.
    anyOrigin: rule.allowedOrigins.includes('*'),
    methods: rule.allowedMethods,
    headers,
    // §1B step 7: ACAM is every AllowedMethod in stored order, joined by ", ".
    allowMethods: rule.allowedMethods.join(', '),
    // §1B step 7: ACEH only when the rule has ExposeHeader values, case as stored.
    exposeHeaders: rule.exposeHeaders.length > 0 ? rule.exposeHeaders.join(', ') : undefined,
    // §1B step 7 / §4.4: ACMA only when MaxAgeSeconds is set.
    // UNVERIFIED(S3): MaxAgeSeconds 0 is emitted as `Access-Control-Max-Age: 0`.
    maxAge: rule.maxAgeSeconds !== undefined ? String(rule.maxAgeSeconds) : undefined,
  };
}

/**
 * Compiles a validated configuration (from {@link validateCorsRules} or storage). The
 * configuration is copied and frozen, so the compiled form can be cached and shared safely.
 */
export function compileCors(config: CorsConfiguration): CompiledCors {
  const rules = config.rules.map(copyRule);
  const compiled: CompiledCors = {
    config: Object.freeze({ rules: Object.freeze(rules) as CorsRule[] }),
    rules: Object.freeze(rules.map(compileRule)),
  };
  return Object.freeze(compiled);
}
