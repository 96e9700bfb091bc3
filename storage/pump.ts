/**
 * `source.pipe(sink)` as a promise, for the body of every upload: a source error, or the source
 * closing before its end, destroys the sink and rejects with it (as `stream.pipeline` does) once
 * the sink has closed. A
 * sink error (a full disk) destroys the sink and rejects, but only unpipes and pauses the source:
 * it is the request, whose owner must still answer it (and then drains or closes the
 * connection); destroying it would reset the socket before the error could be sent. `pipeline` itself ends each call with `AbortController.abort()`, whose DOMException
 * (a captured stack trace) is a measurable part of a small PutObject (docs/benchmarks.md).
 */
import { finished, type Readable, type Writable } from 'node:stream';

export function pump(source: Readable, sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error, from: 'source' | 'sink'): void => {
      if (settled) return;
      settled = true;
      source.unpipe(sink);
      // The failing stream is destroyed already; the sink is destroyed without an error (no
      // listener may be left to hear it): the error reaches the caller through the promise.
      if (from === 'source') source.destroy();
      else source.pause();
      // Rejected once the sink has closed: a file it was still opening is there to remove then.
      if (sink.closed) reject(err);
      else sink.once('close', () => reject(err));
      sink.destroy();
    };
    const stopSource = finished(source, { writable: false }, (err) => { if (err) fail(err, 'source'); });
    finished(sink, { readable: false }, (err) => {
      stopSource();
      if (err) return fail(err, 'sink');
      if (settled) return;
      settled = true;
      resolve();
    });
    source.pipe(sink);
  });
}
