/** Fixtures the multipart tests share: an inject app with one bucket, and CreateMultipartUpload. */
import type { Test } from 'tap';
import { injectApp } from './server';
import { s3, xmlText } from './s3-inject';

export type App = ReturnType<typeof injectApp>;

/** An inject app with `bucket` created (asserted), closed when the test ends. */
export async function appWithBucket(t: Test, bucket: string): Promise<App> {
  const h = injectApp();
  t.teardown(() => h.close());
  t.equal((await s3(h.app, { method: 'PUT', bucket })).statusCode, 200);
  return h;
}

/** CreateMultipartUpload of `key`; returns the UploadId (throws with the body if refused). */
export async function createUpload(h: App, bucket: string, key: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await s3(h.app, { method: 'POST', bucket, key, query: { uploads: '' }, headers });
  if (res.statusCode !== 200) throw new Error(res.body);
  return xmlText(res.body, 'UploadId') ?? '';
}
