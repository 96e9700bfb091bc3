/**
 * The request line written as text (server/http/request-line.ts) is byte for byte what pino
 * writes for `info({ ...bindings, ...values }, 'request')`, for the server's own logger and for
 * the pino settings that shape every line; for settings the text cannot reproduce it writes
 * nothing and says so, and the line goes through pino.
 */
import { channel } from 'node:diagnostics_channel';
import fc from 'fast-check';
import pino from 'pino';
import t from 'tap';
import { logRequestLine, makeLogger, requestLogger } from '../../server/http/logging';
import { NO_BINDINGS, quoted, writeRequestLine, type LineValues } from '../../server/http/request-line';

type Capture = { lines: string[]; write(line: string): void };
const capture = (): Capture => {
  const lines: string[] = [];
  return { lines, write: (line: string) => { lines.push(line); } };
};

/** A fixed clock, so two lines written a millisecond apart can be compared whole. */
const FIXED_TIME = { timestamp: () => ',"time":1700000000000' };

const VALUES: LineValues = { method: 'GET', url: '/b/k?x-id=GetObject', op: 'GetObject', bucket: 'b', key: 'k', status: 200, ms: 0.07, origin: undefined };

const TRICKY = [
  '', 'plain', 'with "quotes"', 'back\\slash', 'tab\there', 'new\nline', '\u0000\u001f', 'del\u007f', 'é ü ß', 'ñ日本語',
  '\u2028\u2029', '😀 emoji', '/%22/%5C', 'x'.repeat(100), 'y'.repeat(101), `${'"'.repeat(60)}${'\\'.repeat(60)}`,
];

/** A test name for a string: TAP reads U+2028 and U+2029 as line ends. */
const label = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Both ways, on one logger each (same options): the text, then pino. */
function both(options: pino.LoggerOptions, bindings: Record<string, string>, values: LineValues, child?: (l: pino.Logger) => pino.Logger): { text: string[]; pino: string[]; written: boolean } {
  const a = capture();
  const b = capture();
  const viaText = child ? child(pino(options, a)) : pino(options, a);
  const viaPino = child ? child(pino(options, b)) : pino(options, b);
  const written = writeRequestLine(viaText, bindings, values);
  viaPino.info({ ...bindings, ...values }, 'request');
  return { text: a.lines, pino: b.lines, written };
}

t.test('request line – the same bytes as pino, for every value the line can hold', async (t) => {
  const options: pino.LoggerOptions = { ...FIXED_TIME };
  for (const s of TRICKY) {
    for (const field of ['url', 'key', 'bucket', 'origin', 'method'] as const) {
      const values = { ...VALUES, [field]: s };
      const r = both(options, { reqId: 'req-1' }, values);
      t.ok(r.written, `written: ${field} ${label(s)}`);
      t.same(r.text, r.pino, `${field} = ${label(s)}`);
    }
  }
  // undefined fields are left out, as pino leaves them out.
  const r = both(options, { reqId: 'r' }, { ...VALUES, op: undefined, bucket: undefined, key: undefined, origin: 'https://app.example' });
  t.same(r.text, r.pino);
  t.notMatch(r.text[0] ?? '', /"op"|"bucket"|"key"/);
  // Numbers: a rounded time, a large one, a 5xx.
  for (const ms of [0, 0.01, 12.34, 123456.78, 1e21]) t.same(both(options, {}, { ...VALUES, ms, status: 503 }).text, both(options, {}, { ...VALUES, ms, status: 503 }).pino);
});

t.test('request line – property: any string in any field, any binding', async (t) => {
  const options: pino.LoggerOptions = { ...FIXED_TIME };
  // Lone surrogates excluded: none of the fields can hold one (the module's header says why), and
  // pino writes one raw where JSON.stringify escapes it.
  const str = fc.string({ unit: 'grapheme', maxLength: 140 });
  fc.assert(fc.property(str, str, str, fc.option(str, { nil: undefined }), fc.string({ maxLength: 30 }), (url, key, bucket, origin, reqId) => {
    const r = both(options, { reqId }, { ...VALUES, url, key, bucket, origin });
    return r.written && r.text.length === 1 && r.text[0] === r.pino[0];
  }), { numRuns: 400 });
  t.pass('400 random lines identical');
});

