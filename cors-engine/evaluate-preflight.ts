/**
 * §1B: the answer to a preflight, i.e. any OPTIONS request to a bucket or object. Never
 * authenticated; the caller turns a refusal into S3 error XML and a success into a 200 with an
 * empty body and these headers.
 */

import { explainMatch, explainWithoutRules, findMatchingRule, headerValue, parseRequestHeaders } from './match';
import {
  BUCKET_NOT_FOUND_MESSAGE,
  CORS_NOT_ALLOWED_MESSAGE,
  CORS_NOT_ENABLED_MESSAGE,
  ORIGIN_NEEDED_MESSAGE,
  REQUEST_METHOD_NEEDED_MESSAGE,
} from './messages';
import { corsResponseHeaders } from './response-headers';
import type { Explanation, PreflightDecision, PreflightInput } from './types';

/** §1B step 1 / step 4: 400 BadRequest; the S3 body has no Method or ResourceType. */
function badRequest(message: string, summary: string): PreflightDecision {
  return { allowed: false, status: 400, code: 'BadRequest', message, explanation: explainWithoutRules(summary) };
}

/** §1B steps 2 and 3: 403 AccessForbidden before any rule is consulted. */
function forbiddenBeforeRules(message: string, requestMethod: string | undefined, summary: string): PreflightDecision {
  return {
    allowed: false,
    status: 403,
    code: 'AccessForbidden',
    message,
    // §4.2: <Method> is ACRM when sent, otherwise OPTIONS.
    // UNVERIFIED(S3): for "Bucket not found" only the case without ACRM is recorded.
    method: requestMethod ?? 'OPTIONS',
    // §1B steps 2-3: always BUCKET here, even when the URL names an object.
    resourceType: 'BUCKET',
    explanation: explainWithoutRules(summary),
  };
}

/** §1B steps 1-7, in order, with the §4.1 and §4.2 decisions. */
export function evaluatePreflight(input: PreflightInput): PreflightDecision {
  const origin = headerValue(input.origin);
  const requestMethod = headerValue(input.accessControlRequestMethod);

  // §1B step 1: no Origin (a Referer does not count) → 400, even for a missing bucket.
  if (origin === undefined) {
    return badRequest(ORIGIN_NEEDED_MESSAGE, 'refused: the preflight has no Origin header');
  }

  // §1B step 2: bucket does not exist → 403 "Bucket not found".
  const bucket = input.bucket;
  if (bucket === 'missing') {
    return forbiddenBeforeRules(BUCKET_NOT_FOUND_MESSAGE, requestMethod, 'refused: the bucket does not exist');
  }

  // §1B step 3: bucket without CORS configuration → 403 "CORS is not enabled".
  if (bucket === 'no-cors') {
    return forbiddenBeforeRules(CORS_NOT_ENABLED_MESSAGE, requestMethod, 'refused: the bucket has no CORS configuration');
  }

  // §1B step 4 / §4.1: ACRM missing while a configuration exists → 400 BadRequest.
  // UNVERIFIED(S3): disputed (Q1); we follow Ceph s3-tests.
  if (requestMethod === undefined) {
    return badRequest(
      REQUEST_METHOD_NEEDED_MESSAGE,
      'refused: the preflight has no Access-Control-Request-Method header',
    );
  }

  // §1B step 5: §1A with method = ACRM.
  const names = parseRequestHeaders(input.accessControlRequestHeaders);
  const rules = bucket.rules;
  const rule = findMatchingRule(rules, origin, requestMethod, names);
  let explanation: Explanation | undefined;

  // §1B step 6: no rule matches → 403 with Method = ACRM and the resource type of the path.
  if (rule === undefined) {
    return {
      allowed: false,
      status: 403,
      code: 'AccessForbidden',
      message: CORS_NOT_ALLOWED_MESSAGE,
      method: requestMethod,
      resourceType: input.resourceType,
      get explanation(): Explanation {
        return (explanation ??= explainMatch(rules, origin, requestMethod, names));
      },
    };
  }

  // §1B step 7: a rule matches → 200 with the rule's CORS headers.
  return {
    allowed: true,
    headers: corsResponseHeaders(rule, origin, names),
    get explanation(): Explanation {
      return (explanation ??= explainMatch(rules, origin, requestMethod, names));
    },
  };
}
