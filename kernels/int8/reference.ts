/**
 * f64 CPU reference of the int8 operator: the activation pass mirrored in f32 (the GPU's), the
 * integer products exact, the dequantisation and the outlier path in f64.
 *
 * @module
 */

import { roundToDtype } from "../../harness/gpu/buffers.ts";
import type { DType, Shape } from "../../harness/types.ts";
import type { Int8Prepared } from "./prepare.ts";
import { quantizeRow } from "./quant.ts";

/**
 * Rows of Y = sx·sw·(q(X')·Wq) + X[:, O]·W[O, :], X rounded to the dtype first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareInt8 } from "./prepare.ts";
 * const shape = { m: 1, k: 2, n: 1 };
 * const config = { outliers: "none", threshold: 6, smooth: 0, variant: "gemm", dot: "unpacked", tile: "32x32", cols: 4, slices: 64, xReads: "twice", blocks: 1 } as const;
 * const p = prepareInt8(new Float32Array([1, 1]), new Float32Array(0), 0, shape, "f32", config);
 * const y = int8Reference(new Float32Array([1, 0.5]), p, shape, "f32", [0]);
 * // x codes [127, 64] at scale 1/127, w codes [127, 127] at scale 1/127
 * assert.ok(Math.abs(y[0] - (127 + 64) * 127 * Math.fround(1 / 127) ** 2) < 1e-9);
 * ```
 */
export function int8Reference(
  x: Float32Array,
  p: Int8Prepared,
  shape: Shape,
  dtype: DType,
  rows: readonly number[],
): Float64Array {
  const { k, n } = shape;
  const xr = roundToDtype(x, dtype);
  const count = p.oi[0]!;
  const out = new Float64Array(rows.length * n);
  const acc = new Float64Array(n);
  rows.forEach((r, i) => {
    const row = xr.subarray(r * k, r * k + k);
    const { q, scale } = quantizeRow(row, p.invS);
    acc.fill(0);
    for (let j = 0; j < k; j++) {
      const qj = q[j]!;
      if (qj === 0) continue;
      for (let c = 0; c < n; c++) acc[c]! += qj * p.codes[j * n + c]!;
    }
    for (let c = 0; c < n; c++) out[i * n + c] = acc[c]! * scale * p.sw[c]!;
    for (let o = 0; o < count; o++) {
      const xv = row[p.oi[1 + o]!]!;
      for (let c = 0; c < n; c++) out[i * n + c]! += xv * p.wo[o * n + c]!;
    }
  });
  return out;
}
