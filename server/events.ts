/**
 * The in-process event bus (docs/console.md): CORS verdicts, access decisions and object changes,
 * published where they are decided and read by the console (over the signed admin API as
 * Server-Sent Events) and by code embedding crossbucket (`start()` → `Running.events`).
 *
 * Request handling never waits for a subscriber:
 * - nobody subscribed: `bus.active` is false and the publishing sites build nothing at all;
 * - somebody subscribed: the request hands over a builder (a closure over values it already has);
 *   events are built, numbered and kept in a ring of recent events in batches, every
 *   FLUSH_INTERVAL_MS at most, outside request handling (one timer, one socket write per batch);
 * - each subscriber has a bounded queue: one that does not keep up (a stalled socket, an iterator
 *   nobody pulls) loses its oldest events, and is told how many it lost;
 * - a subscriber may ask for at most N events a second (the console's stream does: a person
 *   cannot read more, and a benchmark's ten thousand a second would cost the server more than the
 *   issue's 5%). While only such subscribers listen, events past that rate in each second are
 *   not even built; the subscribers are told how many were skipped.
 */
import type { RuleVerdict } from '../cors-engine';

interface EventBase {
  /** Increasing from 1 within a server's life: the SSE `id`. */
  id: number;
  /** ISO 8601, when the event was built (within one event-loop turn of the decision). */
  time: string;
}

/** The verdict on a browser request with an Origin (docs/spec/cors.md §1B, §1C). */
export interface CorsVerdictEvent extends EventBase {
  type: 'cors';
  /** preflight: an OPTIONS request; actual: any other request with an Origin. */
  kind: 'preflight' | 'actual';
  requestId: string;
  origin: string;
  /** The method checked: Access-Control-Request-Method for a preflight, else the request's. */
  method: string;
  /** The S3 operation of an actual request (`PutObject`); `PreflightRequest` for OPTIONS. */
  operation: string;
  bucket?: string;
  key?: string;
  /** Access-Control-Request-Headers, split and lower-cased. */
  requestHeaders: string[];
  /**
   * preflight: answered 200. actual: a rule matched, so the response carries the CORS headers a
   * browser needs to let the script read it.
   */
  allowed: boolean;
  /** A refused preflight's status and S3 error code (403 AccessForbidden, 400 BadRequest). */
  status?: number;
  code?: string;
  /** Index of the deciding rule (0-based), when one matched. */
  matchedRule?: number;
  /** One line: why. */
  summary: string;
  /** Every rule consulted, in order, with why it did or did not match. */
  rules: RuleVerdict[];
}

/** Who decided whether a request may do what it asks. */
export type AccessSource = 'owner' | 'acl' | 'bucket-acl' | 'copy-source' | 'policy' | (string & {});

/** An access decision (server/access/authorize.ts), allowed or refused, with what decided it. */
export interface AccessDecisionEvent extends EventBase {
  type: 'access';
  requestId: string;
  operation: string;
  bucket?: string;
  key?: string;
  /** The access key that signed, or undefined for an anonymous request. */
  accessKeyId?: string;
  allowed: boolean;
  /** What decided: the bucket owner rule, an ACL, a bucket policy statement... */
  source: AccessSource;
  /** One line: why (e.g. `no grant of WRITE on bucket photos to anonymous`). */
  reason: string;
  /** A policy statement's Sid, when a bucket policy decided. */
  statement?: string;
}

/** An object committed (PutObject, CopyObject, PostObject, CompleteMultipartUpload) or deleted. */
export interface ObjectChangeEvent extends EventBase {
  type: 'object';
  action: 'put' | 'delete';
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
}

export type CrossbucketEvent = CorsVerdictEvent | AccessDecisionEvent | ObjectChangeEvent;
export type CrossbucketEventType = CrossbucketEvent['type'];

/** What a publishing site hands over: the event without its id and time. */
export type EventBody = CrossbucketEvent extends infer E ? (E extends CrossbucketEvent ? Omit<E, 'id' | 'time'> : never) : never;

/** How long a published event may wait to be built and delivered: batching keeps the cost per event low. */
export const FLUSH_INTERVAL_MS = 25;
/** Recent events kept for a subscriber that (re)connects (SSE `Last-Event-ID`). */
export const EVENT_RING_SIZE = 1000;
/** Events a subscriber may fall behind by before its oldest are dropped. */
export const SUBSCRIBER_QUEUE_LIMIT = 1000;

/** The console's stream (GET /_crossbucket/events): events a second before the rest are skipped. */
export const STREAM_EVENTS_PER_SECOND = 250;

/** One subscriber's bounded queue. `ready` is called (once, asynchronously) when it has events. */
export class Subscription {
  private queue: CrossbucketEvent[] = [];
  private head = 0;
  private signalled = false;
  private lost = 0;
  private skippedCount = 0;
  closed = false;

  constructor(
    private readonly bus: EventBus,
    private readonly limit: number,
    private readonly ready: () => void,
    /** At most this many events a second (undefined: every event). */
    readonly perSecond?: number,
  ) {}

