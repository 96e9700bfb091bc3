// @ts-check
/**
 * AWS Signature Version 4 in the browser (WebCrypto HMAC/SHA-256), for the console's own requests
 * to this server: path-style, same origin, Authorization header. The secret never leaves the
 * page: it is kept in sessionStorage and used only here.
 */

const encoder = new TextEncoder();

/** @param {ArrayBuffer | Uint8Array} bytes */
function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** @param {string | BufferSource} data */
export async function sha256Hex(data) {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

/** @param {string | BufferSource} data base64 of the SHA-256 (x-amz-checksum-sha256) */
export async function sha256Base64(data) {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return btoa(String.fromCharCode(...digest));
}

/**
 * @param {BufferSource} key
 * @param {string} data
 */
async function hmac(key, data) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(data)));
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX. */
export function uriEncode(/** @type {string} */ s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A key's path: each segment encoded, the slashes kept. */
export function encodeKey(/** @type {string} */ key) {
  return key.split('/').map(uriEncode).join('/');
}

/** @param {Date} now */
function amzDate(now) {
  return now.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/**
 * The headers that sign a request: `authorization`, `x-amz-date`, `x-amz-content-sha256`, plus
 * the given ones. `path` is already encoded (see encodeKey); `query` pairs are raw.
 *
 * @param {{ method: string, path: string, query?: Array<[string, string]>, headers?: Record<string, string>,
 *   payloadHash?: string, accessKeyId: string, secretAccessKey: string, region: string, host: string, now?: Date }} r
 * @returns {Promise<{ headers: Record<string, string>, search: string }>}
 */
export async function signRequest(r) {
  const now = amzDate(r.now ?? new Date());
  const day = now.slice(0, 8);
  const payloadHash = r.payloadHash ?? 'UNSIGNED-PAYLOAD';
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = String(value).trim();
  headers['x-amz-date'] = now;
  headers['x-amz-content-sha256'] = payloadHash;
  const signed = { ...headers, host: r.host };
  const names = Object.keys(signed).filter((n) => n === 'host' || n.startsWith('x-amz-') || n === 'content-md5').sort();
  const canonicalHeaders = names.map((n) => `${n}:${signed[/** @type {keyof typeof signed} */ (n)]}\n`).join('');
  const signedHeaders = names.join(';');
  const search = (r.query ?? [])
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [r.method, r.path, search, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${r.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, await sha256Hex(canonical)].join('\n');
  let key = await hmac(encoder.encode(`AWS4${r.secretAccessKey}`), day);
  key = await hmac(key, r.region);
  key = await hmac(key, 's3');
  key = await hmac(key, 'aws4_request');
  const signature = hex(await hmac(key, toSign));
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${r.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { headers, search };
}
