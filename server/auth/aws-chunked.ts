/**
 * Decoder for `Content-Encoding: aws-chunked` bodies (AWS S3 API, "Transferring Payload in
 * Multiple Chunks"): a Transform whose output is the object data, without framing.
 *
 *   chunk   = hex-size [";chunk-signature=" sig] CRLF data CRLF
 *   final   = "0" [";chunk-signature=" sig] CRLF
 *   trailer = *(name ":" value CRLF) ["x-amz-trailer-signature:" sig CRLF]   (trailer modes)
 *   end     = CRLF
 *
 * Data is pushed as it arrives (never buffered whole). A chunk's signature can only be judged
 * at the chunk's end, so bytes of a bad chunk may already have been pushed: the stream then
 * errors before it ends, and the consumer must discard what it wrote (storage writes to a temp
 * file and only renames it on success).
 */
import { createHash, type Hash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { AuthError, MESSAGES } from './auth-error';
import { hexBytes } from './canonical-request';
import {
  canonicalTrailers,
  chunkStringToSign,
  signString,
  trailerStringToSign,
  type ChunkSigningSeed,
} from './chunk-signature';
import {
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
} from './signing-context';
import { signaturesEqual } from './signing-key';

export type AwsChunkedMode =
  | typeof STREAMING_SIGNED
  | typeof STREAMING_SIGNED_TRAILER
  | typeof STREAMING_UNSIGNED_TRAILER;

export function isAwsChunkedMode(payloadHash: string): payloadHash is AwsChunkedMode {
  return payloadHash === STREAMING_SIGNED || payloadHash === STREAMING_SIGNED_TRAILER || payloadHash === STREAMING_UNSIGNED_TRAILER;
}

export interface AwsChunkedOptions {
  /** The x-amz-content-sha256 value of the request. */
  mode: AwsChunkedMode;
  /** Required for the two signed modes: from a successful `verifySigV4`. */
  seed?: ChunkSigningSeed;
  /** Access key id, echoed in SignatureDoesNotMatch errors. */
  accessKeyId?: string;
  /** `x-amz-decoded-content-length`, when sent (NaN is ignored): the data length must equal it. */
  decodedContentLength?: number;
  /** Trailer names announced by `x-amz-trailer` (any case, trimmed): each must arrive. */
  expectedTrailers?: readonly string[];
  /** Every chunk but the last must be at least this long. Default 8192 when signed, else 0. */
  minChunkSize?: number;
  /**
   * Signed modes without a seed: decode, checking no chunk or trailer signature. Only for a
   * server that accepts any credentials (`--auth permissive`), where the secret is unknown.
   */
  skipSignatureCheck?: boolean;
}

const MAX_LINE = 4096;
const MAX_TRAILER_LINES = 32;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

type State = 'size' | 'data' | 'data-crlf' | 'trailer' | 'final-crlf' | 'done';

function incomplete(): AuthError {
  return new AuthError('IncompleteBody', MESSAGES.incompleteBody);
}

export class AwsChunkedDecoder extends Transform {
  private readonly opts: AwsChunkedOptions;
  private readonly signed: boolean;
  private readonly minChunkSize: number;
  private readonly decodedLimit: number | undefined;
  private readonly expectedTrailers: string[];
  private state: State = 'size';
  private line: Buffer[] = [];
  private lineLength = 0;
  private remaining = 0;
  private crlfSeen = 0;
  private chunkIndex = 0;
  private previousChunkSize = -1;
  private chunkSignature = '';
  private previousSignature: string;
  private hash: Hash | undefined;
  private decoded = 0;
  private readonly trailers: Array<[string, string]> = [];
  private trailerSignature: string | undefined;

  constructor(opts: AwsChunkedOptions) {
    super();
    this.opts = opts;
    this.signed = opts.mode !== STREAMING_UNSIGNED_TRAILER;
    if (this.signed && !opts.seed && opts.skipSignatureCheck !== true) throw new TypeError(`${opts.mode} needs the signing seed`);
    this.minChunkSize = opts.minChunkSize ?? (this.signed ? 8192 : 0);
    this.decodedLimit = Number.isFinite(opts.decodedContentLength) ? opts.decodedContentLength : undefined;
    this.expectedTrailers = (opts.expectedTrailers ?? []).map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
    this.previousSignature = opts.seed?.seedSignature ?? '';
  }

  /** The trailing headers received (lower-case names), complete once the stream has ended. */
  getTrailers(): Record<string, string> {
    return Object.fromEntries(this.trailers);
  }

  /** Number of data bytes decoded so far. */
  get decodedLength(): number {
    return this.decoded;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // The AWS SDK's encoder ends a body that has no trailer with `0\r\n` alone: accepted
    // for the unsigned mode. UNVERIFIED(S3): whether S3 accepts it too.
    const bareEnd = this.state === 'trailer' && !this.signed && this.lineLength === 0 && this.trailers.length === 0;
    if (this.state !== 'done' && !bareEnd) return callback(incomplete());
    const expected = this.decodedLimit;
    if (expected !== undefined && expected !== this.decoded) {
      return callback(new AuthError('IncompleteBody', MESSAGES.decodedLengthMismatch));
    }
    for (const name of this.expectedTrailers) {
      if (!this.trailers.some(([n]) => n === name)) {
        return callback(new AuthError('MalformedTrailerError', MESSAGES.malformedTrailer));
      }
    }
    callback();
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.state) {
        case 'size':
        case 'trailer': {
          const nl = buf.indexOf(0x0a, i);
          const end = nl < 0 ? buf.length : nl + 1;
          this.appendLine(buf.subarray(i, end));
          i = end;
          if (nl >= 0) this.onLine(this.takeLine());
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, buf.length - i);
          const piece = buf.subarray(i, i + n);
          this.hash?.update(piece);
          this.decoded += n;
          this.remaining -= n;
          i += n;
          if (this.decodedLimit !== undefined && this.decoded > this.decodedLimit) {
            throw new AuthError('IncompleteBody', MESSAGES.decodedLengthMismatch);
          }
          this.push(piece);
          if (this.remaining === 0) this.state = 'data-crlf';
          break;
        }
        case 'data-crlf':
        case 'final-crlf': {
          const expected = this.crlfSeen === 0 ? 0x0d : 0x0a;
          if (buf[i] !== expected) throw incomplete();
          i++;
          if (++this.crlfSeen === 2) {
            this.crlfSeen = 0;
            if (this.state === 'final-crlf') {
              this.state = 'done';
            } else {
              this.endChunk();
              this.state = 'size';
            }
          }
          break;
        }
        case 'done':
          // UNVERIFIED(S3): bytes after the final CRLF are refused.
          throw incomplete();
      }
    }
  }

  private appendLine(piece: Buffer): void {
    this.lineLength += piece.length;
    if (this.lineLength > MAX_LINE) throw this.state === 'trailer' ? new AuthError('MalformedTrailerError', MESSAGES.malformedTrailer) : incomplete();
    this.line.push(piece);
  }

  /** The current line without its CRLF; a bare LF is malformed framing. */
  private takeLine(): string {
    const bytes = Buffer.concat(this.line, this.lineLength);
    this.line = [];
    this.lineLength = 0;
    if (bytes.length < 2 || bytes[bytes.length - 2] !== 0x0d) {
      throw this.state === 'trailer' ? new AuthError('MalformedTrailerError', MESSAGES.malformedTrailer) : incomplete();
    }
    return bytes.subarray(0, bytes.length - 2).toString('latin1');
  }

  private onLine(text: string): void {
    if (this.state === 'size') this.onChunkHeader(text);
    else this.onTrailerLine(text);
  }

  /** `hex-size[;chunk-signature=sig]`: start a chunk, or the final chunk when the size is 0. */
  private onChunkHeader(text: string): void {
    const [sizeText = '', ...extensions] = text.split(';');
    if (!/^[0-9a-fA-F]{1,13}$/.test(sizeText)) throw incomplete();
    const size = parseInt(sizeText, 16);
    this.chunkIndex++;
    this.chunkSignature = '';
    for (const ext of extensions) {
      const eq = ext.indexOf('=');
      if (eq > 0 && ext.slice(0, eq).trim() === 'chunk-signature') this.chunkSignature = ext.slice(eq + 1).trim();
    }
    if (this.signed && this.chunkSignature === '') throw incomplete();
    // S3: "Only the last chunk is allowed to have a size less than 8192 bytes" (InvalidChunkSizeError,
    // reported when the next non-final chunk shows the previous one was short).
    if (size > 0 && this.previousChunkSize >= 0 && this.previousChunkSize < this.minChunkSize) {
      throw new AuthError('InvalidChunkSizeError', MESSAGES.invalidChunkSize, {
        Chunk: String(this.chunkIndex),
        BadChunkSize: String(this.previousChunkSize),
      });
    }
    this.previousChunkSize = size;
    this.hash = this.signed ? createHash('sha256') : undefined;
    if (size > 0) {
      this.remaining = size;
      this.state = 'data';
      return;
    }
    this.endChunk();
    this.state = this.opts.mode === STREAMING_SIGNED ? 'final-crlf' : 'trailer';
  }

  /** The end of a chunk's data: check its signature, chained to the previous one. */
  private endChunk(): void {
    const hash = this.hash;
    this.hash = undefined;
    if (!this.signed || !this.opts.seed || !hash) return;
    const stringToSign = chunkStringToSign(this.opts.seed, this.previousSignature, hash.digest('hex'));
    const expected = signString(this.opts.seed.signingKey, stringToSign);
    if (!signaturesEqual(expected, this.chunkSignature)) throw this.mismatch(stringToSign, this.chunkSignature);
    this.previousSignature = expected;
  }

  private mismatch(stringToSign: string, provided: string): AuthError {
    return new AuthError('SignatureDoesNotMatch', MESSAGES.signatureDoesNotMatch, {
      ...(this.opts.accessKeyId ? { AWSAccessKeyId: this.opts.accessKeyId } : {}),
      StringToSign: stringToSign,
      SignatureProvided: provided,
      StringToSignBytes: hexBytes(stringToSign),
    });
  }

  /** One trailing header, the trailer signature, or the empty line that ends the body. */
  private onTrailerLine(text: string): void {
    if (text === '') {
      this.endTrailers();
      this.state = 'done';
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0 || this.trailers.length >= MAX_TRAILER_LINES || this.trailerSignature !== undefined) {
      throw new AuthError('MalformedTrailerError', MESSAGES.malformedTrailer);
    }
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE) this.trailerSignature = value;
    else this.trailers.push([name, value]);
  }

  private endTrailers(): void {
    if (this.opts.mode !== STREAMING_SIGNED_TRAILER || !this.opts.seed) return;
    if (this.trailerSignature === undefined) throw new AuthError('MalformedTrailerError', MESSAGES.malformedTrailer);
    const stringToSign = trailerStringToSign(this.opts.seed, this.previousSignature, canonicalTrailers(this.trailers));
    const expected = signString(this.opts.seed.signingKey, stringToSign);
    if (!signaturesEqual(expected, this.trailerSignature)) throw this.mismatch(stringToSign, this.trailerSignature);
  }
}

/** Creates the decoder for a request whose x-amz-content-sha256 is a STREAMING-* value. */
export function createAwsChunkedDecoder(opts: AwsChunkedOptions): AwsChunkedDecoder {
  return new AwsChunkedDecoder(opts);
}
