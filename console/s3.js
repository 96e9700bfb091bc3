// @ts-check
/**
 * The console's S3 client: every call is signed in the page (sigv4.js) and sent to this server,
 * path-style. Errors are S3's own XML, surfaced as S3Error with its Code and Message.
 */
import { encodeKey, sha256Base64, sha256Hex, signRequest, uriEncode } from './sigv4.js';

/** Files above this size are uploaded in parts of PART_SIZE (as aws-cli does, with smaller parts). */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
export const PART_SIZE = 5 * 1024 * 1024;

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
function errorFrom(status, text) {
  if (text.includes('<Error>')) {
    const doc = parseXml(text);
    return new S3Error(status, textOf(doc, 'Code'), textOf(doc, 'Message'));
  }
  return new S3Error(status, `HTTP ${status}`, text.slice(0, 200));
}

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

  /** @param {string} bucket @param {string} key */
  async headObject(bucket, key) {
    const res = await this.request({ method: 'HEAD', bucket, key });
    /** @type {Array<[string, string]>} */
    const headers = [];
    res.headers.forEach((value, name) => { headers.push([name, value]); });
    return headers.filter(([n]) => !['x-amz-request-id', 'x-amz-id-2', 'server', 'date', 'connection', 'keep-alive'].includes(n));
  }

  /** @param {string} bucket @param {string} key */
  async versions(bucket, key) {
    const doc = await this.xml({ method: 'GET', bucket, query: [['versions', ''], ['prefix', key]] });
    return Array.from(doc.getElementsByTagName('Version'), (v) => ({
      key: textOf(v, 'Key'), versionId: textOf(v, 'VersionId'), latest: textOf(v, 'IsLatest') === 'true', size: textOf(v, 'Size'), modified: textOf(v, 'LastModified'),
    })).filter((v) => v.key === key);
  }

  /** @param {string} bucket @param {string} key */
  async getObject(bucket, key) {
    return (await this.request({ method: 'GET', bucket, key })).blob();
  }

  /** @param {string} bucket @param {string} key */
  deleteObject(bucket, key) {
    return this.request({ method: 'DELETE', bucket, key });
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
   * A signed XMLHttpRequest PUT (fetch cannot report upload progress).
   * @param {{ bucket: string, key: string, query?: Array<[string, string]>, body: Blob, contentType?: string,
   *   onProgress: (sent: number) => void }} r
   * @returns {Promise<string>} the ETag
   */
  async put(r) {
    /** @type {Record<string, string>} */
    const headers = r.contentType ? { 'content-type': r.contentType } : {};
    const { url, headers: signed } = await this.sign({ method: 'PUT', bucket: r.bucket, key: r.key, query: r.query ?? [], headers });
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', url);
      for (const [name, value] of Object.entries(signed)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) => r.onProgress(e.loaded);
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          r.onProgress(r.body.size);
          resolve(xhr.getResponseHeader('etag') ?? '');
        } else reject(errorFrom(xhr.status, xhr.responseText));
      };
      xhr.onerror = () => reject(new S3Error(0, 'NetworkError', 'the upload did not reach the server'));
      xhr.send(r.body);
    });
  }

  /**
   * PutObject, or a multipart upload (CreateMultipartUpload, UploadPart..., CompleteMultipartUpload)
   * for a file above MULTIPART_THRESHOLD. `onProgress(sent, total, parts)`.
   * @param {string} bucket @param {string} key @param {File} file
   * @param {(sent: number, total: number, info: string) => void} onProgress
   */
  async upload(bucket, key, file, onProgress) {
    const contentType = file.type || 'application/octet-stream';
    if (file.size <= MULTIPART_THRESHOLD) {
      await this.put({ bucket, key, body: file, contentType, onProgress: (sent) => onProgress(sent, file.size, 'single request') });
      return;
    }
    const created = await this.xml({ method: 'POST', bucket, key, query: [['uploads', '']], headers: { 'content-type': contentType } });
    const uploadId = textOf(created, 'UploadId');
    const count = Math.ceil(file.size / PART_SIZE);
    const sent = new Array(count).fill(0);
    /** @type {string[]} */
    const etags = [];
    try {
      for (let i = 0; i < count; i++) {
        const part = file.slice(i * PART_SIZE, Math.min(file.size, (i + 1) * PART_SIZE));
        etags[i] = await this.put({
          bucket, key, body: part, query: [['partNumber', String(i + 1)], ['uploadId', uploadId]],
          onProgress: (n) => {
            sent[i] = n;
            onProgress(sent.reduce((a, b) => a + b, 0), file.size, `multipart: part ${i + 1} of ${count}`);
          },
        });
      }
      const xml = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
      const done = await this.request({ method: 'POST', bucket, key, query: [['uploadId', uploadId]], body: xml });
      const text = await done.text();
      if (text.includes('<Error>')) throw errorFrom(200, text);
    } catch (err) {
      await this.request({ method: 'DELETE', bucket, key, query: [['uploadId', uploadId]] }).catch(() => undefined);
      throw err;
    }
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
