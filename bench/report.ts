/**
 * The table: one row per workload, crossbucket's figure beside s3rver's and the ceiling's,
 * the ratios, and whether issue 19's targets are met.
 */
import type { ServerKind } from './config';
import { median, type RunResult } from './stats';

export type Medians = Partial<Record<ServerKind, Record<string, RunResult>>>;

/** Every round's results, per server and workload id (run.ts). */
export type Rounds = Partial<Record<ServerKind, Record<string, RunResult[]>>>;

/** How a workload is measured and what it must reach (issue 19's targets). */
export interface RowSpec {
  id: string;
  label: string;
  metric: 'ops' | 'mibps' | 'scan' | 'page' | 'startup';
  /** The result id shown per server, where it is not `id` (the logged rows, the hashing ceiling). */
  sources?: Partial<Record<ServerKind, string>>;
  vsS3rver?: number;
  /** vsS3rver must hold in every round, not only on the median. */
  everyRound?: boolean;
  vsCeiling?: number;
  /** crossbucket's rate with logging on ÷ its rate with logging off (`id` without `+log`). */
  vsLogOff?: number;
  /** Shown, not checked: crossbucket's figure ÷ its own figure for this other workload id. */
  vsOwn?: { id: string; label: string };
  maxRssGrowthMiB?: number;
  maxMs?: number;
}

const RATE_ROWS: Array<[string, string, number | undefined]> = [
  ['preflight', 'OPTIONS preflight (10 rules, last matches)', 15],
  ['get-origin', 'GET 4 KiB with Origin, pool of keys', 12],
  ['get', 'GET 4 KiB, pool of keys', 10],
  ['head', 'HEAD 4 KiB, pool of keys', 10],
  ['get-hot', 'GET 4 KiB, one hot key', undefined],
  ['head-hot', 'HEAD 4 KiB, one hot key', undefined],
  ['put', 'PUT 4 KiB (new keys)', 6],
];

/**
 * The versioned bucket (crossbucket only): held against s3rver's and the ceiling's unversioned
 * figure (s3rver has no versioning) and against crossbucket's own unversioned one.
 */
const VERSIONED_ROWS: Array<[string, string, string]> = [
  ['put-versioned', 'PUT 4 KiB, versioned bucket (a new version of a pool key)', 'put'],
  ['get-versioned', 'GET 4 KiB, versioned bucket, pool of keys with several versions', 'get'],
];

/** `repeatOf(mib)`: transfers per round of a large GET or overwrite (config.ts largeRepeat). */
export function rowSpecs(concurrency: number[], largeMib: string[] = ['256'], repeatOf: (mib: string) => number = () => 1): RowSpec[] {
  const rows: RowSpec[] = [];
  for (const [w, label, s] of RATE_ROWS) {
    for (const n of concurrency) rows.push({ id: `${w}@${n}`, label: `${label}, c=${n}`, metric: 'ops', ...(s === undefined ? {} : { vsS3rver: s }) });
  }
  for (const [w, label, plain] of VERSIONED_ROWS) {
    for (const n of concurrency) {
      const other = `${plain}@${n}`;
      rows.push({ id: `${w}@${n}`, label: `${label}, c=${n} (s3rver, ceiling: unversioned)`, metric: 'ops', sources: { s3rver: other, ceiling: other }, vsOwn: { id: other, label: 'unversioned' } });
    }
  }
  for (const [w, label] of RATE_ROWS) {
    for (const n of concurrency) {
      const id = `${w}@${n}`;
      const capped = w === 'get' || w === 'put';
      rows.push({
        id: `${id}+log`, label: `${label}, c=${n}, crossbucket \`info\` log to a file`, metric: 'ops',
        sources: { crossbucket: `${id}+log`, s3rver: id, ceiling: id }, ...(capped ? { vsLogOff: 0.9 } : {}),
      });
    }
  }
  for (const mib of largeMib) {
    const big = Number(mib) >= 256;
    const rss = big ? { maxRssGrowthMiB: 32 } : {};
    const hashing = { ceiling: `large-put-hashing-${mib}` };
    const times = repeatOf(mib) > 1 ? `, ${repeatOf(mib)} in a row per round` : '';
    rows.push({ id: `large-put-${mib}`, label: `PUT ${mib} MiB, SHA-256 signed, new key (ceiling: node:http + MD5 + SHA-256)`, metric: 'mibps', sources: hashing, ...(big ? { vsCeiling: 0.9 } : {}), ...rss });
    rows.push({ id: `large-put-${mib}-overwrite`, label: `PUT ${mib} MiB, SHA-256 signed, overwrite${times} (ceiling: node:http + MD5 + SHA-256, once)`, metric: 'mibps', sources: hashing, ...rss });
    rows.push({ id: `large-put-unsigned-${mib}`, label: `PUT ${mib} MiB, UNSIGNED-PAYLOAD, new key`, metric: 'mibps', ...rss });
    rows.push({ id: `large-put-unsigned-${mib}-overwrite`, label: `PUT ${mib} MiB, UNSIGNED-PAYLOAD, overwrite${times}`, metric: 'mibps', ...(big ? {} : { vsS3rver: 1, everyRound: true }), ...rss });
    rows.push({ id: `large-get-${mib}`, label: `GET ${mib} MiB${times}`, metric: 'mibps', ...(big ? {} : { vsS3rver: 1, everyRound: true }), ...rss });
  }
  rows.push({ id: 'list-scan', label: 'ListObjectsV2 full scan, 1000/page', metric: 'scan' });
  rows.push({ id: 'list-prefix-delimiter', label: 'ListObjectsV2 prefix + delimiter page', metric: 'page' });
  rows.push({ id: 'list-delimiter', label: 'ListObjectsV2 delimiter-only page, whole bucket', metric: 'page' });
  rows.push({ id: 'startup-empty', label: 'Start-up, empty: spawn → first answer (→ listening line)', metric: 'startup' });
  rows.push({ id: 'startup-100k', label: 'Start-up, 100k objects: spawn → first answer (→ listening line)', metric: 'startup', maxMs: 500 });
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
    case 'startup': return `${fmt(r.startupMs)} ms${r.listeningMs !== undefined ? ` (listening line ${fmt(r.listeningMs)} ms)` : ''}`;
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
  /** The target cell only describes (nothing checked). */
  informational?: boolean;
}

