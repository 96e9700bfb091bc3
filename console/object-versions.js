// @ts-check
/**
 * Versions (ListObjectVersions): an object's versions and delete markers on its details page, and
 * a bucket's, by prefix, behind the Objects tab's "Show versions" toggle. Each version can be
 * downloaded and deleted by its versionId (docs/console.md).
 */
import { formatSize, h, mount } from './dom.js';
import { download, remove } from './object-actions.js';
import { textOf } from './s3.js';
import { bucketHref, objectHref } from './routes.js';

/**
 * @typedef {Awaited<ReturnType<import('./s3.js').S3Client['versions']>>[number]} Version
 * @typedef {import('./views.js').Context} Context
 */

/**
 * The bucket's versioning state: '' when it was never versioned (or the server does not say).
 * @param {Context} ctx @param {string} bucket
 */
export async function versioningStatus(ctx, bucket) {
  const doc = await ctx.client.subresource(bucket, 'versioning');
  return doc ? textOf(doc, 'Status') : '';
}

/** The cells every versions table shares. @param {Version} v */
const versionCells = (v) => [
  h('td', {}, v.deleteMarker ? h('span', { class: 'badge marker' }, 'delete marker') : 'object'),
  h('td', {}, v.latest ? h('strong', {}, 'latest') : ''),
  h('td', {}, new Date(v.modified).toLocaleString()),
  h('td', {}, v.deleteMarker ? '—' : formatSize(v.size)),
];

/**
 * Download (not for a delete marker) and Delete, named after the version.
 * @param {Context} ctx @param {string} bucket @param {Version} v @param {() => unknown} afterDelete
 */
const versionActions = (ctx, bucket, v, afterDelete) => h('td', { class: 'actions' },
  v.deleteMarker ? null : h('button', { type: 'button', 'aria-label': `Download version ${v.versionId}`, onclick: () => download(ctx, bucket, v.key, v.versionId) }, 'Download'),
  h('button', {
    type: 'button', 'aria-label': `Delete ${v.deleteMarker ? 'delete marker' : 'version'} ${v.versionId}`,
    onclick: async () => { if (await remove(ctx, bucket, v.key, v)) await afterDelete(); },
  }, 'Delete'));

/**
 * The Versions section of an object's details page.
 * @param {Context} ctx @param {string} bucket @param {string} key
 * @param {string | undefined} shown the versionId the page shows (undefined: the current one)
 * @param {() => unknown} reload after a version is deleted
 */
export async function versionsSection(ctx, bucket, key, shown, reload) {
  const section = h('section', { class: 'versions', 'aria-labelledby': 'versions-title' }, h('h2', { id: 'versions-title' }, 'Versions'));
  const status = await versioningStatus(ctx, bucket);
  if (status === '') {
    section.append(h('p', {}, 'Versioning has never been enabled on this bucket: the object has one version, and no other.'));
    return section;
  }
  const versions = await ctx.client.versions(bucket, key);
  if (status === 'Suspended') section.append(h('p', { class: 'hint' }, 'Versioning is suspended on this bucket: a new write replaces the "null" version; the others are kept.'));
  if (versions.length === 0) {
    section.append(h('p', {}, 'No versions listed for this key.'));
    return section;
  }
  section.append(h('table', { class: 'grid', 'aria-label': 'Versions' },
    h('thead', {}, h('tr', {}, ['Version ID', 'Type', 'Latest', 'Last modified', 'Size', 'ETag', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, versions.map((v) => {
      const isShown = shown === undefined ? v.latest : v.versionId === shown;
      const id = h('code', {}, v.versionId);
      return h('tr', { class: isShown ? 'shown' : undefined, 'aria-current': isShown ? 'true' : undefined },
        h('th', { scope: 'row' }, v.deleteMarker || isShown ? id : h('a', { href: objectHref(bucket, key, v.versionId), 'aria-label': `Version ${v.versionId}` }, id), isShown ? h('span', { class: 'hint' }, ' (shown)') : null),
        ...versionCells(v),
        h('td', {}, v.deleteMarker ? '—' : h('code', {}, v.etag)),
        versionActions(ctx, bucket, v, reload));
    }))));
  return section;
}

/**
 * A bucket's versions under a prefix, folders first (ListObjectVersions with delimiter "/").
 * @param {Context} ctx @param {string} bucket @param {string} prefix @param {HTMLElement} list
 * @param {{ keyMarker: string, versionIdMarker: string }} [from]
 */
export async function listBucketVersions(ctx, bucket, prefix, list, from) {
  const page = await ctx.client.listVersions(bucket, { prefix, delimiter: '/', ...from });
  const again = () => listBucketVersions(ctx, bucket, prefix, list, from);
  const rows = [
    ...page.folders.map((f) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: bucketHref(bucket, f, true), class: 'folder' }, f.slice(prefix.length))), h('td', { colspan: '6' }, ''))),
    ...page.versions.map((v) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: objectHref(bucket, v.key, v.deleteMarker ? undefined : v.versionId) }, v.key.slice(prefix.length) || '(this prefix)'), ' ', h('code', { class: 'version-id' }, v.versionId)),
      ...versionCells(v),
      versionActions(ctx, bucket, v, again))),
  ];
  mount(list, rows.length === 0 ? h('p', {}, prefix === '' ? 'This bucket is empty.' : 'Nothing under this prefix.') : h('table', { class: 'grid', 'aria-label': 'Object versions' },
    h('thead', {}, h('tr', {}, ['Name and version ID', 'Type', 'Latest', 'Last modified', 'Size', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows)),
  page.next ? h('button', { type: 'button', onclick: () => listBucketVersions(ctx, bucket, prefix, list, page.next) }, 'Next page') : null);
}
