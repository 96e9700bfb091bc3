/**
 * Log destinations (server/http/log-destinations.ts): the lines of one event-loop turn go out in
 * one write at its end; a stream (a pipe) whose reader fell behind past the bound loses lines,
 * counted, and a warning line says how many once it takes lines again.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import t from 'tap';
import { streamLines, turnLines, type LineStream } from '../../server/http/log-destinations';

t.test('turn lines – one write per turn, at its end; flushSync writes what is pending now; a throwing writer is survived', async (t) => {
  const writes: string[] = [];
  const d = turnLines((text) => { writes.push(text); });
  d.write('a\n');
  d.write('b\n');
  t.same(writes, [], 'nothing written during the turn');
  await nextTurn();
  t.same(writes, ['a\nb\n'], 'the turn\'s lines in one write');
  d.write('c\n');
  d.flushSync();
  t.same(writes, ['a\nb\n', 'c\n'], 'flushSync (at exit) writes at once');
  await nextTurn();
  t.equal(writes.length, 2, 'and nothing is written twice');
  const failing = turnLines(() => { throw new Error('ENOSPC'); });
  failing.write('x\n');
  await nextTurn();
  t.pass('a write that throws does not reach the server');
});

function fakeStream(): LineStream & { written: string[]; queued: number; fail(): void } {
  let onError: ((err: Error) => void) | undefined;
  return {
    written: [],
    queued: 0,
    get writableLength() { return this.queued; },
    write(text: string) { this.written.push(text); return true; },
    on(_event: 'error', listener: (err: Error) => void) { onError = listener; return this; },
    fail() { onError?.(new Error('EPIPE')); },
  };
}

t.test('stream lines – past the bound lines are dropped and counted; then a warning line says how many', async (t) => {
  const stream = fakeStream();
  const d = streamLines(stream, 100);
  d.write('{"n":1}\n');
  await nextTurn();
  t.same(stream.written, ['{"n":1}\n'], 'written while the queue is short');
  stream.queued = 101;
  d.write('{"n":2}\n');
  d.write('{"n":3}\n');
  await nextTurn();
  d.write('{"n":4}\n');
  await nextTurn();
  t.equal(stream.written.length, 1, 'nothing handed to a stream whose queue is past the bound');
  stream.queued = 0;
  d.write('{"n":5}\n');
  await nextTurn();
  const lines = (stream.written[1] ?? '').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(lines[0], { level: 40, msg: 'log lines dropped: the stdout reader fell behind', dropped: 3 }, 'the count of lost lines first');
  t.same(lines[1], { n: 5 }, 'then the new lines');
  d.write('{"n":6}\n');
  await nextTurn();
  t.same(stream.written[2], '{"n":6}\n', 'the count is told once');
});

t.test('stream lines – a reader that went away (EPIPE): lines are discarded, nothing throws', async (t) => {
  const stream = fakeStream();
  const d = streamLines(stream);
  stream.fail();
  d.write('{"n":1}\n');
  await nextTurn();
  d.flushSync();
  t.same(stream.written, []);
});
