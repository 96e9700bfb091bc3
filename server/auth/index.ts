/** `server/auth`: pure SigV4/SigV2 verification (and SigV4 signing, for our own CLI), aws-chunked decoding and POST policies. */
export { AuthError, MESSAGES, authFailure, type AuthErrorCode, type AuthFailure } from './auth-error';
export { verifyRequestAuth, detectAuthScheme, type AuthResult, type AuthScheme, type AuthSuccess } from './verify-request';
export { verifySigV4, type SigV4Result, type SigV4Success, type VerifyRequestInput } from './sigv4';
export { verifySigV2, type SigV2Result, type SigV2Success } from './sigv2';
export { signRequestV4, type SignRequestInput } from './sign-request';
export {
  AwsChunkedDecoder,
  createAwsChunkedDecoder,
  isAwsChunkedMode,
  type AwsChunkedMode,
  type AwsChunkedOptions,
} from './aws-chunked';
export type { ChunkSigningSeed } from './chunk-signature';
export { PayloadHashVerifier, createPayloadHashVerifier, isPayloadDigest } from './payload-hash';
export { verifyPostPolicySignature, type PostPolicyVerified } from './post-policy';
export {
  checkPostPolicyConditions,
  contentLengthRange,
  parsePolicyDocument,
  type PolicyCondition,
  type PostFields,
  type PostPolicy,
} from './post-policy-conditions';
export {
  MAX_SKEW_MS,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  UNSIGNED_PAYLOAD,
} from './signing-context';
