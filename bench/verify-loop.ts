/**
 * `npm run bench:sigv4`: the cost of verifying one signature, in a loop on one core, for the
 * request shapes users send: the AWS SDK's GetObject and PutObject (SigV4 in the Authorization
 * header, the SDK's own headers signed) and a presigned GET (SigV4 in the query). Each request is
 * signed beforehand with its own key and invocation id, so no two are alike; the figure is µs
 * per verification (server/auth's verifyRequestAuth, what the server's auth hook calls), the
 * median of the rounds. In the server the same code costs more: the CPU caches hold less of it
 * between two requests than between two turns of this loop.
 *
 * Settings: BENCH_QUICK=1 (a few hundred verifications, for the harness test), BENCH_VERIFY_KEYS
 * (requests per shape, default 5,000), BENCH_VERIFY_ROUNDS (default 8).
 */
import { signRequestV4 } from '../server/auth/sign-request';
import { verifyRequestAuth } from '../server/auth/verify-request';
import type { VerifyRequestInput } from '../server/auth/sigv4';
import { presignUrl } from './sigv4';

const quick = process.env.BENCH_QUICK === '1';
const keys = Number(process.env.BENCH_VERIFY_KEYS ?? (quick ? 200 : 5000));
const rounds = Number(process.env.BENCH_VERIFY_ROUNDS ?? (quick ? 2 : 8));
const host = '127.0.0.1:9000';
const credentials = { accessKeyId: 'AKIABENCHVERIFY00001', secretAccessKey: 'bench-verify-secret', region: 'us-east-1' };
const PAYLOAD_4K = 'a1f1d6ecc1c3dd2b2c3a6b0ee2e8e8c7e2a3f0e5d4c3b2a1908f7e6d5c4b3a29';

/** Headers the AWS SDK for JavaScript v3 sends and signs with every request. */
function sdkHeaders(i: number): Record<string, string> {
  return {
    'amz-sdk-invocation-id': `6f1c2e9a-3b4d-4c5e-8f70-${String(i).padStart(12, '0')}`,
    'amz-sdk-request': 'attempt=1; max=3',
    'x-amz-user-agent': 'aws-sdk-js/3.700.0',
  };
}

/** What node hands the server besides the signed headers. */
const UNSIGNED = { 'user-agent': 'aws-sdk-js/3.700.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.18.0 api/s3#3.700.0', accept: '*/*', connection: 'keep-alive' };

function request(method: string, rawUrl: string, headers: Record<string, string>, now: Date): VerifyRequestInput {
  return { method, rawUrl, headers, now, lookupSecret: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined), region: credentials.region };
}

function shapes(now: Date): Record<string, VerifyRequestInput[]> {
  const get: VerifyRequestInput[] = [];
  const put: VerifyRequestInput[] = [];
  const presigned: VerifyRequestInput[] = [];
  for (let i = 0; i < keys; i++) {
    const path = `/bench/pool/key-${String(i).padStart(6, '0')}`;
    const signed = (method: string, rawUrl: string, extra: Record<string, string>, payloadHash?: string) =>
      ({ ...UNSIGNED, ...signRequestV4({ method, rawUrl, host, headers: { ...sdkHeaders(i), ...extra }, ...credentials, now, ...(payloadHash === undefined ? {} : { payloadHash }) }) });
    get.push(request('GET', `${path}?x-id=GetObject`, signed('GET', `${path}?x-id=GetObject`, { 'x-amz-checksum-mode': 'ENABLED' }), now));
    put.push(request('PUT', `${path}?x-id=PutObject`, signed('PUT', `${path}?x-id=PutObject`, { 'content-length': '4096', 'content-type': 'application/octet-stream', 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-sdk-checksum-algorithm': 'CRC32' }, PAYLOAD_4K), now));
    const url = presignUrl({ method: 'GET', path, host, expiresSeconds: 900 }, credentials, now);
    presigned.push(request('GET', url, { host, ...UNSIGNED }, now));
  }
  return { 'SDK GetObject (header)': get, 'SDK PutObject (header, signed payload)': put, 'presigned GET (query)': presigned };
}

function main(): void {
  const now = new Date();
  const all = shapes(now);
  process.stdout.write(`| request | µs per verification (median of ${rounds} rounds of ${keys}) | min |\n| --- | --- | --- |\n`);
  let failed = 0;
  for (const [name, requests] of Object.entries(all)) {
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const start = process.hrtime.bigint();
      for (const input of requests) if (verifyRequestAuth(input)?.ok !== true) failed++;
      times.push(Number(process.hrtime.bigint() - start) / requests.length / 1000);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? NaN;
    process.stdout.write(`| ${name} | ${median.toFixed(2)} | ${(times[0] ?? NaN).toFixed(2)} |\n`);
  }
  if (failed > 0) {
    process.stderr.write(`${failed} verifications failed\n`);
    process.exitCode = 1;
  }
}

main();
