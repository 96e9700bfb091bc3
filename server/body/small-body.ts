/**
 * Reads a small request document (XML configuration, DeleteObjects, Complete...) with a size
 * bound. A declared length over the bound is refused before reading; a body that grows past it
 * stops being read without destroying the request (that would reset the socket before the
 * error could be sent), and the answer closes the connection.
 */
import type { Readable } from 'node:stream';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, headerValue } from '../headers';
import { verifyDocument } from './integrity';
import { decodedBody } from './payload';

/** Collects at most `max` bytes of `stream`; 'too-large' when it holds more. */
function collect(stream: Readable, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      stream.off('data', onData);
      stream.pause();
      resolve('too-large');
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

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
  const body = await collect(decoded.stream, maxBytes);
  if (body === 'too-large') {
    const err = tooLarge();
    // The rest of the body is still on the wire: close the connection after the answer.
    throw new S3Error(err.code, err.message, err.extras, { ...err.headers, connection: 'close' });
  }
  await decoded.finished();
  return { body, trailers: decoded.trailers() };
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
