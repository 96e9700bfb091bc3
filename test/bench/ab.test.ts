/** bench/ab.ts `bothWays`: B/A from a pass with each side's server launched first, the order's share cancelled. */
import t from 'tap';
import { bothWays, type AbRow } from '../../bench/ab';

const row = (workload: string, first: 'A' | 'B', ratios: number[]): AbRow => ({ workload, first, a: [], b: [], ratios, rateRatios: [] });

t.test('the geometric mean of the two passes\' medians, per workload', async (t) => {
  // Side B's server is 5% cheaper for being launched second: 0.95 with B second, 1/0.95-ish with B first.
  const rows = [row('get', 'A', [0.9, 0.95, 1.2]), row('put', 'A', [1.1]), row('get', 'B', [1.0, 1.05, 1.1])];
  const both = bothWays(rows);
  t.same([...both.keys()], ['get'], 'only a workload measured in both passes');
  t.ok(Math.abs((both.get('get') as number) - Math.sqrt(0.95 * 1.05)) < 1e-12, 'sqrt(median of pass 1 × median of pass 2)');
  t.equal(bothWays([row('get', 'B', [2]), row('get', 'A', [0.5])]).get('get'), 1, 'whichever pass comes first in the list');
  t.equal(bothWays(rows.slice(0, 2)).size, 0, 'one pass: nothing to combine');
});
