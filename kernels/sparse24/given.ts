/**
 * 2:4 layers whose mask and weights are given (a pruned and fine-tuned model), compressed into
 * what `plan` and `reference` take, with no pruning step.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { compress24 } from "./format.ts";
import type { Sparse24Prepared } from "./mod.ts";

/**
 * The prepared 2:4 layer for K×N weights `w` (row-major) under the keep-mask `mask` (K×N,
 * 1 = kept; by default `w ≠ 0`). Every group of 4 consecutive k of a column must keep at most
 * 2 weights (else a RangeError names the group); weights outside the mask are dropped. Values
 * are rounded to `dtype`. `keptEnergy` is 1: the given weights are the layer (nothing was pruned here).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = givenSparse24Prepared(new Float32Array([0, 2, 0, 4]), 4, 1, "f32");
 * assert.equal(p.mask, "given");
 * assert.deepEqual([p.weights.values[0], p.weights.values[4]], [2, 4]);
 * ```
 */
export function givenSparse24Prepared(
  w: Float32Array,
  k: number,
  n: number,
  dtype: DType,
  mask?: Uint8Array,
): Sparse24Prepared {
  const keep = mask ?? Uint8Array.from(w, (v) => (v !== 0 ? 1 : 0));
  return { weights: compress24(w, k, n, keep, dtype), mask: "given", keptEnergy: 1 };
}
