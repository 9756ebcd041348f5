/**
 * Round-to-nearest (RTN) asymmetric uint4 quantisation, per group of consecutive k per column.
 *
 * For a group with minimum `min` and maximum `max`:
 * `scale = (max − min)/15` (rounded to the scale dtype), `zero = clamp(−round(min/scale), 0, 15)`,
 * `q = clamp(round(w/scale) + zero, 0, 15)`, `w' = (q − zero)·scale`. `round` is round half to
 * even (as PyTorch). A constant group (max = min) gets `scale = |max|/15`, which reproduces the
 * constant (`scale = 1` when it is 0).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { type Int4Weights, padK, Q_MAX, roundScale, scaleArray } from "./format.ts";

/**
 * Rounds half to even (PyTorch's `round`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(roundHalfEven(2.5) === 2 && roundHalfEven(3.5) === 4 && roundHalfEven(-2.5) === -2);
 * ```
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Scale and zero point of a group with range [min, max], the scale rounded to `scaleDtype`.
 * Throws RangeError when the scale does not fit the dtype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { scale, zero } = rtnParams(-1, 2, "f32");
 * assert.ok(scale === Math.fround(0.2) && zero === 5);
 * ```
 */
export function rtnParams(
  min: number,
  max: number,
  scaleDtype: DType,
): { scale: number; zero: number } {
  let scale = roundScale((max - min) / Q_MAX, scaleDtype);
  if (!(scale > 0)) {
    // Constant group (or a range below the dtype's resolution): reproduce the constant.
    scale = roundScale(Math.max(Math.abs(min), Math.abs(max)) / Q_MAX, scaleDtype);
    if (!(scale > 0)) scale = 1;
  }
  if (!Number.isFinite(scale)) {
    throw new RangeError(
      `scaleDtype: ${scaleDtype} cannot hold the scale of a group with range [${min}, ${max}]; ` +
        `use scaleDtype "f32"`,
    );
  }
  const zero = Math.min(Q_MAX, Math.max(0, -roundHalfEven(min / scale)));
  return { scale, zero };
}

/**
 * The code of value `v` in a group with `scale` and `zero`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(rtnCode(0.4, 0.2, 5), 7);
 * ```
 */
export function rtnCode(v: number, scale: number, zero: number): number {
  return Math.min(Q_MAX, Math.max(0, roundHalfEven(v / scale) + zero));
}

/**
 * Options of {@link quantizeRtn}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: RtnOptions = { rowScale: new Float64Array(8).fill(2), clip: null };
 * const w = Float32Array.from({ length: 8 }, (_, i) => i - 4);
 * const scaled = quantizeRtn(w, 8, 1, 8, "f32", o); // quantises 2·W
 * const plain = quantizeRtn(w, 8, 1, 8, "f32");
 * assert.equal(scaled.scales[0], 2 * plain.scales[0]!);
 * ```
 */
export interface RtnOptions {
  /** Multiplies row k of W by `rowScale[k]` before quantising (AWQ's diag(s)·W). */
  rowScale?: Float64Array | null;
  /**
   * Per (group, column) clipping ratio r ≤ 1, (kPadded/group)×N: values are clamped to
   * ±r·max|w| of their group before quantising (AWQ's clipping).
   */
  clip?: Float64Array | null;
}

/**
 * Quantises K×N weights (row-major) with RTN into the packed format.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const q = quantizeRtn(new Float32Array([-1, 0, 1, 2, 0.5, 0.25, -0.5, 1.5]), 8, 1, 8, "f32");
 * assert.ok(q.qweight.length === 1 && q.scales[0] === Math.fround(0.2));
 * ```
 */
export function quantizeRtn(
  w: Float32Array,
  k: number,
  n: number,
  group: number,
  scaleDtype: DType,
  options: RtnOptions = {},
): Int4Weights {
  if (w.length !== k * n) throw new RangeError(`w has ${w.length} values, expected ${k}×${n}`);
  const kPadded = padK(k);
  if (group % 8 !== 0 || kPadded % group !== 0) {
    throw new RangeError(`group: ${group} must be a multiple of 8 dividing ${kPadded}`);
  }
  const groups = kPadded / group;
  const rowScale = options.rowScale ?? null;
  const clip = options.clip ?? null;
  const qweight = new Uint32Array((kPadded / 8) * n);
  const scales = scaleArray(groups * n, scaleDtype);
  const zeros = scaleArray(groups * n, scaleDtype);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const sc = new Float64Array(n);
  const zr = new Float64Array(n);
  for (let g = 0; g < groups; g++) {
    const k0 = g * group;
    const k1 = Math.min(k0 + group, k); // real rows; the last group may end in padding
    lo.fill(Infinity);
    hi.fill(-Infinity);
    for (let kk = k0; kk < k1; kk++) {
      const rs = rowScale ? rowScale[kk]! : 1;
      const base = kk * n;
      for (let c = 0; c < n; c++) {
        const v = w[base + c]! * rs;
        if (v < lo[c]!) lo[c] = v;
        if (v > hi[c]!) hi[c] = v;
      }
    }
    for (let c = 0; c < n; c++) {
      const r = clip ? clip[g * n + c]! : 1;
      if (r < 1) {
        const a = Math.max(Math.abs(lo[c]!), Math.abs(hi[c]!)) * r;
        lo[c] = Math.max(lo[c]!, -a);
        hi[c] = Math.min(hi[c]!, a);
      }
      const p = rtnParams(lo[c]!, hi[c]!, scaleDtype);
      sc[c] = p.scale;
      zr[c] = p.zero;
      scales[g * n + c] = p.scale;
      zeros[g * n + c] = p.zero;
    }
    for (let kk = k0; kk < k0 + group; kk++) {
      const wbase = (kk >> 3) * n;
      const shift = 4 * (kk & 7);
      if (kk >= k1) {
        // Padding rows dequantise to exactly 0.
        for (let c = 0; c < n; c++) {
          qweight[wbase + c] = (qweight[wbase + c]! | (zr[c]! << shift)) >>> 0;
        }
        continue;
      }
      const rs = rowScale ? rowScale[kk]! : 1;
      const base = kk * n;
      for (let c = 0; c < n; c++) {
        let v = w[base + c]! * rs;
        if (v < lo[c]!) v = lo[c]!;
        else if (v > hi[c]!) v = hi[c]!;
        // rtnCode, inlined for speed: clamp(roundHalfEven(v / scale) + zero, 0, 15).
        const x = v / sc[c]!;
        let r = Math.round(x);
        if (r - x === 0.5 && (r & 1) !== 0) r -= 1;
        r += zr[c]!;
        const q = r < 0 ? 0 : r > Q_MAX ? Q_MAX : r;
        qweight[wbase + c] = (qweight[wbase + c]! | (q << shift)) >>> 0;
      }
    }
  }
  return { k, n, kPadded, group, scaleDtype, qweight, scales, zeros };
}
