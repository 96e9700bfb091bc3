// aws-chunked bodies: the S3 documentation example, bodies signed by an independent chain,
// the AWS SDK's own encoder for the unsigned-trailer mode, every split point, and refusals.
import t from 'tap';
import { Readable } from 'node:stream';
import { AwsCrc32 } from '@aws-crypto/crc32';
import { getAwsChunkedEncodingStream } from '@smithy/core/serde';
import { createAwsChunkedDecoder, type AwsChunkedOptions } from '../../server/auth/aws-chunked';
import { AuthError } from '../../server/auth/auth-error';
import { verifySigV4 } from '../../server/auth/sigv4';
import { bytes, feed, signedBody, signingKey, unsignedBody, type ChainSeed } from './fixtures/chunked';
import { SECRET, lookupSecret, signHeader } from './fixtures/signers';

const whole = (): number => Number.MAX_SAFE_INTEGER;
const one = (): number => 1;

async function decode(opts: AwsChunkedOptions, body: Buffer, pieces: (i: number) => number = whole) {
  const decoder = createAwsChunkedDecoder(opts);
  const data = await feed(decoder, body, pieces);
  return { data, trailers: decoder.getTrailers() };
}

async function refusal(opts: AwsChunkedOptions, body: Buffer, pieces: (i: number) => number = whole): Promise<AuthError> {
  const decoder = createAwsChunkedDecoder(opts);
  let ended = false;
  decoder.on('end', () => (ended = true));
  try {
    await feed(decoder, body, pieces);
  } catch (err) {
    if (ended) throw new Error('stream ended before the error');
    if (err instanceof AuthError) return err;
    throw err;
  }
  throw new Error('expected the decoder to fail');
}

// AWS S3 API, "Signature Calculations for the Authorization Header: Transferring Payload in
// Multiple Chunks": PUT /examplebucket/chunkObject.txt, 65536 + 1024 bytes of 'a'.
t.test('S3 documentation example – seed and chunk signatures', async (t) => {
  const key = signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1');
  const seed = { signingKey: key, seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9', amzDate: '20130524T000000Z', scope: '20130524/us-east-1/s3/aws4_request' };
  const body = Buffer.concat([
    Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'),
    Buffer.alloc(65536, 'a'),
    Buffer.from('\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'),
    Buffer.alloc(1024, 'a'),
    Buffer.from('\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n'),
  ]);
  t.equal(body.length, 66824, 'the example Content-Length');
  const { data } = await decode({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed, decodedContentLength: 66560 }, body);
  t.ok(data.equals(Buffer.alloc(66560, 'a')));
  const { data: slow } = await decode({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed }, body, (i) => (i % 7) + 1);
  t.equal(slow.length, 66560);
});

async function seedFromRequest(mode: string): Promise<{ seed: AwsChunkedOptions['seed']; chain: ChainSeed }> {
  const date = new Date('2026-11-25T12:00:00Z');
  const s = await signHeader({
    method: 'PUT',
    path: '/bucket/big.bin',
    date,
    headers: { 'x-amz-content-sha256': mode, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '16484' },
  });
  const r = verifySigV4({ ...s, now: date, lookupSecret });
  if (!r.ok) throw new Error(r.message);
  return {
    seed: { signingKey: r.signingKey, seedSignature: r.signature, amzDate: r.amzDate, scope: r.scope },
    chain: { key: signingKey(SECRET, '20261125', 'us-east-1'), seedSignature: r.signature, amzDate: r.amzDate, scope: r.scope },
  };
}

t.test('signed chunks – seed from a verified request, whole and byte by byte', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const chunks = [bytes(8192, 1), bytes(8192, 2), bytes(100, 3)];
  const body = signedBody(chain, chunks);
  const opts: AwsChunkedOptions = { mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed, decodedContentLength: 16484 };
  t.ok((await decode(opts, body)).data.equals(Buffer.concat(chunks)), 'whole');
  t.ok((await decode(opts, body, one)).data.equals(Buffer.concat(chunks)), '1-byte pieces');
  t.ok((await decode(opts, body, (i) => [3, 8190, 1, 70][i % 4] ?? 1)).data.equals(Buffer.concat(chunks)), 'odd pieces');
});

t.test('signed chunks – every split point of a small body', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const chunks = [Buffer.from('hello'), Buffer.from(' wor'), Buffer.from('ld')];
  const body = signedBody(chain, chunks);
  for (let cut = 1; cut < body.length; cut++) {
    const { data } = await decode({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed, minChunkSize: 0 }, body, (i) => (i === 0 ? cut : body.length));
    if (data.toString() !== 'hello world') t.fail(`split at ${cut}`);
  }
  t.pass(`all ${body.length - 1} split points`);
});

