/**
 * The checksums S3 computes: MD5 (ETag) plus the additional algorithms of
 * `x-amz-checksum-*`, all updated in one pass over each chunk.
 */
import * as crypto from 'node:crypto';
import { createHash, type Hash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import type * as Crc32cModule from '@aws-crypto/crc32c';
import type * as Crc64NvmeModule from '@aws-sdk/crc64-nvme';

// CRC32C and CRC64NVME come from AWS packages that take ~50 ms to load together; they are loaded
// by the first upload that asks for one, not at start-up (the SDK's default is CRC32, from zlib).
let crc32cModule: typeof Crc32cModule | undefined;
let crc64NvmeModule: typeof Crc64NvmeModule | undefined;

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
/** Base64 values keyed by algorithm, as S3 returns them in `x-amz-checksum-*`. */
export type ChecksumValues = Partial<Record<ChecksumAlgorithm, string>>;

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

interface Digester {
  update(chunk: Buffer): void;
  digest(): Buffer;
}

function crc32Digester(): Digester {
  let value = 0;
  return {
    update(chunk) { value = zlibCrc32(chunk, value); },
    digest() { const b = Buffer.alloc(4); b.writeUInt32BE(value >>> 0); return b; },
  };
}

function crc32cDigester(): Digester {
  const c = new (crc32cModule ??= require('@aws-crypto/crc32c') as typeof Crc32cModule).Crc32c();
  return {
    update(chunk) { c.update(chunk); },
    digest() { const b = Buffer.alloc(4); b.writeUInt32BE(c.digest() >>> 0); return b; },
  };
}

function crc64Digester(): Digester {
  const c = new (crc64NvmeModule ??= require('@aws-sdk/crc64-nvme') as typeof Crc64NvmeModule).Crc64Nvme();
  let result: Buffer | undefined;
  return {
    update(chunk) { c.update(chunk); },
    digest() {
      // Crc64Nvme.digest() is async in the SDK; it resolves synchronously-computed bytes.
      if (result) return result;
      throw new Error('crc64nvme digest must be awaited via digestAsync');
    },
    async digestAsync() { result = Buffer.from(await c.digest()); return result; },
  } as Digester & { digestAsync(): Promise<Buffer> };
}

/** crypto.hash (node ≥ 20.12): one call, no Hash object; undefined where it is missing. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

/**
 * A hash over chunks. A body that came in one chunk (a small PutObject, read whole by
 * storage/small-body.ts) is digested with one crypto.hash call: no Hash object (MD5 and SHA-256
 * of 4 KiB in a loop: ~1 µs less for the two). The first chunk is held until a second one comes
 * (its bytes are not written to after they were handed over, as for every chunk a HashingSink
 * keeps).
 */
function hashDigester(algorithm: 'md5' | 'sha1' | 'sha256'): Digester {
  let first: Buffer | undefined;
  let hash: Hash | undefined;
  return {
    update(chunk) {
      if (hash !== undefined) hash.update(chunk);
      else if (first === undefined && oneShot !== undefined) first = chunk;
      else {
        hash = createHash(algorithm);
        if (first !== undefined) hash.update(first);
        hash.update(chunk);
        first = undefined;
      }
    },
    digest() {
      if (hash !== undefined) return hash.digest();
      return oneShot !== undefined ? oneShot(algorithm, first ?? Buffer.alloc(0), 'buffer') : createHash(algorithm).digest();
    },
  };
}

function makeDigester(algorithm: ChecksumAlgorithm): Digester {
  switch (algorithm) {
    case 'crc32': return crc32Digester();
    case 'crc32c': return crc32cDigester();
    case 'crc64nvme': return crc64Digester();
    case 'sha1': return hashDigester('sha1');
    case 'sha256': return hashDigester('sha256');
  }
}

/**
 * MD5 plus the requested checksums over a stream of chunks; with `sha256`, also the SHA-256 of the
 * bytes (a signed payload hash to compare), shared with the sha256 checksum when both are asked.
 */
export class MultiHasher {
  private readonly md5 = hashDigester('md5');
  private readonly digesters: Array<[ChecksumAlgorithm, Digester]>;
  private readonly payload: Digester | undefined;
  size = 0;

  constructor(algorithms: readonly ChecksumAlgorithm[], options: { sha256?: boolean } = {}) {
    this.digesters = [...new Set(algorithms)].map((a) => [a, makeDigester(a)]);
    this.payload = options.sha256 === true && !algorithms.includes('sha256') ? hashDigester('sha256') : undefined;
  }

  update(chunk: Buffer): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    this.payload?.update(chunk);
    for (const [, d] of this.digesters) d.update(chunk);
  }

  async finish(): Promise<{ md5: Buffer; checksums: ChecksumValues; sha256?: Buffer }> {
    const checksums: ChecksumValues = {};
    let sha256: Buffer | undefined = this.payload?.digest();
    for (const [name, d] of this.digesters) {
      const withAsync = d as Digester & { digestAsync?: () => Promise<Buffer> };
      const bytes = withAsync.digestAsync ? await withAsync.digestAsync() : d.digest();
      if (name === 'sha256') sha256 = bytes;
      checksums[name] = bytes.toString('base64');
    }
    return { md5: this.md5.digest(), checksums, ...(sha256 === undefined ? {} : { sha256 }) };
  }
}

/** Checksum of a whole buffer (used for small documents and composite checksums). */
export async function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): Promise<Buffer> {
  const h = new MultiHasher([algorithm]);
  h.update(data);
  const { checksums } = await h.finish();
  return Buffer.from(checksums[algorithm] ?? '', 'base64');
}
