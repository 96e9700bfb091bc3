/**
 * The request line (msg `request`, one per request) written as text, without pino's generic
 * serialiser: the same bytes pino writes for it, at about half the CPU. pino's `info(fields, msg)`
 * walks the fields object with megamorphic property loads, checks each key for a serializer and
 * a redaction, and is reached through a second object (the request's bindings merged with the
 * fields); pino's part was ~4% of a logged 4 KiB GET's CPU in a profile (docs/benchmarks.md
 * "Issue 19, twenty-first round").
 * Here the line's keys are known, so it is one string concatenation.
 *
 * The prefix, the time and the end come from the logger itself (pino's exported symbols: the
 * cached level string, the time function, the bindings of the logger and its children, the line
 * end), so a level formatter, a timestamp option, `base` or `setBindings` shape these lines as
 * they shape every other. A logger that changes lines in a way the text cannot reproduce (a
 * mixin, a log formatter, hooks, a message prefix, a nested key, a serializer or redaction of one
 * of these keys, a destination that wants pino's metadata, a tracer of pino's serialiser) gets
 * `false`, and the caller logs through pino as before. test/server/request-line.test.ts compares
 * both, byte for byte.
 *
 * Strings are written as JSON.stringify writes them. pino writes a string of up to 100
 * characters with only `"` and `\` escaped unless it holds a control character, which is the same
 * text except for an unpaired surrogate; none of these fields can hold one (node reads a
 * request's target and headers as latin1, and a key is decoded from valid UTF-8 only).
 */
import { channel } from 'node:diagnostics_channel';
import pino from 'pino';

const sym = pino.symbols as typeof pino.symbols & Record<string, symbol>;
const HOOKS = Symbol.for('pino.hooks');
const FORMATTERS = Symbol.for('pino.formatters');
const SERIALIZERS = Symbol.for('pino.serializers');
const NEEDS_METADATA = Symbol.for('pino.metadata');

/** The keys of a request line, in the order it writes them (after the request's bindings). */
const LINE_KEYS = ['method', 'url', 'op', 'bucket', 'key', 'status', 'ms', 'origin'] as const;

const LINE_KEY_SET: ReadonlySet<string> = new Set(LINE_KEYS);

/** What the request line says, as it is written (the URL already redacted, `ms` rounded). */
export interface LineValues {
  method: string;
  url: string;
  op: string | undefined;
  bucket: string | undefined;
  key: string | undefined;
  status: number;
  ms: number;
  origin: string | undefined;
}

/** A logger's own bindings only (no request's). */
export const NO_BINDINGS: Readonly<Record<string, unknown>> = Object.freeze({});

/** pino traces its serialiser on this channel (`tracingChannel('pino_asJson')`): a subscriber expects every line there. */
const TRACED = ['start', 'end', 'error'].map((event) => channel(`tracing:pino_asJson:${event}`));

type PinoInternals = Record<symbol, unknown> & { levels: { values: Record<string, number> } };

/**
 * What a line's own fields are checked against: the logger's serializers and stringifiers (a
 * redaction) by key, and its error key.
 */
interface KeyTables {
  serializers: Record<string, unknown> | undefined;
  stringifiers: Record<string, unknown> | undefined;
  errorKey: unknown;
}

/**
 * Per logger, its key tables if the text reproduces its lines, false if not (settled once: none
 * of what is checked changes after a logger's creation). A request's bindings differ from line to
 * line and are checked against the tables on each.
 */
const plainLoggers = new WeakMap<object, KeyTables | false>();

function noneOf(tables: KeyTables, name: string): boolean {
  return name !== tables.errorKey && tables.serializers?.[name] === undefined && tables.stringifiers?.[name] === undefined;
}

function keyTables(logger: PinoInternals): KeyTables | false {
  const hooks = logger[HOOKS] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  const formatters = logger[FORMATTERS] as { log?: unknown } | undefined;
  const stream = logger[sym.streamSym as symbol] as (Record<symbol, unknown> & { write?: unknown }) | undefined;
  const stringifiers = logger[sym.stringifiersSym as symbol] as (Record<string | symbol, unknown>) | undefined;
  const tables: KeyTables = {
    serializers: (logger[SERIALIZERS] ?? undefined) as Record<string, unknown> | undefined,
    stringifiers: stringifiers ?? undefined,
    errorKey: logger[sym.errorKeySym as symbol],
  };
  const plainShape = typeof logger[sym.timeSym as symbol] === 'function'
    && typeof logger[sym.chindingsSym as symbol] === 'string'
    && typeof logger[sym.endSym as symbol] === 'string'
    && typeof logger[sym.lsCacheSym as symbol] === 'object'
    && typeof logger.levels?.values?.info === 'number'
    && typeof stream?.write === 'function' && stream[NEEDS_METADATA] !== true
    && !logger[sym.mixinSym as symbol]
    && hooks?.logMethod === undefined && hooks?.streamWrite === undefined
    && formatters?.log === undefined
    && logger[sym.msgPrefixSym as symbol] === undefined
    && !logger[sym.nestedKeySym as symbol]
    && typeof logger[sym.messageKeySym as symbol] === 'string'
    && stringifiers?.[sym.wildcardFirstSym as symbol] === undefined
    && LINE_KEYS.every((key) => noneOf(tables, key));
  return plainShape ? tables : false;
}

function plain(logger: object, bindings: Readonly<Record<string, unknown>>): boolean {
  let tables = plainLoggers.get(logger);
  if (tables === undefined) {
    tables = keyTables(logger as PinoInternals);
    plainLoggers.set(logger, tables);
  }
  if (tables === false) return false;
  for (const name in bindings) if (typeof bindings[name] !== 'string' || LINE_KEY_SET.has(name) || !noneOf(tables, name)) return false;
  return !TRACED.some((c) => c.hasSubscribers);
}

/**
 * `s` as JSON.stringify writes it. Most strings here have nothing to escape, and a loop over them
 * is cheaper than JSON.stringify, a call into V8's runtime (~30% of the line's CPU when every
 * string went through it).
 */
export function quoted(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

function text(name: string, value: string | undefined): string {
  return value === undefined ? '' : `,"${name}":${quoted(value)}`;
}

/**
 * Writes the request line through `logger` (a pino logger) with `bindings` (string values) first,
 * as `logger.info({ ...bindings, ...values }, 'request')` would; false: this logger's lines are
 * shaped in a way the text does not reproduce, and nothing was written. The caller checks the level.
 */
export function writeRequestLine(logger: object, bindings: Readonly<Record<string, unknown>>, v: LineValues): boolean {
  if (!plain(logger, bindings)) return false;
  const l = logger as PinoInternals;
  let head = (l[sym.lsCacheSym as symbol] as Record<number, string>)[l.levels.values.info as number] as string;
  head += (l[sym.timeSym as symbol] as () => string)() + (l[sym.chindingsSym as symbol] as string);
  for (const name in bindings) head += `,${quoted(name)}:${quoted(bindings[name] as string)}`;
  const ms = Number.isFinite(v.ms) ? v.ms : null;
  const line = `${head},"method":${quoted(v.method)},"url":${quoted(v.url)}${text('op', v.op)}${text('bucket', v.bucket)}${text('key', v.key)}`
    + `,"status":${v.status},"ms":${ms}${text('origin', v.origin)},"${l[sym.messageKeySym as symbol] as string}":"request"${l[sym.endSym as symbol] as string}`;
  (l[sym.streamSym as symbol] as { write(line: string): void }).write(line);
  return true;
}
