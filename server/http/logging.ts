/**
 * Logs: pino JSON lines (or pretty ones for a terminal), one line per request, secrets redacted.
 * Credentials travel in the Authorization header and, for presigned URLs, in the query string;
 * neither ever reaches a log line.
 */
import type { FastifyBaseLogger } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { Writable } from 'node:stream';
import { stdoutLines } from './log-destinations';
import { RequestLog } from './request-log';
import { NO_BINDINGS, writeRequestLine, type LineValues } from './request-line';
import type { S3Request } from './s3-reply';

export const REDACTED = 'REDACTED';

/**
 * Query parameters whose values are secrets or identify a credential: SigV4 presigned
 * (`X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`) and SigV2 query auth
 * (`Signature`, `AWSAccessKeyId`). Compared case-insensitively.
 */
const SECRET_QUERY_PARAMS = new Set(['x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'signature', 'awsaccesskeyid']);

/** Header paths pino censors wherever a request's headers are logged. */
const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers["x-amz-security-token"]', 'req.headers.cookie',
  'headers.authorization', 'headers["x-amz-security-token"]', 'headers.cookie',
];

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** The URL with the value of every credential-bearing query parameter replaced by REDACTED. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash === -1 ? undefined : hash);
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    if (!SECRET_QUERY_PARAMS.has(decodeName(name).toLowerCase())) return part;
    return `${name}=${REDACTED}`;
  });
  return `${url.slice(0, q + 1)}${parts.join('&')}${hash === -1 ? '' : url.slice(hash)}`;
}

/**
 * What the one line logged per request (msg `request`) says, before it is written: the URL as
 * received (redacted when written), the elapsed time not yet rounded.
 */
export type RequestLine = Omit<LineValues, 'ms'> & { elapsedMs: number };

/** The line's values as written: the URL redacted, the time rounded to 10 µs. */
function lineValues(line: RequestLine): LineValues {
  return {
    method: line.method, url: redactUrl(line.url), op: line.op, bucket: line.bucket, key: line.key,
    status: line.status, ms: Math.round(line.elapsedMs * 100) / 100, origin: line.origin,
  };
}

/** What the request line reads of an answer: fastify's reply, or server/http/plain-reply.ts. */
export interface AnsweredReply {
  readonly statusCode: number;
  readonly elapsedTime: number;
}

function answeredLine(request: S3Request, reply: AnsweredReply): RequestLine {
  const s3 = request.s3;
  return {
    method: request.method, url: request.url, op: s3?.operation, bucket: s3?.bucket, key: s3?.key,
    status: reply.statusCode, elapsedMs: reply.elapsedTime, origin: request.headers.origin,
  };
}

/** Whether `log` writes the request line (`info`): nothing for it is measured or built otherwise. */
export function infoEnabled(log: FastifyBaseLogger): boolean {
  return (log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') !== false;
}

/**
 * The line, as text when the logger allows (server/http/request-line.ts), through pino otherwise;
 * the same bytes either way.
 */
function writeLine(log: FastifyBaseLogger, line: RequestLine): void {
  const values = lineValues(line);
  const written = log instanceof RequestLog ? log.writeLine(values) : writeRequestLine(log, NO_BINDINGS, values);
  if (!written) log.info(values, 'request');
}

/**
 * The one line per request, at `info`, to the request's logger; nothing is built when `info` is
 * off (the default for embedders). fastify's route and the reads answered in front of it
 * (server/pipeline/read-first.ts) both write it here.
 */
export function logRequest(log: FastifyBaseLogger, request: S3Request, reply: AnsweredReply): void {
  if (infoEnabled(log)) writeLine(log, answeredLine(request, reply));
}

/** The same line for a preflight answered outside fastify's pipeline (server/pipeline/preflight-first.ts). */
export function logRequestLine(log: FastifyBaseLogger, line: RequestLine): void {
  if (infoEnabled(log)) writeLine(log, line);
}

/**
 * A request's logger: one that adds its reqId to the lines it writes, without a pino child per
 * request (server/http/request-log.ts). With nothing logged at
 * all (`--log-level silent`, what embedders and benchmarks run) the server's logger serves every
 * request. Route-level options (none are set today) get a child at once.
 */
export function requestLogger(logger: FastifyBaseLogger, bindings: pino.Bindings, opts: pino.ChildLoggerOptions = {}): FastifyBaseLogger {
  for (const _option in opts) return logger.child(bindings, opts);
  return logger.level === 'silent' ? logger : new RequestLog(logger, bindings) as unknown as FastifyBaseLogger;
}

/** What pino shows for a raw request object, should one be logged: never its headers. */
function serializeRequest(req: { method?: string; url?: string; id?: string }): Record<string, unknown> {
  return { method: req.method, url: req.url === undefined ? undefined : redactUrl(req.url), id: req.id };
}

/**
 * A pretty line per request: `200 PUT /site/index.html PutObject 3.1ms`. A virtual-hosted
 * request's URL has no bucket in it, so the line names it: `200 GET /index.html [site] GetObject`.
 */
export function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  if (log[messageKey] === 'request') {
    const url = String(log.url);
    const inPath = typeof log.bucket === 'string' && (url === `/${log.bucket}` || url.startsWith(`/${log.bucket}/`) || url.startsWith(`/${log.bucket}?`));
    const op = `${typeof log.bucket === 'string' && !inPath ? ` [${log.bucket}]` : ''}${typeof log.op === 'string' ? ` ${log.op}` : ''}`;
    const origin = typeof log.origin === 'string' ? ` origin=${log.origin}` : '';
    return `${String(log.status)} ${String(log.method)} ${String(log.url)}${op} ${String(log.ms)}ms${origin}`;
  }
  const bucket = typeof log.bucket === 'string' ? ` bucket=${log.bucket}` : '';
  const origin = typeof log.origin === 'string' ? ` origin=${log.origin}` : '';
  return `${String(log[messageKey] ?? '')}${bucket}${origin}`;
}

export interface LoggerOptions {
  level: string;
  /** Human-readable lines instead of JSON. */
  pretty?: boolean;
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
}

/** pino accepts any `{ write }`; pino-pretty needs a real stream. */
function asStream(destination: DestinationStream): NodeJS.WritableStream {
  if (typeof (destination as Partial<Writable>).on === 'function') return destination as unknown as NodeJS.WritableStream;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      destination.write(chunk.toString());
      callback();
    },
  });
}

export function makeLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { req: serializeRequest, err: pino.stdSerializers.err },
  };
  if (options.pretty) {
    // Loaded only here: pino-pretty and its dependencies take ~40 ms to load, which a server
    // logging JSON (the default when stdout is not a terminal) need not pay at start-up.
    const pretty = (require('pino-pretty') as typeof PinoPretty);
    const stream = pretty({
      colorize: options.destination === undefined && process.stdout.isTTY === true,
      translateTime: 'HH:MM:ss.l',
      ignore: 'pid,hostname,reqId,method,url,op,bucket,key,status,ms,origin',
      messageFormat: prettyMessage,
      sync: true,
      ...(options.destination ? { destination: asStream(options.destination) } : {}),
    });
    return pino(base, stream);
  }
  // stdout: the lines of a turn written together at its end (server/http/log-destinations.ts).
  return pino(base, options.destination ?? stdoutLines());
}