function source(spec: RowSpec, kind: ServerKind): string {
  return spec.sources?.[kind] ?? spec.id;
}

/** The lowest crossbucket ÷ s3rver ratio of any round (rounds pair up by their order). */
function worstRound(spec: RowSpec, rounds: Rounds): number {
  const cb = rounds.crossbucket?.[source(spec, 'crossbucket')] ?? [];
  const s3 = rounds.s3rver?.[source(spec, 's3rver')] ?? [];
  let worst = NaN;
  for (let i = 0; i < Math.min(cb.length, s3.length); i++) {
    const r = score(spec, cb[i]) / score(spec, s3[i]);
    if (!(r >= worst)) worst = r;
  }
  return worst;
}

/**
 * crossbucket's figure ÷ another's. A request-rate row's windows are interleaved (round i of each
 * server seconds apart, bench/small-session.ts): its ratio is the median of the per-round ratios,
 * so a slow spell of the host that spans a round's windows cancels out. Other rows: the ratio of
 * the medians.
 */
function ratioOf(spec: RowSpec, medians: Medians, rounds: Rounds, cbId: string, other: ServerKind, otherId: string): number {
  const a = rounds.crossbucket?.[cbId] ?? [];
  const b = rounds[other]?.[otherId] ?? [];
  if (spec.metric === 'ops' && a.length > 0 && a.length === b.length) {
    const per = a.map((r, i) => score(spec, r) / score(spec, b[i]));
    if (per.every(Number.isFinite)) return median(per);
  }
  return score(spec, medians.crossbucket?.[cbId]) / score(spec, medians[other]?.[otherId]);
}

