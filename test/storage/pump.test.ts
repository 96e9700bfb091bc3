/**
 * pump – pipe as a promise with pipeline's failure rules: success resolves after the sink
 * finished; a source error or a source closed before its end rejects with that error and leaves
 * both streams destroyed; a sink error rejects and leaves the source (the request) paused and
 * undestroyed for its owner to answer; no unheard 'error' event either way.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import t from 'tap';
import { pump } from '../../storage/pump';

function collector(fail?: Error): Writable & { data: Buffer[]; finals: number } {
  const w = new Writable({
    write(chunk: Buffer, _e, cb) { if (fail) return cb(fail); w.data.push(chunk); cb(); },
    final(cb) { w.finals++; cb(); },
  }) as Writable & { data: Buffer[]; finals: number };
  w.data = [];
  w.finals = 0;
  return w;
}

t.test('pump – resolves once the sink has finished, with every byte', async (t) => {
  const sink = collector();
  await pump(Readable.from([Buffer.from('a'), Buffer.from('bc')]), sink);
  t.equal(Buffer.concat(sink.data).toString(), 'abc');
  t.equal(sink.finals, 1);
});

t.test('pump – a source error rejects with it and destroys the sink', async (t) => {
  const source = new PassThrough();
  const sink = collector();
  const done = pump(source, sink);
  source.write('part');
  source.destroy(new Error('source broke'));
  await t.rejects(done, /source broke/);
  t.ok(sink.destroyed);
  t.equal(sink.finals, 0, 'the sink never finished');
});

t.test('pump – a sink error (a full disk) rejects with it; the source is paused, not destroyed', async (t) => {
  const source = new PassThrough();
  const sink = collector(new Error('sink refused'));
  const done = pump(source, sink);
  source.write('x');
  await t.rejects(done, /sink refused/);
  t.ok(sink.destroyed);
  t.notOk(source.destroyed, 'the request stays whole: its owner answers it, then drains or closes');
  t.ok(source.isPaused());
  t.equal(source.listenerCount('data'), 0, 'nothing reads it any more');
});

t.test('pump – a source that closes before its end rejects (premature close)', async (t) => {
  const source = new PassThrough();
  const sink = collector();
  const done = pump(source, sink);
  source.write('half');
  source.destroy();
  await t.rejects(done, { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  t.ok(sink.destroyed);
});

t.test('pump – a failure rejects only once the sink has closed (its file may still be opening)', async (t) => {
  const source = new PassThrough();
  let closedAt = 0;
  const sink = new Writable({
    write(_chunk, _e, cb) { cb(); },
    // A destroy that takes a while, as a file stream's that is still opening its file.
    destroy(err, cb) { setTimeout(() => { closedAt = Date.now(); cb(err); }, 30); },
  });
  const done = pump(source, sink);
  source.write('part');
  source.destroy(new Error('client went away'));
  await t.rejects(done, /client went away/);
  t.ok(closedAt > 0, 'the sink had finished destroying when the promise rejected');
  t.ok(sink.closed);
});
