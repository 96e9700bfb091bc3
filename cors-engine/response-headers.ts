/**
 * The CORS header set of a matched rule: the same for a preflight (§1B step 7) and an actual
 * request (§1C step 5).
 */

import {
  ACCESS_CONTROL_ALLOW_CREDENTIALS,
  ACCESS_CONTROL_ALLOW_HEADERS,
  ACCESS_CONTROL_ALLOW_METHODS,
  ACCESS_CONTROL_ALLOW_ORIGIN,
  ACCESS_CONTROL_EXPOSE_HEADERS,
  ACCESS_CONTROL_MAX_AGE,
  CORS_VARY_VALUE,
  VARY,
} from './messages';
import type { CompiledRule } from './types';

/**
 * Builds the headers for `rule`, which matched `origin` with the requested header `names`
 * (already trimmed, lower-cased, empty items dropped).
 */
export function corsResponseHeaders(rule: CompiledRule, origin: string, names: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rule.anyOrigin) {
    // §1B step 7 / §4.7: `*` when the rule lists the bare `*`; never ACAC next to it.
    headers[ACCESS_CONTROL_ALLOW_ORIGIN] = '*';
  } else {
    // §1B step 7: otherwise the request's Origin echoed verbatim (never the pattern or the list),
    // with ACAC `true`.
    headers[ACCESS_CONTROL_ALLOW_ORIGIN] = origin;
    headers[ACCESS_CONTROL_ALLOW_CREDENTIALS] = 'true';
  }
  // §1B step 7: every AllowedMethod of the rule, stored order, ", ".
  headers[ACCESS_CONTROL_ALLOW_METHODS] = rule.allowMethods;
  // §1B step 7: ACAH only when ACRH was sent: an echo of the request, lower-cased, ", ".
  // §4.5: also on an actual request carrying an allowed ACRH.
  // UNVERIFIED(S3): ACRH with only empty items (`,`) is treated as not sent: no ACAH.
  if (names.length > 0) headers[ACCESS_CONTROL_ALLOW_HEADERS] = names.join(', ');
  // §1B step 7: ACEH only when the rule has ExposeHeader values.
  if (rule.exposeHeaders !== undefined) headers[ACCESS_CONTROL_EXPOSE_HEADERS] = rule.exposeHeaders;
  // §1B step 7: ACMA only when the rule has MaxAgeSeconds.
  if (rule.maxAge !== undefined) headers[ACCESS_CONTROL_MAX_AGE] = rule.maxAge;
  // §1B step 7 / §1C step 5: VARY3, exact value.
  headers[VARY] = CORS_VARY_VALUE;
  return headers;
}
