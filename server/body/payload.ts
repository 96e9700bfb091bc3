/**
 * The request body as the object's bytes: aws-chunked framing removed (chunk signatures and
 * trailer checked by `server/auth`), a signed hex `x-amz-content-sha256` verified at the end.
 * Errors surface as stream errors carrying S3 codes, so nothing is committed.
 */
import type { Readable } from 'node:stream';
import { createAwsChunkedDecoder, isAwsChunkedMode, type AwsChunkedDecoder } from '../auth/aws-chunked';
import { createPayloadHashVerifier, isPayloadDigest, payloadMismatch } from '../auth/payload-hash';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, PAYLOAD, headerValue } from '../headers';

export interface DecodedBody {
  stream: Readable;
  /** Trailing headers of an aws-chunked body (after the stream ended). */
  trailers(): Record<string, string>;
  /** Waits for the end of the decoded stream (after it has been consumed). */
  finished(): Promise<void>;
  /**
   * With `{ payloadInStage: true }`: whether the stage must compute the SHA-256 (StageOptions
   * `sha256`) that checkPayload compares with the signed hex x-amz-content-sha256.
   */
  stageSha256: boolean;
  /** Throws `XAmzContentSHA256Mismatch` when the staged bytes are not what was signed (a no-op otherwise). */
  checkPayload(staged: { sha256?: Buffer }): void;
}

function pipeInto<T extends NodeJS.WritableStream & Readable>(raw: Readable, next: T): T {
  raw.on('error', (err) => next.destroy(err));
  raw.on('aborted', () => next.destroy(new S3Error('IncompleteBody')));
  return raw.pipe(next);
}

/**
 * `payloadInStage`: a signed hex payload hash is not checked by a hashing stream in front of the
 * caller's stage, but by checkPayload on the stage's own SHA-256 (one stream and one pipe less
 * per upload); the caller discards what it staged when checkPayload throws.
 */
export function decodedBody(ctx: S3Context, options: { payloadInStage?: boolean } = {}): DecodedBody {
  const raw = ctx.body;
  const hash = ctx.auth.payloadHash ?? headerValue(ctx.headers, H.amzContentSha256) ?? PAYLOAD.unsigned;
  const encoding = headerValue(ctx.headers, H.contentEncoding) ?? '';
  let stream: Readable = raw;
  let decoder: AwsChunkedDecoder | undefined;
  let expectedSha256: string | undefined;
  if (isAwsChunkedMode(hash)) {
    const decodedLength = headerValue(ctx.headers, H.amzDecodedContentLength);
    const a = ctx.auth;
    decoder = createAwsChunkedDecoder({
      mode: hash,
      seed: a.signingKey && a.seedSignature && a.amzDate && a.scope
        ? { signingKey: a.signingKey, seedSignature: a.seedSignature, amzDate: a.amzDate, scope: a.scope }
        : undefined,
      accessKeyId: a.user?.accessKeyId,
      // `--auth permissive`: a signature that did not verify leaves no seed; its chunks are not checked.
      skipSignatureCheck: ctx.services.config.authMode === 'permissive' && a.user !== undefined,
      decodedContentLength: decodedLength === undefined ? undefined : Number(decodedLength),
      expectedTrailers: (headerValue(ctx.headers, H.amzTrailer) ?? '').split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''),
    });
    stream = pipeInto(raw, decoder);
  } else if (encoding.split(',').some((e) => e.trim() === 'aws-chunked')) {
    throw new S3Error('InvalidArgument', 'x-amz-content-sha256 must be a STREAMING-* value for an aws-chunked body', { ArgumentName: 'x-amz-content-sha256', ArgumentValue: hash });
  } else if (isPayloadDigest(hash)) {
    // Whatever signed it (the Authorization header, a presigned URL's signed header or
    // X-Amz-Content-Sha256 parameter) or none (an anonymous request): a hex digest is checked.
    if (options.payloadInStage === true) expectedSha256 = hash;
    else stream = pipeInto(raw, createPayloadHashVerifier(hash));
  }
  const ended = new Promise<void>((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  ended.catch(() => undefined);
  return {
    stream,
    trailers: () => decoder?.getTrailers() ?? {},
    finished: () => ended,
    stageSha256: expectedSha256 !== undefined,
    checkPayload(staged) {
      if (expectedSha256 === undefined) return;
      const err = payloadMismatch(expectedSha256, staged.sha256?.toString('hex') ?? '');
      if (err !== undefined) throw err;
    },
  };
}
