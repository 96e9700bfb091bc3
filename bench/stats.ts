/** One run's numbers, and medians across rounds. */

export interface RunResult {
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  errors: number;
  statuses?: Record<string, number>;
  firstError?: string;
  /** Load generator CPU over the run, in cores (1 = one core saturated). */
  clientCpu?: number;
  /** Server CPU (user + system, all threads) per completed request, in microseconds. */
  serverCpuUsPerOp?: number;
  /** The pre-signed PUTs ran out before the window ended (the window was cut short). */
  exhausted?: boolean;
  /** Responses without Access-Control-Allow-Origin where one was expected. */
  missingCors?: number;
  bytes?: number;
  mibPerSec?: number;
  /** Server RSS: before, peak during, and growth (MiB). */
  rssBeforeMiB?: number;
  rssPeakMiB?: number;
  rssGrowthMiB?: number;
  pages?: number;
  keys?: number;
  prefixes?: number;
  complete?: boolean;
  scanSeconds?: number;
  /** Start-up: milliseconds from spawn to the first answered request. */
  startupMs?: number;
  /** Start-up: milliseconds from spawn to the CLI's "listening" line on stderr (crossbucket). */
  listeningMs?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at] ?? NaN;
}

export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

export function summarise(latenciesMs: number[], seconds: number): RunResult {
  const sorted = Float64Array.from(latenciesMs).sort();
  const arr = Array.from(sorted);
  const sum = arr.reduce((a, b) => a + b, 0);
  return {
    ops: arr.length,
    seconds,
    opsPerSec: seconds > 0 ? arr.length / seconds : NaN,
    p50Ms: percentile(arr, 50),
    p99Ms: percentile(arr, 99),
    meanMs: arr.length > 0 ? sum / arr.length : NaN,
    errors: 0,
  };
}

/** Field-by-field medians of the numeric fields of several rounds' results. */
export function medianResult(runs: readonly RunResult[]): RunResult {
  const out: Record<string, unknown> = {};
  const numeric = new Set<string>();
  for (const r of runs) for (const [k, v] of Object.entries(r)) if (typeof v === 'number') numeric.add(k);
  for (const k of numeric) out[k] = median(runs.map((r) => (r as unknown as Record<string, number | undefined>)[k] ?? NaN));
  out.errors = runs.reduce((a, r) => a + r.errors, 0);
  if (runs.some((r) => r.exhausted)) out.exhausted = true;
  if (runs.some((r) => r.complete === false)) out.complete = false;
  const firstError = runs.find((r) => r.firstError !== undefined)?.firstError;
  if (firstError !== undefined) out.firstError = firstError;
  return out as unknown as RunResult;
}
