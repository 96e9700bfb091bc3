/**
 * Reads a small request document (XML configuration, DeleteObjects, Complete...) with a size
 * bound. A declared length over the bound is refused before reading; a body that grows past it
 * stops being read without destroying the request (that would reset the socket before the
 * error could be sent), and the answer closes the connection.
 */
import { readSmall } from '../../storage/small-body';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { verifyDocument } from './integrity';
import { decodedBody } from './payload';

export interface SmallBody {
  body: Buffer;
  /** Trailing headers of an aws-chunked body (checksums). */
  trailers: Record<string, string>;
}

export async function readSmallBodyWithTrailers(ctx: S3Context, maxBytes: number, tooLarge: () => S3Error = () => new S3Error('MaxMessageLengthExceeded')): Promise<SmallBody> {
  const declared = headerValue(ctx.headers, H.amzDecodedContentLength) ?? headerValue(ctx.headers, H.contentLength);
  // Refused before reading: node discards the unread body after the answer.
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
  const decoded = decodedBody(ctx);
  // Paused past the bound (storage/small-body.ts, as a PutObject's body is read).
  const read = await readSmall(decoded.stream, maxBytes);
  if (!('whole' in read)) {
    const err = tooLarge();
    // The rest of the body is still on the wire: close the connection after the answer.
    throw new S3Error(err.code, err.message, err.extras, { ...err.headers, connection: 'close' });
  }
  await decoded.finished();
  return { body: read.whole, trailers: decoded.trailers() };
}

/** The bytes of a small body, without an integrity check (CompleteMultipartUpload's checksum headers describe the object, not the document). */
export async function readSmallBody(ctx: S3Context, maxBytes: number): Promise<Buffer> {
  return (await readSmallBodyWithTrailers(ctx, maxBytes)).body;
}

export interface DocumentOptions {
  maxBytes: number;
  /** The error for a document over maxBytes (default MaxMessageLengthExceeded). */
  tooLarge?: () => S3Error;
  /** The error when neither Content-MD5 nor an `x-amz-checksum-*` came with the document. */
  required?: () => S3Error;
}

/**
 * A small request document (a configuration, an ACL, DeleteObjects...), read with its bound and
 * checked against the Content-MD5 / `x-amz-checksum-*` sent with it (header or aws-chunked
 * trailer): the one integrity check of every document.
 */
export async function readDocument(ctx: S3Context, options: DocumentOptions): Promise<Buffer> {
  const { body, trailers } = await readSmallBodyWithTrailers(ctx, options.maxBytes, options.tooLarge);
  await verifyDocument(ctx.headers, body, trailers, options.required);
  return body;
}
