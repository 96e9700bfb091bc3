/**
 * The table: one row per workload, crossbucket's figure beside s3rver's and the ceiling's,
 * the ratios, and whether issue 6's target is met.
 */
import type { ServerKind } from './config';
import type { RunResult } from './stats';

export type Medians = Partial<Record<ServerKind, Record<string, RunResult>>>;

/** How a workload is measured and what it must reach. */
export interface RowSpec {
  id: string;
  label: string;
  metric: 'ops' | 'mibps' | 'scan' | 'page' | 'startup';
  vsS3rver?: number;
  vsCeiling?: number;
  maxRssGrowthMiB?: number;
  maxMs?: number;
}

export function rowSpecs(concurrency: number[]): RowSpec[] {
  const rows: RowSpec[] = [];
  const rate: Array<[string, string, number, number]> = [
    ['preflight', 'OPTIONS preflight (10 rules, last matches)', 10, 0.6],
    ['get-origin', 'GET 4 KiB with Origin', 10, 0.6],
    ['get', 'GET 4 KiB', 8, 0.4],
    ['head', 'HEAD 4 KiB', 8, 0.4],
    ['put', 'PUT 4 KiB (new keys)', 8, 0.25],
  ];
  for (const [w, label, s, c] of rate) {
    for (const n of concurrency) rows.push({ id: `${w}@${n}`, label: `${label}, c=${n}`, metric: 'ops', vsS3rver: s, vsCeiling: c });
  }
  rows.push({ id: 'large-put', label: 'PUT 256 MiB object (payload SHA-256 signed)', metric: 'mibps', vsS3rver: 1.2, vsCeiling: 0.9, maxRssGrowthMiB: 32 });
  rows.push({ id: 'large-put-unsigned', label: 'PUT 256 MiB object, UNSIGNED-PAYLOAD (nothing to verify)', metric: 'mibps' });
  rows.push({ id: 'large-get', label: 'GET 256 MiB object', metric: 'mibps', vsS3rver: 1, vsCeiling: 0.9, maxRssGrowthMiB: 32 });
  rows.push({ id: 'list-scan', label: 'ListObjectsV2 full scan, 1000/page', metric: 'scan', vsS3rver: 20 });
  rows.push({ id: 'list-prefix-delimiter', label: 'ListObjectsV2 prefix + delimiter page', metric: 'page' });
  rows.push({ id: 'list-delimiter', label: 'ListObjectsV2 delimiter-only page, whole bucket', metric: 'page', vsS3rver: 50 });
  rows.push({ id: 'startup-empty', label: 'Start-up to first answer, empty', metric: 'startup', maxMs: 500 });
  rows.push({ id: 'startup-100k', label: 'Start-up to first answer, 100k objects', metric: 'startup', maxMs: 1000 });
  return rows;
}

/** Higher is better for every value this returns. */
function score(spec: RowSpec, r: RunResult | undefined): number {
  if (!r) return NaN;
  switch (spec.metric) {
    case 'ops': case 'page': return r.opsPerSec;
    case 'mibps': return r.mibPerSec ?? NaN;
    case 'scan': return 1 / (r.scanSeconds ?? NaN);
    case 'startup': return 1 / (r.startupMs ?? NaN);
  }
}

function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 100 || digits === 0) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(digits);
}

function cell(spec: RowSpec, r: RunResult | undefined): string {
  if (!r) return '–';
  const err = r.errors > 0 ? ` (${r.errors} errors)` : '';
  switch (spec.metric) {
    case 'ops': return `${fmt(r.opsPerSec)}/s · ${fmt(r.p50Ms, 2)}/${fmt(r.p99Ms, 2)} ms${r.serverCpuUsPerOp !== undefined ? ` · ${fmt(r.serverCpuUsPerOp)} µs` : ''}${err}`;
    case 'mibps': return `${fmt(r.mibPerSec)} MiB/s${r.rssGrowthMiB !== undefined ? ` · RSS +${fmt(r.rssGrowthMiB, 1)} MiB` : ''}${err}`;
    case 'scan': return `${fmt(r.scanSeconds, 2)} s${r.complete === false ? ' (extrapolated)' : ''}${err}`;
    case 'page': return `${fmt(r.p50Ms, 2)} ms (${r.keys ?? 0} keys, ${r.prefixes ?? 0} prefixes)${err}`;
    case 'startup': return `${fmt(r.startupMs)} ms`;
  }
}