  /** Called by the bus. Drops the oldest queued event when the queue is full. */
  push(event: CrossbucketEvent): void {
    if (this.closed) return;
    if (this.queue.length - this.head >= this.limit) {
      this.head++;
      this.lost++;
    }
    this.queue.push(event);
    this.signal();
  }

  /** Called by the bus: `n` events were not built because of the rate limit. */
  skipped(n: number): void {
    if (this.closed) return;
    this.skippedCount += n;
    this.signal();
  }

  private signal(): void {
    if (!this.signalled) {
      this.signalled = true;
      setImmediate(() => { if (!this.closed) this.ready(); });
    }
  }

  /**
   * Everything queued, how many events were dropped since the last take (this subscriber fell
   * behind) and how many were skipped (more than the rate limit).
   */
  take(): { events: CrossbucketEvent[]; dropped: number; skipped: number } {
    const events = this.head === 0 ? this.queue : this.queue.slice(this.head);
    const { lost: dropped, skippedCount: skipped } = this;
    this.queue = [];
    this.head = 0;
    this.lost = 0;
    this.skippedCount = 0;
    this.signalled = false;
    return { events, dropped, skipped };
  }

  get size(): number {
    return this.queue.length - this.head;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.bus.unsubscribe(this);
  }
}

export class EventBus {
  private readonly subscribers = new Set<Subscription>();
  private pending: Array<() => EventBody> = [];
  private flushScheduled = false;
  private readonly ring: Array<CrossbucketEvent | undefined>;
  private ringNext = 0;
  private nextId = 1;
  /** Subscribers that take every event; while there are none, the rate limit applies. */
  private everyEvent = 0;
  /** The highest rate a rate-limited subscriber asks for. */
  private perSecond = 0;
  private windowStart = 0;
  private windowCount = 0;
  private skippedSinceFlush = 0;

  constructor(private readonly ringSize = EVENT_RING_SIZE) {
    this.ring = new Array<CrossbucketEvent | undefined>(ringSize);
  }

  /** True while someone subscribes: publishing sites check it before building anything. */
  get active(): boolean {
    return this.subscribers.size > 0;
  }

  /**
   * Queues an event. `build` runs later, in the next batch, never in the caller: it must only
   * read values that do not change (the compiled rules, strings of the request).
   */
  publish(build: () => EventBody): void {
    if (this.subscribers.size === 0) return;
    if (this.everyEvent === 0) {
      const now = Date.now();
      if (now - this.windowStart >= 1000) {
        this.windowStart = now;
        this.windowCount = 0;
      }
      if (this.windowCount >= this.perSecond) this.skippedSinceFlush++;
      else {
        this.windowCount++;
        this.pending.push(build);
      }
    } else this.pending.push(build);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setTimeout(() => this.flush(), FLUSH_INTERVAL_MS).unref();
    }
  }

  /**
   * A new subscriber. `since`: also deliver the recent events with a greater id still in the ring
   * (0: all of them).
   */
  subscribe(ready: () => void, options: { limit?: number; since?: number; perSecond?: number } = {}): Subscription {
    const sub = new Subscription(this, options.limit ?? SUBSCRIBER_QUEUE_LIMIT, ready, options.perSecond);
    this.subscribers.add(sub);
    this.rates();
    if (options.since !== undefined) for (const e of this.recent(options.since)) sub.push(e);
    return sub;
  }

  unsubscribe(sub: Subscription): void {
    this.subscribers.delete(sub);
    this.rates();
  }

  private rates(): void {
    this.everyEvent = 0;
    this.perSecond = 0;
    for (const sub of this.subscribers) {
      if (sub.perSecond === undefined) this.everyEvent++;
      else this.perSecond = Math.max(this.perSecond, sub.perSecond);
    }
  }

  /** The events still in the ring with an id greater than `since`, oldest first. */
  recent(since = 0): CrossbucketEvent[] {
    const out: CrossbucketEvent[] = [];
    for (let i = 0; i < this.ringSize; i++) {
      const e = this.ring[(this.ringNext + i) % this.ringSize];
      if (e !== undefined && e.id > since) out.push(e);
    }
    return out;
  }

  /** Ends every subscription (server close). */
  closeAll(): void {
    for (const sub of [...this.subscribers]) sub.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    const builders = this.pending;
    const skipped = this.skippedSinceFlush;
    this.pending = [];
    this.skippedSinceFlush = 0;
    if (this.subscribers.size === 0) return;
    if (skipped > 0) for (const sub of this.subscribers) sub.skipped(skipped);
    const time = new Date().toISOString();
    for (const build of builders) {
      let body: EventBody;
      try {
        body = build();
      } catch {
        continue; // an event that cannot be described is not worth a failure
      }
      const event = { ...body, id: this.nextId++, time } as CrossbucketEvent;
      this.ring[this.ringNext] = event;
      this.ringNext = (this.ringNext + 1) % this.ringSize;
      for (const sub of this.subscribers) sub.push(event);
    }
  }
}
