/**
 * The request body's progress, watched without reading it (docs/limits-and-timeouts.md):
 *
 *   - idle timeout: a body that sends nothing for `idleMs` (S3: about 20 s) is answered
 *     `400 RequestTimeout` and its connection is closed, also after an early answer while what
 *     is left of the body is being drained;
 *   - after an answer sent before the body was read to its end (a tampered aws-chunked chunk,
 *     a refusal), what is left is read and discarded when it is small, or the answer carries
 *     `Connection: close`: a keep-alive connection is never left in the middle of a body.
 *
 * Arrival is read from the socket's byte count (`bytesRead`), which grows as bytes come in
 * whether or not a handler is reading: no listener, timer or wrapper is added to the request,
 * its stream or its socket, only one slot on the socket naming the body it is sending.
 */
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';

/** What is left of a body after an early answer is read and discarded up to this many bytes. */
export const MAX_DRAIN_BYTES = 1024 * 1024;
/** ...and for at most this long before the answer goes out (POST Object, which answers after draining). */
export const MAX_DRAIN_MS = 2000;

/** The socket's byte count when each watched body began: what has arrived since is the body's. */
const starts = new WeakMap<IncomingMessage, number>();

/**
 * Body bytes node has received so far (aws-chunked framing included). A lower bound: body bytes
 * that came in the same read as the headers are not counted.
 */
function received(req: IncomingMessage): number {
  const start = starts.get(req);
  return start === undefined ? 0 : bytesRead(req) - start;
}

/** No Content-Length (or 0) and no Transfer-Encoding: a request without a body (RFC 9112 section 6.3). */
function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined;
}

interface Watched {
  req: IncomingMessage;
  idleMs: number;
  onIdle: () => void;
  /** socket.bytesRead when it last grew (or when the wait was ours), and when that was. */
  bytes: number;
  since: number;
}

/** The body a connection is sending now, kept on its socket (one request's body at a time). */
const WATCH = Symbol('crossbucket.bodyWatch');
type WatchedSocket = Socket & { [WATCH]?: Watched | undefined };

/**
 * Every connection that has sent a body, checked by one shared timer: a timer, a socket
 * listener and a wrapped `req.push()` per request cost a PutObject ~15% of its CPU
 * (docs/benchmarks.md). The set changes only when a connection first sends a body and when it
 * closes; a request only fills and empties its socket's slot. A set of requests, even one each
 * left as soon as its answer went out, made V8 move every PUT's objects into the old generation
 * (about 4 KiB a request, freed only by a full collection; docs/benchmarks.md).
 */
const sockets = new Set<WatchedSocket>();
let sweeper: NodeJS.Timeout | undefined;
let sweepMs = 0;

function bytesRead(req: IncomingMessage): number {
  const n = (req.socket as Partial<IncomingMessage['socket']> | null)?.bytesRead;
  return typeof n === 'number' ? n : 0;
}

function sweep(): void {
  const now = Date.now();
  let watching = false;
  for (const socket of sockets) {
    const w = socket[WATCH];
    if (w === undefined) continue;
    const { req } = w;
    if (req.complete || socket.destroyed || req.socket !== socket) { socket[WATCH] = undefined; continue; }
    const bytes = bytesRead(req);
    // Bytes we have not read yet: the wait is ours (backpressure), not the client's.
    if (bytes !== w.bytes || req.readableLength > 0) { w.bytes = bytes; w.since = now; watching = true; continue; }
    if (now - w.since >= w.idleMs) {
      socket[WATCH] = undefined;
      w.onIdle();
    } else watching = true;
  }
  if (!watching && sweeper !== undefined) { clearInterval(sweeper); sweeper = undefined; }
}

function schedule(idleMs: number): void {
  // A quarter of the idle time, at most a second: the answer comes within idleMs + that.
  const period = Math.min(1000, Math.max(10, Math.floor(idleMs / 4)));
  if (sweeper !== undefined && period >= sweepMs) return;
  if (sweeper !== undefined) clearInterval(sweeper);
  sweepMs = period;
  sweeper = setInterval(sweep, period);
  sweeper.unref();
}

/**
 * Starts watching `req`; `onIdle` is called once when no body byte has arrived for about `idleMs`
 * while none was waiting to be read by us (a handler that reads slowly is not the client's
 * idleness). `idleMs <= 0` disables the timeout. A request without a body (most GETs, HEADs and
 * preflights) has nothing to watch.
 */
export function watchBody(req: IncomingMessage, idleMs: number, onIdle: () => void): void {
  if (hasNoBody(req)) return;
  const start = bytesRead(req);
  starts.set(req, start);
  const socket = req.socket as WatchedSocket | null;
  // Only a connection can idle: a request made in-process (fastify.inject) has a stand-in socket.
  if (idleMs <= 0 || req.complete || !(socket instanceof Socket) || socket.destroyed) return;
  // A pipelined request replaces the one before, whose body the parser has then read to its end.
  socket[WATCH] = { req, idleMs, onIdle, bytes: start, since: Date.now() };
  if (!sockets.has(socket)) {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  }
  schedule(idleMs);
}

/**
 * The answer to `req` has gone out: its body needs no more watching if it has all arrived (a
 * body still being drained after an early answer stays watched until the sweep sees it end).
 */
export function bodyDone(req: IncomingMessage): void {
  const socket = req.socket as WatchedSocket | null;
  if (req.complete && socket?.[WATCH]?.req === req) socket[WATCH] = undefined;
}

/** How many bodies are watched (for tests). */
export function watchedBodies(): number {
  let n = 0;
  for (const socket of sockets) if (socket[WATCH] !== undefined) n++;
  return n;
}

/**
 * What to do with the rest of a body when an answer goes out before it was read:
 * 'none' (it has all arrived), 'drain' (small: read and discard it after the answer, keep the
 * connection) or 'close' (unknown or large length, or a client still waiting for
 * `100 Continue`: answer with `Connection: close`).
 */
export function unreadBodyPlan(req: IncomingMessage): 'none' | 'drain' | 'close' {
  if (req.complete || hasNoBody(req)) return 'none';
  const length = req.headers['content-length'];
  const arrived = received(req);
  const expectContinue = /100-continue/i.test(String(req.headers.expect ?? ''));
  if (expectContinue && arrived === 0) return 'close';
  if (length === undefined || req.headers['transfer-encoding'] !== undefined) return 'close';
  const remaining = Number(length) - arrived;
  return Number.isFinite(remaining) && remaining <= MAX_DRAIN_BYTES ? 'drain' : 'close';
}

/** Reads and discards what is left of `req` (whoever was reading it has stopped). */
export function drainBody(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  req.unpipe();
  req.removeAllListeners('data');
  req.resume();
}
