/** Reads a small request document (XML configuration, DeleteObjects) with a size bound. */
import type { S3Context } from './context';
import { S3Error } from './errors';
import { decodedBody } from './payload';

export async function readSmallBody(ctx: S3Context, maxBytes: number, tooLarge: S3Error = new S3Error('MaxMessageLengthExceeded')): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const body = decodedBody(ctx);
  for await (const chunk of body.stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) {
      body.stream.destroy();
      throw tooLarge;
    }
    chunks.push(buf);
  }
  await body.finished();
  return Buffer.concat(chunks);
}
