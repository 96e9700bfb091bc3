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
 * Node's parser hands each body chunk to `req.push()`; counting there sees every byte as it
 * arrives, whether or not a handler is reading, and changes nothing about the stream's flow.
 */
import type { IncomingMessage } from 'node:http';

/** What is left of a body after an early answer is read and discarded up to this many bytes. */
export const MAX_DRAIN_BYTES = 1024 * 1024;
/** ...and for at most this long before the answer goes out (POST Object, which answers after draining). */
export const MAX_DRAIN_MS = 2000;

export interface BodyWatch {
  /** Body bytes node has received so far (aws-chunked framing included). */
  readonly received: number;
  /** The whole body has arrived. */
  readonly complete: boolean;
  stop(): void;
}

const watches = new WeakMap<IncomingMessage, BodyWatch>();

export function watchOf(req: IncomingMessage): BodyWatch | undefined {
  return watches.get(req);
}

/** No Content-Length (or 0) and no Transfer-Encoding: a request without a body (RFC 9112 section 6.3). */
function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined;
}

/**
 * Starts watching `req`; `onIdle` is called once when no body byte has arrived for `idleMs`
 * while none was waiting to be read by us (a handler that reads slowly is not the client's
 * idleness). `idleMs <= 0` disables the timeout. A request without a body (most GETs, HEADs and
 * preflights) has nothing to watch: no timer, no listener.
 */
export function watchBody(req: IncomingMessage, idleMs: number, onIdle: () => void): BodyWatch | undefined {
  if (hasNoBody(req)) return undefined;
  let received = 0;
  let last = Date.now();
  let stopped = false;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const socket = req.socket as IncomingMessage['socket'] | undefined;
  // Removed when the watch stops: a kept-alive socket serves many requests.
  const onSocketClose = (): void => watch.stop();
  const watch: BodyWatch = {
    get received() { return received; },
    get complete() { return ended || req.complete; },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      socket?.removeListener('close', onSocketClose);
    },
  };
  watches.set(req, watch);
  if (req.complete) return watch;

  const push = req.push;
  req.push = function watchedPush(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) {
      ended = true;
      watch.stop();
    }
    else if (chunk !== undefined) {
      received += (chunk as Buffer).length;
      last = Date.now();
    }
    return push.call(this, chunk, encoding);
  };
  const check = (): void => {
    timer = undefined;
    if (stopped || watch.complete || req.socket?.destroyed !== false) return;
    // Bytes we have not read yet: the wait is ours (backpressure), not the client's.
    if (req.readableLength > 0) last = Date.now();
    const idle = Date.now() - last;
    if (idle >= idleMs) {
      watch.stop();
      onIdle();
      return;
    }
    schedule(idleMs - idle);
  };
  const schedule = (ms: number): void => {
    timer = setTimeout(check, ms);
    timer.unref();
  };
  if (idleMs > 0) schedule(idleMs);
  socket?.once('close', onSocketClose);
  return watch;
}

/**
 * What to do with the rest of a body when an answer goes out before it was read:
 * 'none' (it has all arrived), 'drain' (small: read and discard it after the answer, keep the
 * connection) or 'close' (unknown or large length, or a client still waiting for
 * `100 Continue`: answer with `Connection: close`).
 */
export function unreadBodyPlan(req: IncomingMessage): 'none' | 'drain' | 'close' {
  const watch = watchOf(req);
  if (req.complete || watch?.complete === true || hasNoBody(req)) return 'none';
  const length = req.headers['content-length'];
  const received = watch?.received ?? 0;
  const expectContinue = /100-continue/i.test(String(req.headers.expect ?? ''));
  if (expectContinue && received === 0) return 'close';
  if (length === undefined || req.headers['transfer-encoding'] !== undefined) return 'close';
  const remaining = Number(length) - received;
  return Number.isFinite(remaining) && remaining <= MAX_DRAIN_BYTES ? 'drain' : 'close';
}

/** Reads and discards what is left of `req` (whoever was reading it has stopped). */
export function drainBody(req: IncomingMessage): void {
  if (req.complete || watchOf(req)?.complete === true || req.destroyed) return;
  req.unpipe();
  req.removeAllListeners('data');
  req.resume();
}
