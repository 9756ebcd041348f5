/**
 * The math of one exported linear layer in f64, written from the definitions in `export.ts`
 * alone (no kernel code): what a kernel's output and a kernel family's reference are checked
 * against.
 *
 * @module
 */

import { effectiveWeights, type LinearExport } from "./export.ts";
import { quantizeRow } from "../kernels/int8/quant.ts";

/**
 * `Y = x·W (+ bias)` of `layer` for `m` rows of `x` (m×K, row-major), in f64, rows×N. For STL
 * the rows form tiles of t consecutive rows (m padded with zero rows to a multiple of t; the
 * caller arranges rows so that a tile holds one sample's rows). `withBias` false leaves the
 * bias out (what the kernel alone computes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = { name: "fc", k: 2, n: 1, op: "dense" as const, w: new Float32Array([1, 2]),
 *   bias: new Float32Array([10]) };
 * assert.deepEqual([...linearF64(l, new Float32Array([3, 4]), 1)], [21]);
 * assert.deepEqual([...linearF64(l, new Float32Array([3, 4]), 1, false)], [11]);
 * ```
 */
export function linearF64(
  layer: LinearExport,
  x: ArrayLike<number>,
  m: number,
  withBias = true,
): Float64Array {
  const { k, n } = layer;
  if (x.length < m * k) throw new RangeError(`x has ${x.length} values, expected ${m}×${k}`);
  const out = new Float64Array(m * n);
  const w = effectiveWeights(layer);
  if (layer.op === "int8") {
    int8F64(layer, x, m, out);
  } else if (w) {
    for (let r = 0; r < m; r++) {
      for (let kk = 0; kk < k; kk++) {
        const xv = x[r * k + kk]!;
        if (xv === 0) continue;
        const wb = kk * n;
        for (let c = 0; c < n; c++) out[r * n + c] += xv * w[wb + c]!;
      }
    }
  } else {
    stlF64(layer, x, m, out);
  }
  if (withBias && layer.bias) {
    for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) out[r * n + c] += layer.bias[c]!;
  }
  return out;
}

/**
 * W8A8 per the definition in export.ts, into `out` (m×N): each row of x quantised in f32 with
 * the layer's activation factors (kernels/int8 quantizeRow, the rule the WGSL pass and the tfjs
 * layer follow), exact integer sums, the scales applied in f64, the outlier dimensions added
 * from x as f32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = { name: "fc", k: 2, n: 1, op: "int8" as const, int8: {
 *   codes: new Int8Array([127, 127]), scales: new Float32Array([1 / 127]),
 *   invScale: new Float32Array([1, 1]), smooth: 0 } };
 * const out = new Float64Array(1);
 * int8F64(l, [1, 0.5], 1, out);
 * assert.ok(Math.abs(out[0]! - 191 * 127 * Math.fround(1 / 127) ** 2) < 1e-12);
 * ```
 */
export function int8F64(
  layer: LinearExport,
  x: ArrayLike<number>,
  m: number,
  out: Float64Array,
): void {
  const { k, n } = layer;
  const q8 = layer.int8!;
  const acc = new Float64Array(n);
  const row = new Float32Array(k);
  const dims = q8.outliers?.dims ?? new Uint32Array(0);
  const wo = q8.outliers?.w ?? new Float32Array(0);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < k; j++) row[j] = x[r * k + j]!;
    const { q, scale } = quantizeRow(row, q8.invScale);
    acc.fill(0);
    for (let j = 0; j < k; j++) {
      const qj = q[j]!;
      if (qj === 0) continue;
      const wb = j * n;
      for (let c = 0; c < n; c++) acc[c]! += qj * q8.codes[wb + c]!;
    }
    for (let c = 0; c < n; c++) out[r * n + c] = acc[c]! * scale * q8.scales[c]!;
    for (let o = 0; o < dims.length; o++) {
      const xv = row[dims[o]!]!;
      if (xv === 0) continue;
      for (let c = 0; c < n; c++) out[r * n + c]! += xv * wo[o * n + c]!;
    }
  }
}

/** STL per the definition: encode X tiles with α, channel products with Ŵ, decode with γ. */
function stlF64(layer: LinearExport, x: ArrayLike<number>, m: number, out: Float64Array): void {
  const { k, n } = layer;
  const { t, r, alpha, wh, gamma } = layer.stl!;
  const tt = t * t;
  const kt = Math.ceil(k / t);
  const nt = Math.ceil(n / t);
  const mt = Math.ceil(m / t);
  const xh = new Float64Array(r * kt);
  const p = new Float64Array(r * nt);
  for (let i = 0; i < mt; i++) {
    xh.fill(0);
    for (let kk = 0; kk < kt; kk++) {
      for (let e = 0; e < tt; e++) {
        const row = i * t + Math.floor(e / t);
        const col = kk * t + (e % t);
        if (row >= m || col >= k) continue;
        const v = x[row * k + col]!;
        for (let rho = 0; rho < r; rho++) xh[rho * kt + kk] += alpha[rho * tt + e]! * v;
      }
    }
    p.fill(0);
    for (let rho = 0; rho < r; rho++) {
      for (let kk = 0; kk < kt; kk++) {
        const xv = xh[rho * kt + kk]!;
        for (let j = 0; j < nt; j++) p[rho * nt + j] += xv * wh[(rho * kt + kk) * nt + j]!;
      }
    }
    for (let e = 0; e < tt; e++) {
      const row = i * t + Math.floor(e / t);
      if (row >= m) continue;
      for (let j = 0; j < nt; j++) {
        const col = j * t + (e % t);
        if (col >= n) continue;
        let s = 0;
        for (let rho = 0; rho < r; rho++) s += gamma[e * r + rho]! * p[rho * nt + j]!;
        out[row * n + col] = s;
      }
    }
  }
}
