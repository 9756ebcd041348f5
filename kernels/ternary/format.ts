/**
 * The ternary weight format: absmean quantisation of a dense W to {−1, 0, +1} × a scale per
 * output column (or per group of K rows of a column), packed 2 bits per weight, and the f64
 * reference of the operator the kernels compute.
 *
 * Layout: K is padded with zero weights to `kPadded` = a multiple of 16 (of `group` when grouped). Word `w·N + n` of the
 * `Uint32Array` holds rows 16w … 16w+15 of column n, row 16w + j in bits 2j and 2j+1: code 0 = 0,
 * 1 = +1, 2 = −1 (3 is never written). Scales are stored in the case's dtype, `scales[g·N + n]`
 * for group g of column n (one group of all K rows when `group` is 0, per channel).
 *
 * @module
 */

import { roundToDtype, toDtypeArray } from "../../harness/gpu/buffers.ts";
import type { DType, Shape } from "../../harness/types.ts";

/** Workgroup memory the staged chunk (lut tables or X) and the slice reduction fit in (WebGPU's default). */
export const TERNARY_WORKGROUP_BYTES = 16384;

/** K rows per packed u32 word. */
export const ROWS_PER_WORD = 16;

/**
 * K padded to a whole number of packed words, and of scale groups when `group` > 0 (a multiple
 * of 16).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(ternaryPadK(100, 0), 112);
 * assert.equal(ternaryPadK(100, 64), 128);
 * ```
 */
export function ternaryPadK(k: number, group: number): number {
  const unit = group === 0 ? ROWS_PER_WORD : group;
  return Math.ceil(k / unit) * unit;
}

/**
 * Scale groups per column: 1 per channel (`group` 0), else ⌈K / group⌉.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(scaleGroups(100, 0), 1);
 * assert.equal(scaleGroups(100, 32), 4);
 * ```
 */
export function scaleGroups(k: number, group: number): number {
  return group === 0 ? 1 : Math.ceil(k / group);
}

/** A prepared ternary weight: packed codes, stored scales, and quantisation facts. */
export interface TernaryPrepared {
  /** (kPadded/16)·N packed words (see the module's layout). */
  codes: Uint32Array;
  /** groups·N scales in the storage dtype. */
  scales: Float32Array | Float16Array;
  /** K padded to a multiple of the scale group (of 16 rows, a word, when per channel). */
  kPadded: number;
  /** 0 (per channel) or K rows per scale group. */
  group: number;
  /** Fraction of weights quantised to 0. */
  zeros: number;
  /** ‖W − q·s‖_F / ‖W‖_F with the stored scales. */
  quantError: number;
}

/**
 * Absmean quantisation (BitNet b1.58): per column and group, s = mean |W| over the group's rows,
 * q = clamp(round(W / s), −1, 1) (ties rounded up, as `Math.round`); s is then stored in `dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // one column, K = 4: s = mean(|0.9|, |0.1|, |−1.5|, |0.5|) = 0.75
 * const p = quantizeTernary(new Float32Array([0.9, 0.1, -1.5, 0.5]), { m: 1, k: 4, n: 1 }, 0, "f32");
 * assert.equal(p.scales[0], 0.75);
 * assert.deepEqual(Array.from(decodeCodes(p, 4, 1)), [1, 0, -1, 1]);
 * ```
 */
export function quantizeTernary(
  w: Float32Array,
  shape: Shape,
  group: number,
  dtype: DType,
): TernaryPrepared {
  const { k, n } = shape;
  const kPadded = ternaryPadK(k, group);
  const groups = scaleGroups(k, group);
  const rowsPer = group === 0 ? k : group;
  const codes = new Uint32Array((kPadded / ROWS_PER_WORD) * n);
  // Row by row (W is row-major): each column's sums still run over its rows in order.
  const sums = new Float64Array(groups * n); // then the means
  for (let r = 0; r < k; r++) {
    const at = Math.floor(r / rowsPer) * n;
    const row = r * n;
    for (let col = 0; col < n; col++) sums[at + col]! += Math.abs(w[row + col]!);
  }
  for (let g = 0; g < groups; g++) {
    const count = Math.min(k, (g + 1) * rowsPer) - g * rowsPer;
    for (let col = 0; col < n; col++) sums[g * n + col]! /= count;
  }
  const raw = Float32Array.from(sums);
  const sf = roundToDtype(raw, dtype);
  let zeros = 0;
  let err = 0;
  let norm = 0;
  for (let r = 0; r < k; r++) {
    const at = Math.floor(r / rowsPer) * n;
    const row = r * n;
    const word = Math.floor(r / ROWS_PER_WORD) * n;
    const shift = 2 * (r % ROWS_PER_WORD);
    for (let col = 0; col < n; col++) {
      const v = w[row + col]!;
      const s = sums[at + col]!;
      // clamp(round(v / s), −1, 1), with Math.round's ties: 0.5 → 1, −0.5 → 0; NaN (an infinite
      // W) stays NaN: code 0, not counted as a zero
      const t = s > 0 ? v / s : 0;
      const q = t >= 0.5 ? 1 : t < -0.5 ? -1 : t === t ? 0 : NaN;
      if (q === 0) zeros++;
      codes[word + col]! |= (q === 1 ? 1 : q === -1 ? 2 : 0) << shift;
      const d = v - q * sf[at + col]!;
      err += d * d;
      norm += v * v;
    }
  }
  return {
    codes,
    scales: toDtypeArray(raw, dtype),
    kPadded,
    group,
    zeros: zeros / (k * n),
    quantError: norm > 0 ? Math.sqrt(err / norm) : 0,
  };
}