export function buildRows(medians: Medians, concurrency: number[], largeMib?: string[], rounds: Rounds = {}, repeatOf?: (mib: string) => number): Row[] {
  return rowSpecs(concurrency, largeMib, repeatOf).map((spec) => {
    const cbId = source(spec, 'crossbucket');
    const cb = medians.crossbucket?.[cbId];
    const vsS3rver = ratioOf(spec, medians, rounds, cbId, 's3rver', source(spec, 's3rver'));
    const vsCeiling = ratioOf(spec, medians, rounds, cbId, 'ceiling', source(spec, 'ceiling'));
    const targets: string[] = [];
    const checks: Array<boolean | undefined> = [];
    const check = (ok: boolean) => checks.push(ok);
    if (spec.vsS3rver !== undefined) {
      if (spec.everyRound === true) {
        const worst = worstRound(spec, rounds);
        targets.push(`≥ ${spec.vsS3rver}× s3rver every round (worst ${ratio(worst)})`);
        if (Number.isFinite(worst)) check(worst >= spec.vsS3rver); else checks.push(undefined);
      } else {
        targets.push(`≥ ${spec.vsS3rver}× s3rver`);
        if (Number.isFinite(vsS3rver)) check(vsS3rver >= spec.vsS3rver); else checks.push(undefined);
      }
    }
    if (spec.vsCeiling !== undefined) { targets.push(`≥ ${spec.vsCeiling} ceiling`); if (Number.isFinite(vsCeiling)) check(vsCeiling >= spec.vsCeiling); else checks.push(undefined); }
    if (spec.vsLogOff !== undefined) {
      const r = ratioOf(spec, medians, rounds, cbId, 'crossbucket', spec.id.replace(/\+log$/, ''));
      targets.push(`≥ ${spec.vsLogOff} of logging off (${ratio(r)})`);
      if (Number.isFinite(r)) check(r >= spec.vsLogOff); else checks.push(undefined);
    }
    if (spec.maxRssGrowthMiB !== undefined) { targets.push(`RSS < +${spec.maxRssGrowthMiB} MiB`); const g = cb?.rssGrowthMiB; if (g !== undefined && Number.isFinite(g)) check(g < spec.maxRssGrowthMiB); else checks.push(undefined); }
    if (spec.maxMs !== undefined) {
      // Both the listening line and the first answered request (the later of the two) within the target.
      targets.push(`< ${spec.maxMs} ms`);
      const ms = Math.max(cb?.startupMs ?? NaN, cb?.listeningMs ?? 0);
      if (Number.isFinite(ms)) check(ms < spec.maxMs); else checks.push(undefined);
    }
    if (spec.vsOwn !== undefined) {
      const r = score(spec, cb) / score(spec, medians.crossbucket?.[spec.vsOwn.id]);
      targets.push(`(${ratio(r)} of ${spec.vsOwn.label})`);
    }
    if (cb && cb.errors > 0) checks.push(false);
    const met = checks.length === 0 || checks.includes(undefined) ? undefined : checks.every(Boolean);
    const informational = checks.length === 0;
    const cells: Partial<Record<ServerKind, string>> = {};
    for (const kind of ['crossbucket', 's3rver', 'ceiling'] as const) cells[kind] = cell(spec, medians[kind]?.[source(spec, kind)]);
    const clientCpu: Partial<Record<ServerKind, number>> = {};
    for (const kind of ['crossbucket', 's3rver', 'ceiling'] as const) {
      const c = medians[kind]?.[source(spec, kind)]?.clientCpu;
      if (c !== undefined && Number.isFinite(c)) clientCpu[kind] = c;
    }
    return { id: spec.id, label: spec.label, cells, vsS3rver, vsCeiling, clientCpu, target: targets.join(', ') || '—', met, ...(informational ? { informational } : {}) };
  });
}

function ratio(n: number): string {
  if (!Number.isFinite(n)) return '–';
  // One decimal from 10 up: 14.8 shown as 15× had read as a met ≥ 15× target.
  return n >= 10 ? `${n.toFixed(1)}×` : `${n.toFixed(2)}×`;
}

/** A Markdown table (pasted as is into docs/benchmarks.md). */
export function markdownTable(rows: Row[]): string {
  const lines = [
    '| workload | crossbucket | s3rver | node:http ceiling | vs s3rver | vs ceiling | client CPU (cb / ceiling) | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const met = r.met === undefined ? (r.target === '—' || r.informational === true ? '' : '?') : r.met ? 'yes' : '**no**';
    const pct = (c: number | undefined) => (c === undefined ? '–' : `${Math.round(c * 100)}%`);
    const cpu = r.clientCpu.crossbucket === undefined && r.clientCpu.ceiling === undefined ? '' : `${pct(r.clientCpu.crossbucket)} / ${pct(r.clientCpu.ceiling)}`;
    lines.push(`| ${r.label} | ${r.cells.crossbucket ?? '–'} | ${r.cells.s3rver ?? '–'} | ${r.cells.ceiling ?? '–'} | ${ratio(r.vsS3rver)} | ${ratio(r.vsCeiling)} | ${cpu} | ${r.target} | ${met} |`);
  }
  return lines.join('\n');
}
