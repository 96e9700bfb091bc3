/**
 * Who is asking: SigV4 (header or presigned query) verified by `server/auth`, or anonymous
 * when the request carries no credentials. In permissive mode any well-formed credentials act
 * as the first configured user.
 */
import type { FastifyRequest } from 'fastify';
import { verifyRequestAuth } from './auth/verify-request';
import type { AuthInfo, S3Context } from './context';
import { S3Error, fromAuthFailure } from './errors';
import { H, headerValue } from './headers';

export function authenticate(ctx: S3Context, request: FastifyRequest): AuthInfo {
  const { config } = ctx.services;
  const result = verifyRequestAuth({
    method: ctx.method,
    rawUrl: request.url,
    // headersDistinct keeps repeated headers apart (inject() requests have no such view).
    headers: request.raw.headersDistinct ?? request.headers,
    now: new Date(),
    lookupSecret: (id) => config.users.find((u) => u.accessKeyId === id)?.secretAccessKey,
    region: config.region,
    virtualHostBucket: ctx.address.style === 'virtual' ? ctx.bucket : undefined,
  });
  if (result === undefined) return { user: undefined, mode: 'anonymous', payloadHash: headerValue(ctx.headers, H.amzContentSha256) };
  if (!result.ok) {
    if (config.authMode === 'permissive' && result.code !== 'AuthorizationHeaderMalformed') {
      const first = config.users[0];
      return { user: first, mode: 'header', payloadHash: headerValue(ctx.headers, H.amzContentSha256) };
    }
    throw fromAuthFailure(result);
  }
  const user = config.users.find((u) => u.accessKeyId === result.accessKeyId);
  if (!user) throw new S3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: result.accessKeyId });
  if (result.signatureVersion === 2) return { user, mode: result.mode, payloadHash: headerValue(ctx.headers, H.amzContentSha256) };
  return {
    user,
    mode: result.mode,
    payloadHash: result.payloadHash,
    signingKey: result.signingKey,
    seedSignature: result.signature,
    scope: result.scope,
    amzDate: result.amzDate,
  };
}
