/**
 * f64 CPU reference of the int4 operator: `Y = (X·diag(1/s))·W'` with W' the dequantised
 * packed weights (`(q − zero)·scale`) and 1/s the AWQ input scaling (1 for RTN).
 *
 * @module
 */

import { roundToDtype } from "../../harness/gpu/buffers.ts";
import type { DType, Shape } from "../../harness/types.ts";
import type { Int4Weights } from "./format.ts";

/**
 * Rows `rows` of the int4 product in f64, X first rounded to the activation dtype as the GPU
 * sees it. Dequantises on the fly (no K×N copy), so it suits large layers at few rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = {
 *   k: 8, n: 1, kPadded: 8, group: 8, scaleDtype: "f32" as const,
 *   qweight: new Uint32Array([0x11111111]), scales: new Float32Array([2]), zeros: new Float32Array([0]),
 * };
 * const y = int4Reference(new Float32Array(8).fill(1), { m: 1, k: 8, n: 1 }, "f32", w, null, [0]);
 * assert.equal(y[0], 16);
 * ```
 */
export function int4Reference(
  x: Float32Array,
  shape: Shape,
  dtype: DType,
  weights: Int4Weights,
  invScale: Float32Array | null,
  rows: readonly number[],
): Float64Array {
  const { m, k, n } = shape;
  if (weights.k !== k || weights.n !== n) {
    throw new RangeError(`weights are ${weights.k}×${weights.n}, shape needs ${k}×${n}`);
  }
  const xr = roundToDtype(x, dtype);
  const { group, qweight } = weights;
  const scales = Float64Array.from(weights.scales);
  const zeros = Float64Array.from(weights.zeros);
  const out = new Float64Array(rows.length * n);
  for (let ri = 0; ri < rows.length; ri++) {
    const r = rows[ri]!;
    if (!(r >= 0 && r < m)) throw new RangeError(`row ${r} outside [0, ${m})`);
    const ob = ri * n;
    for (let kk = 0; kk < k; kk++) {
      let xv = xr[r * k + kk]!;
      if (invScale) xv *= invScale[kk]!;
      if (xv === 0) continue;
      const wb = (kk >> 3) * n;
      const shift = 4 * (kk & 7);
      const gb = Math.floor(kk / group) * n;
      for (let c = 0; c < n; c++) {
        const q = (qweight[wb + c]! >>> shift) & 0xf;
        out[ob + c] += xv * ((q - zeros[gb + c]!) * scales[gb + c]!);
      }
    }
  }
  return out;
}