export interface Row {
  id: string;
  label: string;
  cells: Partial<Record<ServerKind, string>>;
  vsS3rver: number;
  vsCeiling: number;
  /** Load generator CPU (cores) during crossbucket's and the ceiling's runs. */
  clientCpu: Partial<Record<ServerKind, number>>;
  target: string;
  met: boolean | undefined;
}

export function buildRows(medians: Medians, concurrency: number[]): Row[] {
  return rowSpecs(concurrency).map((spec) => {
    const cb = medians.crossbucket?.[spec.id];
    const vsS3rver = score(spec, cb) / score(spec, medians.s3rver?.[spec.id]);
    const vsCeiling = score(spec, cb) / score(spec, medians.ceiling?.[spec.id]);
    const targets: string[] = [];
    const checks: Array<boolean | undefined> = [];
    const check = (ok: boolean) => checks.push(ok);
    if (spec.vsS3rver !== undefined) { targets.push(`≥ ${spec.vsS3rver}× s3rver`); if (Number.isFinite(vsS3rver)) check(vsS3rver >= spec.vsS3rver); else checks.push(undefined); }
    if (spec.vsCeiling !== undefined) { targets.push(`≥ ${spec.vsCeiling} ceiling`); if (Number.isFinite(vsCeiling)) check(vsCeiling >= spec.vsCeiling); else checks.push(undefined); }
    if (spec.maxRssGrowthMiB !== undefined) { targets.push(`RSS < +${spec.maxRssGrowthMiB} MiB`); const g = cb?.rssGrowthMiB; if (g !== undefined && Number.isFinite(g)) check(g < spec.maxRssGrowthMiB); else checks.push(undefined); }
    if (spec.maxMs !== undefined) { targets.push(`< ${spec.maxMs} ms`); const ms = cb?.startupMs; if (ms !== undefined && Number.isFinite(ms)) check(ms < spec.maxMs); else checks.push(undefined); }
    if (cb && cb.errors > 0) checks.push(false);
    const met = checks.length === 0 || checks.includes(undefined) ? undefined : checks.every(Boolean);
    const cells: Partial<Record<ServerKind, string>> = {};
    for (const kind of ['crossbucket', 's3rver', 'ceiling'] as const) cells[kind] = cell(spec, medians[kind]?.[spec.id]);
    const clientCpu: Partial<Record<ServerKind, number>> = {};
    for (const kind of ['crossbucket', 's3rver', 'ceiling'] as const) {
      const c = medians[kind]?.[spec.id]?.clientCpu;
      if (c !== undefined && Number.isFinite(c)) clientCpu[kind] = c;
    }
    return { id: spec.id, label: spec.label, cells, vsS3rver, vsCeiling, clientCpu, target: targets.join(', ') || '—', met };
  });
}

function ratio(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return n >= 10 ? `${n.toFixed(0)}×` : `${n.toFixed(2)}×`;
}

/** A Markdown table (pasted as is into docs/benchmarks.md). */
export function markdownTable(rows: Row[]): string {
  const lines = [
    '| workload | crossbucket | s3rver | node:http ceiling | vs s3rver | vs ceiling | client CPU (cb / ceiling) | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const met = r.met === undefined ? (r.target === '—' ? '' : '?') : r.met ? 'yes' : '**no**';
    const pct = (c: number | undefined) => (c === undefined ? '–' : `${Math.round(c * 100)}%`);
    const cpu = r.clientCpu.crossbucket === undefined && r.clientCpu.ceiling === undefined ? '' : `${pct(r.clientCpu.crossbucket)} / ${pct(r.clientCpu.ceiling)}`;
    lines.push(`| ${r.label} | ${r.cells.crossbucket ?? '–'} | ${r.cells.s3rver ?? '–'} | ${r.cells.ceiling ?? '–'} | ${ratio(r.vsS3rver)} | ${ratio(r.vsCeiling)} | ${cpu} | ${r.target} | ${met} |`);
  }
  return lines.join('\n');
}
