// @ts-check
/**
 * A bucket's CORS tab: the rules as a form and as aws-cli JSON, the two kept in step, saved with
 * PutBucketCors (S3's validation message shown as S3 gives it), and "Try it": the admin API's
 * explain, rule by rule.
 */
import { corsForm } from './cors-form.js';
import { corsJsonToXml, corsRulesToJson, corsXmlToJson, parseCorsJson } from './cors-json.js';
import { h, mount } from './dom.js';
import { bucketTabs } from './views.js';

const EXAMPLE = JSON.stringify({ CORSRules: [{ AllowedOrigins: ['http://localhost:3000'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }] }, null, 2);

/** @param {import('./views.js').Context} ctx @param {string} bucket */
export async function corsView(ctx, bucket) {
  document.title = `CORS of ${bucket} · crossbucket console`;
  ctx.knowBucket(bucket);
  const current = await ctx.client.subresource(bucket, 'cors');
  const textarea = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'cors-rules', rows: '16', spellcheck: 'false', value: current ? corsXmlToJson(current) : EXAMPLE }));
  const message = h('p', { id: 'cors-message', role: 'alert', class: 'message' });
  // The form and the JSON show the same rules: an edit in one rewrites the other.
  const form = corsForm((rules) => { textarea.value = corsRulesToJson(rules); });
  const sync = () => {
    const parsed = parseCorsJson(textarea.value);
    if (parsed.ok) form.show(parsed.rules);
    else form.pause(parsed.message);
  };
  textarea.addEventListener('input', sync);
  sync();
  const state = h('p', { class: 'hint' }, current ? 'The rules in force are shown.' : 'This bucket has no CORS rules: an example is shown (not saved).');
  const say = (/** @type {string} */ text, /** @type {'ok' | 'error'} */ kind) => {
    message.textContent = text;
    message.className = `message ${kind}`;
  };
  const save = async () => {
    const converted = corsJsonToXml(textarea.value);
    if (!converted.ok) return say(converted.message, 'error');
    try {
      await ctx.client.putBucketCors(bucket, converted.xml);
      say('Saved: PutBucketCors accepted the rules.', 'ok');
      state.textContent = 'The rules in force are shown.';
    } catch (err) {
      say(String(err), 'error');
    }
  };
  const remove = async () => {
    try {
      await ctx.client.deleteBucketCors(bucket);
      say('Deleted: the bucket has no CORS rules now.', 'ok');
      state.textContent = 'This bucket has no CORS rules.';
    } catch (err) {
      say(String(err), 'error');
    }
  };

  mount(ctx.main,
    h('h1', { tabindex: '-1' }, `Bucket ${bucket}`),
    bucketTabs(bucket, 'cors'),
    h('section', { class: 'cors-editor', 'aria-labelledby': 'cors-title' },
      h('h2', { id: 'cors-title' }, 'Rules'),
      state,
      h('div', { class: 'cors-panes' },
        h('div', { class: 'pane' },
          h('h3', { id: 'cors-form-title' }, 'As a form'),
          form.element),
        h('div', { class: 'pane' },
          h('h3', {}, 'As JSON'),
          h('label', { for: 'cors-rules' }, 'CORS rules'),
          h('p', { class: 'hint', id: 'cors-help' }, 'The aws-cli shape: {"CORSRules": [{"AllowedOrigins", "AllowedMethods", "AllowedHeaders", "ExposeHeaders", "MaxAgeSeconds", "ID"}]}.'),
          textarea)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: save }, 'Save'),
        h('button', { type: 'button', onclick: remove }, 'Delete rules')),
      message),
    tryIt(ctx, bucket));
  textarea.setAttribute('aria-describedby', 'cors-help');
}

/** @param {import('./views.js').Context} ctx @param {string} bucket */
function tryIt(ctx, bucket) {
  const origin = /** @type {HTMLInputElement} */ (h('input', { id: 'try-origin', value: 'http://localhost:3000', spellcheck: 'false' }));
  const method = /** @type {HTMLInputElement} */ (h('input', { id: 'try-method', value: 'GET', list: 'try-methods', spellcheck: 'false' }));
  const headers = /** @type {HTMLInputElement} */ (h('input', { id: 'try-headers', placeholder: 'x-amz-checksum-crc32, content-type', spellcheck: 'false' }));
  const key = /** @type {HTMLInputElement} */ (h('input', { id: 'try-key', placeholder: '(the bucket itself)', spellcheck: 'false' }));
  const result = h('div', { class: 'explain-result', role: 'region', 'aria-label': 'Verdict', 'aria-live': 'polite' });
  const run = async (/** @type {Event} */ e) => {
    e.preventDefault();
    try {
      const x = await ctx.client.explain({
        bucket, origin: origin.value.trim(), method: method.value.trim(),
        headers: headers.value.split(',').map((s) => s.trim()).filter((s) => s !== ''),
        ...(key.value.trim() === '' ? {} : { key: key.value.trim() }),
      });
      const p = x.preflight;
      mount(result,
        h('p', { class: `verdict ${p.allowed ? 'allowed' : 'refused'}` },
          h('strong', {}, p.allowed ? 'Allowed' : 'Refused'),
          p.allowed ? ' — the preflight is answered 200.' : ` — the preflight is answered ${p.status} ${p.code}: ${p.message}`),
        h('p', {}, x.explanation.summary),
        h('ol', { class: 'rules', start: '0' }, x.explanation.rules.map((/** @type {any} */ r) =>
          h('li', { class: r.matched ? 'matched' : 'failed' }, `rule ${r.index}${r.id === undefined ? '' : ` (ID "${r.id}")`}: ${r.matched ? 'matched: ' : `no (${r.failed}): `}${r.detail}`))),
        p.allowed ? h('table', { class: 'grid', 'aria-label': 'Response headers' },
          h('tbody', {}, Object.entries(p.headers).map(([n, v]) => h('tr', {}, h('th', { scope: 'row' }, n), h('td', {}, h('code', {}, String(v))))))) : null);
    } catch (err) {
      mount(result, h('p', { class: 'error', role: 'alert' }, String(err)));
    }
  };
  return h('section', { class: 'try-it', 'aria-labelledby': 'try-title' },
    h('h2', { id: 'try-title' }, 'Try it'),
    h('p', { class: 'hint' }, 'What would a browser get? The verdict on a preflight from this origin, and why, rule by rule (the admin API\'s explain).'),
    h('form', { onsubmit: run, class: 'grid-form' },
      h('label', { for: 'try-origin' }, 'Origin'), origin,
      h('label', { for: 'try-method' }, 'Method'), method,
      h('datalist', { id: 'try-methods' }, ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].map((m) => h('option', { value: m }))),
      h('label', { for: 'try-headers' }, 'Request headers'), headers,
      h('label', { for: 'try-key' }, 'Key'), key,
      h('button', { type: 'submit' }, 'Explain')),
    result);
}
