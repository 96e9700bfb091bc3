/**
 * Fuzz – the aws-chunked decoder: random bytes and mutated valid bodies, fed in random pieces,
 * in every mode and with random declared lengths and announced trailers, end with the data or
 * with an AuthError (never another error, never a hang); valid bodies split anywhere decode to
 * exactly their data and trailers.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { createAwsChunkedDecoder, type AwsChunkedOptions } from '../../server/auth/aws-chunked';
import { signedBody, signingKey, unsignedBody, type ChainSeed } from '../auth/fixtures/chunked';

const RUNS = Number(process.env.CB_FUZZ_RUNS ?? 600);
const SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
const UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

const AMZ_DATE = '20260101T000000Z';
const SCOPE = '20260101/us-east-1/s3/aws4_request';
const KEY = signingKey('crossbucket-secret', '20260101', 'us-east-1');
const SEED_SIGNATURE = createHash('sha256').update('seed').digest('hex');
const CHAIN: ChainSeed = { key: KEY, seedSignature: SEED_SIGNATURE, amzDate: AMZ_DATE, scope: SCOPE };
const SEED = { signingKey: KEY, seedSignature: SEED_SIGNATURE, amzDate: AMZ_DATE, scope: SCOPE };

type Outcome = { ok: true; data: Buffer; trailers: Record<string, string> } | { ok: false; name: string; code: string | undefined; message: string };

/** Writes `body` in pieces at `cuts`, ends, and reports how the decoder finished. */
function decode(opts: AwsChunkedOptions, body: Buffer, cuts: number[]): Promise<Outcome> {
  const decoder = createAwsChunkedDecoder(opts);
  const out: Buffer[] = [];
  return new Promise<Outcome>((resolve) => {
    // A decoder that neither ends nor errors after end() is a hang: the bound turns it into a failure.
    const hang = setTimeout(() => resolve({ ok: false, name: 'Hang', code: undefined, message: `no end after ${body.length} B` }), 5000);
    decoder.on('data', (d: Buffer) => out.push(d));
    decoder.on('end', () => { clearTimeout(hang); resolve({ ok: true, data: Buffer.concat(out), trailers: decoder.getTrailers() }); });
    decoder.on('error', (err: Error & { code?: string }) => { clearTimeout(hang); resolve({ ok: false, name: err.name, code: err.code, message: err.message }); });
    let at = 0;
    for (const cut of [...cuts.map((c) => c % (body.length + 1))].sort((a, b) => a - b)) {
      if (cut > at) decoder.write(body.subarray(at, cut));
      at = Math.max(at, cut);
    }
    if (at < body.length) decoder.write(body.subarray(at));
    decoder.end();
  });
}

const modeOptions = fc.record({
  mode: fc.constantFrom(SIGNED, SIGNED_TRAILER, UNSIGNED_TRAILER),
  decodedContentLength: fc.option(fc.oneof(fc.nat({ max: 40_000 }), fc.constant(Number.NaN), fc.constant(-1)), { nil: undefined }),
  expectedTrailers: fc.subarray(['x-amz-checksum-crc32', 'x-amz-checksum-sha256', 'x-amz-checksum-crc64nvme']),
  minChunkSize: fc.option(fc.constantFrom(0, 1, 8192), { nil: undefined }),
  skip: fc.boolean(),
}).map(({ mode, decodedContentLength, expectedTrailers, minChunkSize, skip }): AwsChunkedOptions => ({
  mode,
  ...(mode === UNSIGNED_TRAILER ? {} : skip ? { skipSignatureCheck: true } : { seed: SEED }),
  ...(decodedContentLength === undefined ? {} : { decodedContentLength }),
  ...(minChunkSize === undefined ? {} : { minChunkSize }),
  expectedTrailers,
}));

const trailers = fc.array(fc.tuple(fc.constantFrom('x-amz-checksum-crc32', 'x-amz-checksum-sha256', 'x-amz-checksum-crc64nvme'), fc.base64String({ maxLength: 12 })), { maxLength: 2 });
const chunkList = fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a)), { maxLength: 5 });

/** Valid bodies of every mode, then byte-level mutations of them. */
const validBody = fc.tuple(chunkList, trailers, fc.constantFrom(SIGNED, SIGNED_TRAILER, UNSIGNED_TRAILER)).map(([chunks, tr, mode]) => {
  if (mode === UNSIGNED_TRAILER) return unsignedBody(chunks, tr);
  return signedBody(CHAIN, chunks, mode === SIGNED_TRAILER ? tr : undefined);
});
const mutatedBody = fc.tuple(validBody, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.uint8Array({ maxLength: 6 })), { minLength: 1, maxLength: 4 }))
  .map(([body, edits]) => edits.reduce((b, [at, del, ins]) => {
    const i = at % (b.length + 1);
    return Buffer.concat([b.subarray(0, i), Buffer.from(ins), b.subarray(i + del)]);
  }, body));
const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.array(fc.constantFrom('0', '5', 'a', 'ffffffffffffffff', ';', 'chunk-signature=', '\r\n', '\r', '\n', ':', 'x-amz-checksum-crc32', 'hello', 'x-amz-trailer-signature:'), { maxLength: 30 }).map((p) => Buffer.from(p.join(''))),
  mutatedBody,
  validBody,
);

t.test('fuzz – any body, any mode: the data or an AuthError, never a crash or a hang', async (t) => {
  const seen = new Map<string, number>();
  let cases = 0;
  await fc.assert(fc.asyncProperty(modeOptions, anyBody, fc.array(fc.nat(), { maxLength: 6 }), async (opts, body, cuts) => {
    cases++;
    const outcome = await decode(opts, body, cuts);
    const label = outcome.ok ? 'decoded' : `${outcome.name} ${outcome.code ?? ''}`;
    seen.set(label, (seen.get(label) ?? 0) + 1);
    return outcome.ok || outcome.name === 'AuthError';
  }), { numRuns: RUNS });
  t.comment(`${cases} bodies: ${JSON.stringify(Object.fromEntries(seen))}`);
  t.ok(cases >= RUNS, `${cases} bodies decoded or refused with AuthError`);
});

t.test('fuzz – a valid body, split anywhere, decodes to exactly its data and trailers', async (t) => {
  let cases = 0;
  await fc.assert(fc.asyncProperty(chunkList, trailers, fc.constantFrom(SIGNED, SIGNED_TRAILER, UNSIGNED_TRAILER), fc.array(fc.nat(), { maxLength: 8 }),
    async (chunks, tr, mode, cuts) => {
      cases++;
      const withTrailers = mode !== SIGNED;
      const body = mode === UNSIGNED_TRAILER ? unsignedBody(chunks, tr) : signedBody(CHAIN, chunks, mode === SIGNED_TRAILER ? tr : undefined);
      const data = Buffer.concat(chunks);
      const names = withTrailers ? [...new Set(tr.map(([n]) => n))] : [];
      const outcome = await decode({ mode, ...(mode === UNSIGNED_TRAILER ? {} : { seed: SEED }), minChunkSize: 0, decodedContentLength: data.length, expectedTrailers: names }, body, cuts);
      if (!outcome.ok) throw new Error(`${mode}: ${outcome.name} ${outcome.code ?? ''} ${outcome.message}`);
      const expected = withTrailers ? Object.fromEntries(tr) : {};
      return outcome.data.equals(data) && JSON.stringify(outcome.trailers) === JSON.stringify(expected);
    }), { numRuns: RUNS });
  t.ok(cases >= RUNS, `${cases} valid bodies decoded exactly`);
});
