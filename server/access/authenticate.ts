/**
 * Who is asking: SigV4 (header or presigned query) or SigV2 verified by `server/auth`, or
 * anonymous when the request carries no credentials (the ACLs then decide, in authorize.ts).
 * Every refusal is an S3Error with S3's code and extra elements (StringToSign, CanonicalRequest…).
 *
 * `authMode: 'permissive'`: credentials that do not verify (a wrong secret, an unknown key, an
 * expired URL, a skewed clock) act as the first configured user; a malformed Authorization
 * header is still refused, and a correctly signed request by another user is still that user.
 * The admin API asks for `strict`: permissive mode never lets it in (docs/security.md).
 */
import { verifyRequestAuth } from '../auth/verify-request';
import type { AuthInfo, S3Context } from '../context';
import { S3Error, fromAuthFailure } from '../errors';
import { H, PAYLOAD, headerValue } from '../headers';
import type { S3Request } from '../http/s3-reply';

/** Payload modes whose chunks are signed with the request's signature. */
const SIGNED_STREAMING: readonly string[] = [PAYLOAD.streamingSigned, PAYLOAD.streamingSignedTrailer];

/**
 * Signed aws-chunked bodies need a SigV4 seed signature. UNVERIFIED(S3): the code S3 gives an
 * anonymous or SigV2 request that announces one; without it the chunks could not be checked.
 */
function refuseUnseededStreaming(payloadHash: string | undefined): void {
  if (payloadHash !== undefined && SIGNED_STREAMING.includes(payloadHash)) {
    throw new S3Error('InvalidRequest', `x-amz-content-sha256: ${payloadHash} needs a Signature Version 4 signature; this request has none.`, {
      ArgumentName: H.amzContentSha256,
    });
  }
}

/**
 * The request's headers with repeated ones kept apart (a second X-Amz-Date must not be joined
 * into the first). node builds `headersDistinct` (an object and an array per header) on first
 * use; when no header name occurs twice, `headers` says the same, so that view is built only
 * for a request that repeats one. inject() requests have no such view.
 */
function distinctHeaders(request: S3Request): Record<string, string | string[] | undefined> {
  const raw = request.raw;
  const headers = request.headers;
  let names = 0;
  for (const _ in headers) names++;
  if (raw.rawHeaders === undefined || names * 2 === raw.rawHeaders.length) return headers;
  return raw.headersDistinct ?? headers;
}

/** `strict`: verify signatures even under `--auth permissive` (the admin API). */
export function authenticate(ctx: S3Context, request: S3Request, options: { strict?: boolean } = {}): AuthInfo {
  const { config } = ctx.services;
  const result = verifyRequestAuth({
    method: ctx.method,
    rawUrl: request.url,
    headers: distinctHeaders(request),
    now: new Date(),
    lookupSecret: (id) => config.users.find((u) => u.accessKeyId === id)?.secretAccessKey,
    region: config.region,
    virtualHostBucket: ctx.address.style === 'virtual' ? ctx.bucket : undefined,
  });
  const headerHash = headerValue(ctx.headers, H.amzContentSha256);
  if (result === undefined) {
    refuseUnseededStreaming(headerHash);
    return { user: undefined, mode: 'anonymous', payloadHash: headerHash };
  }
  if (!result.ok) {
    if (options.strict !== true && config.authMode === 'permissive' && result.code !== 'AuthorizationHeaderMalformed') {
      // The chunks of a signed aws-chunked body are decoded unchecked (server/body/payload.ts).
      return { user: config.users[0], mode: 'header', payloadHash: headerHash, signatureVersion: 4 };
    }
    throw fromAuthFailure(result);
  }
  const user = config.users.find((u) => u.accessKeyId === result.accessKeyId);
  if (!user) throw new S3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: result.accessKeyId });
  if (result.signatureVersion === 2) {
    refuseUnseededStreaming(headerHash);
    return { user, mode: result.mode, payloadHash: headerHash, signatureVersion: 2 };
  }
  return {
    user,
    mode: result.mode,
    payloadHash: result.payloadHash,
    signingKey: result.signingKey,
    seedSignature: result.signature,
    scope: result.scope,
    amzDate: result.amzDate,
    signatureVersion: 4,
  };
}