t.test('request line – pino settings that shape every line shape this one the same way', async (t) => {
  const cases: Array<[string, pino.LoggerOptions, ((l: pino.Logger) => pino.Logger)?]> = [
    ['the default clock (compared without the time)', {}],
    ['ISO time', { timestamp: pino.stdTimeFunctions.isoTime }],
    ['no time', { timestamp: false }],
    ['level as a label', { ...FIXED_TIME, formatters: { level: (label) => ({ level: label }) } }],
    ['no pid/hostname', { ...FIXED_TIME, base: null }],
    ['a base of its own', { ...FIXED_TIME, base: { service: 'x"y' } }],
    ['another message key', { ...FIXED_TIME, messageKey: 'message' }],
    ['CRLF', { ...FIXED_TIME, crlf: true }],
    ['custom levels', { ...FIXED_TIME, customLevels: { audit: 35 } }],
    ['a child', { ...FIXED_TIME }, (l) => l.child({ reqId: 'from-child', n: 1 })],
    ['setBindings', { ...FIXED_TIME }, (l) => { l.setBindings({ later: 'yes' }); return l; }],
    ['the server logger (redaction, serializers)', { ...FIXED_TIME, redact: { paths: ['req.headers.authorization', 'headers.cookie'], censor: 'REDACTED' }, serializers: { req: (r: unknown) => r, err: pino.stdSerializers.err } }],
  ];
  for (const [name, options, child] of cases) {
    const r = both(options, name === 'a child' ? {} : { reqId: 'r1' }, VALUES, child);
    t.ok(r.written, `${name}: written as text`);
    const untimed = (lines: string[]) => lines.map((l) => l.replace(/,"time":\d+/, ''));
    t.same(untimed(r.text), untimed(r.pino), name);
  }
});

t.test('request line – settings the text cannot reproduce: nothing written, false', async (t) => {
  const cases: Array<[string, pino.LoggerOptions, ((l: pino.Logger) => pino.Logger)?]> = [
    ['a mixin', { mixin: () => ({ extra: 1 }) }],
    ['a log formatter', { formatters: { log: (o) => ({ wrapped: o }) } }],
    ['a logMethod hook', { hooks: { logMethod(args, method) { method.apply(this, args); } } }],
    ['a streamWrite hook', { hooks: { streamWrite: (s) => s.toUpperCase() } }],
    ['a message prefix', { msgPrefix: '[x] ' }],
    ['a nested key', { nestedKey: 'payload' }],
    ['a serializer of url', { serializers: { url: () => 'hidden' } }],
    ['a redaction of key', { redact: ['key'] }],
    ['a wildcard redaction', { redact: ['*.secret'] }],
    ['errorKey named like a field', { errorKey: 'status' }],
    ['a child with a message prefix', {}, (l) => l.child({}, { msgPrefix: '[c] ' })],
  ];
  for (const [name, options, child] of cases) {
    const out = capture();
    const base = pino(options, out);
    const logger = child ? child(base) : base;
    t.equal(writeRequestLine(logger, { reqId: 'r' }, VALUES), false, name);
    t.same(out.lines, [], `${name}: nothing written`);
  }
  // A destination that wants pino's metadata for each line (pino.multistream).
  const out = capture();
  t.equal(writeRequestLine(pino({}, pino.multistream([{ stream: out }])), NO_BINDINGS, VALUES), false, 'multistream');
  t.same(out.lines, []);
  // A binding that is not a string, or that one of the line's keys would overwrite.
  const plainOut = capture();
  const logger = pino({}, plainOut);
  t.equal(writeRequestLine(logger, { n: 1 as unknown as string }, VALUES), false, 'a number binding');
  t.equal(writeRequestLine(logger, { url: 'x' }, VALUES), false, 'a binding named url');
  t.same(plainOut.lines, []);
  // A binding a serializer, a redaction or the error key would reshape, on a logger already used
  // without bindings (what is settled per logger must not stand in for a request's own keys).
  for (const [name, options] of [
    ['a serializer of reqId', { serializers: { reqId: () => 'x' } }],
    ['a redaction of reqId', { redact: ['reqId'] }],
    ['reqId as the error key', { errorKey: 'reqId' }],
  ] as Array<[string, pino.LoggerOptions]>) {
    const out = capture();
    const used = pino(options, out);
    t.equal(writeRequestLine(used, NO_BINDINGS, VALUES), true, `${name}: no bindings, written as text`);
    t.equal(writeRequestLine(used, { reqId: 'r' }, VALUES), false, `${name}: then with reqId, through pino`);
    t.equal(out.lines.length, 1, `${name}: only the first written`);
  }
  // A tracer of pino's serialiser expects every line to pass through it.
  const traced = capture();
  const tracedLogger = pino({}, traced);
  const start = channel('tracing:pino_asJson:start');
  const listener = (): void => {};
  start.subscribe(listener);
  try {
    t.equal(writeRequestLine(tracedLogger, NO_BINDINGS, VALUES), false, 'traced');
  } finally {
    start.unsubscribe(listener);
  }
  t.equal(writeRequestLine(tracedLogger, NO_BINDINGS, VALUES), true, 'not traced any more');
});

