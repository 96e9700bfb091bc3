/**
 * aws-cli `s3 cp` up and down (multipart above 8 MiB), compared by SHA-256, with the server's
 * peak RSS recorded during the 200 MiB upload.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY, startServer } from '../helpers/server';
import { countFiles, storedBodies } from '../helpers/stored-bodies';
import { clientEnv } from '../helpers/client-env';

const MiB = 1024 * 1024;

interface Run { code: number | null; stderr: string; stdoutHash: string }

function aws(endpoint: string, args: string[]): Promise<Run> {
  const child = spawn('aws', ['--endpoint-url', endpoint, ...args], {
    env: {
      // The machine's environment (PATH, HOME, pyenv) without any AWS_* setting of its own.
      ...clientEnv(),
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const hash = createHash('sha256');
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => hash.update(c));
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdoutHash: hash.digest('hex') }));
  });
}

/**
 * Writes `size` random bytes with `head -c` from /dev/urandom (in a child process, so the test
 * process that hosts the server never holds them) and returns their SHA-256.
 */
async function randomFile(path: string, size: number): Promise<string> {
  const child = spawn('sh', ['-c', `head -c ${size} /dev/urandom > "$1"`, 'sh', path], { stdio: 'ignore' });
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`head -c ${size} failed`);
  return fileHash(path);
}

async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}


t.test('aws s3 cp up and down: 0 B, 7 MiB, 9 MiB, 200 MiB', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const work = mkdtempSync(join(tmpdir(), 'cb-cli-mp-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const mb = await aws(s.endpoint, ['s3', 'mb', 's3://media']);
  t.equal(mb.code, 0, mb.stderr);

  // The 200 MiB file first, so the memory baseline is that of a fresh server.
  const cases: Array<[string, number, string]> = [
    ['video.mp4', 200 * MiB, '-25"'],
    ['empty.bin', 0, '"d41d8cd98f00b204e9800998ecf8427e"'],
    ['seven.bin', 7 * MiB, 'single'],
    ['nine.bin', 9 * MiB, '-2"'],
  ];
  for (const [name, size, etagShape] of cases) {
    const local = join(work, name);
    const expected = await randomFile(local, size);
    const baseline = process.memoryUsage();
    let peak = baseline.rss;
    let peakJs = baseline.heapUsed + baseline.external;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakJs = Math.max(peakJs, m.heapUsed + m.external);
    }, 50);
    const up = await aws(s.endpoint, ['s3', 'cp', local, `s3://media/${name}`]);
    clearInterval(sampler);
    t.equal(up.code, 0, `upload ${name}: ${up.stderr}`);
    if (size === 200 * MiB) {
      const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
      t.comment(`server peak RSS during the 200 MiB upload: ${mib(peak)} (before: ${mib(baseline.rss)}, growth ${mib(peak - baseline.rss)}); ` +
        `peak heap+external ${mib(peakJs)} (before: ${mib(baseline.heapUsed + baseline.external)})`);
      // Flat memory: a body buffered whole would add at least its 200 MiB.
      t.ok(peak - baseline.rss < 150 * MiB, 'the server does not buffer the upload');
    }
    const info = s.storage.headObject('media', name);
    t.equal(info?.size, size, `${name} size`);
    t.comment(`${name}: ${info?.etag} ${JSON.stringify(info?.checksums)} ${info?.checksumType}`);
    if (etagShape === 'single') t.match(info?.etag, /^"[0-9a-f]{32}"$/, `${name} single-part ETag`);
    else if (etagShape.startsWith('"')) t.equal(info?.etag, etagShape, `${name} ETag`);
    else t.ok(info?.etag.endsWith(etagShape), `${name} multipart ETag ${info?.etag}`);

    const down = await aws(s.endpoint, ['s3', 'cp', `s3://media/${name}`, '-']);
    t.equal(down.code, 0, `download ${name} to stdout: ${down.stderr}`);
    t.equal(down.stdoutHash, expected, `${name} round-trips byte for byte (stdout)`);
    const back = join(work, `${name}.back`);
    const file = await aws(s.endpoint, ['s3', 'cp', `s3://media/${name}`, back]);
    t.equal(file.code, 0, `download ${name} to a file: ${file.stderr}`);
    t.equal(await fileHash(back), expected, `${name} round-trips byte for byte (file)`);
    rmSync(back);
    rmSync(local);
  }
  // Completed uploads leave nothing behind: one file per part of each object, none in tmp.
  t.equal(storedBodies(s.dataDir), 1 + 1 + 2 + 25);
  t.equal(countFiles(join(s.dataDir, 'tmp')), 0);
});
