// @ts-check
/**
 * The live panel: CORS verdicts and access denials from `GET /_crossbucket/events` (signed,
 * Server-Sent Events read with fetch streaming: EventSource cannot send an Authorization header).
 */
import { h, mount } from './dom.js';

const KEEP = 500;

/**
 * Reads the event stream until `stop()`; reconnects from the last id after a failure.
 * @param {import('./s3.js').S3Client} client
 * @param {(event: any) => void} onEvent
 * @param {(status: string) => void} onStatus
 */
export function followEvents(client, onEvent, onStatus) {
  let since = 0;
  let stopped = false;
  /** @type {AbortController | undefined} */
  let controller;
  /** @param {string} frame */
  const handle = (frame) => {
    let data = '';
    let id;
    let name = 'message';
    for (const line of frame.split('\n')) {
      if (line.startsWith('data:')) data += line.slice(5).trimStart();
      else if (line.startsWith('id:')) id = Number(line.slice(3).trim());
      else if (line.startsWith('event:')) name = line.slice(6).trim();
    }
    if (id !== undefined && Number.isFinite(id)) since = id;
    if (data === '') return;
    // `skipped` (faster than the stream's rate) and `dropped` (this page fell behind) carry counts, not events.
    if (name === 'skipped' || name === 'dropped') onEvent({ type: 'gap', ...JSON.parse(data) });
    else onEvent(JSON.parse(data));
  };
  (async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const res = await client.request({ method: 'GET', path: `${client.adminPrefix}/events`, query: [['since', String(since)]], signal: controller.signal });
        onStatus('live');
        if (!res.body) throw new Error('no stream');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            handle(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
        if (!stopped) onStatus('disconnected: reconnecting…');
      } catch (err) {
        if (stopped) return;
        onStatus(`disconnected (${String(err)}): reconnecting…`);
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** @param {string} iso */
function clock(iso) {
  return new Date(iso).toLocaleTimeString(undefined, { hour12: false }) + `.${iso.slice(20, 23)}`;
}

/** @param {any} e a CorsVerdictEvent */
function verdictEntry(e) {
  const where = e.bucket === undefined ? '(no bucket)' : `${e.bucket}${e.key === undefined ? '' : `/${e.key}`}`;
  const outcome = e.allowed ? 'Allowed' : 'Refused';
  return h('li', { class: `entry ${e.allowed ? 'allowed' : 'refused'}`, 'data-bucket': e.bucket ?? '' },
    h('div', { class: 'entry-line' },
      h('time', { datetime: e.time }, clock(e.time)), ' ',
      h('span', { class: 'badge' }, outcome), ' ',
      h('span', { class: 'kind' }, e.kind === 'preflight' ? 'preflight' : e.operation), ' ',
      h('code', {}, e.method), ' ',
      h('span', { class: 'origin' }, e.origin), ' → ',
      h('span', { class: 'where' }, where),
      e.status === undefined ? null : h('span', { class: 'status' }, ` ${e.status} ${e.code}`)),
    e.requestHeaders.length === 0 ? null : h('div', { class: 'headers' }, 'Requested headers: ', h('code', {}, e.requestHeaders.join(', '))),
    h('div', { class: 'summary' }, e.summary),
    e.rules.length === 0 ? null : h('ul', { class: 'rules' },
      e.rules.map((/** @type {any} */ r) => h('li', { class: r.matched ? 'matched' : 'failed' },
        `rule ${r.index}${r.id === undefined ? '' : ` (ID "${r.id}")`}: ${r.matched ? 'matched: ' : ''}${r.detail}`))));
}

/** @param {any} e an AccessDecisionEvent */
function accessEntry(e) {
  const where = e.bucket === undefined ? '' : `${e.bucket}${e.key === undefined ? '' : `/${e.key}`}`;
  return h('li', { class: `entry ${e.allowed ? 'allowed' : 'refused'}`, 'data-bucket': e.bucket ?? '' },
    h('div', { class: 'entry-line' },
      h('time', { datetime: e.time }, clock(e.time)), ' ',
      h('span', { class: 'badge' }, e.allowed ? 'Allowed' : 'Denied'), ' ',
      h('span', {}, e.operation), ' ', h('span', { class: 'where' }, where), ' ',
      h('span', { class: 'who' }, e.accessKeyId ?? 'anonymous')),
    h('div', { class: 'summary' }, `${e.source}: ${e.reason}`));
}

/**
 * The panel: filters, the "CORS verdicts" log and the "Access denials" log.
 * @param {import('./s3.js').S3Client} client
 */
export function livePanel(client) {
  /** @type {any[]} */
  const verdicts = [];
  /** @type {any[]} */
  const access = [];
  const buckets = new Set();
  const bucketFilter = /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-bucket' }, h('option', { value: '' }, 'All buckets')));
  const outcomeFilter = /** @type {HTMLSelectElement} */ (h('select', { id: 'filter-outcome' },
    h('option', { value: '' }, 'All'), h('option', { value: 'allowed' }, 'Allowed'), h('option', { value: 'refused' }, 'Refused')));
  const own = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'filter-own' }));
  const status = h('p', { class: 'stream-status', role: 'status' }, 'connecting…');
  const gap = h('p', { class: 'stream-status', hidden: '' });
  let missed = 0;
  const log = h('ol', { class: 'log', role: 'log', 'aria-label': 'CORS verdicts', 'aria-live': 'polite' });
  const accessLog = h('ol', { class: 'log', role: 'log', 'aria-label': 'Access denials', 'aria-live': 'polite' });

  /** @param {any} e */
  const showVerdict = (e) => (bucketFilter.value === '' || e.bucket === bucketFilter.value)
    && (outcomeFilter.value === '' || (outcomeFilter.value === 'allowed') === e.allowed)
    && (own.checked || e.origin !== location.origin);
  /** @param {any} e */
  const showAccess = (e) => bucketFilter.value === '' || e.bucket === bucketFilter.value;
  const render = () => {
    mount(log, verdicts.filter(showVerdict).reverse().map(verdictEntry));
    mount(accessLog, access.filter(showAccess).reverse().map(accessEntry));
  };
  for (const control of [bucketFilter, outcomeFilter, own]) control.addEventListener('change', render);
  /** @param {string | undefined} name */
  const knowBucket = (name) => {
    if (name === undefined || buckets.has(name)) return;
    buckets.add(name);
    bucketFilter.append(h('option', { value: name }, name));
  };

  const panel = h('aside', { class: 'live', 'aria-labelledby': 'live-title' },
    h('h2', { id: 'live-title' }, 'CORS verdicts'),
    h('div', { class: 'filters' },
      h('label', { for: 'filter-bucket' }, 'Bucket'), bucketFilter,
      h('label', { for: 'filter-outcome' }, 'Outcome'), outcomeFilter,
      h('label', { class: 'check' }, own, ' this console\'s own requests')),
    status,
    gap,
    log,
    h('h2', {}, 'Access denials'),
    accessLog);

  const stop = followEvents(client, (e) => {
    knowBucket(e.bucket);
    if (e.type === 'cors') {
      verdicts.push(e);
      if (verdicts.length > KEEP) verdicts.shift();
      if (showVerdict(e)) {
        log.prepend(verdictEntry(e));
        while (log.childElementCount > KEEP) log.lastElementChild?.remove();
      }
    } else if (e.type === 'access') {
      access.push(e);
      if (access.length > KEEP) access.shift();
      if (showAccess(e)) accessLog.prepend(accessEntry(e));
    } else if (e.type === 'gap') {
      missed += (e.skipped ?? 0) + (e.dropped ?? 0);
      gap.removeAttribute('hidden');
      gap.textContent = `${missed} events not shown: the stream carries the first ${e.perSecond ?? 250} of each second, and drops the oldest when this page falls behind.`;
    } else if (e.type === 'object') {
      window.dispatchEvent(new CustomEvent('crossbucket-object', { detail: e }));
    }
  }, (s) => { status.textContent = s === 'live' ? 'Live: new verdicts appear at the top.' : s; });
  return { panel, stop, knowBucket };
}
