/**
 * `GET /_crossbucket/events`: the event bus as Server-Sent Events (docs/console.md). The route
 * (server/admin.ts) admits the request first; this writes the stream.
 *
 *   id: 42
 *   event: cors            (cors | access | object; `dropped` when this client fell behind,
 *                           `skipped` when events came faster than STREAM_EVENTS_PER_SECOND)
 *   data: {"type":"cors","kind":"preflight",...}
 *
 * A client that does not read (a stalled socket) never slows the server: while the socket's
 * buffer is full, events wait in the subscription's bounded queue, oldest dropped first, and the
 * client is told how many with a `dropped` event once it drains.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STREAM_EVENTS_PER_SECOND, type CrossbucketEvent, type EventBus } from '../events';

const HEARTBEAT_MS = 15_000;

/** The open streams of a server, ended when it closes (a stream never ends by itself). */
export class EventStreams {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  endAll(): void {
    for (const end of [...this.open]) end();
  }
}

/** The id after which to replay: `Last-Event-ID` (a reconnecting EventSource) or `?since=`; default 0 (all recent events). */
function replayFrom(request: FastifyRequest): number {
  const header = request.headers['last-event-id'];
  const query = (request.query as { since?: string | string[] }).since;
  const value = typeof header === 'string' ? header : Array.isArray(query) ? query[0] : query;
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n >= 0 ? n : 0;
}

function frame(e: CrossbucketEvent): string {
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * `visible`: which events this reader may see (undefined: all). Applied when writing, never in
 * request handling.
 */
export function streamEvents(request: FastifyRequest, reply: FastifyReply, bus: EventBus, streams: EventStreams, visible?: (e: CrossbucketEvent) => boolean): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    'x-amz-request-id': request.id,
    'x-content-type-options': 'nosniff',
  });
  res.write('retry: 2000\n\n');
  let waitingForDrain = false;
  const flush = () => {
    if (waitingForDrain || res.destroyed) return;
    const { events, dropped, skipped } = sub.take();
    let text = dropped > 0 ? `event: dropped\ndata: ${JSON.stringify({ dropped })}\n\n` : '';
    if (skipped > 0) text += `event: skipped\ndata: ${JSON.stringify({ skipped, perSecond: STREAM_EVENTS_PER_SECOND })}\n\n`;
    for (const e of events) if (visible === undefined || visible(e)) text += frame(e);
    if (text !== '' && !res.write(text)) waitingForDrain = true;
  };
  const sub = bus.subscribe(flush, { since: replayFrom(request), perSecond: STREAM_EVENTS_PER_SECOND });
  res.on('drain', () => {
    waitingForDrain = false;
    if (sub.size > 0) flush();
  });
  const heartbeat = setInterval(() => { if (!waitingForDrain) res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
  heartbeat.unref();
  let forget: () => void = () => undefined;
  const end = () => {
    clearInterval(heartbeat);
    sub.close();
    forget();
    if (!res.writableEnded) res.end();
  };
  forget = streams.add(end);
  res.on('close', end);
}
