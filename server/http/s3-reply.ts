/**
 * What an S3 answer is written through: the part of fastify's reply that the S3 pipeline uses
 * (server/pipeline/serve-s3.ts, server/http/reply.ts, server/cors/cors-enforce.ts). fastify's own reply is
 * one; server/http/plain-reply.ts is the other, for the reads answered before fastify's pipeline
 * (server/pipeline/read-first.ts). Type-only: nothing here imports fastify's code.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { S3Context } from '../context';

/** The request as the pipeline reads it: its target (origin-form), its raw message and headers. */
export interface S3Request {
  readonly method: string;
  readonly url: string;
  readonly raw: IncomingMessage;
  readonly headers: IncomingHttpHeaders;
  readonly s3?: S3Context;
}

/** Where a CORS decision's headers go. */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

export interface S3Reply extends HeaderSink {
  readonly raw: ServerResponse;
  readonly request: S3Request;
  readonly log: FastifyBaseLogger;
  /** The response has ended (fastify: `raw.writableEnded`). */
  readonly sent: boolean;
  code(status: number): unknown;
  header(name: string, value: string | number): unknown;
  hasHeader(name: string): boolean;
  getHeader(name: string): unknown;
  removeHeader(name: string): unknown;
  send(payload?: string | Buffer | Readable): unknown;
}
