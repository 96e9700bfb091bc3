/**
 * bench/machine.ts – the CPU a report names, from lscpu: what tells two hosts apart when the VM
 * calls both "AMD EPYC" (docs/benchmarks.md, "Issue 19, eleventh round").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { describeCpu, reportCpu } from '../../bench/machine';

const ZEN1 = ['Model name:                              AMD EPYC', 'CPU family:                              23', 'Model:                                   1',
  'L2 cache:                                1 MiB (2 instances)', 'L3 cache:                                8 MiB (1 instance)', 'Flags:                                   fpu sse avx2 sha_ni'].join('\n');
const ZEN5 = ['Model name:  AMD EPYC', 'CPU family:  26', 'Model:  2', 'Flags:  fpu avx2 avx512f avx512dq sha_ni'].join('\n');

t.test('describeCpu – family, model, caches and AVX-512 beside the model name', async (t) => {
  t.equal(describeCpu(ZEN1, 'AMD EPYC'), 'AMD EPYC, family 23 model 1, L2 1 MiB (2 instances), L3 8 MiB (1 instance), no AVX-512');
  t.equal(describeCpu(ZEN5, 'AMD EPYC'), 'AMD EPYC, family 26 model 2, AVX-512');
  t.equal(describeCpu('', 'Some CPU'), 'Some CPU', 'without lscpu: the model name alone');
});

t.test('reportCpu – the CPU of a report already written, old or new', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-machine-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const at = (name: string, body: string) => { const path = join(dir, name); writeFileSync(path, body); return path; };
  t.equal(reportCpu(at('new.json', JSON.stringify({ machine: { cpu: 'a CPU' } }))), 'a CPU');
  t.equal(reportCpu(at('old.json', JSON.stringify({ machine: { cpuModel: 'AMD EPYC', lscpu: ZEN5 } }))), 'AMD EPYC, family 26 model 2, AVX-512', 'described from its lscpu');
  t.equal(reportCpu(join(dir, 'none.json')), undefined, 'no report');
  t.equal(reportCpu(at('bad.json', '{')), undefined, 'an unreadable report');
});