/**
 * The packed codes re-encoded as offset binary, value + 1 (−1 = 0, 0 = 1, +1 = 2; padding rows
 * 1): the multiply-add GEMV's operand (its float decode needs value + 1 in each field), so that no
 * thread re-encodes a word it reads. The same 2 bits a weight. `order`: `rows` keeps row 16w + j in
 * field j; `pairs` puts the even rows of a word in its low half-word and the odd rows in the high
 * one (row 16w + 2p in field p, row 16w + 2p + 1 in field 8 + p), so that the packed-half decode's
 * pair p (field p of both halves) meets X's adjacent pair (x_2p, x_2p+1). `bytes` puts row
 * 16w + 4b + i in field 4i + b, so that `(word >> 2b) & 0x03030303` holds rows 4b … 4b + 3 in its
 * bytes, lowest first, as a packed int8 word of X holds four consecutive values (the dp4a GEMV).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // rows 0…2: +1, −1, 0; rows 3…15: 0
 * const o = offsetCodes(new Uint32Array([0b001001]))[0]!;
 * assert.deepEqual([0, 1, 2, 3, 15].map((j) => (o >>> (2 * j)) & 3), [2, 0, 1, 1, 1]);
 * const p = offsetCodes(new Uint32Array([0b001001]), "pairs")[0]!;
 * // row 0 in field 0, row 1 in field 8, row 2 in field 1
 * assert.deepEqual([0, 8, 1, 9, 15].map((f) => (p >>> (2 * f)) & 3), [2, 0, 1, 1, 1]);
 * // rows 0, 1, 2 in fields 0, 4, 8: the low byte of the word holds row 0, the next row 1, …
 * const b = offsetCodes(new Uint32Array([0b001001]), "bytes")[0]!;
 * assert.equal(b & 0x03030303, 0x01010002);
 * ```
 */
export function offsetCodes(
  codes: Uint32Array,
  order: "rows" | "pairs" | "bytes" = "rows",
): Uint32Array {
  const lo = 0x55555555;
  const offset = (q: number) => (((q & lo) << 1) | (~(q | (q >>> 1)) & lo)) >>> 0;
  if (order === "rows") return codes.map(offset);
  const fieldOf = order === "pairs"
    ? (r: number) => (r % 2 === 0 ? r / 2 : 8 + (r - 1) / 2)
    : (r: number) => 4 * (r % 4) + Math.floor(r / 4);
  return codes.map((q) => {
    const o = offset(q);
    let out = 0;
    for (let r = 0; r < ROWS_PER_WORD; r++) out |= ((o >>> (2 * r)) & 3) << (2 * fieldOf(r));
    return out >>> 0;
  });
}

/**
 * The K×N ternary values {−1, 0, +1} of packed codes (rows < K only).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = { codes: new Uint32Array([0b1001]), kPadded: 16 };
 * assert.deepEqual(Array.from(decodeCodes(p, 3, 1)), [1, -1, 0]);
 * ```
 */
export function decodeCodes(p: { codes: Uint32Array }, k: number, n: number): Int8Array {
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) {
    const word = Math.floor(r / ROWS_PER_WORD) * n;
    const shift = 2 * (r % ROWS_PER_WORD);
    const row = r * n;
    for (let col = 0; col < n; col++) {
      const c = (p.codes[word + col]! >>> shift) & 3;
      q[row + col] = c === 1 ? 1 : c === 2 ? -1 : 0;
    }
  }
  return q;
}

/**
 * Rows of Y = X·(q·s) in f64: X rounded to the storage dtype, q decoded from the packed codes,
 * s the stored scales (per column, or per group of K rows of a column).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 4, n: 1 };
 * const p = quantizeTernary(new Float32Array([0.9, 0.1, -1.5, 0.5]), shape, 0, "f32");
 * const y = ternaryReference(new Float32Array([1, 2, 3, 4]), p, shape, "f32", [0]);
 * assert.equal(y[0], 0.75 * (1 - 3 + 4));
 * ```
 */
export function ternaryReference(
  x: Float32Array,
  p: TernaryPrepared,
  shape: Shape,
  dtype: DType,
  rows: readonly number[],
): Float64Array {
  const { k, n } = shape;
  const xr = roundToDtype(x, dtype);
  const q = decodeCodes(p, k, n);
  const s = new Float64Array(p.scales);
  const groups = scaleGroups(k, p.group);
  const rowsPer = p.group === 0 ? k : p.group;
  const y = new Float64Array(rows.length * n);
  const part = new Float64Array(n);
  rows.forEach((row, i) => {
    for (let g = 0; g < groups; g++) {
      part.fill(0);
      for (let r = g * rowsPer; r < Math.min(k, (g + 1) * rowsPer); r++) {
        const xv = xr[row * k + r]!;
        for (let col = 0; col < n; col++) part[col]! += xv * q[r * n + col]!;
      }
      for (let col = 0; col < n; col++) y[i * n + col]! += part[col]! * s[g * n + col]!;
    }
  });
  return y;
}
