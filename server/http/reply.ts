/**
 * The one place handler results and S3 errors become HTTP responses. CORS headers already
 * set on the reply stay on error responses.
 */
import { Readable } from 'node:stream';
import { RandomIds } from '../../storage/random-pool';
import { S3Error, fromAuthFailure, isS3Error } from '../errors';
import { toS3Error } from '../storage-errors';
import type { S3Result } from '../context';
import { H } from '../headers';
import { buildXml, type XmlNode } from '../xml/xml';
import { redactUrl } from './logging';
import type { S3Reply } from './s3-reply';

const requestIds = new RandomIds(8, 'upper');
const hostIds = new RandomIds(24, 'base64');

/** x-amz-request-id: 16 hex digits in capitals, as S3's. */
export function newRequestId(): string {
  return requestIds.next();
}

/** x-amz-id-2: 32 base64 characters. */
export function newHostId(): string {
  return hostIds.next();
}

/** What every answer carries from the start: its request id, a host id and the server's name. */
export function identityHeaders(requestId: string): Record<string, string> {
  return { [H.amzRequestId]: requestId, [H.amzId2]: newHostId(), server: 'crossbucket' };
}

/** `<Error><Code/><Message/>…extras…<RequestId/><HostId/></Error>` */
export function errorXml(err: S3Error, requestId: string, hostId: string): string {
  const node: XmlNode = { Code: err.code, Message: err.message };
  for (const [name, value] of Object.entries(err.extras)) if (value !== undefined) node[name] = value;
  node.RequestId = requestId;
  node.HostId = hostId;
  return buildXml('Error', node, { xmlns: false });
}

export function sendResult<R extends S3Reply>(reply: R, result: S3Result): R {
  reply.code(result.status ?? 200);
  const headers = result.headers;
  if (headers) {
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) reply.header(name, value);
    }
  }
  if (typeof result.body === 'string' && !reply.hasHeader(H.contentType)) reply.header(H.contentType, 'application/xml');
  if (Buffer.isBuffer(result.body) && !plainMediaType(reply.getHeader(H.contentType))) {
    // fastify replaces a Content-Type it cannot parse (`foo`, stored as given by PutObject) with
    // application/octet-stream on a Buffer body, never on a stream.
    reply.send(Readable.from([result.body]));
    return reply;
  }
  reply.send(result.body);
  return reply;
}

/** `type/subtype` without parameters: a value fastify keeps as it is on a Buffer body. */
function plainMediaType(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+$/.test(value));
}

/** The client closed its connection (a reset, an aborted body, a stream closed early). */
function clientGone(reply: S3Reply, thrown: unknown): boolean {
  if (reply.raw.socket?.destroyed === true || reply.request.raw.aborted) return true;
  const code = (thrown as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (thrown instanceof Error && thrown.message === 'aborted');
}

/** Turns any thrown value into S3 XML; unknown failures are InternalError, logged with a stack. */
export function sendError<R extends S3Reply>(reply: R, thrown: unknown, requestId: string): R {
  let err: S3Error;
  if (clientGone(reply, thrown)) {
    // Nobody is left to answer: not a server fault. The request line says which one it was.
    const request = reply.request;
    reply.log.debug({ method: request.method, url: redactUrl(request.url), code: (thrown as { code?: unknown }).code }, 'client disconnected');
    err = isS3Error(thrown) ? thrown : new S3Error('IncompleteBody');
  } else if (isS3Error(thrown)) {
    err = thrown;
  } else if (thrown instanceof Error && thrown.name === 'AuthError') {
    err = fromAuthFailure(thrown as Error & { code: string; extra: Record<string, string> });
  } else if (thrown instanceof Error && thrown.name === 'StorageError') {
    err = toS3Error(thrown, reply.request.s3 ?? { bucket: undefined, key: undefined }) as S3Error;
  } else {
    reply.log.error({ err: thrown }, 'internal error');
    err = new S3Error('InternalError');
  }
  // Any headers a handler set for a success (content-length, etag...) must not leak onto the error.
  for (const name of [H.contentLength, H.contentRange, H.etag, H.lastModified, H.acceptRanges, H.contentEncoding, H.contentDisposition, H.cacheControl, H.expires, H.contentLanguage]) {
    reply.removeHeader(name);
  }
  for (const [name, value] of Object.entries(err.headers)) reply.header(name, value);
  reply.code(err.status);
  // Errors raised before the onRequest hook (a URL fastify cannot route) still carry the ids.
  if (!reply.hasHeader(H.amzRequestId)) reply.header(H.amzRequestId, requestId);
  if (!reply.hasHeader(H.amzId2)) reply.header(H.amzId2, newHostId());
  const id2 = String(reply.getHeader(H.amzId2));
  if (reply.request.method === 'HEAD' || err.status === 304) {
    reply.send();
    return reply;
  }
  reply.header(H.contentType, 'application/xml');
  reply.send(errorXml(err, requestId, id2));
  return reply;
}
