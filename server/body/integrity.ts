/**
 * Upload integrity: Content-MD5 and the additional checksums (`x-amz-checksum-*` as a header
 * or as an aws-chunked trailer), verified against what storage computed while writing.
 */
import { CHECKSUM_ALGORITHMS, MultiHasher, isChecksumAlgorithm, type ChecksumAlgorithm, type ChecksumValues, type StagedBlob } from '../../storage';
import type { S3Context } from '../context';
import { S3Error } from '../errors';
import { H, checksumHeader, headerValue } from '../headers';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The Content-MD5 header as 16 bytes; InvalidDigest when it is not base64 of 16 bytes. */
export function expectedMd5(headers: S3Context['headers']): Buffer | undefined {
  const v = headerValue(headers, H.contentMd5);
  if (v === undefined) return undefined;
  const bytes = Buffer.from(v, 'base64');
  if (!BASE64.test(v) || bytes.length !== 16) throw new S3Error('InvalidDigest', undefined, { 'Content-MD5': v });
  return bytes;
}

/**
 * Checksum algorithms S3's API defines that crossbucket does not compute (SHA512, MD5 and the
 * xxHash family): a header naming one, as a value (`x-amz-checksum-*`), an algorithm
 * (`x-amz-sdk-checksum-algorithm`, `x-amz-checksum-algorithm`) or a trailer, is refused with
 * NotImplemented naming it, never dropped (docs/spec/bucket-config.md §B4.10).
 */
export const UNSUPPORTED_CHECKSUMS: readonly string[] = ['sha512', 'md5', 'xxhash64', 'xxhash3', 'xxhash128'];

export function refuseUnsupportedChecksums(headers: S3Context['headers']): void {
  const refuse = (header: string, alg: string) => new S3Error('NotImplemented', `The ${alg.toUpperCase()} checksum algorithm is not implemented by crossbucket.`, { Header: header });
  for (const alg of UNSUPPORTED_CHECKSUMS) if (headers[checksumHeader(alg)] !== undefined) throw refuse(checksumHeader(alg), alg);
  for (const name of [H.amzSdkChecksumAlgorithm, H.amzChecksumAlgorithm]) {
    const v = headerValue(headers, name)?.toLowerCase();
    if (v !== undefined && UNSUPPORTED_CHECKSUMS.includes(v)) throw refuse(name, v);
  }
  for (const t of (headerValue(headers, H.amzTrailer) ?? '').split(',')) {
    const alg = t.trim().toLowerCase().replace(H.amzChecksumPrefix, '');
    if (UNSUPPORTED_CHECKSUMS.includes(alg)) throw refuse(H.amzTrailer, alg);
  }
}

/** Algorithms to compute for this upload: those named by headers, the SDK, or the trailer. */
export function requestedChecksums(headers: S3Context['headers'], extra: readonly string[] = []): ChecksumAlgorithm[] {
  refuseUnsupportedChecksums(headers);
  const out = new Set<ChecksumAlgorithm>();
  for (const alg of CHECKSUM_ALGORITHMS) if (headers[checksumHeader(alg)] !== undefined) out.add(alg);
  for (const name of [H.amzSdkChecksumAlgorithm, H.amzChecksumAlgorithm]) {
    const v = headerValue(headers, name)?.toLowerCase();
    if (v === undefined) continue;
    if (!isChecksumAlgorithm(v)) throw new S3Error('InvalidRequest', 'Value for x-amz-checksum-algorithm header is invalid.');
    out.add(v);
  }
  const trailer = headerValue(headers, H.amzTrailer) ?? '';
  for (const t of [...trailer.split(','), ...extra]) {
    const alg = t.trim().toLowerCase().replace(H.amzChecksumPrefix, '');
    if (isChecksumAlgorithm(alg)) out.add(alg);
  }
  return [...out];
}

/** Checksums the client declared, from headers and trailers. */
export function declaredChecksums(headers: S3Context['headers'], trailers: Record<string, string> = {}): ChecksumValues {
  const out: ChecksumValues = {};
  for (const alg of CHECKSUM_ALGORITHMS) {
    const v = headerValue(headers, checksumHeader(alg)) ?? trailers[checksumHeader(alg)];
    if (v !== undefined) out[alg] = v;
  }
  return out;
}

/** BadDigest when Content-MD5 or any declared checksum differs from the bytes received. */
export function verifyIntegrity(staged: StagedBlob, md5: Buffer | undefined, declared: ChecksumValues): void {
  if (md5 && !md5.equals(staged.md5)) {
    throw new S3Error('BadDigest', undefined, { ExpectedDigest: md5.toString('base64'), CalculatedDigest: staged.md5.toString('base64') });
  }
  for (const [alg, value] of Object.entries(declared) as Array<[ChecksumAlgorithm, string]>) {
    const computed = staged.checksums[alg];
    if (computed === undefined) continue;
    if (computed !== value) {
      if (!BASE64.test(value) || Buffer.from(value, 'base64').length !== Buffer.from(computed, 'base64').length) {
        throw new S3Error('InvalidRequest', `Value for x-amz-checksum-${alg} header is invalid.`);
      }
      throw new S3Error('BadDigest', `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`);
    }
  }
}

/** The quoted hex MD5 ETag of a single-part object. */
export function etagOf(md5: Buffer): string {
  return `"${md5.toString('hex')}"`;
}

/**
 * Content-MD5 and `x-amz-checksum-*` (header or aws-chunked trailer) of a small request
 * document already in memory: BadDigest / InvalidDigest exactly as for an upload. `required`:
 * the error when the request carries neither (configurations S3 refuses without one).
 */
export async function verifyDocument(headers: S3Context['headers'], body: Buffer, trailers: Record<string, string> = {}, required?: () => S3Error): Promise<void> {
  const md5 = expectedMd5(headers);
  const declared = declaredChecksums(headers, trailers);
  if (required !== undefined && md5 === undefined && Object.keys(declared).length === 0) throw required();
  const algorithms = [...new Set([...requestedChecksums(headers), ...(Object.keys(declared) as ChecksumAlgorithm[])])];
  const hasher = new MultiHasher(algorithms);
  hasher.update(body);
  const { md5: computed, checksums } = await hasher.finish();
  verifyIntegrity({ file: '', size: body.length, md5: computed, checksums }, md5, declared);
}