t.test('signed chunks – tampered chunk signature mid-stream fails before the end', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const body = signedBody(chain, [bytes(8192, 1), bytes(8192, 2), bytes(10, 3)]);
  const second = body.indexOf(';chunk-signature=', 100) + ';chunk-signature='.length;
  const tampered = Buffer.from(body);
  tampered[second] = tampered[second] === 0x30 ? 0x31 : 0x30;
  const err = await refusal({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed }, tampered, (i) => (i % 5) + 1);
  t.equal(err.code, 'SignatureDoesNotMatch');
  t.match(err.extra.StringToSign, /^AWS4-HMAC-SHA256-PAYLOAD\n20261125T120000Z\n20261125\/us-east-1\/s3\/aws4_request\n/);
});

t.test('signed chunks – tampered data fails', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const body = signedBody(chain, [bytes(8192, 1), bytes(10, 3)]);
  const tampered = Buffer.from(body);
  const at = body.indexOf('\r\n') + 2 + 4000;
  tampered[at] = (tampered[at] ?? 0) ^ 0xff;
  t.equal((await refusal({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed }, tampered)).code, 'SignatureDoesNotMatch');
});

t.test('signed chunks – a wrong seed fails on the first chunk', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const body = signedBody({ ...chain, seedSignature: '0'.repeat(64) }, [bytes(10)]);
  t.equal((await refusal({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed }, body)).code, 'SignatureDoesNotMatch');
});

t.test('framing errors – truncated, missing final chunk, bad hex, missing CRLF, extra bytes', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const opts: AwsChunkedOptions = { mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed, minChunkSize: 0 };
  const body = signedBody(chain, [Buffer.from('hello'), Buffer.from('world')]);
  const finalAt = body.lastIndexOf('0;chunk-signature=');
  const cases: Array<[string, Buffer, string]> = [
    ['truncated in data', body.subarray(0, 100), 'IncompleteBody'],
    ['missing final chunk', body.subarray(0, finalAt), 'IncompleteBody'],
    ['missing last CRLF', body.subarray(0, body.length - 2), 'IncompleteBody'],
    ['bad hex size', Buffer.from(body.toString('latin1').replace(/^5;/, 'zz;'), 'latin1'), 'IncompleteBody'],
    ['no CRLF after data', Buffer.from(body.toString('latin1').replace('hello\r\n', 'helloXX'), 'latin1'), 'IncompleteBody'],
    ['bare LF line end', Buffer.from(body.toString('latin1').replace(/^(5;chunk-signature=[0-9a-f]+)\r\n/, '$1\n'), 'latin1'), 'IncompleteBody'],
    ['no chunk signature', Buffer.from(body.toString('latin1').replace(/^5;chunk-signature=[0-9a-f]+/, '5'), 'latin1'), 'IncompleteBody'],
    ['bytes after the end', Buffer.concat([body, Buffer.from('junk')]), 'IncompleteBody'],
    ['empty body', Buffer.alloc(0), 'IncompleteBody'],
  ];
  for (const [name, b, code] of cases) {
    const err = await refusal(opts, b, (i) => (i % 3) + 1);
    t.equal(err.code, code, name);
  }
});

t.test('chunk sizes – only the last chunk may be under 8192 bytes (signed modes)', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const err = await refusal({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed }, signedBody(chain, [Buffer.from('hel'), Buffer.from('lo')]));
  t.equal(err.code, 'InvalidChunkSizeError');
  t.equal(err.message, 'Only the last chunk is allowed to have a size less than 8192 bytes');
  t.same(err.extra, { Chunk: '2', BadChunkSize: '3' });
});

