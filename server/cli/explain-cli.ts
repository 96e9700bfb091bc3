/**
 * `crossbucket explain`: asks a running server's admin API (`/_crossbucket/explain`) whether a
 * browser request would pass CORS, and prints the verdict and the reason of every rule; without
 * `--origin`, whether the caller (or `--anonymous`) may perform an action on a bucket or key, the
 * deciding source and one line per bucket-policy statement (docs/access.md).
 * The request is signed (SigV4) with the credentials aws-cli would use (server/cli/aws-credentials.ts):
 * the server answers only the bucket's owner (docs/security.md).
 * Exit code: 0 allowed, 1 refused, 2 usage, credentials or connection error.
 */
import { parseArgs } from 'node:util';
import { signRequestV4 } from '../auth/sign-request';
import { ADMIN_PREFIX, DEFAULT_REGION } from '../config';
import { findCredentials, type FoundCredentials } from './aws-credentials';
import { ConfigError } from './config-file';
import type { AccessExplanation } from '../access/explain-access';

/** Access mode: `ALLOWED`/`DENIED`, the deciding source, one line per statement; exit 0 or 1. */
function printAccess(answer: AccessExplanation, json: boolean, io: ExplainIo): number {
  if (json) {
    io.stdout.write(JSON.stringify(answer, null, 2) + '\n');
    return answer.allowed ? 0 : 1;
  }
  const on = `${answer.bucket}${answer.key === undefined ? '' : `/${answer.key}`}`;
  const what = `${answer.principal} ${answer.action}${answer.operation === undefined ? '' : ` (${answer.operation})`} on ${on}`;
  const status = answer.status === 200 ? '' : answer.status === 404 ? ` (${answer.source === 'NoSuchBucket' ? 'no such bucket' : 'the key does not exist: 404 NoSuchKey'})` : ` (${answer.status})`;
  const out = [`${answer.allowed ? 'ALLOWED' : 'DENIED'}  ${what}${status}`, `  deciding source: ${answer.source}`, `  ${answer.detail}`];
  const s = answer.settings;
  if (s !== undefined) {
    const bpa = s.blockPublicAccess === 'none' ? 'none' : Object.entries(s.blockPublicAccess).filter(([, v]) => v).map(([k]) => k).join(', ') || 'all off';
    out.push(`  bucket: policy ${s.policy}; block public access: ${bpa}; object ownership: ${s.objectOwnership}`);
  }
  if (answer.statements !== undefined) for (const line of answer.statements) out.push(`  ${line}`);
  else if (s?.policy !== 'none' && s !== undefined) out.push('  (the policy\'s statements are shown to the bucket owner\'s account only)');
  io.stdout.write(out.join('\n') + '\n');
  return answer.allowed ? 0 : 1;
}

interface ExplainAnswer {
  bucketState: string;
  preflight: { allowed: boolean; status: number; code?: string; message?: string; headers?: Record<string, string> };
  actualResponseHeaders: Record<string, string>;
  explanation: { summary: string; rules: Array<{ index: number; id?: string; matched: boolean; detail: string }> };
}

/** Where the command writes and the environment it reads; process's unless a caller (a test) passes its own. */
export interface ExplainIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
}

export const EXPLAIN_USAGE = 'usage: crossbucket explain --endpoint URL --bucket B --origin O --method M [--header H ...] [--key K] [--json]\n'
  + '       crossbucket explain --endpoint URL --bucket B [--key K] (--method GET|HEAD|PUT|DELETE|POST | --action s3:GetObject) [--anonymous] [--json]\n'
  + '         (--endpoint may be a website URL, http://BUCKET.s3-website.localhost:9000/KEY: it names the bucket and key)\n'
  + '         [--access-key ID --secret-key SECRET | --profile NAME] [--region R]\n'
  + '  credentials: --access-key/--secret-key, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else ~/.aws/credentials (AWS_PROFILE)\n';

/** RFC 3986 encoding of a query component (what SigV4 signs; never `+` for a space). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const WEBSITE_LABEL = /^s3-website(?:-[a-z0-9-]+)?$/;

/**
 * A website endpoint URL (the website user guide), `http://BUCKET.s3-website[-REGION].BASE:PORT/KEY`, as
 * the server's own endpoint `http://BASE:PORT` (where the admin API answers), the bucket and the
 * key. undefined for any other URL.
 */
export function websiteTarget(endpoint: string): { endpoint: string; bucket: string; key?: string } | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  const labels = url.hostname.toLowerCase().split('.');
  let at = -1;
  labels.forEach((label, i) => { if (i > 0 && i < labels.length - 1 && WEBSITE_LABEL.test(label)) at = i; });
  if (at < 0) return undefined;
  const baseName = labels.slice(at + 1).join('.');
  // `localhost` names loopback; node may try ::1 first, where the default server does not listen.
  const host = baseName === 'localhost' || baseName.endsWith('.localhost') ? '127.0.0.1' : baseName;
  const base = `${url.protocol}//${host}${url.port === '' ? '' : `:${url.port}`}`;
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice(1));
  } catch {
    key = url.pathname.slice(1);
  }
  return { endpoint: base, bucket: labels.slice(0, at).join('.'), ...(key === '' ? {} : { key }) };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      endpoint: { type: 'string', default: 'http://127.0.0.1:9000' },
      bucket: { type: 'string' }, origin: { type: 'string' }, method: { type: 'string', default: 'GET' },
      header: { type: 'string', multiple: true }, key: { type: 'string' }, json: { type: 'boolean' },
      action: { type: 'string' }, anonymous: { type: 'boolean' },
      'access-key': { type: 'string' }, 'secret-key': { type: 'string' }, profile: { type: 'string' }, region: { type: 'string' },
    },
  }).values;
}