t.test('request line – the server: text for its own logger, pino for one with a mixin, the same line', async (t) => {
  const line = { method: 'PUT', url: '/b/k?X-Amz-Signature=secret&x=1', op: 'PutObject', bucket: 'b', key: 'k', status: 200, elapsedMs: 3.14159, origin: 'https://app.example' };
  const own = capture();
  logRequestLine(requestLogger(makeLogger({ level: 'info', destination: own }), { reqId: 'r1' }), line);
  const mixed = capture();
  const withMixin = pino({ level: 'info', mixin: () => ({}) }, mixed);
  logRequestLine(requestLogger(withMixin, { reqId: 'r1' }), line);
  const strip = (l: string | undefined) => JSON.parse(l ?? '{}') as Record<string, unknown>;
  const a = strip(own.lines[0]);
  const b = strip(mixed.lines[0]);
  delete a.time;
  delete b.time;
  t.same(a, b);
  t.match(a, { reqId: 'r1', url: '/b/k?X-Amz-Signature=REDACTED&x=1', ms: 3.14, origin: 'https://app.example', msg: 'request' });
  t.same(Object.keys(a), ['level', 'pid', 'hostname', 'reqId', 'method', 'url', 'op', 'bucket', 'key', 'status', 'ms', 'origin', 'msg']);
});

t.test("request line – the server's JSON logger takes the text path; its pretty one, pino's", async (t) => {
  const out = capture();
  const json = makeLogger({ level: 'info', destination: out });
  t.equal(writeRequestLine(json, { reqId: 'r1' }, VALUES), true, 'JSON');
  t.equal(writeRequestLine(json.child({ reqId: 'r2' }), NO_BINDINGS, VALUES), true, 'JSON, a child');
  t.equal(out.lines.length, 2);
  // pino-pretty reads pino's metadata of each line (level, object), which only pino's path sets.
  const pretty = capture();
  t.equal(writeRequestLine(makeLogger({ level: 'info', destination: pretty, pretty: true }), { reqId: 'r1' }, VALUES), false, 'pretty');
  t.same(pretty.lines, []);
});

t.test('request line – quoted is JSON.stringify', async (t) => {
  for (const s of TRICKY) t.equal(quoted(s), JSON.stringify(s), label(s));
  t.equal(quoted('\ud800'), JSON.stringify('\ud800'), 'a lone surrogate too');
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => quoted(s) === JSON.stringify(s)), { numRuns: 500 });
});
