/**
 * f64 CPU reference of the 2:4 sparse operator: Y = X·W̃ with W̃ the masked (pruned) weights as
 * stored, read straight from the compressed format.
 *
 * @module
 */

import { roundToDtype } from "../../harness/gpu/buffers.ts";
import type { DType, Shape } from "../../harness/types.ts";
import type { Sparse24Weights } from "./format.ts";

/**
 * Rows `rows` of X·W̃ in f64 (rows.length×N). X is rounded to `dtype` first and the stored
 * values are already in it, so this is exactly what the GPU sees, accumulated in f64.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compress24 } from "./format.ts";
 * const c = compress24(new Float32Array([1, 2, 3, 4]), 4, 1, new Uint8Array([1, 0, 0, 1]), "f32");
 * const y = sparse24Reference(c, new Float32Array([1, 1, 1, 1]), { m: 1, k: 4, n: 1 }, "f32", [0]);
 * assert.equal(y[0], 5);
 * ```
 */
export function sparse24Reference(
  c: Sparse24Weights,
  x: Float32Array,
  shape: Shape,
  dtype: DType,
  rows: readonly number[],
): Float64Array {
  const { m, k, n } = shape;
  if (c.k !== k || c.n !== n) {
    throw new RangeError(`compressed weights are ${c.k}×${c.n}, shape needs ${k}×${n}`);
  }
  const xr = roundToDtype(x, dtype);
  const { np, meta, values } = c;
  const out = new Float64Array(rows.length * n);
  const groups = Math.ceil(k / 4);
  for (let ri = 0; ri < rows.length; ri++) {
    const r = rows[ri]!;
    if (!(r >= 0 && r < m)) throw new RangeError(`row ${r} outside [0, ${m})`);
    const xb = r * k;
    const ob = ri * n;
    for (let g = 0; g < groups; g++) {
      const mb = (g >> 3) * np;
      const sh = 4 * (g & 7);
      const v0 = 2 * g * np;
      const v1 = v0 + np;
      for (let col = 0; col < n; col++) {
        const nib = (meta[mb + col]! >>> sh) & 15;
        const k0 = 4 * g + (nib & 3);
        const k1 = 4 * g + (nib >> 2);
        let acc = 0;
        if (k0 < k) acc += xr[xb + k0]! * values[v0 + col]!;
        if (k1 < k) acc += xr[xb + k1]! * values[v1 + col]!;
        out[ob + col] += acc;
      }
    }
  }
  return out;
}
