/**
 * The Pareto front of speed against accuracy: cases no other case beats on both time and error.
 *
 * @module
 */

/**
 * A point to rank: lower `time` and lower `error` are better.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const points: ParetoPoint[] = [{ time: 0.8, error: 0.05 }, { time: 1, error: 0.1 }];
 * assert.deepEqual(paretoFront(points), [0]); // the second is beaten on both
 * ```
 */
export interface ParetoPoint {
  /** Time (lower is better). */
  time: number;
  /** Error (lower is better). */
  error: number;
}

/**
 * Indices of the points on the Pareto front (minimising both `time` and `error`), ordered by
 * increasing error (and so decreasing time). A point is dominated when another is no worse on
 * both and strictly better on one; exact duplicates of a front point are all on the front.
 * Points with a non-finite coordinate are ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paretoFront } from "./pareto.ts";
 * const front = paretoFront([
 *   { time: 1, error: 1e-7 }, // dense: exact, slow
 *   { time: 0.5, error: 0.3 }, // fast, inaccurate
 *   { time: 0.8, error: 0.5 }, // dominated by the previous one
 *   { time: 0.7, error: 1e-2 },
 * ]);
 * assert.equal(front.join(), "0,3,1");
 * ```
 */
export function paretoFront(points: readonly ParetoPoint[]): number[] {
  const idx = points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => Number.isFinite(p.time) && Number.isFinite(p.error));
  idx.sort((a, b) => a.p.error - b.p.error || a.p.time - b.p.time || a.i - b.i);
  const front: number[] = [];
  let bestTime = Infinity;
  let last: ParetoPoint | null = null;
  for (const { p, i } of idx) {
    if (p.time < bestTime) {
      front.push(i);
      bestTime = p.time;
      last = p;
    } else if (last && p.time === last.time && p.error === last.error) {
      front.push(i);
    }
  }
  return front;
}
