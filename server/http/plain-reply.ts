/**
 * A reply written straight to node's `ServerResponse`, for the reads answered before fastify's
 * pipeline (server/pipeline/read-first.ts). It does what fastify 5's reply does (lib/reply.js:
 * `send`, `onSendEnd`, `sendStream`; lib/error-handler.js) for the answers of GetObject and
 * HeadObject, so the bytes on the wire are the same either way (test/server/read-first.test.ts
 * compares them). Those are never a 1xx or a 204, so fastify's framing for those is not here:
 *
 *   - headers are kept by lower-cased name until the answer goes out;
 *   - no payload: `Content-Length: 0`, except on a HEAD, a 204 and a 304;
 *   - a string or a Buffer: a Content-Type if none was set (text/plain; charset=utf-8 or
 *     application/octet-stream) and its Content-Length (a HEAD keeps the one set);
 *   - a stream: the headers, then the stream piped. If the stream fails before anything went
 *     out, the answer is the S3 error for the failure (`onStreamError`, which is what crossbucket's
 *     error handler does on fastify's path, after fastify dropped Content-Type and Content-Length),
 *     with none of the headers that had been handed to node for the stream; once the headers are
 *     out, the connection is destroyed. Either side closing early closes the other.
 *
 * `onFinished` (the request line) runs once the answer has been handed over, as fastify's
 * `onResponse` hooks do: right after `end()` for an answer in memory (node has written it to the
 * socket or queued it there; fastify waits for the response's `finish`, microseconds later, and
 * writes no line when a client hangs up before a queued answer is flushed, which this path still
 * logs), at the response's `finish` or failure for a stream. The elapsed time is measured from
 * the reply's creation (0 without the hook). No listener is added for an answer in memory: the
 * two listeners and their removal were a part of what a logged GET cost (docs/benchmarks.md
 * "Issue 19, twenty-first round").
 */
import type { ServerResponse } from 'node:http';
import { finished, type Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { H } from '../headers';
import type { S3Reply, S3Request } from './s3-reply';

export interface PlainReplyHooks {
  /** The stream failed before anything went out (fastify: its error handler). */
  onStreamError(reply: PlainReply, err: unknown): void;
  /**
   * The response finished or failed (fastify: its `onResponse` hooks). Optional: without it no
   * listener is added to the response and no clock is read (a server that logs nothing).
   */
  onFinished?: (reply: PlainReply) => void;
}

export class PlainReply implements S3Reply {
  private readonly fields: Record<string, string | number>;
  private readonly started: number;
  private ended = 0;

  constructor(
    readonly raw: ServerResponse,
    readonly request: S3Request,
    readonly log: FastifyBaseLogger,
    headers: Record<string, string | number>,
    private readonly hooks: PlainReplyHooks,
  ) {
    this.fields = headers;
    this.started = hooks.onFinished === undefined ? 0 : performance.now();
  }

  /** The answer is out (or failed): the `onFinished` hook, once. */
  private done(): void {
    const onFinished = this.hooks.onFinished;
    if (onFinished === undefined || this.ended !== 0) return;
    this.ended = performance.now();
    onFinished(this);
  }

  get sent(): boolean {
    return this.raw.writableEnded;
  }

  get statusCode(): number {
    return this.raw.statusCode;
  }

  /** Milliseconds from the reply's creation to the response's end (so far, until it ends). */
  get elapsedTime(): number {
    return (this.ended === 0 ? performance.now() : this.ended) - this.started;
  }

  code(status: number): this {
    this.raw.statusCode = status;
    return this;
  }

  header(name: string, value: string | number): this {
    this.fields[name.toLowerCase()] = value;
    return this;
  }

  hasHeader(name: string): boolean {
    return this.fields[name.toLowerCase()] !== undefined;
  }

  getHeader(name: string): string | number | undefined {
    return this.fields[name.toLowerCase()];
  }

  removeHeader(name: string): this {
    delete this.fields[name.toLowerCase()];
    return this;
  }

  send(payload?: string | Buffer | Readable): this {
    if (this.sent) {
      this.log.warn({ method: this.request.method }, 'reply was already sent');
      return this;
    }
    const res = this.raw;
    const status = res.statusCode;
    const fields = this.fields;
    if (payload === undefined) {
      if (status >= 200 && status !== 204 && status !== 304 && this.request.method !== 'HEAD') fields[H.contentLength] = '0';
      res.writeHead(status, fields);
      res.end();
      this.done();
      return this;
    }
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
      this.stream(payload);
      return this;
    }
    if (fields[H.contentType] === undefined) fields[H.contentType] = typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    const length = fields[H.contentLength];
    if (!length || (this.request.method !== 'HEAD' && Number(length) !== Buffer.byteLength(payload))) fields[H.contentLength] = `${Buffer.byteLength(payload)}`;
    res.writeHead(status, fields);
    res.end(payload);
    this.done();
    return this;
  }

  private stream(payload: Readable): void {
    const res = this.raw;
    try {
      for (const name in this.fields) res.setHeader(name, this.fields[name] as string | number);
    } catch (err) {
      // A header node refuses: the stream is not used, and the error's answer starts clean.
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      payload.destroy();
      throw err;
    }
    let sourceOpen = true;
    finished(payload, { readable: true, writable: false }, (err) => {
      sourceOpen = false;
      if (err == null) return;
      if (res.headersSent || this.request.raw.aborted) {
        res.destroy();
        return;
      }
      // The error's answer starts again from the reply's own headers, which the error handler
      // trims (no ETag, Last-Modified... of the object), not from those handed to node above.
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      delete this.fields[H.contentType];
      delete this.fields[H.contentLength];
      this.hooks.onStreamError(this, err);
    });
    finished(res, () => {
      if (sourceOpen) payload.destroy();
    });
    if (this.hooks.onFinished !== undefined) {
      const done = (): void => this.done();
      res.on('finish', done);
      res.on('error', done);
    }
    payload.pipe(res);
  }
}
