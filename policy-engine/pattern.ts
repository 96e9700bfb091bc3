/**
 * Wildcard patterns with policy variables: Action (case-insensitive), Resource and `StringLike`
 * values (case-sensitive) (docs/spec/access.md §2 R2.3, R2.4, R2.5, R2.6).
 *
 * `*` matches any run of characters (`/` and the empty run included), `?` exactly one; the match
 * is anchored at both ends. With Version 2012-10-17, `${key}` is a policy variable, resolved per
 * request, and `${*}` `${?}` `${$}` are the literal characters. A pattern without a variable is
 * compiled to one RegExp at compile time; a pattern with one is compiled per request.
 */

import type { CompiledPattern, PatternToken, VariableLookup } from './types';

const VARIABLE = /\$\{([^}]*)\}/y;

/** Splits a pattern into literal runs, wildcards and variables. */
export function tokenize(source: string, wildcards: boolean, variables: boolean): PatternToken[] {
  const tokens: PatternToken[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit !== '') tokens.push({ t: 'lit', v: lit });
    lit = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (variables && c === '$') {
      VARIABLE.lastIndex = i;
      const m = VARIABLE.exec(source);
      const name = m?.[1];
      if (m !== null && name !== undefined) {
        if (name === '*' || name === '?' || name === '$') lit += name;
        else {
          flush();
          tokens.push({ t: 'var', key: name.trim().toLowerCase() });
        }
        i += m[0].length - 1;
        continue;
      }
    }
    if (wildcards && c === '*') {
      flush();
      tokens.push({ t: 'star' });
    } else if (wildcards && c === '?') {
      flush();
      tokens.push({ t: 'one' });
    } else lit += c;
  }
  flush();
  return tokens;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function regexOf(tokens: readonly PatternToken[], ignoreCase: boolean): RegExp {
  let body = '';
  for (const token of tokens) {
    if (token.t === 'lit') body += escapeRegex(token.v);
    else if (token.t === 'star') body += '[\\s\\S]*';
    else if (token.t === 'one') body += '[\\s\\S]';
  }
  // `u` so that `?` is one code point, not one UTF-16 unit.
  return new RegExp(`^${body}$`, ignoreCase ? 'iu' : 'u');
}

export interface PatternOptions {
  ignoreCase: boolean;
  /** Variables are recognised only in Version 2012-10-17 documents (§2 R2.1, R2.6). */
  variables: boolean;
  /** `*` and `?` are wildcards (false for exact operators, which still take variables). */
  wildcards?: boolean;
}

export function compilePattern(source: string, options: PatternOptions): CompiledPattern {
  const tokens = tokenize(source, options.wildcards ?? true, options.variables);
  const hasVar = tokens.some((t) => t.t === 'var');
  return { source, tokens, regex: hasVar ? null : regexOf(tokens, options.ignoreCase) };
}

/**
 * Resolves the variables of a pattern; undefined when one is absent or multi-valued, which makes
 * that element not match (§2 R2.6).
 */
export function resolveTokens(tokens: readonly PatternToken[], vars: VariableLookup): PatternToken[] | undefined {
  const out: PatternToken[] = [];
  for (const token of tokens) {
    if (token.t !== 'var') {
      out.push(token);
      continue;
    }
    const value = vars(token.key);
    if (value === undefined) return undefined;
    out.push({ t: 'lit', v: value });
  }
  return out;
}

/** Anchored match of a value against a pattern, resolving variables when it has some. */
export function matchPattern(pattern: CompiledPattern, value: string, vars: VariableLookup, ignoreCase: boolean): boolean {
  if (pattern.regex !== null) return pattern.regex.test(value);
  const resolved = resolveTokens(pattern.tokens, vars);
  return resolved !== undefined && regexOf(resolved, ignoreCase).test(value);
}

/** The text of a pattern with its variables resolved and no wildcards (for exact operators). */
export function resolveLiteral(pattern: CompiledPattern, vars: VariableLookup): string | undefined {
  const resolved = resolveTokens(pattern.tokens, vars);
  if (resolved === undefined) return undefined;
  let text = '';
  for (const token of resolved) if (token.t === 'lit') text += token.v;
  return text;
}

/** Whether a value holds a wildcard or variable (BPA "fixed value", §5 R5.7). */
export function hasWildcardOrVariable(value: string): boolean {
  return value.includes('*') || value.includes('?') || value.includes('${');
}
