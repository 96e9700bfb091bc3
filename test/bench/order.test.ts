/** bench/order.ts: each round starts one server further on, and every server keeps its turn. */
import t from 'tap';
import { inTurn, windowOrder } from '../../bench/order';

t.test('inTurn moves the order on by one each round', async (t) => {
  const servers = ['crossbucket', 's3rver', 'ceiling'];
  t.same(inTurn(servers, 1), ['crossbucket', 's3rver', 'ceiling'], 'round 1: as given');
  t.same(inTurn(servers, 2), ['s3rver', 'ceiling', 'crossbucket']);
  t.same(inTurn(servers, 3), ['ceiling', 'crossbucket', 's3rver']);
  t.same(inTurn(servers, 4), servers, 'round 4 starts over');
  t.same(servers, ['crossbucket', 's3rver', 'ceiling'], 'the list given is not changed');
  t.same(inTurn([], 2), []);
  // Over as many rounds as there are servers, each server is in each place once.
  for (const n of [1, 2, 3, 4, 5]) {
    const items = Array.from({ length: n }, (_, i) => i);
    for (let place = 0; place < n; place++) {
      const seen = Array.from({ length: n }, (_, r) => inTurn(items, r + 1)[place]).sort((a, b) => (a ?? 0) - (b ?? 0));
      t.same(seen, items, `${n} servers: place ${place} held by each once`);
    }
  }
});

t.test("windowOrder keeps crossbucket's two windows side by side", async (t) => {
  const instances = [
    { kind: 'crossbucket' as const, logged: false }, { kind: 'crossbucket' as const, logged: true },
    { kind: 's3rver' as const, logged: false }, { kind: 'ceiling' as const, logged: false },
  ];
  const names = (round: number) => windowOrder(instances, round).map((i) => `${i.kind}${i.logged ? '+log' : ''}`);
  t.same(names(1), ['crossbucket', 'crossbucket+log', 's3rver', 'ceiling']);
  t.same(names(2), ['s3rver', 'ceiling', 'crossbucket+log', 'crossbucket'], 'the logging one first in every other round');
  t.same(names(3), ['ceiling', 'crossbucket', 'crossbucket+log', 's3rver']);
  t.same(names(4), ['crossbucket+log', 'crossbucket', 's3rver', 'ceiling']);
  t.same(instances.map((i) => i.kind), ['crossbucket', 'crossbucket', 's3rver', 'ceiling'], 'the list given is not changed');
});