t.test('x-amz-decoded-content-length – mismatch is IncompleteBody', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const body = signedBody(chain, [bytes(8192), bytes(5)]);
  t.equal((await refusal({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed, decodedContentLength: 8198 }, body)).code, 'IncompleteBody');
  t.equal((await refusal({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', seed, decodedContentLength: 100 }, body)).code, 'IncompleteBody');
});

t.test('signed trailer – chunk chain plus trailer signature; trailers exposed', async (t) => {
  const { seed, chain } = await seedFromRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER');
  const data = [bytes(8192, 4), bytes(77, 5)];
  const body = signedBody(chain, data, [['x-amz-checksum-crc32', 'sOO8/Q==']]);
  const opts: AwsChunkedOptions = { mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', seed, expectedTrailers: ['x-amz-checksum-crc32'] };
  for (const pieces of [whole, one]) {
    const r = await decode(opts, body, pieces);
    t.ok(r.data.equals(Buffer.concat(data)));
    t.same(r.trailers, { 'x-amz-checksum-crc32': 'sOO8/Q==' });
  }
  const tampered = Buffer.from(body.toString('latin1').replace('sOO8/Q==', 'AAAAAA=='), 'latin1');
  const err = await refusal(opts, tampered);
  t.equal(err.code, 'SignatureDoesNotMatch');
  t.match(err.extra.StringToSign, /^AWS4-HMAC-SHA256-TRAILER\n/);
  const unsignedTrailer = Buffer.from(body.toString('latin1').replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ''), 'latin1');
  t.equal((await refusal(opts, unsignedTrailer)).code, 'MalformedTrailerError');
});

t.test('unsigned trailer – hand-built body, every split point', async (t) => {
  const body = unsignedBody([Buffer.from('abc'), Buffer.from('de')], [['x-amz-checksum-crc32', 'hwTzRA==']]);
  for (let cut = 1; cut < body.length; cut++) {
    const r = await decode({ mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, body, (i) => (i === 0 ? cut : body.length));
    if (r.data.toString() !== 'abcde' || r.trailers['x-amz-checksum-crc32'] !== 'hwTzRA==') t.fail(`split at ${cut}`);
  }
  t.pass('all split points');
});

t.test('unsigned trailer – body made by the AWS SDK encoder (getAwsChunkedEncodingStream)', async (t) => {
  const parts = [bytes(1000, 1), bytes(70000, 2), bytes(3, 3)];
  const source = Readable.from(parts);
  const encoded = getAwsChunkedEncodingStream(source, {
    base64Encoder: (b: Uint8Array) => Buffer.from(b).toString('base64'),
    bodyLengthChecker: (b: Buffer) => b.length,
    checksumAlgorithmFn: AwsCrc32 as never,
    checksumLocationName: 'x-amz-checksum-crc32',
    streamHasher: ((Ctor: new () => AwsCrc32, readable: Readable) =>
      new Promise<Uint8Array>((resolve) => {
        const h = new Ctor();
        readable.on('data', (d: Buffer) => h.update(d));
        readable.on('end', () => void h.digest().then(resolve));
      })) as never,
  } as never);
  const chunks: Buffer[] = [];
  for await (const c of encoded as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(c));
  const body = Buffer.concat(chunks);
  const crc = new AwsCrc32();
  for (const p of parts) crc.update(p);
  const expected = Buffer.from(await crc.digest()).toString('base64');
  const r = await decode({ mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', expectedTrailers: ['x-amz-checksum-crc32'] }, body, (i) => (i * 37) % 4096 + 1);
  t.ok(r.data.equals(Buffer.concat(parts)));
  t.same(r.trailers, { 'x-amz-checksum-crc32': expected });
});

t.test('unsigned trailer – refusals', async (t) => {
  const mode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' as const;
  const noColon = Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-crc32 hwTzRA==\r\n\r\n');
  t.equal((await refusal({ mode }, noColon)).code, 'MalformedTrailerError');
  const missing = Buffer.from('3\r\nabc\r\n0\r\n\r\n');
  t.equal((await refusal({ mode, expectedTrailers: ['x-amz-checksum-crc32'] }, missing)).code, 'MalformedTrailerError');
  t.equal((await refusal({ mode }, Buffer.from('3\r\nabc\r\n'))).code, 'IncompleteBody');
  t.equal((await refusal({ mode }, Buffer.from('3\r\nab'))).code, 'IncompleteBody');
  const bare = await decode({ mode }, Buffer.from('3\r\nabc\r\n0\r\n'));
  t.equal(bare.data.toString(), 'abc', 'the SDK ends a body without trailer with 0\\r\\n');
});

t.test('signed modes require the seed', async (t) => {
  t.throws(() => createAwsChunkedDecoder({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }));
});

t.test('options – NaN decoded length ignored, announced trailer names normalised', async (t) => {
  const body = Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-crc32:hwTzRA==\r\n\r\n');
  const r = await decode(
    { mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', decodedContentLength: Number(undefined), expectedTrailers: [' X-Amz-Checksum-CRC32 '] },
    body,
  );
  t.equal(r.data.toString(), 'abc');
});
