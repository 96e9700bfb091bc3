// @ts-check
/**
 * Uploads from the console with progress: one signed XMLHttpRequest PUT (fetch cannot report
 * upload progress), or a multipart upload above MULTIPART_THRESHOLD.
 */
import { errorFrom, escapeXml, S3Error, textOf } from './s3.js';

/** Files above this size are uploaded in parts of PART_SIZE (as aws-cli does, with smaller parts). */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
export const PART_SIZE = 5 * 1024 * 1024;

/**
 * A signed XMLHttpRequest PUT (fetch cannot report upload progress).
 * @param {import('./s3.js').S3Client} client
 * @param {{ bucket: string, key: string, query?: Array<[string, string]>, body: Blob, contentType?: string,
 *   onProgress: (sent: number) => void }} r
 * @returns {Promise<string>} the ETag
 */
export async function put(client, r) {
  /** @type {Record<string, string>} */
  const headers = r.contentType ? { 'content-type': r.contentType } : {};
  const { url, headers: signed } = await client.sign({ method: 'PUT', bucket: r.bucket, key: r.key, query: r.query ?? [], headers });
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
 * @param {import('./s3.js').S3Client} client @param {string} bucket @param {string} key @param {File} file
 * @param {(sent: number, total: number, info: string) => void} onProgress
 */
export async function upload(client, bucket, key, file, onProgress) {
  const contentType = file.type || 'application/octet-stream';
  if (file.size <= MULTIPART_THRESHOLD) {
    await put(client, { bucket, key, body: file, contentType, onProgress: (sent) => onProgress(sent, file.size, 'single request') });
    return;
  }
  const created = await client.xml({ method: 'POST', bucket, key, query: [['uploads', '']], headers: { 'content-type': contentType } });
  const uploadId = textOf(created, 'UploadId');
  const count = Math.ceil(file.size / PART_SIZE);
  const sent = new Array(count).fill(0);
  /** @type {string[]} */
  const etags = [];
  try {
    for (let i = 0; i < count; i++) {
      const part = file.slice(i * PART_SIZE, Math.min(file.size, (i + 1) * PART_SIZE));
      etags[i] = await put(client, {
        bucket, key, body: part, query: [['partNumber', String(i + 1)], ['uploadId', uploadId]],
        onProgress: (n) => {
          sent[i] = n;
          onProgress(sent.reduce((a, b) => a + b, 0), file.size, `multipart: part ${i + 1} of ${count}`);
        },
      });
    }
    const xml = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const done = await client.request({ method: 'POST', bucket, key, query: [['uploadId', uploadId]], body: xml });
    const text = await done.text();
    if (text.includes('<Error>')) throw errorFrom(200, text);
  } catch (err) {
    await client.request({ method: 'DELETE', bucket, key, query: [['uploadId', uploadId]] }).catch(() => undefined);
    throw err;
  }
}
