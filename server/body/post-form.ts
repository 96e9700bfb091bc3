/**
 * The multipart/form-data body of a POST Object request, read as a stream (AWS S3 API, "POST
 * Object"): the text fields that precede `file` are collected (bounded), the `file` part is
 * handed over as a stream, and everything after it is read and ignored, as S3 does ("The file
 * or content must be the last field in the form. Any fields below it are ignored.").
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Busboy } from '@fastify/busboy';
import { S3Error } from '../errors';

/** S3's bound on the form fields that precede the file (name and value bytes together). */
export const MAX_POST_PRE_DATA_LENGTH = 20 * 1024;
/** A bound on the number of fields, so a form of empty fields cannot grow without limit. */
const MAX_FIELDS = 1000;
/**
 * Raw bytes (part headers and boundaries included) the form may take before its `file` part
 * starts: the signature and policy are checked there, so an anonymous form to a private bucket
 * is refused after at most this much. UNVERIFIED(S3): S3's own bound on the part headers.
 */
export const MAX_PRE_FILE_BYTES = 64 * 1024;

/** The `file` part: its stream must be read to its end (or the form drained). */
export interface FormFile {
  fieldName: string;
  /** The file name the client sent, without any path (`C:\dir\a.txt` is `a.txt`). */
  filename: string | undefined;
  contentType: string;
  stream: Readable;
}

export interface PostFormOptions {
  /** The fields before `file` must have arrived within this time (0: no limit): RequestTimeout otherwise. */
  headTimeoutMs: number;
}

export interface PostFormReader {
  /** The fields before `file` and the file part, or `file: undefined` when the body had none. */
  readonly head: Promise<{ fields: Record<string, string>; file: FormFile | undefined }>;
  /** Resolves once the whole body has been parsed; rejects with MalformedPOSTRequest. */
  readonly done: Promise<void>;
  /**
   * Stops parsing and discards the rest of the request body, up to `maxBytes` and `maxMs`;
   * resolves when it has ended or a bound was passed (the answer then closes the connection).
   */
  drain(maxBytes: number, maxMs: number): Promise<void>;
}

export function isMultipartFormData(contentType: string | undefined): contentType is string {
  return contentType !== undefined && /^\s*multipart\/form-data\s*(;|$)/i.test(contentType);
}

function malformed(): S3Error {
  return new S3Error('MalformedPOSTRequest');
}

function tooLarge(): S3Error {
  // UNVERIFIED(S3): the extra element (code and message from S3's error code list).
  return new S3Error('MaxPostPreDataLengthExceededError', undefined, { MaxPostPreDataLength: String(MAX_POST_PRE_DATA_LENGTH) });
}

/** A promise whose rejection is never "unhandled": callers await it when they need it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Starts parsing `req` (whose Content-Type passed `isMultipartFormData`). Field names keep
 * their case here; POST Object matches them case-insensitively.
 */
export function readPostForm(req: IncomingMessage, contentType: string, options: PostFormOptions = { headTimeoutMs: 0 }): PostFormReader {
  let busboy: InstanceType<typeof Busboy>;
  try {
    busboy = new Busboy({
      headers: { 'content-type': contentType },
      // Only `file` carries the upload, whether or not it has a filename; other parts are text.
      isPartAFile: (name) => name?.toLowerCase() === 'file',
      limits: { fieldSize: MAX_POST_PRE_DATA_LENGTH + 1, fields: MAX_FIELDS },
    });
  } catch {
    // No boundary in the Content-Type.
    throw malformed();
  }
  const head = deferred<{ fields: Record<string, string>; file: FormFile | undefined }>();
  const done = deferred<void>();
  const fields: Record<string, string> = {};
  let preDataBytes = 0;
  let seenFile = false;
  let failed = false;
  let file: Readable | undefined;

  const drain = (maxBytes: number, maxMs: number): Promise<void> => {
    req.unpipe(busboy);
    req.off('data', countPreFile);
    if (req.readableEnded || req.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let drained = 0;
      const stop = (): void => {
        clearTimeout(timer);
        req.off('data', onData);
        req.pause();
        resolve();
      };
      const timer = setTimeout(stop, maxMs);
      const onData = (chunk: Buffer): void => {
        drained += chunk.length;
        if (drained > maxBytes) stop();
      };
      req.on('data', onData);
      req.once('end', stop);
      req.once('close', stop);
      req.resume();
    });
  };
  const fail = (err: S3Error): void => {
    if (failed) return;
    failed = true;
    clearTimeout(headTimer);
    req.off('data', countPreFile);
    head.reject(err);
    done.reject(err);
    req.unpipe(busboy);
    // A file being read would otherwise wait for an end that never comes.
    if (file && !file.readableEnded) file.destroy(err);
  };

  busboy.on('field', (name: string, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
    if (seenFile || failed) return;
    preDataBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (valueTruncated || preDataBytes > MAX_POST_PRE_DATA_LENGTH) return fail(tooLarge());
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  });
  busboy.on('fieldsLimit', () => {
    if (!seenFile) fail(tooLarge());
  });
  busboy.on('file', (name: string, stream: Readable, filename: string | undefined, _encoding: string, mime: string) => {
    if (seenFile || failed) {
      // A second file, or one after a failure: read and ignored.
      stream.on('error', () => undefined);
      stream.resume();
      return;
    }
    seenFile = true;
    clearTimeout(headTimer);
    file = stream;
    // The handler may abandon the file (a refused policy); a late parse error must not crash.
    stream.on('error', () => undefined);
    head.resolve({ fields, file: { fieldName: name, filename, contentType: mime, stream } });
  });
  busboy.on('finish', () => {
    clearTimeout(headTimer);
    if (failed) return;
    if (!seenFile) head.resolve({ fields, file: undefined });
    done.resolve();
  });
  busboy.on('error', () => fail(malformed()));
  req.on('error', () => fail(malformed()));
  // The bytes and the time the form may take before its `file` part (where the policy is
  // checked). Busboy sees each chunk first (pipe's listener was added first), so a chunk that
  // starts the file has already set `seenFile` when it is counted here.
  let preFileBytes = 0;
  function countPreFile(chunk: Buffer): void {
    if (seenFile) return void req.off('data', countPreFile);
    preFileBytes += chunk.length;
    if (preFileBytes > MAX_PRE_FILE_BYTES) fail(tooLarge());
  }
  const headTimer = options.headTimeoutMs > 0 ? setTimeout(() => { if (!seenFile) fail(new S3Error('RequestTimeout')); }, options.headTimeoutMs) : undefined;
  headTimer?.unref();
  req.pipe(busboy);
  req.on('data', countPreFile);
  return { head: head.promise, done: done.promise, drain };
}
