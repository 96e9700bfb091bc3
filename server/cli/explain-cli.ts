/**
 * `crossbucket explain`: asks a running server's admin API (`/_crossbucket/explain`) whether a
 * browser request would pass CORS, and prints the verdict and the reason of every rule.
 * Exit code: 0 allowed, 1 refused, 2 usage or connection error.
 */
import { parseArgs } from 'node:util';
import { ADMIN_PREFIX } from '../config';

interface ExplainAnswer {
  bucketState: string;
  preflight: { allowed: boolean; status: number; code?: string; message?: string; headers?: Record<string, string> };
  actualResponseHeaders: Record<string, string>;
  explanation: { summary: string; rules: Array<{ index: number; id?: string; matched: boolean; detail: string }> };
}

/** Where the command writes; process.stdout / process.stderr unless a caller (a test) passes its own. */
export interface ExplainIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const EXPLAIN_USAGE = 'usage: crossbucket explain --endpoint URL --bucket B --origin O --method M [--header H ...] [--key K] [--json]\n';

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      endpoint: { type: 'string', default: 'http://127.0.0.1:9000' },
      bucket: { type: 'string' }, origin: { type: 'string' }, method: { type: 'string', default: 'GET' },
      header: { type: 'string', multiple: true }, key: { type: 'string' }, json: { type: 'boolean' },
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
  if (!values.bucket || !values.origin) {
    io.stderr.write(EXPLAIN_USAGE);
    return 2;
  }
  const method = (values.method ?? 'GET').toUpperCase();
  let url: URL;
  try {
    url = new URL(`${ADMIN_PREFIX}/explain`, values.endpoint);
  } catch {
    io.stderr.write(`explain failed: --endpoint ${JSON.stringify(values.endpoint)} is not a URL\n`);
    return 2;
  }
  url.searchParams.set('bucket', values.bucket);
  url.searchParams.set('origin', values.origin);
  url.searchParams.set('method', method);
  for (const h of values.header ?? []) url.searchParams.append('header', h);
  if (values.key) url.searchParams.set('key', values.key);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    io.stderr.write(`explain failed: cannot reach crossbucket at ${values.endpoint}: ${cause}\n`);
    return 2;
  }
  if (!res.ok) {
    io.stderr.write(`explain failed: HTTP ${res.status} ${await res.text()}\n`);
    return 2;
  }
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
