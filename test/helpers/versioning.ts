/**
 * Fixtures for the versioning vectors (docs/spec/versioning.md §11): an app with one bucket in a
 * given state (U never configured, E Enabled, S Suspended, L lock-enabled, L+D with a default
 * GOVERNANCE retention of one day), and short forms of the requests the vectors send.
 */
import { createHash } from 'node:crypto';
import { injectApp } from './server';
import { md5Base64, s3, xmlTexts, type S3Request } from './s3-inject';

export const BUCKET = 'vbucket';
export type State = 'U' | 'E' | 'S' | 'L' | 'L+D';

export function versioningXml(status: string, mfaDelete?: string): string {
  return `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${status === '' ? '' : `<Status>${status}</Status>`}${mfaDelete ? `<MfaDelete>${mfaDelete}</MfaDelete>` : ''}</VersioningConfiguration>`;
}

export function lockXml(rule?: string): string {
  return `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule ?? ''}</ObjectLockConfiguration>`;
}

/** A body with its Content-MD5, as lock operations require (§9 K3). */
export function withMd5(body: string): { body: string; headers: Record<string, string> } {
  return { body, headers: { 'content-md5': md5Base64(body) } };
}

export function etagOf(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

export async function setup(t: { teardown(fn: () => unknown): void }, state: State) {
  const h = injectApp();
  t.teardown(() => h.close());
  const send = (r: Omit<S3Request, 'bucket'> & { bucket?: string }) => s3(h.app, { bucket: BUCKET, ...r });
  const lock = state === 'L' || state === 'L+D';
  const created = await send({ method: 'PUT', headers: lock ? { 'x-amz-bucket-object-lock-enabled': 'true' } : {} });
  if (created.statusCode !== 200) throw new Error(`CreateBucket: ${created.statusCode} ${created.body}`);
  const setVersioning = (status: string) => send({ method: 'PUT', query: { versioning: '' }, body: versioningXml(status) });
  if (state === 'E' || state === 'S') {
    const res = await setVersioning(state === 'E' ? 'Enabled' : 'Suspended');
    if (res.statusCode !== 200) throw new Error(`PutBucketVersioning: ${res.statusCode} ${res.body}`);
  }
  if (state === 'L+D') {
    const doc = lockXml('<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule>');
    const res = await send({ method: 'PUT', query: { 'object-lock': '' }, ...withMd5(doc) });
    if (res.statusCode !== 200) throw new Error(`PutObjectLockConfiguration: ${res.statusCode} ${res.body}`);
  }
  /** PutObject; lock buckets get a Content-MD5 so that defaults may apply (§9 K6). */
  const put = (key: string, body: string, headers: Record<string, string> = {}) =>
    send({ method: 'PUT', key, body, headers: lock ? { 'content-md5': md5Base64(body), ...headers } : headers });
  /** The version id a PutObject answered (throws when none). */
  const putId = async (key: string, body: string, headers: Record<string, string> = {}): Promise<string> => {
    const res = await put(key, body, headers);
    const id = res.headers['x-amz-version-id'];
    if (res.statusCode !== 200 || typeof id !== 'string') throw new Error(`PutObject ${key}: ${res.statusCode} ${res.body}`);
    return id;
  };
  const del = (key: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) => send({ method: 'DELETE', key, query, headers });
  /** DeleteObject without id in a versioned bucket: the new marker's id. */
  const marker = async (key: string): Promise<string> => {
    const res = await del(key);
    const id = res.headers['x-amz-version-id'];
    if (res.statusCode !== 204 || typeof id !== 'string') throw new Error(`DeleteObject ${key}: ${res.statusCode} ${res.body}`);
    return id;
  };
  const versions = (query: Record<string, string> = {}) => send({ query: { versions: '', ...query } });
  /** [Key, VersionId] of every Version and DeleteMarker element in document order. */
  const listed = async (query: Record<string, string> = {}) => {
    const res = await versions(query);
    return [...res.body.matchAll(/<(Version|DeleteMarker)>([\s\S]*?)<\/\1>/g)].map((m) => ({
      kind: m[1],
      key: xmlTexts(m[2] ?? '', 'Key')[0],
      versionId: xmlTexts(m[2] ?? '', 'VersionId')[0],
      isLatest: xmlTexts(m[2] ?? '', 'IsLatest')[0] === 'true',
    }));
  };
  return { h, send, put, putId, del, marker, versions, listed, setVersioning };
}

/** An id of the right shape whose check bytes are wrong (vector 26's `v1'`). */
export function altered(id: string): string {
  const tail = id.slice(-4);
  return id.slice(0, -4) + (tail === 'AAAA' ? 'BBBB' : 'AAAA');
}

export const BAD = 'HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD';
