/** `crossbucket explain`: asks a running server's admin API and prints the verdict and reasons. */
import { parseArgs } from 'node:util';
import { ADMIN_PREFIX } from './config';

interface ExplainAnswer {
  bucketState: string;
  preflight: { allowed: boolean; status: number; code?: string; message?: string; headers?: Record<string, string> };
  actualResponseHeaders: Record<string, string>;
  explanation: { summary: string; rules: Array<{ index: number; id?: string; matched: boolean; detail: string }> };
}

export async function runExplain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      endpoint: { type: 'string', default: 'http://127.0.0.1:9000' },
      bucket: { type: 'string' }, origin: { type: 'string' }, method: { type: 'string', default: 'GET' },
      header: { type: 'string', multiple: true }, key: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  if (!values.bucket || !values.origin) {
    process.stderr.write('usage: crossbucket explain --endpoint URL --bucket B --origin O --method M [--header H ...] [--key K]\n');
    return 2;
  }
  const url = new URL(`${ADMIN_PREFIX}/explain`, values.endpoint);
  url.searchParams.set('bucket', values.bucket);
  url.searchParams.set('origin', values.origin);
  url.searchParams.set('method', values.method ?? 'GET');
  for (const h of values.header ?? []) url.searchParams.append('header', h);
  if (values.key) url.searchParams.set('key', values.key);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    process.stderr.write(`explain failed: cannot reach crossbucket at ${values.endpoint}: ${cause}\n`);
    return 2;
  }
  if (!res.ok) {
    process.stderr.write(`explain failed: HTTP ${res.status} ${await res.text()}\n`);
    return 2;
  }
  const answer = (await res.json()) as ExplainAnswer;
  if (values.json) {
    process.stdout.write(JSON.stringify(answer, null, 2) + '\n');
    return answer.preflight.allowed ? 0 : 1;
  }
  const p = answer.preflight;
  const out: string[] = [];
  out.push(p.allowed ? `ALLOWED  preflight ${values.method} from ${values.origin} on bucket ${values.bucket}` : `REFUSED  preflight ${values.method} from ${values.origin} on bucket ${values.bucket}: ${p.status} ${p.code} ${p.message}`);
  out.push(`  ${answer.explanation.summary}`);
  // Rules are numbered from 0 in document order, as in the summary.
  for (const r of answer.explanation.rules) out.push(`  rule ${r.index}${r.id === undefined ? '' : ` (ID ${JSON.stringify(r.id)})`}: ${r.matched ? 'MATCHED' : 'no'} - ${r.detail}`);
  if (p.allowed && p.headers) for (const [k, v] of Object.entries(p.headers)) out.push(`  < ${k}: ${v}`);
  process.stdout.write(out.join('\n') + '\n');
  return p.allowed ? 0 : 1;
}
