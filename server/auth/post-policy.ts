/**
 * Browser-based uploads: POST Object with a SigV4 POST policy (AWS S3 API, "Browser-Based
 * Uploads Using POST (AWS Signature Version 4)", "Creating a POST Policy").
 *
 *   StringToSign = the base64-encoded policy (the `policy` form field, as sent)
 *   Signature    = Hex(HMAC-SHA256(SigningKey, StringToSign))
 *
 * Form field names are matched case-insensitively. The policy document is JSON:
 *   { "expiration": "2026-12-01T12:00:00.000Z", "conditions": [ ... ] }
 */
import { MESSAGES, authFailure, type AuthFailure } from './auth-error';
import { hexBytes } from './canonical-request';
import { isCredentialProblem, parseCredential } from './credential';
import { deriveSigningKey, hmacSha256, signaturesEqual } from './signing-key';
import { ALGORITHM } from './signing-context';
import { signV2 } from './sigv2';
import { normalizeFields, parsePolicyDocument, type PostFields, type PostPolicy } from './post-policy-conditions';

export interface PostPolicyVerified {
  ok: true;
  signatureVersion: 4 | 2;
  accessKeyId: string;
  policy: PostPolicy;
}

// UNVERIFIED(S3): wording from versitygw's catalogue (note S3's two spaces after the period).
function missingField(name: string): AuthFailure {
  return authFailure(
    'InvalidArgument',
    `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    { ArgumentName: name, ArgumentValue: '' },
  );
}

function credentialFailure(message: string): AuthFailure {
  return authFailure('InvalidArgument', message);
}

/**
 * Checks the signature of a POST form and decodes its policy. Returns `undefined` for an
 * anonymous form (no `policy` and no signature fields). Then parses the policy and checks its
 * expiration; `checkPostPolicyConditions` checks the fields against it.
 */
export function verifyPostPolicySignature(
  fields: PostFields,
  now: Date,
  lookupSecret: (accessKeyId: string) => string | undefined,
): PostPolicyVerified | AuthFailure | undefined {
  const f = normalizeFields(fields);
  const policyText = f.get('policy');
  const isV2 = f.has('awsaccesskeyid');
  if (policyText === undefined) {
    if (!f.has('x-amz-signature') && !f.has('x-amz-credential') && !isV2 && !f.has('signature')) return undefined;
    return missingField('policy');
  }

  let accessKeyId: string;
  let expected: string;
  let provided: string;
  if (isV2) {
    // SigV2 forms: Signature = Base64(HMAC-SHA1(secret, policy)).
    accessKeyId = f.get('awsaccesskeyid') ?? '';
    provided = f.get('signature') ?? '';
    if (provided === '') return missingField('signature');
    const secret = lookupSecret(accessKeyId);
    if (secret === undefined) {
      return authFailure('InvalidAccessKeyId', MESSAGES.invalidAccessKeyId, { AWSAccessKeyId: accessKeyId });
    }
    expected = signV2(secret, policyText);
  } else {
    for (const name of ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']) {
      if (!f.has(name)) return missingField(name);
    }
    if (f.get('x-amz-algorithm') !== ALGORITHM) {
      // UNVERIFIED(S3): code and wording.
      return authFailure('InvalidArgument', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', {
        ArgumentName: 'x-amz-algorithm',
        ArgumentValue: f.get('x-amz-algorithm') ?? '',
      });
    }
    const credential = parseCredential(f.get('x-amz-credential') ?? '');
    if (isCredentialProblem(credential)) {
      // UNVERIFIED(S3): POST uses InvalidArgument with the header messages' tails (versitygw).
      switch (credential.problem) {
        case 'malformed':
          return credentialFailure('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
        case 'date':
          return credentialFailure(`incorrect date format "${credential.value}". This date in the credential must be in the format "yyyyMMdd".`);
        case 'service':
          return credentialFailure(`incorrect service "${credential.value}". This endpoint belongs to "s3".`);
        case 'terminal':
          return credentialFailure(`incorrect terminal "${credential.value}". This endpoint uses "aws4_request".`);
      }
    }
    accessKeyId = credential.accessKeyId;
    provided = f.get('x-amz-signature') ?? '';
    const secret = lookupSecret(accessKeyId);
    if (secret === undefined) {
      return authFailure('InvalidAccessKeyId', MESSAGES.invalidAccessKeyId, { AWSAccessKeyId: accessKeyId });
    }
    const key = deriveSigningKey(secret, credential.date, credential.region, credential.service);
    expected = hmacSha256(key, policyText).toString('hex');
  }

  if (!signaturesEqual(expected, provided)) {
    return authFailure('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch, {
      AWSAccessKeyId: accessKeyId,
      StringToSign: policyText,
      SignatureProvided: provided,
      StringToSignBytes: hexBytes(policyText),
    });
  }

  const policy = parsePolicyDocument(policyText);
  if ('ok' in policy) return policy;
  if (now.getTime() > policy.expiration.getTime()) {
    // verified (aws-sdk-ruby#895, Fausto95/aws-s3#38)
    return authFailure('AccessDenied', 'Invalid according to Policy: Policy expired.');
  }
  return { ok: true, signatureVersion: isV2 ? 2 : 4, accessKeyId, policy };
}
