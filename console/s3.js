// @ts-check
/**
 * The console's S3 client: every call is signed in the page (sigv4.js) and sent to this server,
 * path-style. Errors are S3's own XML, surfaced as S3Error with its Code and Message.
 */
import { encodeKey, sha256Base64, sha256Hex, signRequest, uriEncode } from './sigv4.js';

export class S3Error extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  toString() {
    return `${this.code}: ${this.message}`;
  }
}

/** @param {string} text */
export function parseXml(text) {
  return new DOMParser().parseFromString(text, 'application/xml');
}

/** @param {Element | Document} el @param {string} name */
export function textOf(el, name) {
  return el.getElementsByTagName(name)[0]?.textContent ?? '';
}

/** @param {number} status @param {string} text */
export function errorFrom(status, text) {
  if (text.includes('<Error>')) {
    const doc = parseXml(text);
    return new S3Error(status, textOf(doc, 'Code'), textOf(doc, 'Message'));
  }
  return new S3Error(status, `HTTP ${status}`, text.slice(0, 200));
}

/** @param {string | undefined} versionId @returns {Array<[string, string]>} */
const versionQuery = (versionId) => (versionId === undefined ? [] : [['versionId', versionId]]);

/** @param {string} s */
export function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export class S3Client {
  /**
   * @param {{ accessKeyId: string, secretAccessKey: string }} credentials
   * @param {string} region @param {string} adminPrefix
   */
  constructor(credentials, region, adminPrefix) {
    this.credentials = credentials;
    this.region = region;
    this.adminPrefix = adminPrefix;
  }

  /**
   * @param {{ method: string, bucket?: string, key?: string, path?: string, query?: Array<[string, string]>,
   *   headers?: Record<string, string>, body?: string | Blob, payloadHash?: string }} r
   */
  async sign(r) {
    const path = r.path ?? (r.bucket === undefined ? '/' : `/${uriEncode(r.bucket)}${r.key === undefined ? '' : `/${encodeKey(r.key)}`}`);
    const { headers, search } = await signRequest({
      method: r.method, path, query: r.query ?? [], headers: r.headers ?? {},
      payloadHash: r.payloadHash ?? 'UNSIGNED-PAYLOAD',
      accessKeyId: this.credentials.accessKeyId, secretAccessKey: this.credentials.secretAccessKey,
      region: this.region, host: location.host,
    });
    return { url: `${location.origin}${path}${search === '' ? '' : `?${search}`}`, headers };
  }

  /**
   * A signed fetch; throws S3Error on a non-2xx answer.
   * @param {Parameters<S3Client['sign']>[0] & { signal?: AbortSignal }} r
   */
  async request(r) {
    let payloadHash = r.payloadHash;
    if (payloadHash === undefined && typeof r.body === 'string') payloadHash = await sha256Hex(r.body);
    if (payloadHash === undefined && r.body === undefined) payloadHash = await sha256Hex('');
    const { url, headers } = await this.sign({ ...r, ...(payloadHash === undefined ? {} : { payloadHash }) });
    /** @type {RequestInit} */
    const init = { method: r.method, headers, cache: 'no-store' };
    if (r.body !== undefined) init.body = r.body;
    if (r.signal) init.signal = r.signal;
    const res = await fetch(url, init);
    if (!res.ok) throw errorFrom(res.status, await res.text());
    return res;
  }

  /** @param {Parameters<S3Client['request']>[0]} r */
  async xml(r) {
    return parseXml(await (await this.request(r)).text());
  }

  async listBuckets() {
    const doc = await this.xml({ method: 'GET' });
    return Array.from(doc.getElementsByTagName('Bucket'), (b) => ({ name: textOf(b, 'Name'), created: textOf(b, 'CreationDate') }));
  }

  /** @param {string} bucket */
  createBucket(bucket) {
    return this.request({ method: 'PUT', bucket });
  }

  /**
   * One subresource's state, or `null` when the bucket has none, or `undefined` when crossbucket
   * does not implement it.
   * @param {string} bucket @param {string} sub
   */
  async subresource(bucket, sub) {
    try {
      return await this.xml({ method: 'GET', bucket, query: [[sub, '']] });
    } catch (err) {
      if (err instanceof S3Error && (err.status === 501 || err.code === 'NotImplemented')) return undefined;
      if (err instanceof S3Error && err.status === 404) return null;
      throw err;
    }
  }

  /** @param {string} bucket @param {string} prefix @param {string} [token] */
  async listObjects(bucket, prefix, token) {
    /** @type {Array<[string, string]>} */
    const query = [['list-type', '2'], ['delimiter', '/'], ['prefix', prefix], ['max-keys', '1000']];
    if (token) query.push(['continuation-token', token]);
    const doc = await this.xml({ method: 'GET', bucket, query });
    return {
      folders: Array.from(doc.getElementsByTagName('CommonPrefixes'), (p) => textOf(p, 'Prefix')),
      objects: Array.from(doc.getElementsByTagName('Contents'), (c) => ({
        key: textOf(c, 'Key'), size: Number(textOf(c, 'Size')), modified: textOf(c, 'LastModified'), etag: textOf(c, 'ETag'),
      })),
      next: textOf(doc, 'NextContinuationToken') || undefined,
    };
  }

  /** @param {string} bucket @param {string} key @param {string} [versionId] */
  async headObject(bucket, key, versionId) {
    const res = await this.request({ method: 'HEAD', bucket, key, query: versionQuery(versionId) });
    /** @type {Array<[string, string]>} */
    const headers = [];
    res.headers.forEach((value, name) => { headers.push([name, value]); });
    return headers.filter(([n]) => !['x-amz-request-id', 'x-amz-id-2', 'server', 'date', 'connection', 'keep-alive'].includes(n));
  }

  /**
   * One page of ListObjectVersions: versions and delete markers in the order S3 lists them.
   * @param {string} bucket
   * @param {{ prefix: string, delimiter?: string, keyMarker?: string, versionIdMarker?: string }} q
   */
  async listVersions(bucket, q) {
    /** @type {Array<[string, string]>} */
    const query = [['versions', ''], ['prefix', q.prefix], ['max-keys', '1000']];
    if (q.delimiter) query.push(['delimiter', q.delimiter]);
    if (q.keyMarker !== undefined) query.push(['key-marker', q.keyMarker]);
    if (q.versionIdMarker !== undefined) query.push(['version-id-marker', q.versionIdMarker]);
    const doc = await this.xml({ method: 'GET', bucket, query });
    const entries = Array.from(doc.documentElement.children).filter((el) => el.localName === 'Version' || el.localName === 'DeleteMarker');
    return {
      versions: entries.map((v) => ({
        key: textOf(v, 'Key'), versionId: textOf(v, 'VersionId'), latest: textOf(v, 'IsLatest') === 'true',
        deleteMarker: v.localName === 'DeleteMarker', size: Number(textOf(v, 'Size')), modified: textOf(v, 'LastModified'), etag: textOf(v, 'ETag'),
      })),
      folders: Array.from(doc.getElementsByTagName('CommonPrefixes'), (p) => textOf(p, 'Prefix')),
      next: textOf(doc, 'IsTruncated') === 'true' ? { keyMarker: textOf(doc, 'NextKeyMarker'), versionIdMarker: textOf(doc, 'NextVersionIdMarker') } : undefined,
    };
  }

  /**
   * Every version and delete marker of exactly this key (ListObjectVersions with prefix=key, page
   * after page, the other keys under that prefix left out).
   * @param {string} bucket @param {string} key
   */
  async versions(bucket, key) {
    /** @type {Awaited<ReturnType<S3Client['listVersions']>>['versions']} */
    const all = [];
    /** @type {{ keyMarker: string, versionIdMarker: string } | undefined} */
    let next;
    do {
      const page = await this.listVersions(bucket, { prefix: key, ...next });
      all.push(...page.versions.filter((v) => v.key === key));
      // Keys are listed in order: once a later key shows up, this key's versions are all seen.
      next = page.versions.some((v) => v.key > key) ? undefined : page.next;
    } while (next);
    return all;
  }

  /** @param {string} bucket @param {string} key @param {string} [versionId] */
  async getObject(bucket, key, versionId) {
    return (await this.request({ method: 'GET', bucket, key, query: versionQuery(versionId) })).blob();
  }

  /** DeleteObject; with a versionId, that version (or delete marker) is removed for good. @param {string} bucket @param {string} key @param {string} [versionId] */
  deleteObject(bucket, key, versionId) {
    return this.request({ method: 'DELETE', bucket, key, query: versionQuery(versionId) });
  }

  /** GetObjectTagging. @param {string} bucket @param {string} key @param {string} [versionId] */
  async getObjectTagging(bucket, key, versionId) {
    const doc = await this.xml({ method: 'GET', bucket, key, query: [['tagging', ''], ...versionQuery(versionId)] });
    return Array.from(doc.getElementsByTagName('Tag'), (t) => ({ key: textOf(t, 'Key'), value: textOf(t, 'Value') }));
  }

  /**
   * PutObjectTagging (the whole set is replaced), with the checksum S3 requires of it.
   * @param {string} bucket @param {string} key @param {Array<{ key: string, value: string }>} tags @param {string} [versionId]
   */
  async putObjectTagging(bucket, key, tags, versionId) {
    const xml = `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>${tags.map((t) => `<Tag><Key>${escapeXml(t.key)}</Key><Value>${escapeXml(t.value)}</Value></Tag>`).join('')}</TagSet></Tagging>`;
    return this.request({
      method: 'PUT', bucket, key, query: [['tagging', ''], ...versionQuery(versionId)], body: xml,
      headers: { 'x-amz-checksum-sha256': await sha256Base64(xml), 'content-type': 'application/xml' },
    });
  }

  /** DeleteObjectTagging. @param {string} bucket @param {string} key @param {string} [versionId] */
  deleteObjectTagging(bucket, key, versionId) {
    return this.request({ method: 'DELETE', bucket, key, query: [['tagging', ''], ...versionQuery(versionId)] });
  }

  /** @param {string} bucket @param {string} xml PutBucketCors, with the x-amz-checksum-sha256 S3 requires. */
  async putBucketCors(bucket, xml) {
    return this.request({ method: 'PUT', bucket, query: [['cors', '']], body: xml, headers: { 'x-amz-checksum-sha256': await sha256Base64(xml), 'content-type': 'application/xml' } });
  }

  /** @param {string} bucket */
  deleteBucketCors(bucket) {
    return this.request({ method: 'DELETE', bucket, query: [['cors', '']] });
  }

  /**
   * The admin API's explain (docs/cors.md): the verdict on a browser request, rule by rule.
   * @param {{ bucket: string, origin: string, method: string, headers: string[], key?: string }} q
   */
  async explain(q) {
    /** @type {Array<[string, string]>} */
    const query = [['bucket', q.bucket], ['origin', q.origin], ['method', q.method]];
    for (const h of q.headers) query.push(['header', h]);
    if (q.key) query.push(['key', q.key]);
    return (await this.request({ method: 'GET', path: `${this.adminPrefix}/explain`, query })).json();
  }
}
