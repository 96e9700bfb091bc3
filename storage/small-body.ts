/**
 * The first SMALL_BODY_BYTES of a body read straight from its `data` events: a small body (most
 * PutObjects) is whole before any Writable, pipe or `finished` watcher is made for it. Through
 * the HashingSink and pump a 4 KiB PutObject spent ~10% of its CPU on that machinery (bench:ab,
 * both ways round, docs/benchmarks.md "Issue 19, ninth round").
 *
 * A body that grows past the limit is paused and handed back with the chunks read so far: the
 * stage streams the rest to a file (storage/blob-files.ts `stage`); a request document over its
 * bound is refused (server/body/small-body.ts). Errors are those of pump(): the
 * source's own error, a premature close, or EntityTooLarge past `maxSize` (the source paused,
 * not destroyed: it is the request, which must still be answered).
 */
import type { Readable } from 'node:stream';
import { StorageError } from './errors';

export type SmallRead =
  | { whole: Buffer }
  /** Past the limit: the chunks read so far; the source is paused with the rest. */
  | { early: Buffer[]; size: number };

/** `maxSize`: past it, EntityTooLarge; without it, a body past `limit` is only handed back. */
export function readSmall(source: Readable, limit: number, maxSize = Infinity): Promise<SmallRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      source.pause();
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxSize) {
        stop();
        reject(new StorageError('EntityTooLarge'));
      } else if (size > limit) {
        stop();
        resolve({ early: chunks, size });
      }
    };
    const onEnd = (): void => {
      stop();
      resolve({ whole: chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks, size) });
    };
    const onError = (err: Error): void => {
      stop();
      source.destroy();
      reject(err);
    };
    // A source closed before its end (a client gone mid-body) fails as under pump().
    const onClose = (): void => {
      if (source.readableEnded) return;
      onError(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', onError);
    source.once('close', onClose);
  });
}
