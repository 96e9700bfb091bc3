/**
 * cors-engine: S3 bucket CORS as pure functions (docs/spec/cors.md).
 *
 * validate (PutBucketCors) → compile (once per configuration) → evaluate (per request).
 */

export type {
  ActualDecision,
  ActualInput,
  CompiledCors,
  CompiledRule,
  CorsConfiguration,
  CorsRule,
  CorsValidationError,
  Explanation,
  PreflightDecision,
  PreflightInput,
  RawCorsRule,
  ResourceType,
  RuleVerdict,
  ValidationResult,
  WildcardPattern,
} from './types';
export type { AwsCorsJson, AwsCorsRuleJson, AwsJsonResult } from './aws-json';

export { validateCorsRules } from './validate';
export { rawRulesFromAwsJson, corsConfigFromAwsJson, toAwsJson } from './aws-json';
export { compileCors } from './compile';
export { evaluatePreflight } from './evaluate-preflight';
export { evaluateActual } from './evaluate-actual';
export { parseRequestHeaders } from './match';
export {
  ACCESS_CONTROL_ALLOW_CREDENTIALS,
  ACCESS_CONTROL_ALLOW_HEADERS,
  ACCESS_CONTROL_ALLOW_METHODS,
  ACCESS_CONTROL_ALLOW_ORIGIN,
  ACCESS_CONTROL_EXPOSE_HEADERS,
  ACCESS_CONTROL_MAX_AGE,
  BUCKET_NOT_FOUND_MESSAGE,
  CORS_DOCUMENT_TOO_LARGE_MESSAGE,
  CORS_MAX_DOCUMENT_BYTES,
  CORS_MAX_ID_LENGTH,
  CORS_MAX_RULES,
  CORS_NOT_ALLOWED_MESSAGE,
  CORS_NOT_ENABLED_MESSAGE,
  CORS_SUPPORTED_METHODS,
  CORS_VARY_VALUE,
  ID_TOO_LONG_MESSAGE,
  MALFORMED_XML_MESSAGE,
  MISSING_CONTENT_MD5_MESSAGE,
  NO_SUCH_CORS_CONFIGURATION_MESSAGE,
  ORIGIN_NEEDED_MESSAGE,
  REQUEST_METHOD_NEEDED_MESSAGE,
  TOO_MANY_RULES_MESSAGE,
  VARY,
  allowedHeaderWildcardMessage,
  exposeHeaderWildcardMessage,
  invalidHeaderCharacterMessage,
  originWildcardMessage,
  unsupportedMethodMessage,
} from './messages';
