/**
 * Versioning through aws-cli (s3api), the commands of the versioning issue in order: enable
 * versioning, two versions, list, read the old one, delete (a marker), undelete. (Object Lock:
 * versioning-lock-cli.test.ts.)
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/server';
import { aws, json } from '../helpers/s3api-cli';

t.test('aws-cli – versioning: versions, list, read by id, delete marker, undelete', async (t) => {
  const s = await startServer();
  t.teardown(() => s.close());
  const work = mkdtempSync(join(tmpdir(), 'cb-cli-ver-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const e = s.endpoint;
  writeFileSync(join(work, 'v1'), 'version one');
  writeFileSync(join(work, 'v2'), 'version two');

  await json(e, ['create-bucket', '--bucket', 'history']);
  await json(e, ['put-bucket-versioning', '--bucket', 'history', '--versioning-configuration', 'Status=Enabled']);
  t.equal((await json(e, ['get-bucket-versioning', '--bucket', 'history'])).Status, 'Enabled');
  const v1 = (await json(e, ['put-object', '--bucket', 'history', '--key', 'k', '--body', join(work, 'v1')])).VersionId as string;
  const v2 = (await json(e, ['put-object', '--bucket', 'history', '--key', 'k', '--body', join(work, 'v2')])).VersionId as string;
  t.match(v1, /^[A-Za-z0-9._]{32}$/);
  t.not(v1, v2);
  const listed = await json(e, ['list-object-versions', '--bucket', 'history']);
  t.same((listed.Versions as Array<{ VersionId: string; IsLatest: boolean }>).map((v) => [v.VersionId, v.IsLatest]), [[v2, true], [v1, false]]);

  const got = await json(e, ['get-object', '--bucket', 'history', '--key', 'k', '--version-id', v1, join(work, 'out')]);
  t.equal(got.VersionId, v1);
  t.equal(readFileSync(join(work, 'out'), 'utf8'), 'version one');

  const deleted = await json(e, ['delete-object', '--bucket', 'history', '--key', 'k']);
  t.equal(deleted.DeleteMarker, true);
  const marker = deleted.VersionId as string;
  const gone = await aws(e, ['head-object', '--bucket', 'history', '--key', 'k']);
  t.not(gone.code, 0);
  t.match(gone.stderr, /404|Not Found/);
  const undeleted = await json(e, ['delete-object', '--bucket', 'history', '--key', 'k', '--version-id', marker]);
  t.equal(undeleted.DeleteMarker, true);
  t.equal(undeleted.VersionId, marker);
  t.equal((await json(e, ['head-object', '--bucket', 'history', '--key', 'k'])).VersionId, v2, 'undelete: v2 is current again');
});
