/**
 * Request and host ids cut from a pre-encoded pool (storage/random-pool.ts RandomIds, issue 19):
 * each id must be whole (its length and alphabet, no base64 padding) and fresh (no two ids share
 * bytes, across many pools).
 */
import t from 'tap';
import { RandomIds } from '../../storage/random-pool';
import { newHostId, newRequestId } from '../../server/http/reply';

t.test('request ids: 16 hex digits in capitals, all different', async (t) => {
  const seen = new Set<string>();
  let bad = 0;
  for (let i = 0; i < 50_000; i++) {
    const id = newRequestId();
    if (!/^[0-9A-F]{16}$/.test(id)) bad++;
    seen.add(id);
  }
  t.equal(bad, 0);
  t.equal(seen.size, 50_000, 'no id handed out twice (390 pools)');
});

t.test('host ids: 32 base64 characters without padding, all different', async (t) => {
  const seen = new Set<string>();
  let bad = 0;
  for (let i = 0; i < 20_000; i++) {
    const id = newHostId();
    if (!/^[A-Za-z0-9+/]{32}$/.test(id) || Buffer.from(id, 'base64').length !== 24) bad++;
    seen.add(id);
  }
  t.equal(bad, 0);
  t.equal(seen.size, 20_000);
});

t.test('every hex digit turns up in every position (the bytes are random, not a counter)', async (t) => {
  const ids = new RandomIds(4, 'upper', 16);
  const digits = Array.from({ length: 8 }, () => new Set<string>());
  for (let i = 0; i < 4000; i++) {
    const id = ids.next();
    for (let p = 0; p < 8; p++) digits[p]?.add(id[p] as string);
  }
  t.same(digits.map((d) => d.size), Array(8).fill(16));
});

t.test('an encoding that cannot be cut into whole ids, or a pool too large, is refused', async (t) => {
  t.throws(() => new RandomIds(8, 'base64'), /multiple of 3/);
  t.throws(() => new RandomIds(64, 'upper', 100), /fit/);
});
