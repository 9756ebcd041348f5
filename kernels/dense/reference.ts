/**
 * f64 CPU reference of the dense operator.
 *
 * @module
 */

import { roundToDtype } from "../../harness/gpu/buffers.ts";
import { matmulRowsF64 } from "../../harness/data/matmul_f64.ts";
import type { DType, Shape } from "../../harness/types.ts";

/**
 * Rows of Y = X·W in f64 with X and W first rounded to the storage dtype, as the GPU sees them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const y = denseReference(new Float32Array([1, 2]), new Float32Array([3, 4]), { m: 1, k: 2, n: 1 }, "f32", [0]);
 * assert.equal(y[0], 11);
 * ```
 */
export function denseReference(
  x: Float32Array,
  w: Float32Array,
  shape: Shape,
  dtype: DType,
  rows: readonly number[],
): Float64Array {
  return matmulRowsF64(
    roundToDtype(x, dtype),
    roundToDtype(w, dtype),
    shape.m,
    shape.k,
    shape.n,
    rows,
  );
}