export async function runExplain(argv: string[], io: ExplainIo = process): Promise<number> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse(argv);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${EXPLAIN_USAGE}`);
    return 2;
  }
  // A website URL names its bucket (and key); the question goes to the same server's admin API.
  const site = values.endpoint === undefined ? undefined : websiteTarget(values.endpoint);
  if (site !== undefined) {
    values.endpoint = site.endpoint;
    values.bucket ??= site.bucket;
    if (site.key !== undefined) values.key ??= site.key;
  }
  if (!values.bucket || (values.origin !== undefined && (values.action !== undefined || values.anonymous === true))) {
    io.stderr.write(EXPLAIN_USAGE);
    return 2;
  }
  const accessMode = values.origin === undefined;
  if (accessMode && values.action !== undefined && !/^s3:[A-Za-z*?]+$/.test(values.action)) {
    io.stderr.write(`explain failed: --action ${JSON.stringify(values.action)} is not an S3 action (s3:GetObject, s3:PutObject, …)\n${EXPLAIN_USAGE}`);
    return 2;
  }
  if (accessMode && values.action === undefined && !['GET', 'HEAD', 'PUT', 'DELETE', 'POST'].includes((values.method ?? 'GET').toUpperCase())) {
    io.stderr.write(`explain failed: --method ${JSON.stringify(values.method)} names no S3 operation: GET, HEAD, PUT, DELETE or POST\n${EXPLAIN_USAGE}`);
    return 2;
  }
  // Access-Control-Request-Method is case-sensitive: `put` is asked as `put` (and refused).
  const method = values.method ?? 'GET';
  const env = io.env ?? process.env;
  let credentials: FoundCredentials | undefined;
  try {
    credentials = findCredentials({ accessKey: values['access-key'], secretKey: values['secret-key'], profile: values.profile }, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (!credentials) {
    io.stderr.write('explain failed: no credentials: the server answers only signed requests by the bucket owner; '
      + 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in ~/.aws/credentials, or --access-key and --secret-key\n');
    return 2;
  }
  let url: URL;
  try {
    url = new URL(`${ADMIN_PREFIX}/explain`, values.endpoint);
  } catch {
    io.stderr.write(`explain failed: --endpoint ${JSON.stringify(values.endpoint)} is not a URL\n`);
    return 2;
  }
  const params: Array<[string, string]> = [['bucket', values.bucket]];
  if (!accessMode) params.push(['origin', values.origin ?? ''], ['method', method]);
  else if (values.action !== undefined) params.push(['action', values.action]);
  else params.push(['method', method.toUpperCase()]);
  if (values.anonymous === true) params.push(['anonymous', '1']);
  for (const h of values.header ?? []) params.push(['header', h]);
  if (values.key !== undefined) params.push(['key', values.key]);
  url.search = params.map(([k, v]) => `${k}=${encode(v)}`).join('&');
  const signed = signRequestV4({
    method: 'GET', rawUrl: `${url.pathname}${url.search}`, host: url.host,
    accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
    region: values.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION), now: new Date(),
  });
  // fetch sets Host itself, from the URL: the value signed above.
  const { host: _host, ...headers } = signed;
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    io.stderr.write(`explain failed: cannot reach crossbucket at ${values.endpoint}: ${cause}\n`);
    return 2;
  }
  if (res.status === 403) {
    io.stderr.write(`explain failed: HTTP 403 for ${credentials.accessKeyId} (credentials from ${credentials.source}): ${await res.text()}\n`);
    return 2;
  }
  if (!res.ok) {
    io.stderr.write(`explain failed: HTTP ${res.status} ${await res.text()}\n`);
    return 2;
  }
  if (accessMode) return printAccess((await res.json()) as AccessExplanation, values.json === true, io);
  const answer = (await res.json()) as ExplainAnswer;
  const p = answer.preflight;
  if (values.json) {
    io.stdout.write(JSON.stringify(answer, null, 2) + '\n');
    return p.allowed ? 0 : 1;
  }
  const what = `${method} from ${values.origin} on bucket ${values.bucket}${values.key ? `, key ${values.key}` : ''}`;
  const out: string[] = [p.allowed ? `ALLOWED  ${what}` : `REFUSED  ${what}: ${p.status} ${p.code ?? ''} ${p.message ?? ''}`];
  out.push(`  ${answer.explanation.summary}`);
  // Rules are numbered from 0 in document order, as in the summary.
  for (const r of answer.explanation.rules) {
    out.push(`  rule ${r.index}${r.id === undefined ? '' : ` (ID ${JSON.stringify(r.id)})`}: ${r.matched ? 'MATCHED' : 'no'} - ${r.detail}`);
  }
  if (p.allowed && p.headers) {
    out.push('  preflight response headers:');
    for (const [k, v] of Object.entries(p.headers)) out.push(`    ${k}: ${v}`);
  }
  io.stdout.write(out.join('\n') + '\n');
  return p.allowed ? 0 : 1;
}
