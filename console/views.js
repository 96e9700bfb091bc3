// @ts-check
/** The buckets list and a bucket's objects (by prefix, like folders, or every version). */
import { formatSize, h, mount } from './dom.js';
import { download, remove } from './object-actions.js';
import { listBucketVersions, versioningStatus } from './object-versions.js';
import { bucketHref, corsHref, objectHref } from './routes.js';
import { S3Error, textOf } from './s3.js';
import { upload } from './upload.js';

/**
 * @typedef {{ client: import('./s3.js').S3Client, main: HTMLElement, knowBucket: (name: string) => void, onUnauthorized: () => void }} Context
 */

/** The tabs of a bucket page. @param {string} bucket @param {'objects' | 'cors'} current */
export function bucketTabs(bucket, current) {
  const tab = (/** @type {string} */ name, /** @type {string} */ href, /** @type {boolean} */ selected) =>
    h('a', { role: 'tab', href, 'aria-selected': String(selected), class: selected ? 'tab selected' : 'tab' }, name);
  return h('nav', { class: 'tabs', role: 'tablist', 'aria-label': `Bucket ${bucket}` },
    tab('Objects', bucketHref(bucket), current === 'objects'),
    tab('CORS', corsHref(bucket), current === 'cors'));
}

/** @param {Context} ctx */
export async function bucketsView(ctx) {
  document.title = 'Buckets · crossbucket console';
  const buckets = await ctx.client.listBuckets();
  const name = /** @type {HTMLInputElement} */ (h('input', { id: 'new-bucket', required: true, spellcheck: 'false' }));
  const message = h('p', { role: 'alert', class: 'error' });
  const create = h('form', {
    class: 'inline',
    onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      try {
        await ctx.client.createBucket(name.value.trim());
        location.hash = bucketHref(name.value.trim());
      } catch (err) {
        message.textContent = String(err);
      }
    },
  }, h('label', { for: 'new-bucket' }, 'New bucket'), name, h('button', { type: 'submit' }, 'Create bucket'), message);
  const rows = buckets.map((b) => {
    ctx.knowBucket(b.name);
    const cells = { cors: h('td', {}, '…'), versioning: h('td', {}, '…'), policy: h('td', {}, '…'), website: h('td', {}, '…') };
    fillState(ctx, b.name, cells);
    return h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: bucketHref(b.name) }, b.name)),
      h('td', {}, new Date(b.created).toLocaleString()),
      cells.cors, cells.versioning, cells.policy, cells.website);
  });
  mount(ctx.main,
    h('h1', { tabindex: '-1' }, 'Buckets'),
    buckets.length === 0 ? h('p', {}, 'No buckets yet.') : h('table', { class: 'grid' },
      h('caption', { class: 'visually-hidden' }, 'Buckets and their configuration'),
      h('thead', {}, h('tr', {}, ['Bucket', 'Created', 'CORS', 'Versioning', 'Policy', 'Website'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)),
    create);
}

/**
 * The at-a-glance columns: CORS rule count, versioning status, and policy / website where this
 * server implements them ("n/a" otherwise).
 * @param {Context} ctx @param {string} bucket @param {Record<string, HTMLElement>} cells
 */
async function fillState(ctx, bucket, cells) {
  /** @param {HTMLElement | undefined} cell @param {string} sub @param {(doc: Document) => string} describe @param {string} none */
  const fill = async (cell, sub, describe, none) => {
    if (!cell) return;
    try {
      const doc = await ctx.client.subresource(bucket, sub);
      cell.textContent = doc === undefined ? 'n/a' : doc === null ? none : describe(doc);
      if (doc === undefined) cell.title = `crossbucket does not implement this (${sub})`;
    } catch (err) {
      cell.textContent = err instanceof S3Error ? err.code : '?';
    }
  };
  await Promise.all([
    fill(cells.cors, 'cors', (d) => { const n = d.getElementsByTagName('CORSRule').length; return `${n} rule${n === 1 ? '' : 's'}`; }, 'none'),
    fill(cells.versioning, 'versioning', (d) => textOf(d, 'Status') || 'off', 'off'),
    fill(cells.policy, 'policy', () => 'set', 'none'),
    fill(cells.website, 'website', () => 'on', 'off'),
  ]);
}

/**
 * A bucket's Objects tab; with `showVersions`, every version and delete marker (a toggle shown on
 * a bucket that has versioning).
 * @param {Context} ctx @param {string} bucket @param {string} prefix @param {boolean} [showVersions]
 */
export async function bucketView(ctx, bucket, prefix, showVersions = false) {
  document.title = `${bucket} · crossbucket console`;
  ctx.knowBucket(bucket);
  const versioning = versioningStatus(ctx, bucket).catch(() => '');
  const list = h('div', { class: 'listing' }, 'Loading…');
  const progress = h('ul', { class: 'uploads', 'aria-label': 'Transfers' });
  const fileInput = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'upload', multiple: true }));
  const uploadAll = async (/** @type {FileList | File[]} */ files) => {
    for (const file of Array.from(files)) await uploadOne(ctx, bucket, prefix + file.name, file, progress);
    await refresh();
  };
  fileInput.addEventListener('change', () => { if (fileInput.files) uploadAll(fileInput.files).finally(() => { fileInput.value = ''; }); });
  const drop = h('div', {
    class: 'drop',
    ondragover: (/** @type {DragEvent} */ e) => { e.preventDefault(); drop.classList.add('over'); },
    ondragleave: () => drop.classList.remove('over'),
    ondrop: (/** @type {DragEvent} */ e) => {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer?.files.length) uploadAll(e.dataTransfer.files);
    },
  }, h('label', { for: 'upload' }, 'Upload'), fileInput, h('span', { class: 'hint' }, ` files into ${prefix === '' ? 'the bucket root' : prefix}, or drop them here`), progress);

  /** @type {string | undefined} */
  let token;
  /** @param {string} [next] */
  async function refresh(next) {
    if (showVersions) return listBucketVersions(ctx, bucket, prefix, list);
    const page = await ctx.client.listObjects(bucket, prefix, next);
    token = page.next;
    const rows = [
      ...page.folders.map((f) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: bucketHref(bucket, f, showVersions), class: 'folder' }, `${f.slice(prefix.length)}`)), h('td', {}, '—'), h('td', {}, ''), h('td', {}, ''))),
      ...page.objects.map((o) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: objectHref(bucket, o.key) }, o.key.slice(prefix.length) || '(this prefix)')),
        h('td', {}, formatSize(o.size)),
        h('td', {}, new Date(o.modified).toLocaleString()),
        h('td', { class: 'actions' },
          h('button', { type: 'button', onclick: () => download(ctx, bucket, o.key), 'aria-label': `Download ${o.key}` }, 'Download'),
          h('button', { type: 'button', onclick: async () => { if (await remove(ctx, bucket, o.key)) await refresh(); }, 'aria-label': `Delete ${o.key}` }, 'Delete')))),
    ];
    mount(list, rows.length === 0 ? h('p', {}, prefix === '' ? 'This bucket is empty.' : 'Nothing under this prefix.') : h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Name', 'Size', 'Last modified', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)),
    token ? h('button', { type: 'button', onclick: () => refresh(token) }, 'Next page') : null);
  }

  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Prefix' });
  const showCrumbs = () => {
    /** @type {Array<HTMLElement | string>} */
    const links = [h('a', { href: bucketHref(bucket, '', showVersions) }, bucket)];
    let at = '';
    for (const part of prefix.split('/').filter((p) => p !== '')) {
      at += `${part}/`;
      links.push(' / ', h('a', { href: bucketHref(bucket, at, showVersions) }, part));
    }
    mount(crumbs, links, prefix === '' ? '' : ' /');
  };
  showCrumbs();
  const toggle = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'show-versions', checked: showVersions }));
  toggle.addEventListener('change', () => {
    showVersions = toggle.checked;
    // The address keeps the choice; replaceState does not re-render the page (focus stays here).
    history.replaceState(null, '', bucketHref(bucket, prefix, showVersions));
    showCrumbs();
    refresh().catch((err) => mount(list, h('p', { class: 'error', role: 'alert' }, String(err))));
  });
  const showToggle = showVersions || (await versioning) !== '';
  mount(ctx.main,
    h('h1', { tabindex: '-1' }, `Bucket ${bucket}`),
    bucketTabs(bucket, 'objects'),
    crumbs,
    drop,
    showToggle ? h('p', { class: 'check' }, toggle, ' ', h('label', { for: 'show-versions' }, 'Show versions')) : null,
    list);
  await refresh();
}

/**
 * One upload, with a progress bar: PutObject, or multipart above the threshold.
 * @param {Context} ctx @param {string} bucket @param {string} key @param {File} file @param {HTMLElement} list
 */
async function uploadOne(ctx, bucket, key, file, list) {
  const bar = /** @type {HTMLProgressElement} */ (h('progress', { max: String(Math.max(file.size, 1)), value: '0', 'aria-label': `Progress of ${file.name}` }));
  const info = h('span', { class: 'upload-info' }, 'starting…');
  list.append(h('li', {}, h('span', { class: 'name' }, file.name), ' ', bar, ' ', info));
  let method = '';
  try {
    await upload(ctx.client, bucket, key, file, (sent, total, how) => {
      bar.value = sent;
      method = how.replace(/: part \d+ of (\d+)$/, ', $1 parts');
      info.textContent = `${formatSize(sent)} of ${formatSize(total)} (${how})`;
    });
    bar.value = Math.max(file.size, 1);
    info.textContent = `${formatSize(file.size)} uploaded (${method})`;
  } catch (err) {
    info.textContent = `failed: ${String(err)}`;
    info.setAttribute('role', 'alert');
  }
}
