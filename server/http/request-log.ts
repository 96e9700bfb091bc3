/**
 * A request's logger (fastify's `request.log`), built only when a line other than the request
 * line is logged through it: a refusal at debug level, a warning, an error. Most requests log
 * nothing but their request line, and pino's `child()` for each of them cost ~1% of a logged GET
 * (docs/benchmarks.md, "Issue 19, seventeenth round"). The request line goes through the server's
 * logger with the bindings (the request id) as its first fields, which pino writes exactly as it
 * writes a child's bindings: the same bytes either way.
 */
import type { FastifyBaseLogger } from 'fastify';
import type pino from 'pino';

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

  /** One line at `info` with `fields` after the bindings, without building the child. */
  infoWithBindings(fields: Record<string, unknown>, msg: string): void {
    if (this.built !== undefined) {
      this.built.info(fields, msg);
      return;
    }
    const line: Record<string, unknown> = {};
    for (const name in this.bindings) line[name] = this.bindings[name];
    for (const name in fields) line[name] = fields[name];
    this.parent.info(line, msg);
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

  /** A line at a level that is off builds nothing; pino's methods need the logger as `this`. */
  private call(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const log = this.logger;
    (log[level] as Method).apply(log, args);
  }
}
