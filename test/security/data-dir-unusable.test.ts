/**
 * An unusable data directory (a file, read-only, a full disk) is refused at start-up with one
 * line and exit code 2: no stack trace, never "listening" followed by 500s
 * (docs/data-directory.md). As root, permissions do not stop writes: the read-only directory
 * and the full disk are made in a private mount namespace (`unshare -m`: a read-only bind mount,
 * a full tmpfs) that ends with the child; without that, they are skipped (or, not as root, the
 * read-only directory is a chmod 0500).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { main, type Io } from '../../server/cli/main';
import { start } from '../../server/cli/start';
import { tempDir } from '../helpers/server';
import { countObjectFiles, populate, snapshot, startCli } from './data-dir-fixtures';

function captureIo(): Io & { err(): string; out(): string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => { out += s; } },
    stderr: { write: (s: string) => { err += s; } },
    env: {},
    err: () => err,
    out: () => out,
  };
}

const isRoot = process.getuid?.() === 0;

/** Whether this process may make a private mount namespace and mount a tmpfs in it. */
function canMount(): boolean {
  const tmp = tempDir();
  try {
    return spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$0"', tmp.dir], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  } finally {
    tmp.remove();
  }
}
const MOUNTS = isRoot && canMount();

t.test('data dir – a file given as --data-dir: one line, exit 2, the file untouched', async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const file = join(tmp.dir, 'not-a-dir');
  writeFileSync(file, 'precious');
  const io = captureIo();
  t.equal(await main(['--port', '0', '--data-dir', file, '--seed', 'none'], io), 2);
  t.equal(io.err(), `crossbucket: --data-dir ${file} is not a directory: give a directory (it is created if missing)\n`);
  t.same(Object.keys(snapshot(tmp.dir)), ['not-a-dir'], 'nothing else was created');
  t.equal(readFileSync(file, 'utf8'), 'precious', 'the file is untouched');
  await t.rejects(start({ port: 0, dataDir: file }), { name: 'DataDirError', code: 'DataDirUnusable', message: `--data-dir ${file} is not a directory: give a directory (it is created if missing)` }, 'start() rejects with the same message');
});

const NO_MOUNT = 'root without unshare/mount: chmod cannot make a directory read-only, nor a disk full, for root';

t.test('data dir – a read-only directory: one line, exit 2, nothing changed', { skip: isRoot && !MOUNTS ? NO_MOUNT : false }, async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'data');
  await populate(dataDir);
  const before = snapshot(dataDir);
  if (!isRoot) {
    chmodSync(dataDir, 0o500);
    t.teardown(() => chmodSync(dataDir, 0o700));
    const io = captureIo();
    t.equal(await main(['--port', '0', '--data-dir', dataDir, '--seed', 'none'], io), 2);
    t.match(io.err(), /^crossbucket: --data-dir \S+ is not writable \([A-Z_]+: [^\n]*\): give a directory crossbucket can write\n$/);
    return;
  }
  const out = await startCli(dataDir, {
    wrap: ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$CB_DIR" "$CB_DIR" && mount -o remount,ro,bind "$CB_DIR" && exec "$@"', 'sh'],
    env: { CB_DIR: dataDir },
  });
  t.equal(out.result, 'exited', 'never listening');
  t.equal(out.code, 2);
  t.match(out.stderr, /^crossbucket: --data-dir \S+ is not writable \((SQLITE_READONLY|EROFS): [^\n]*\): give a directory crossbucket can write\n$/);
  t.same(snapshot(dataDir), before, 'nothing changed');
  t.equal(countObjectFiles(dataDir), 1);
});

t.test('data dir – a full disk at start: one line, exit 2', { skip: MOUNTS ? false : NO_MOUNT }, async (t) => {
  const tmp = tempDir();
  t.teardown(tmp.remove);
  const dataDir = join(tmp.dir, 'full');
  mkdirSync(dataDir);
  const out = await startCli(dataDir, {
    wrap: ['unshare', '-m', '--propagation', 'private', 'sh', '-c',
      'mount -t tmpfs -o size=2m tmpfs "$CB_DIR" && { dd if=/dev/zero of="$CB_DIR/fill" bs=64k 2>/dev/null; true; } && exec "$@"', 'sh'],
    env: { CB_DIR: dataDir },
  });
  t.equal(out.result, 'exited', 'never listening');
  t.equal(out.code, 2);
  t.match(out.stderr, /^crossbucket: --data-dir \S+: the disk is full \([^\n]*\): free some space and start again\n$/);
});
