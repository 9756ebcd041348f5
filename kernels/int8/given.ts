/**
 * int8 layers whose codes, scales, activation factors and outlier rows are given (a converted or
 * fine-tuned model), packed into what `plan` and `reference` take, with no quantisation or
 * calibration step.
 *
 * @module
 */

import { roundToDtype } from "../../harness/gpu/buffers.ts";
import type { DType } from "../../harness/types.ts";
import type { Int8Prepared } from "./prepare.ts";

/** Given W8A8 weights (task/export.ts's `int8`). */
export interface GivenInt8 {
  /** K×N codes in −127…127, row-major; 0 on the outlier dimensions. */
  codes: Int8Array;
  /** N per-column weight scales. */
  scales: Float32Array;
  /** K activation factors (1/s of SmoothQuant, 1 without it, 0 on an outlier dimension). */
  invScale: Float32Array;
  /** The outlier dimensions (ascending) and their K-rows of W, dims.length×N. */
  outliers?: { dims: Uint32Array; w: Float32Array };
}

/**
 * The prepared int8 layer for K×N given weights: codes packed four along K per u32 (N×⌈K/4⌉
 * words), the outlier rows rounded to `dtype`. `calibAbsMax` is 0 (no calibration here) and
 * `weightError` 0 (the given codes are the weights).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = givenInt8Prepared(2, 1, {
 *   codes: new Int8Array([-1, 0]), scales: new Float32Array([0.5]),
 *   invScale: new Float32Array([1, 0]),
 *   outliers: { dims: new Uint32Array([1]), w: new Float32Array([3]) },
 * }, "f32");
 * assert.deepEqual([...p.wq], [0xff]);
 * assert.deepEqual([...p.oi], [1, 1]);
 * ```
 */
export function givenInt8Prepared(k: number, n: number, q: GivenInt8, dtype: DType): Int8Prepared {
  const dims = q.outliers?.dims ?? new Uint32Array(0);
  const want: [string, ArrayLike<number>, number][] = [
    ["codes", q.codes, k * n],
    ["scales", q.scales, n],
    ["invScale", q.invScale, k],
    ["outliers.w", q.outliers?.w ?? [], dims.length * n],
  ];
  for (const [name, a, len] of want) {
    if (a.length !== len) throw new RangeError(`int8.${name}: ${a.length} values, expected ${len}`);
  }
  const k4 = Math.ceil(k / 4);
  const wq = new Uint32Array(n * k4);
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < n; c++) {
      wq[c * k4 + (j >> 2)]! |= (q.codes[j * n + c]! & 0xff) << (8 * (j & 3));
    }
  }
  return {
    wq,
    codes: q.codes,
    sw: Float32Array.from(q.scales),
    invS: Float32Array.from(q.invScale),
    oi: new Uint32Array([dims.length, ...dims]),
    wo: roundToDtype(q.outliers?.w ?? new Float32Array(0), dtype),
    calibAbsMax: 0,
    weightError: 0,
  };
}
