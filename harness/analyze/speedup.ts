/**
 * Speedups against the dense baseline of the same shape and dtype in the same run.
 *
 * @module
 */

import type { CaseResult } from "../types.ts";

/**
 * Fills `speedupVsDense` and `denseId` of every ok case: the fastest ok baseline case of the same
 * M, K, N and dtype over this case's median. Cases without such a baseline get null.
 *
 * @example
 * ```ts ignore
 * assignSpeedups(results, (r) => r.family === "dense");
 * ```
 */
export function assignSpeedups(
  results: CaseResult[],
  isBaseline: (r: CaseResult) => boolean,
): void {
  const best = new Map<string, CaseResult>();
  const key = (r: CaseResult) => `${r.shape.m}x${r.shape.k}x${r.shape.n}/${r.dtype}`;
  for (const r of results) {
    if (r.status !== "ok" || !r.time || !isBaseline(r)) continue;
    const cur = best.get(key(r));
    if (!cur || r.time.median < cur.time!.median) best.set(key(r), r);
  }
  for (const r of results) {
    const b = best.get(key(r));
    if (r.status === "ok" && r.time && b) {
      r.speedupVsDense = b.time!.median / r.time.median;
      r.denseId = b.id;
      if (r.batch) r.batch.speedupVsDense = b.batch ? b.batch.median / r.batch.median : null;
    } else {
      r.speedupVsDense = null;
      r.denseId = null;
      if (r.batch) r.batch.speedupVsDense = null;
    }
  }
}
