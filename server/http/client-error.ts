/**
 * Requests node's HTTP parser refuses before fastify routes them (a header section over
 * node's 16 KB limit, broken framing such as bytes past Content-Length, a timed-out request)
 * are answered with S3's XML error instead of fastify's JSON, then the connection is closed.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { S3Error } from '../errors';
import { errorXml, newHostId, newRequestId } from './reply';

export function clientError(code: string | undefined): S3Error {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      // DEVIATION(S3): node's limit (16 KB for the request line and headers), not S3's.
      return new S3Error('RequestHeaderSectionTooLarge', undefined, { MaxSizeAllowed: '16384' });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return new S3Error('RequestTimeout');
    default:
      return new S3Error('BadRequest');
  }
}

/** fastify's `clientErrorHandler` (bound to the instance). */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const s3 = clientError(err.code);
  this.log.debug({ code: err.code, s3: s3.code }, 'client error');
  if (socket.writable) {
    const requestId = newRequestId();
    const hostId = newHostId();
    const body = errorXml(s3, requestId, hostId);
    socket.write(
      `HTTP/1.1 ${s3.status} ${STATUS_CODES[s3.status] ?? ''}\r\ncontent-type: application/xml\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`
      + `x-amz-request-id: ${requestId}\r\nx-amz-id-2: ${hostId}\r\nserver: crossbucket\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
