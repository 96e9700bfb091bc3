/**
 * An S3 REST request, from its context to its answer: the CORS headers of an actual request,
 * the signature, the access checks, the operation and its result or S3 error. fastify's route
 * runs it (server/app.ts), and so do the reads answered before fastify's pipeline
 * (server/pipeline/read-first.ts): one pipeline, two ways in.
 */
import { authenticate } from '../access/authenticate';
import { authorize } from '../access/authorize';
import type { S3Context, S3Result } from '../context';
import { applyActualCors } from '../cors/cors-enforce';
import { S3Error } from '../errors';
import { sendError, sendResult } from '../http/reply';
import type { S3Reply, S3Request } from '../http/s3-reply';
import { isImplemented } from '../operation-names';
import { bucketRegionHeader } from '../operations/bucket';
import { OPERATIONS } from '../operations/operations';

/**
 * Runs the request and answers it. A synchronous operation (GetObject, HeadObject) is answered
 * before this returns (undefined); otherwise the promise settles once the answer is under way.
 */
export function serveS3<R extends S3Reply>(ctx: S3Context, request: S3Request, reply: R): Promise<R> | undefined {
  let result: S3Result | Promise<S3Result>;
  try {
    applyActualCors(ctx, reply);
    if (ctx.operation === 'HeadBucket') for (const [name, value] of Object.entries(bucketRegionHeader(ctx))) reply.header(name, value);
    ctx.auth = authenticate(ctx, request);
    const operation = ctx.operation;
    if (!isImplemented(operation)) {
      throw new S3Error('NotImplemented', `${ctx.operation} is not implemented by crossbucket.`, { Operation: ctx.operation });
    }
    // Also x-amz-expected-bucket-owner against the owner's account (docs/spec/access.md §1 R1.3).
    authorize(ctx);
    result = OPERATIONS[operation](ctx);
  } catch (err) {
    answerError(reply, err, ctx);
    return undefined;
  }
  // A synchronous operation is answered now: fastify sends nothing for a handler that returns
  // undefined, and there is no promise for it to wait on.
  if (!isPromise(result)) {
    answer(reply, result, ctx);
    return undefined;
  }
  return result.then((r) => answer(reply, r, ctx), (err: unknown) => answerError(reply, err, ctx));
}

function isPromise(result: S3Result | Promise<S3Result>): result is Promise<S3Result> {
  return typeof (result as { then?: unknown }).then === 'function';
}

/** The operation's result as the response, unless one was already sent (the body timed out: bodyIdle). */
function answer<R extends S3Reply>(reply: R, result: S3Result, ctx: S3Context): R {
  if (reply.sent) return reply;
  try {
    return sendResult(reply, result);
  } catch (err) {
    return answerError(reply, err, ctx);
  }
}

function answerError<R extends S3Reply>(reply: R, err: unknown, ctx: S3Context): R {
  if (reply.sent) return reply;
  return sendError(reply, err, ctx.requestId);
}
