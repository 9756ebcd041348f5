/**
 * f64 CPU reference of the Monarch operator, the same two stages the GPU runs with the same
 * storage roundings: X, R and L in the storage dtype, the intermediate H rounded to the dtype
 * between the stages (the GPU stores it there), Y accumulated in f64.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import type { MonarchDims } from "./layout.ts";

/** Rounds `v` to the storage dtype (f16 or f32). */
function round(v: number, dtype: DType): number {
  return dtype === "f16" ? new Float16Array([v])[0]! : Math.fround(v);
}

/**
 * Rows of Y = X·M, M the Monarch matrix of `r` (K×b) and `l` (b×N) as `layout.ts` defines it.
 * `r` and `l` hold the stored values (already in the dtype); `x` is rounded here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monarchDims } from "./layout.ts";
 * // b = 2, K = N = 2: Y[n] = Σ_i X[i]·R[i, n % 2]·L[i, n]
 * const y = monarchReference(
 *   new Float32Array([1, 1]), monarchDims(2, 2, 2), [1, 2, 3, 4], [5, 6, 7, 8], "f32", [0],
 * );
 * assert.deepEqual(Array.from(y), [1 * 5 + 3 * 7, 2 * 6 + 4 * 8]);
 * ```
 */
export function monarchReference(
  x: Float32Array,
  d: MonarchDims,
  r: ArrayLike<number>,
  l: ArrayLike<number>,
  dtype: DType,
  rows: readonly number[],
): Float64Array {
  const { b, k, n, p } = d;
  const out = new Float64Array(rows.length * n);
  const h = new Float64Array(b * b);
  rows.forEach((row, ri) => {
    // Stage 1: H[i, lb] = Σ_t X[i·p + t]·R[i·p + t, lb], stored in the dtype.
    h.fill(0);
    for (let kk = 0; kk < k; kk++) {
      const xv = round(x[row * k + kk]!, dtype);
      const i = Math.floor(kk / p);
      for (let lb = 0; lb < b; lb++) h[i * b + lb] = h[i * b + lb]! + xv * r[kk * b + lb]!;
    }
    for (let j = 0; j < b * b; j++) h[j] = round(h[j]!, dtype);
    // Stage 2: Y[v·b + lb] = Σ_i H[i, lb]·L[i, v·b + lb].
    for (let col = 0; col < n; col++) {
      const lb = col % b;
      let s = 0;
      for (let i = 0; i < b; i++) s += h[i * b + lb]! * l[i * n + col]!;
      out[ri * n + col] = s;
    }
  });
  return out;
}
