/**
 * Offline preparation of the int8 weights: SmoothQuant factors and LLM.int8() outlier feature
 * dimensions from the calibration rows, per-output-channel weight scales, packed int8 codes.
 *
 * @module
 */

import { roundToDtype } from "../../harness/gpu/buffers.ts";
import type { DType, Shape } from "../../harness/types.ts";
import type { Int8Config } from "./params.ts";
import { int8Code } from "./quant.ts";

/**
 * The prepared int8 operator.
 *
 * - `wq`: N×K4 words (K4 = ⌈K/4⌉), word (n, w) packs the codes of rows 4w..4w+3 of column n,
 *   two's complement, lowest byte first; outlier rows and the K padding are 0.
 * - `codes`: the same codes K×N row-major (for the reference).
 * - `sw`: N per-column weight scales (f32).
 * - `invS`: K activation factors (1/s of SmoothQuant, 1 without it, 0 on outlier dimensions).
 * - `oi`: [count, index…] of the outlier feature dimensions, ascending.
 * - `wo`: count×N rows of W at the outlier dimensions, rounded to the dtype.
 */
export interface Int8Prepared {
  /** N×K4 words, each packing four int8 codes of a column (see above). */
  wq: Uint32Array;
  /** The same codes K×N row-major (for the reference). */
  codes: Int8Array;
  /** N per-column weight scales. */
  sw: Float32Array;
  /** K activation factors: 1/s of SmoothQuant, 1 without it, 0 on outlier dimensions. */
  invS: Float32Array;
  /** [count, index…] of the outlier feature dimensions, ascending. */
  oi: Uint32Array;
  /** count×N rows of W at the outlier dimensions, rounded to the dtype. */
  wo: Float32Array;
  /** Largest calibration |x'| among the non-outlier dimensions. */
  calibAbsMax: number;
  /**
   * ‖Ŵ − W‖_F / ‖W‖_F of the weights the operator multiplies by (codes·sw/s on the int8 rows,
   * the dtype-rounded rows on the outlier dimensions).
   */
  weightError: number;
}

/**
 * Prepares W (K×N, f32) for the int8 operator from the calibration rows.
 *
 * Outlier dimensions are decided here, from the calibration rows' per-dimension absmax (after
 * the smoothing factors), not per batch of X as LLM.int8() does: preparation never sees X.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const config = { outliers: "llm-int8", threshold: 6, smooth: 0, variant: "gemm", dot: "unpacked", tile: "32x32", cols: 4, slices: 64, xReads: "twice", blocks: 1 } as const;
 * // K = 2, N = 1; calibration row [1, 8]: dimension 1 exceeds 6
 * const p = prepareInt8(new Float32Array([2, 3]), new Float32Array([1, 8]), 1, { m: 1, k: 2, n: 1 }, "f32", config);
 * assert.deepEqual(Array.from(p.oi), [1, 1]);
 * assert.deepEqual(Array.from(p.codes), [127, 0]);
 * assert.deepEqual(Array.from(p.wo), [3]);
 * ```
 */
export function prepareInt8(
  w: Float32Array,
  calib: Float32Array,
  calibRows: number,
  shape: Shape,
  dtype: DType,
  config: Int8Config,
): Int8Prepared {
  const { k, n } = shape;
  const act = new Float64Array(k);
  for (let r = 0; r < calibRows; r++) {
    for (let j = 0; j < k; j++) act[j] = Math.max(act[j]!, Math.abs(calib[r * k + j]!));
  }
  const wmax = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < n; c++) wmax[j] = Math.max(wmax[j]!, Math.abs(w[j * n + c]!));
  }
  const invS = new Float32Array(k).fill(1);
  if (config.smooth > 0) {
    const a = config.smooth;
    for (let j = 0; j < k; j++) {
      if (act[j]! > 0 && wmax[j]! > 0) {
        const s = Math.min(1e4, Math.max(1e-4, act[j]! ** a / wmax[j]! ** (1 - a)));
        invS[j] = Math.fround(1 / s);
      }
    }
  }
  const outliers: number[] = [];
  let calibAbsMax = 0;
  for (let j = 0; j < k; j++) {
    const smoothed = act[j]! * invS[j]!;
    if (config.outliers === "llm-int8" && smoothed > config.threshold) outliers.push(j);
    else calibAbsMax = Math.max(calibAbsMax, smoothed);
  }
  for (const j of outliers) invS[j] = 0;
  const k4 = Math.ceil(k / 4);
  const codes = new Int8Array(k * n);
  const sw = new Float32Array(n);
  const wq = new Uint32Array(n * k4);
  // Row by row (W is row-major): the per-column maxima, then the codes.
  const amax = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    if (invS[j] === 0) continue;
    const inv = invS[j]!;
    const row = j * n;
    for (let c = 0; c < n; c++) amax[c] = Math.max(amax[c]!, Math.abs(w[row + c]! / inv));
  }
  for (let c = 0; c < n; c++) sw[c] = Math.fround(amax[c]! / 127);
  for (let j = 0; j < k; j++) {
    if (invS[j] === 0) continue;
    const inv = invS[j]!;
    const row = j * n;
    const shift = 8 * (j & 3);
    for (let c = 0; c < n; c++) {
      const q = int8Code(w[row + c]! / inv, sw[c]!);
      codes[row + c] = q;
      wq[c * k4 + (j >> 2)]! |= (q & 0xff) << shift;
    }
  }
  // the outlier rows as stored in `dtype`
  const wo = new Float32Array(outliers.length * n);
  outliers.forEach((j, o) => wo.set(roundToDtype(w.subarray(j * n, j * n + n), dtype), o * n));
  let num = 0;
  let den = 0;
  // outlier rows (invS 0) come in ascending order, as in `wo`
  for (let j = 0, o = 0; j < k; j++) {
    const inv = invS[j]!;
    for (let c = 0; c < n; c++) {
      const v = w[j * n + c]!;
      const hat = inv === 0 ? wo[o * n + c]! : codes[j * n + c]! * sw[c]! / inv;
      num += (hat - v) ** 2;
      den += v * v;
    }
    if (inv === 0) o++;
  }
  return {
    wq,
    codes,
    sw,
    invS,
    oi: new Uint32Array([outliers.length, ...outliers]),
    wo,
    calibAbsMax,
    weightError: den > 0 ? Math.sqrt(num / den) : 0,
  };
}
