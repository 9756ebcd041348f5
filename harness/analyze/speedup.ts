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
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CaseResult } from "../types.ts";
 * const kase = (id: string, family: string, median: number) =>
 *   ({
 *     id, family, status: "ok", shape: { m: 1, k: 8, n: 8 }, dtype: "f32",
 *     time: { median }, batch: null,
 *   }) as unknown as CaseResult;
 * const results = [kase("dense", "dense", 2), kase("int4", "int4", 0.5)];
 * assignSpeedups(results, (r) => r.family === "dense");
 * assert.equal(results[1]!.speedupVsDense, 4);
 * assert.equal(results[1]!.denseId, "dense");
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
