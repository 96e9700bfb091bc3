/**
 * Where JSON log lines go when they go to stdout (docs/operations.md "Logs"). The lines logged in
 * one turn of the event loop are gathered into one string and written together at the end of that
 * turn (setImmediate), so no line is kept alive past the turn it was logged in. pino's
 * asynchronous destination kept the lines of a write in flight in a growing string that outlived
 * young-generation collections: a log line cost a GET 37-39% of its CPU that way; this way about
 * 5% to a file and 10% to a pipe (bench:ab, docs/benchmarks.md).
 *
 * - stdout a regular file (`crossbucket > server.log`): one synchronous write(2) per turn. A file
 *   write does not wait for a reader.
 * - anything else (a pipe under docker or `| tee`, a socket): one `process.stdout.write()` per turn.
 *   On a pipe, node writes at once what the pipe takes and queues the rest, so a reader that
 *   falls behind never stalls the server. The queue is bounded: past MAX_QUEUED_BYTES, lines are
 *   dropped and counted, and once the reader catches up a warning line says how many were lost.
 *
 * What is still pending when the process exits is written then.
 */
import { fstatSync, writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

/** Bytes of log lines a pipe reader may fall behind by before lines are dropped (~30,000 request lines). */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

export type LineDestination = DestinationStream & { flushSync(): void };

/** What `streamLines` needs of process.stdout (tests pass their own). */
export interface LineStream {
  write(text: string): boolean;
  readonly writableLength: number;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

function stdoutIsFile(): boolean {
  try {
    return fstatSync(1).isFile();
  } catch {
    return false;
  }
}

/** One for the process: every logger writing to stdout shares it (and its exit hook). */
let stdoutDestination: LineDestination | undefined;

/** The destination for stdout: a file gets synchronous writes, anything else the stream's. */
export function stdoutLines(): LineDestination {
  if (stdoutDestination === undefined) {
    stdoutDestination = stdoutIsFile() ? turnLines((text) => writeSync(1, text)) : streamLines(process.stdout);
    process.on('exit', stdoutDestination.flushSync);
  }
  return stdoutDestination;
}

/**
 * Lines gathered per turn and handed to `out` at its end. `out` may throw (a full disk, a closed
 * descriptor): log lines are not worth stopping the server for.
 */
export function turnLines(out: (text: string) => void): LineDestination {
  let pending = '';
  const flushSync = (): void => {
    const text = pending;
    pending = '';
    if (text === '') return;
    try {
      out(text);
    } catch {
      // Lost: see above.
    }
  };
  return {
    write(line: string) {
      if (pending === '') setImmediate(flushSync);
      pending += line;
    },
    flushSync,
  };
}

/** Lines for a stream (a pipe): written per turn, dropped and counted while its queue is full. */
export function streamLines(stream: LineStream, maxQueued = MAX_QUEUED_BYTES): LineDestination {
  let dropped = 0;
  let broken = false;
  // A reader that went away (EPIPE): lines are discarded from then on, the server goes on.
  stream.on('error', () => { broken = true; });
  return turnLines((text) => {
    if (broken) return;
    if (stream.writableLength > maxQueued) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) dropped++;
      return;
    }
    if (dropped > 0) {
      text = `${JSON.stringify({ level: 40, time: Date.now(), msg: 'log lines dropped: the stdout reader fell behind', dropped })}\n${text}`;
      dropped = 0;
    }
    stream.write(text);
  });
}
