/**
 * Browser-upload forms for tests: a SigV4 POST policy signed with node:crypto (as the AWS docs
 * "Creating a POST Policy" and "Calculating a Signature" describe), and a multipart/form-data
 * body built by hand so a test controls every byte (field order, names, a file after fields).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HOST } from './s3-inject';
import { ACCESS_KEY_ID, SECRET_ACCESS_KEY } from './server';

export interface PolicyOptions {
  /** Conditions besides the four the helper adds (bucket, algorithm, credential, date). */
  conditions?: unknown[];
  /** The bucket condition (`{"bucket": ...}`); null leaves it out. Default: none added. */
  bucket?: string | null;
  expiration?: Date;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  now?: Date;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The signature fields of a form: `policy`, `x-amz-algorithm`, `x-amz-credential`,
 * `x-amz-date`, `x-amz-signature`. The policy names the last three as `eq` conditions, as
 * S3 requires of every field in the form.
 */
export function signPolicy(options: PolicyOptions = {}): Record<string, string> {
  const now = options.now ?? new Date();
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const region = options.region ?? 'us-east-1';
  const accessKeyId = options.accessKeyId ?? ACCESS_KEY_ID;
  const credential = `${accessKeyId}/${day}/${region}/s3/aws4_request`;
  const conditions: unknown[] = [...(options.conditions ?? [])];
  if (typeof options.bucket === 'string') conditions.push({ bucket: options.bucket });
  conditions.push({ 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': credential }, { 'x-amz-date': date });
  const expiration = options.expiration ?? new Date(now.getTime() + 10 * 60 * 1000);
  const policy = Buffer.from(JSON.stringify({ expiration: expiration.toISOString(), conditions })).toString('base64');
  let key = hmac(`AWS4${options.secretAccessKey ?? SECRET_ACCESS_KEY}`, day);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  return {
    policy,
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': credential,
    'x-amz-date': date,
    'x-amz-signature': hmac(key, policy).toString('hex'),
  };
}

/** A SigV2 form (`AWSAccessKeyId`, `policy`, `signature` = Base64(HMAC-SHA1(secret, policy))). */
export function signPolicyV2(conditions: unknown[], secretAccessKey = SECRET_ACCESS_KEY, accessKeyId = ACCESS_KEY_ID): Record<string, string> {
  const expiration = new Date(Date.now() + 10 * 60 * 1000).toISOString();
  const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
  return { AWSAccessKeyId: accessKeyId, policy, signature: createHmac('sha1', secretAccessKey).update(policy).digest('base64') };
}

export interface FormFile {
  data: Buffer | string;
  /** The part's filename parameter; null sends none. Default `upload.bin`. */
  filename?: string | null;
  contentType?: string;
  /** Field name of the file part (default `file`). */
  name?: string;
}

/** Fields as [name, value] pairs, in order (a record keeps insertion order too). */
export type FormFields = Array<[string, string]> | Record<string, string>;

function pairs(fields: FormFields): Array<[string, string]> {
  return Array.isArray(fields) ? fields : Object.entries(fields);
}

/** A multipart/form-data body: `before` fields, then the file (if any), then `after` fields. */
export function formBody(before: FormFields, file?: FormFile, after: FormFields = []): { body: Buffer; contentType: string } {
  const boundary = `----crossbucket${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  const field = (name: string, value: string): void => {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  };
  for (const [name, value] of pairs(before)) field(name, value);
  if (file) {
    const filename = file.filename === undefined ? 'upload.bin' : file.filename;
    const disposition = `form-data; name="${file.name ?? 'file'}"${filename === null ? '' : `; filename="${filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data));
    chunks.push(Buffer.from('\r\n'));
  }
  for (const [name, value] of pairs(after)) field(name, value);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Injects a form POST (path style to `/forms` unless `url` says otherwise). */
export function postForm(
  app: FastifyInstance,
  before: FormFields,
  file?: FormFile,
  after?: FormFields,
  extra: { url?: string; headers?: Record<string, string> } = {},
) {
  const { body, contentType } = formBody(before, file, after);
  return app.inject({ method: 'POST', url: extra.url ?? '/forms', headers: { host: HOST, 'content-type': contentType, ...extra.headers }, payload: body });
}
