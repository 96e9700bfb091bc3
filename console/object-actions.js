// @ts-check
/** Download and delete, shared by the objects listing, the versions listing and an object's details. */
import { h } from './dom.js';

/**
 * GetObject (of one version when versionId is given), saved by the browser as a download.
 * @param {import('./views.js').Context} ctx @param {string} bucket @param {string} key @param {string} [versionId]
 */
export async function download(ctx, bucket, key, versionId) {
  const blob = await ctx.client.getObject(bucket, key, versionId);
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: key.split('/').pop() || 'download' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * DeleteObject after a confirmation. Without a versionId, on a versioned bucket, S3 adds a delete
 * marker; with one, that version (or delete marker) is gone for good.
 * @param {import('./views.js').Context} ctx @param {string} bucket @param {string} key
 * @param {{ versionId: string, deleteMarker: boolean }} [version]
 * @returns {Promise<boolean>} whether it was deleted
 */
export async function remove(ctx, bucket, key, version) {
  const question = version === undefined
    ? `Delete ${key} from ${bucket}?`
    : version.deleteMarker
      ? `Remove the delete marker ${version.versionId} of ${key}? The version before it becomes the current one again.`
      : `Delete version ${version.versionId} of ${key} for good? This cannot be undone.`;
  if (!confirm(question)) return false;
  await ctx.client.deleteObject(bucket, key, version?.versionId);
  return true;
}
