/**
 * `Running.events` (docs/embedding.md, docs/console.md): the event bus seen from code that embeds
 * crossbucket. Three ways to read it:
 *
 *   s3.events.on('cors', (e) => ...)                        an EventEmitter ('cors', 'access', 'object', 'event')
 *   for await (const e of s3.events) { ... }                an async iterator (bounded: see EventBus)
 *   await s3.events.waitFor((e) => e.type === 'cors' && !e.allowed)   the first matching event
 *
 * Nothing is recorded while nobody listens: subscribe before making the requests to observe.
 * Listeners run after the request's turn of the event loop, never inside request handling.
 */
import { EventEmitter } from 'node:events';
import type { CrossbucketEvent, CrossbucketEventType, EventBus, Subscription } from '../events';

const TYPES: ReadonlySet<string> = new Set<CrossbucketEventType | 'event'>(['cors', 'access', 'object', 'event']);

export class ServerEvents extends EventEmitter {
  private emitterSubscription: Subscription | undefined;

  constructor(private readonly bus: EventBus) {
    super();
    this.on('newListener', (name: string | symbol) => {
      if (typeof name === 'string' && TYPES.has(name) && this.emitterSubscription === undefined) {
        const sub = this.bus.subscribe(() => {
          const { events } = sub.take();
          for (const e of events) {
            this.emit(e.type, e);
            this.emit('event', e);
          }
        });
        this.emitterSubscription = sub;
      }
    });
    this.on('removeListener', () => {
      const listening = [...TYPES].some((t) => this.listenerCount(t) > 0);
      if (!listening && this.emitterSubscription) {
        this.emitterSubscription.close();
        this.emitterSubscription = undefined;
      }
    });
  }

  /** The recent events still kept (only those published while someone listened). */
  recent(): CrossbucketEvent[] {
    return this.bus.recent();
  }

  /**
   * The first event, from now on, for which `predicate` holds; rejects after `timeoutMs`
   * (default 5000) with an error listing the events seen meanwhile.
   */
  waitFor<E extends CrossbucketEvent = CrossbucketEvent>(predicate: (e: CrossbucketEvent) => boolean, timeoutMs = 5000): Promise<E> {
    return new Promise<E>((resolve, reject) => {
      const seen: CrossbucketEvent[] = [];
      const onEvent = (e: CrossbucketEvent) => {
        if (predicate(e)) {
          done();
          resolve(e as E);
        } else seen.push(e);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching event within ${timeoutMs} ms; seen: ${JSON.stringify(seen.map((e) => ({ type: e.type, ...('summary' in e ? { summary: e.summary } : {}) })))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.off('event', onEvent);
      };
      this.on('event', onEvent);
    });
  }

  /** Every event from now on, until the loop breaks. A consumer that falls 1000 events behind loses the oldest. */
  [Symbol.asyncIterator](): AsyncIterableIterator<CrossbucketEvent> {
    const buffered: CrossbucketEvent[] = [];
    let waiting: ((r: IteratorResult<CrossbucketEvent>) => void) | undefined;
    // Events wait in the subscription's bounded queue until the consumer asks for them.
    const sub = this.bus.subscribe(() => {
      if (waiting === undefined) return;
      buffered.push(...sub.take().events);
      const e = buffered.shift();
      if (e !== undefined) {
        const w = waiting;
        waiting = undefined;
        w({ value: e, done: false });
      }
    });
    const iterator: AsyncIterableIterator<CrossbucketEvent> = {
      next: () => {
        if (buffered.length === 0 && sub.size > 0) buffered.push(...sub.take().events);
        const e = buffered.shift();
        if (e !== undefined) return Promise.resolve({ value: e, done: false });
        if (sub.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => { waiting = resolve; });
      },
      return: () => {
        sub.close();
        buffered.length = 0;
        if (waiting) waiting({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
