/**
 * INT4 layers whose codes, scales and zeros are given (a quantised or quantisation-aware-trained
 * model), packed into what `plan` and `reference` take, with no quantisation step.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { groupProblem, packCodes, padK, Q_MAX, roundScale, scaleArray } from "./format.ts";
import type { Int4Prepared } from "./prepare.ts";

/**
 * Given INT4 weights: K×N codes (row-major, 0 … 15), ⌈K/group⌉×N scales and integer zeros
 * (row-major), and optionally AWQ's 1/s (K long) applied to X.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const q: GivenInt4 = {
 *   group: 8, codes: new Uint8Array(8).fill(3), scales: new Float32Array([0.5]),
 *   zeros: new Float32Array([1]),
 * };
 * const p = givenInt4Prepared(8, 1, q, "f32");
 * assert.equal(p.weights.group, 8);
 * ```
 */
export interface GivenInt4 {
  group: number;
  codes: Uint8Array;
  scales: ArrayLike<number>;
  zeros: ArrayLike<number>;
  invScale?: ArrayLike<number>;
}

/**
 * The prepared int4 layer for K×N weights from given codes: codes packed 8 per u32 along K, with
 * the padding rows (K up to a multiple of 8) holding their column's zero so they dequantise to
 * exactly 0; scales stored in `scaleDtype` (f16 rounds them: use f32 to keep the given values);
 * invScale padded with ones. `method` is "given".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dequantize } from "./format.ts";
 * const p = givenInt4Prepared(4, 1, {
 *   group: 8, codes: new Uint8Array([0, 1, 2, 3]), scales: [0.5], zeros: [1],
 * }, "f32");
 * assert.deepEqual([...dequantize(p.weights)], [-0.5, 0, 0.5, 1, 0, 0, 0, 0]);
 * ```
 */
export function givenInt4Prepared(
  k: number,
  n: number,
  q: GivenInt4,
  scaleDtype: DType,
): Int4Prepared {
  const problem = groupProblem(q.group, k);
  if (problem) throw new RangeError(`int4.group: ${problem}`);
  const kPadded = padK(k);
  const groups = kPadded / q.group;
  const want: [string, ArrayLike<number>, number][] = [
    ["codes", q.codes, k * n],
    ["scales", q.scales, groups * n],
    ["zeros", q.zeros, groups * n],
  ];
  if (q.invScale) want.push(["invScale", q.invScale, k]);
  for (const [name, a, len] of want) {
    if (a.length !== len) throw new RangeError(`int4.${name}: ${a.length} values, expected ${len}`);
  }
  const scales = scaleArray(groups * n, scaleDtype);
  const zeros = scaleArray(groups * n, scaleDtype);
  for (let i = 0; i < groups * n; i++) {
    const z = q.zeros[i]!;
    if (!(Number.isInteger(z) && z >= 0 && z <= Q_MAX)) {
      throw new RangeError(`int4.zeros: must be integers 0 … ${Q_MAX}, got ${z} at ${i}`);
    }
    const s = roundScale(q.scales[i]!, scaleDtype);
    if (!Number.isFinite(s)) {
      throw new RangeError(`int4.scales: ${q.scales[i]} at ${i} does not fit ${scaleDtype}`);
    }
    scales[i] = s;
    zeros[i] = z;
  }
  const codes = new Uint8Array(kPadded * n);
  codes.set(q.codes);
  const lastGroup = (groups - 1) * n;
  for (let kk = k; kk < kPadded; kk++) {
    for (let c = 0; c < n; c++) codes[kk * n + c] = zeros[lastGroup + c]!;
  }
  let invScale: Float32Array | null = null;
  if (q.invScale) {
    invScale = new Float32Array(kPadded).fill(1);
    invScale.set(Float32Array.from(q.invScale));
  }
  return {
    method: "given",
    weights: {
      k,
      n,
      kPadded,
      group: q.group,
      scaleDtype,
      qweight: packCodes(codes, kPadded, n),
      scales,
      zeros,
    },
    invScale,
    awq: null,
  };
}
