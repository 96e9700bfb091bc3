/**
 * The event bus (server/events.ts): nothing is built while nobody listens, events are built after
 * the publishing turn, a ring keeps the recent ones, and a subscriber that falls behind loses its
 * oldest events (and is told how many) instead of holding anything up.
 */
import t from 'tap';
import { EventBus, FLUSH_INTERVAL_MS, type EventBody } from '../../server/events';

const objectEvent = (key: string): EventBody => ({ type: 'object', action: 'put', bucket: 'b', key });
/** Long enough for one batch to be built and delivered. */
const turn = () => new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS * 2));

t.test('event bus – no subscriber: the builder is never called', async (t) => {
  const bus = new EventBus();
  t.equal(bus.active, false);
  let built = 0;
  bus.publish(() => { built++; return objectEvent('k'); });
  await turn();
  await turn();
  t.equal(built, 0, 'nothing built');
  t.same(bus.recent(), [], 'nothing kept');
});

t.test('event bus – built after the publishing turn, numbered, delivered in order', async (t) => {
  const bus = new EventBus();
  const got: string[] = [];
  const sub = bus.subscribe(() => got.push(...sub.take().events.map((e) => `${e.id}:${e.type === 'object' ? e.key : ''}`)));
  let built = 0;
  bus.publish(() => { built++; return objectEvent('a'); });
  bus.publish(() => { built++; return objectEvent('b'); });
  t.equal(built, 0, 'not built inside the publishing call');
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(built, 0, 'nor in the same turn: batched');
  await turn();
  await turn();
  t.equal(built, 2);
  t.same(got, ['1:a', '2:b']);
  t.match(bus.recent()[0], { id: 1, time: /^\d{4}-\d\d-\d\dT/ });
  sub.close();
  t.equal(bus.active, false, 'closing the only subscription deactivates the bus');
});

t.test('event bus – a builder that throws is skipped', async (t) => {
  const bus = new EventBus();
  const sub = bus.subscribe(() => undefined);
  bus.publish(() => { throw new Error('boom'); });
  bus.publish(() => objectEvent('ok'));
  await turn();
  t.same(sub.take().events.map((e) => e.type === 'object' && e.key), ['ok']);
  sub.close();
});

t.test('event bus – a subscriber that does not take loses the oldest, and is told how many', async (t) => {
  const bus = new EventBus(50);
  let readyCalls = 0;
  const slow = bus.subscribe(() => { readyCalls++; }, { limit: 10 });
  const fast: string[] = [];
  const quick = bus.subscribe(() => fast.push(...quick.take().events.map((e) => (e.type === 'object' ? e.key : ''))));
  for (let i = 0; i < 25; i++) bus.publish(() => objectEvent(`k${i}`));
  await turn();
  await turn();
  t.equal(readyCalls, 1, 'told once that events wait');
  t.equal(slow.size, 10, 'bounded');
  const { events, dropped } = slow.take();
  t.equal(dropped, 15);
  t.same(events.map((e) => (e.type === 'object' ? e.key : '')), ['k15', 'k16', 'k17', 'k18', 'k19', 'k20', 'k21', 'k22', 'k23', 'k24'], 'the newest kept');
  t.equal(fast.length, 25, 'another subscriber is not affected');
  slow.close();
  quick.close();
});

t.test('event bus – the ring keeps the last N and replays them to a new subscriber', async (t) => {
  const bus = new EventBus(5);
  const keep = bus.subscribe(() => keep.take());
  for (let i = 0; i < 8; i++) bus.publish(() => objectEvent(`k${i}`));
  await turn();
  t.same(bus.recent().map((e) => e.id), [4, 5, 6, 7, 8]);
  t.same(bus.recent(6).map((e) => e.id), [7, 8]);
  const late = bus.subscribe(() => undefined, { since: 6 });
  t.same(late.take().events.map((e) => e.id), [7, 8], 'replayed from the ring');
  late.close();
  keep.close();
  bus.closeAll();
});

t.test('event bus – rate-limited subscribers: past N a second nothing is built, and they are told how many were skipped', async (t) => {
  const bus = new EventBus();
  let built = 0;
  const limited = bus.subscribe(() => undefined, { perSecond: 5 });
  for (let i = 0; i < 12; i++) bus.publish(() => { built++; return objectEvent(`k${i}`); });
  await turn();
  t.equal(built, 5, 'only the first 5 of the second are built');
  const first = limited.take();
  t.same(first.events.map((e) => (e.type === 'object' ? e.key : '')), ['k0', 'k1', 'k2', 'k3', 'k4']);
  t.equal(first.skipped, 7, 'told how many were skipped');
  t.equal(first.dropped, 0);

  // A subscriber that takes every event (code embedding crossbucket) lifts the limit for everyone.
  const every = bus.subscribe(() => undefined);
  for (let i = 0; i < 12; i++) bus.publish(() => { built++; return objectEvent(`e${i}`); });
  await turn();
  t.equal(built, 17, 'all built while an unlimited subscriber listens');
  t.equal(every.take().events.length, 12);
  t.equal(limited.take().events.length, 12, 'the limited one gets what was built anyway');
  every.close();

  // The window is one second: after it, the next events are built again.
  await new Promise((resolve) => setTimeout(resolve, 1050));
  bus.publish(() => { built++; return objectEvent('later'); });
  await turn();
  t.same(limited.take().events.map((e) => (e.type === 'object' ? e.key : '')), ['later'], 'a new second');
  limited.close();
});
