/**
 * §1C: the CORS headers of an actual (non-OPTIONS) request. CORS never blocks, fails or grants an
 * actual request (§1C steps 4 and 7): the answer is only a set of headers, which the caller adds
 * to the response whatever its outcome, errors included (§1C step 6).
 */

import { explainMatch, explainWithoutRules, findMatchingRule, headerValue, parseRequestHeaders } from './match';
import { corsResponseHeaders } from './response-headers';
import type { ActualDecision, ActualInput, CompiledRule, Explanation } from './types';

/** The §1A explanation, noting where the checked method came from and that nothing was added. */
function explainActual(
  rules: readonly CompiledRule[],
  origin: string,
  method: string,
  names: readonly string[],
  requestMethod: string | undefined,
): Explanation {
  const e = explainMatch(rules, origin, method, names);
  if (requestMethod !== undefined) {
    e.summary += `; method checked: ${JSON.stringify(requestMethod)} from Access-Control-Request-Method`;
  }
  if (e.matchedRule === undefined) e.summary += '; no CORS headers';
  return e;
}

/**
 * §1C steps 1-5, with §4.5 (ACAH echo) and §4.12 (no Vary without a match). POST Object (browser
 * form upload) is evaluated with method `POST` on every outcome (§4.13).
 */
export function evaluateActual(input: ActualInput): ActualDecision {
  // §1C step 1: no Origin → no Access-Control-* and no Vary, even with rules.
  const origin = headerValue(input.origin);
  if (origin === undefined) {
    return { headers: {}, explanation: explainWithoutRules('no Origin header: not a CORS request, no CORS headers') };
  }

  // §1C step 2: bucket missing or without configuration → no CORS headers.
  const cors = input.cors;
  if (cors === undefined) {
    return {
      headers: {},
      explanation: explainWithoutRules('no CORS configuration (or no bucket): no CORS headers'),
    };
  }

  // §1C step 3 / §1A step 2: the method checked is ACRM when present, else the real method;
  // an ACRH on a non-OPTIONS request is checked too (§1A step 4, LS-AWS get-non-allowed-with-acl).
  const requestMethod = headerValue(input.accessControlRequestMethod);
  const method = requestMethod ?? input.method;
  const names = parseRequestHeaders(input.accessControlRequestHeaders);
  const rules = cors.rules;
  const rule = findMatchingRule(rules, origin, method, names);
  let explanation: Explanation | undefined;

  // §1C step 4 / §4.12: no match → no CORS headers and no Vary (as S3; not "fixed").
  // UNVERIFIED(S3): no Vary on a non-matching request with Origin is inferred from the recordings.
  // §1C step 5: match → the preflight header set (ACAO, ACAC if echoed, ACAM, ACMA, ACEH,
  // VARY3); ACAH only when an allowed ACRH was sent.
  // UNVERIFIED(S3): §4.5, ACAH on a non-OPTIONS request is not recorded (Q5).
  return {
    headers: rule === undefined ? {} : corsResponseHeaders(rule, origin, names),
    get explanation(): Explanation {
      return (explanation ??= explainActual(rules, origin, method, names, requestMethod));
    },
  };
}
