/**
 * The order in which the servers take their turns, moved on by one each round. Run always in the
 * same order, the first server of a step paid for what the step's first transfer costs the
 * benchmark's client (docs/benchmarks.md, "Issue 19, seventeenth round"), and a window's place
 * among its neighbours moves its cost by a few per cent (the side that starts second in
 * `bench:ab` ran ~5% cheaper in one hour): rotated, each server is first in some rounds and last
 * in others, and the medians see every place.
 */
import type { ServerKind } from './config';

/** `items` starting from the `round`th (1-based), the ones before it moved to the end. */
export function inTurn<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = (((round - 1) % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * A round's rate windows (bench/small-session.ts): the servers in the round's turn, crossbucket's
 * two side by side so that a logged window is always next to the unlogged one it is compared
 * with; a server's own windows take turns too (of two, the logged one first in every other round).
 */
export function windowOrder<T extends { kind: ServerKind }>(instances: readonly T[], round: number): T[] {
  const kinds = inTurn([...new Set(instances.map((i) => i.kind))], round);
  return kinds.flatMap((kind) => inTurn(instances.filter((i) => i.kind === kind), round));
}
