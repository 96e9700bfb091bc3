// @ts-check
/**
 * An object's details: metadata (HeadObject), tags (Get/Put/DeleteObjectTagging, S3's refusal
 * shown as S3 gives it) and versions. With a versionId, the page shows that version.
 */
import { h, mount } from './dom.js';
import { download, remove } from './object-actions.js';
import { versionsSection } from './object-versions.js';
import { S3Error } from './s3.js';
import { bucketHref, objectHref } from './routes.js';
import { encodeKey, uriEncode } from './sigv4.js';

/** @typedef {import('./views.js').Context} Context */

/** @param {Context} ctx @param {string} bucket @param {string} key @param {string} [versionId] */
export async function objectView(ctx, bucket, key, versionId) {
  document.title = `${key} · crossbucket console`;
  ctx.knowBucket(bucket);
  const parent = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  const reload = () => objectView(ctx, bucket, key, versionId);
  /** @type {Array<[string, string]> | undefined} */
  let headers;
  try {
    headers = await ctx.client.headObject(bucket, key, versionId);
  } catch (err) {
    // 404: no current version (deleted, or a delete marker on top); 405: versionId names a delete marker.
    if (!(err instanceof S3Error && (err.status === 404 || err.status === 405))) throw err;
  }
  const versions = await versionsSection(ctx, bucket, key, versionId, async () => {
    // The version shown is gone: show the current one.
    if (versionId !== undefined && !(await ctx.client.versions(bucket, key)).some((v) => v.versionId === versionId)) location.hash = objectHref(bucket, key);
    else await reload();
  });
  const url = `${location.origin}/${uriEncode(bucket)}/${encodeKey(key)}${versionId === undefined ? '' : `?versionId=${uriEncode(versionId)}`}`;
  mount(ctx.main,
    h('h1', { tabindex: '-1' }, key),
    h('p', {}, h('a', { href: bucketHref(bucket, parent) }, `Back to ${bucket}/${parent}`)),
    versionId === undefined ? null : h('p', { class: 'viewing' }, 'This is version ', h('code', {}, versionId), '. ', h('a', { href: objectHref(bucket, key) }, 'Show the current version')),
    headers === undefined
      ? h('p', { role: 'status' }, versionId === undefined
        ? 'There is no current version of this key: it was deleted (on a versioned bucket, a delete marker is the latest version).'
        : 'This version is a delete marker: it has no content, metadata or tags.')
      : [
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: () => download(ctx, bucket, key, versionId) }, 'Download'),
          h('button', {
            type: 'button',
            onclick: async () => {
              if (versionId === undefined ? await remove(ctx, bucket, key) : await remove(ctx, bucket, key, { versionId, deleteMarker: false })) location.hash = bucketHref(bucket, parent);
            },
          }, 'Delete')),
        h('h2', {}, 'Metadata'),
        h('table', { class: 'grid meta', 'aria-label': 'Metadata' },
          h('tbody', {}, headers.map(([n, v]) => h('tr', {}, h('th', { scope: 'row' }, n), h('td', {}, h('code', {}, v)))))),
        await tagsSection(ctx, bucket, key, versionId),
      ],
    versions,
    h('p', { class: 'hint' }, `Path-style URL: ${url}`));
}

/**
 * The Tags section: the version's tag set as rows of inputs. "Save tags" replaces the set
 * (PutObjectTagging); "Remove all tags" is DeleteObjectTagging. S3 judges the tags: its refusal
 * (too many, a bad key or value, a duplicate) is shown as it gives it.
 * @param {Context} ctx @param {string} bucket @param {string} key @param {string | undefined} versionId
 */
async function tagsSection(ctx, bucket, key, versionId) {
  const body = /** @type {HTMLTableSectionElement} */ (h('tbody'));
  const empty = h('p', { class: 'hint' }, 'No tags.');
  const message = h('p', { role: 'alert', class: 'message', id: 'tags-message' });
  const say = (/** @type {string} */ text, /** @type {'ok' | 'error'} */ kind) => {
    message.textContent = text;
    message.className = `message ${kind}`;
  };
  const renumber = () => {
    Array.from(body.rows).forEach((row, i) => {
      const [k, v, b] = [row.querySelector('.tag-key'), row.querySelector('.tag-value'), row.querySelector('button')];
      k?.setAttribute('aria-label', `Key of tag ${i + 1}`);
      v?.setAttribute('aria-label', `Value of tag ${i + 1}`);
      b?.setAttribute('aria-label', `Remove tag ${i + 1}`);
    });
    empty.hidden = body.rows.length > 0;
  };
  const addRow = (/** @type {{ key: string, value: string }} */ tag) => {
    const row = h('tr', {},
      h('td', {}, h('input', { class: 'tag-key', value: tag.key, spellcheck: 'false' })),
      h('td', {}, h('input', { class: 'tag-value', value: tag.value, spellcheck: 'false' })),
      h('td', {}, h('button', { type: 'button', onclick: () => { row.remove(); renumber(); } }, 'Remove')));
    body.append(row);
    renumber();
    return row;
  };
  const show = (/** @type {Array<{ key: string, value: string }>} */ tags) => {
    body.replaceChildren();
    tags.forEach(addRow);
    renumber();
  };
  /** The rows as tags; a row left entirely blank is not a tag. */
  const read = () => Array.from(body.rows, (row) => ({
    key: /** @type {HTMLInputElement} */ (row.querySelector('.tag-key')).value,
    value: /** @type {HTMLInputElement} */ (row.querySelector('.tag-value')).value,
  })).filter((t) => t.key !== '' || t.value !== '');
  const save = async () => {
    const tags = read();
    try {
      await ctx.client.putObjectTagging(bucket, key, tags, versionId);
      show(await ctx.client.getObjectTagging(bucket, key, versionId));
      say(`Saved: PutObjectTagging accepted ${tags.length} tag${tags.length === 1 ? '' : 's'}.`, 'ok');
    } catch (err) {
      say(String(err), 'error');
    }
  };
  const clear = async () => {
    try {
      await ctx.client.deleteObjectTagging(bucket, key, versionId);
      show([]);
      say('Removed: DeleteObjectTagging left the object without tags.', 'ok');
    } catch (err) {
      say(String(err), 'error');
    }
  };
  try {
    show(await ctx.client.getObjectTagging(bucket, key, versionId));
  } catch (err) {
    say(`The tags could not be read: ${String(err)}`, 'error');
  }
  return h('section', { class: 'tags', 'aria-labelledby': 'tags-title' },
    h('h2', { id: 'tags-title' }, 'Tags'),
    // A form: Enter in a tag's field saves the set.
    h('form', { onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); return save(); } },
      h('table', { class: 'grid tag-table', 'aria-label': 'Tags' },
        h('thead', {}, h('tr', {}, ['Key', 'Value', ''].map((c) => h('th', { scope: 'col' }, c)))),
        body),
      empty,
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => { /** @type {HTMLElement | null} */ (addRow({ key: '', value: '' }).querySelector('input'))?.focus(); } }, 'Add tag'),
        h('button', { type: 'submit' }, 'Save tags'),
        h('button', { type: 'button', onclick: clear }, 'Remove all tags'))),
    h('p', { class: 'hint' }, 'At most 10 tags; S3 checks them when they are saved.'),
    message);
}
