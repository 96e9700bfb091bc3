/**
 * A request's logger (fastify's `request.log`): its lines carry the request id, without a pino
 * child per request. pino's `child()` for every logged request cost ~1% of a logged GET
 * (docs/benchmarks.md, "Issue 19, seventeenth round"), and nearly every line a request logs (its
 * request line, a debug refusal, an error) is a fields object and a message: such a line goes
 * through the server's logger with the bindings as its first fields, which pino writes exactly as
 * it writes a child's bindings, the same bytes either way. Only a line without a fields object
 * (a bare message, an Error), a level change or `child()` builds the child, once.
 */
import type { FastifyBaseLogger } from 'fastify';
import type pino from 'pino';
import { NO_BINDINGS, writeRequestLine, type LineValues } from './request-line';

type Method = (...args: unknown[]) => void;

export class RequestLog {
  private built: FastifyBaseLogger | undefined;

  constructor(private readonly parent: FastifyBaseLogger, private readonly bindings: pino.Bindings) {}

  /** The child logger, made on first use. */
  private get logger(): FastifyBaseLogger {
    if (this.built === undefined) this.built = this.parent.child(this.bindings);
    return this.built;
  }

  get level(): string {
    return (this.built ?? this.parent).level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  isLevelEnabled(level: string): boolean {
    const log = (this.built ?? this.parent) as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
    return log.isLevelEnabled?.(level) !== false;
  }

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    this.call('fatal', args);
  }

  error(...args: unknown[]): void {
    this.call('error', args);
  }

  warn(...args: unknown[]): void {
    this.call('warn', args);
  }

  info(...args: unknown[]): void {
    this.call('info', args);
  }

  debug(...args: unknown[]): void {
    this.call('debug', args);
  }

  trace(...args: unknown[]): void {
    this.call('trace', args);
  }

  silent(): void {}

  /**
   * The request line as text (server/http/request-line.ts): the server's logger with this
   * request's bindings first, or the child once made; false: through `info` instead.
   */
  writeLine(values: LineValues): boolean {
    return this.built === undefined ? writeRequestLine(this.parent, this.bindings, values) : writeRequestLine(this.built, NO_BINDINGS, values);
  }

  /** A line at a level that is off builds nothing; pino's methods need the logger as `this`. */
  private call(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const fields = args[0];
    if (this.built === undefined && isFields(fields)) {
      const line: Record<string, unknown> = {};
      for (const name in this.bindings) line[name] = this.bindings[name];
      for (const name in fields) line[name] = fields[name];
      args[0] = line;
      (this.parent[level] as Method).apply(this.parent, args);
      return;
    }
    const log = this.logger;
    (log[level] as Method).apply(log, args);
  }
}

/** A plain object of fields (not an Error, which pino serializes on its own, nor a message). */
function isFields(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
