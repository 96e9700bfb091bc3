// x-amz-content-sha256 with a hex digest: the body must hash to it (XAmzContentSHA256Mismatch).
import t from 'tap';
import { createHash } from 'node:crypto';
import { createPayloadHashVerifier, isPayloadDigest } from '../../server/auth/payload-hash';
import { AuthError } from '../../server/auth/auth-error';
import { bytes, feed } from './fixtures/chunked';

t.test('isPayloadDigest – hex digests only, not the keywords', async (t) => {
  t.ok(isPayloadDigest('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'));
  t.ok(isPayloadDigest('E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'));
  t.notOk(isPayloadDigest('UNSIGNED-PAYLOAD'));
  t.notOk(isPayloadDigest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD'));
});

t.test('matching body passes through unchanged', async (t) => {
  const body = bytes(100_000);
  const hex = createHash('sha256').update(body).digest('hex');
  const v = createPayloadHashVerifier(hex.toUpperCase());
  const out = await feed(v, body, (i) => (i % 9) * 1000 + 1);
  t.ok(out.equals(body));
  t.equal(v.digest(), hex);
});

t.test('empty body against the empty-string digest', async (t) => {
  const v = createPayloadHashVerifier('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const done = new Promise<void>((resolve, reject) => {
    v.on('error', reject);
    v.on('finish', resolve);
  });
  v.resume();
  v.end();
  await done;
  t.pass();
});

t.test('mismatch errors before the stream ends', async (t) => {
  const v = createPayloadHashVerifier('0'.repeat(64));
  let ended = false;
  v.on('end', () => (ended = true));
  const err = await feed(v, Buffer.from('hello'), () => 2).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof AuthError);
  if (err instanceof AuthError) {
    t.equal(err.code, 'XAmzContentSHA256Mismatch');
    t.equal(err.message, "The provided 'x-amz-content-sha256' header does not match what was computed.");
    t.equal(err.extra.S3ComputedContentSHA256, createHash('sha256').update('hello').digest('hex'));
    t.same(err.toFailure().code, 'XAmzContentSHA256Mismatch');
  }
  t.notOk(ended);
});
