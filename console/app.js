// @ts-check
/**
 * The crossbucket console (docs/console.md). Nothing is shown before sign-in; the credentials are
 * kept in sessionStorage only (gone when the tab closes), never in a cookie or the URL. Every
 * request is signed here, in the page.
 */
import { h, mount } from './dom.js';
import { livePanel } from './live.js';
import { S3Client } from './s3.js';
import { objectView } from './object-view.js';
import { bucketsView, bucketView } from './views.js';
import { corsView } from './cors-tab.js';

const STORAGE_KEY = 'crossbucket.credentials';
const meta = (/** @type {string} */ name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
const REGION = meta('crossbucket-region') || 'us-east-1';
const ADMIN_PREFIX = meta('crossbucket-admin-prefix') || '/_crossbucket';
const root = /** @type {HTMLElement} */ (document.getElementById('app'));

/** @returns {{ accessKeyId: string, secretAccessKey: string } | undefined} */
function savedCredentials() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    return saved && typeof saved.accessKeyId === 'string' && typeof saved.secretAccessKey === 'string' ? saved : undefined;
  } catch {
    return undefined;
  }
}

function signInScreen(message = '') {
  document.title = 'Sign in · crossbucket console';
  const accessKey = /** @type {HTMLInputElement} */ (h('input', { id: 'access-key', name: 'access-key', autocomplete: 'username', required: true, spellcheck: 'false' }));
  const secretKey = /** @type {HTMLInputElement} */ (h('input', { id: 'secret-key', name: 'secret-key', type: 'password', autocomplete: 'current-password', required: true }));
  const alert = h('p', { class: 'error', role: 'alert' }, message);
  const button = /** @type {HTMLButtonElement} */ (h('button', { type: 'submit' }, 'Sign in'));
  const form = h('form', {
    class: 'sign-in',
    onsubmit: async (/** @type {Event} */ ev) => {
      ev.preventDefault();
      const credentials = { accessKeyId: accessKey.value.trim(), secretAccessKey: secretKey.value };
      button.disabled = true;
      alert.textContent = '';
      try {
        await new S3Client(credentials, REGION, ADMIN_PREFIX).listBuckets();
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
        signedIn(credentials);
      } catch (err) {
        alert.textContent = `Sign-in refused: ${String(err)}`;
        secretKey.select();
        secretKey.focus();
      } finally {
        button.disabled = false;
      }
    },
  },
  h('h1', {}, 'crossbucket console'),
  h('p', {}, 'Sign in with an access key and secret of this server (the start-up banner prints them).'),
  h('label', { for: 'access-key' }, 'Access key'), accessKey,
  h('label', { for: 'secret-key' }, 'Secret key'), secretKey,
  button, alert);
  mount(root, h('main', { class: 'centered' }, form));
  accessKey.focus();
}

/** @param {{ accessKeyId: string, secretAccessKey: string }} credentials */
function signedIn(credentials) {
  const client = new S3Client(credentials, REGION, ADMIN_PREFIX);
  const live = livePanel(client);
  const main = h('main', { id: 'main', tabindex: '-1' });
  const signOut = () => {
    sessionStorage.removeItem(STORAGE_KEY);
    live.stop();
    window.removeEventListener('hashchange', route);
    location.hash = '';
    signInScreen();
  };
  mount(root,
    h('a', { class: 'skip', href: '#main', onclick: (/** @type {Event} */ e) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '#/' }, 'crossbucket'),
      h('nav', { 'aria-label': 'Main' }, h('a', { href: '#/' }, 'Buckets')),
      h('span', { class: 'who' }, `Signed in as ${credentials.accessKeyId}`),
      h('button', { type: 'button', onclick: signOut }, 'Sign out')),
    h('div', { class: 'layout' }, main, live.panel));

  const context = { client, main, knowBucket: live.knowBucket, onUnauthorized: () => signInScreen('Your credentials were refused: sign in again.') };
  /** @param {Event} [event] a navigation: focus moves to the new page's heading */
  async function route(event) {
    const url = new URL(location.hash.slice(1) || '/', 'http://console.invalid');
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    try {
      if (parts[0] === 'buckets' && parts[1] !== undefined) {
        const bucket = parts[1];
        if (parts[2] === 'cors') await corsView(context, bucket);
        else if (parts[2] === 'object') await objectView(context, bucket, url.searchParams.get('key') ?? '', url.searchParams.get('versionId') ?? undefined);
        else await bucketView(context, bucket, url.searchParams.get('prefix') ?? '', url.searchParams.get('versions') === '1');
      } else await bucketsView(context);
      if (event) /** @type {HTMLElement | null} */ (main.querySelector('h1'))?.focus();
    } catch (err) {
      mount(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, String(err)), h('p', {}, h('a', { href: '#/' }, 'Back to the buckets')));
    }
  }
  window.addEventListener('hashchange', route);
  route();
}

const saved = savedCredentials();
if (saved) signedIn(saved);
else signInScreen();
