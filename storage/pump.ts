/**
 * `source.pipe(sink)` as a promise with `stream.pipeline`'s failure rules (either stream's error,
 * or the source closing before its end, destroys both and rejects with it), for the body of every
 * upload. `pipeline` itself ends each call with `AbortController.abort()`, whose DOMException
 * (a captured stack trace) is a measurable part of a small PutObject (docs/benchmarks.md).
 */
import { finished, type Readable, type Writable } from 'node:stream';

export function pump(source: Readable, sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      source.unpipe(sink);
      // The failing stream is destroyed already; the other is destroyed without an error (no
      // listener may be left to hear it): the error reaches the caller through the promise.
      source.destroy();
      sink.destroy();
      reject(err);
    };
    const stopSource = finished(source, { writable: false }, (err) => { if (err) fail(err); });
    finished(sink, { readable: false }, (err) => {
      stopSource();
      if (err) return fail(err);
      if (settled) return;
      settled = true;
      resolve();
    });
    source.pipe(sink);
  });
}
