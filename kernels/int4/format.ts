/**
 * The packed INT4 weight format: 8 nibbles per u32 along K, per-group scales and zeros.
 *
 * For K×N weights (row-major, `W[k, n]`), with K padded with zero rows to `kPadded`, the next
 * multiple of 8, and groups of `group` consecutive k per column:
 *
 * - `qweight`: u32, (kPadded/8)×N row-major. Word `[r, n]` holds the codes of k = 8r … 8r+7 of
 *   column n, code of k = 8r+i in bits 4i … 4i+3 (i = 0 in the lowest nibble).
 * - `scales`, `zeros`: (kPadded/group)×N row-major in `scaleDtype` (f32 or f16). Zeros are the
 *   integers 0 … 15 stored as floats (exact in both dtypes).
 * - dequantised weight: `w'[k, n] = (q[k, n] − zeros[k/group, n]) · scales[k/group, n]`.
 * - padding rows k ≥ K hold `q = zero`, so they dequantise to exactly 0.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";

/** Largest stored code (uint4). */
export const Q_MAX = 15;

/**
 * INT4 weights in the packed format.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w: Int4Weights = {
 *   k: 8, n: 1, kPadded: 8, group: 8, scaleDtype: "f32",
 *   qweight: new Uint32Array([0x76543210]),
 *   scales: new Float32Array([0.5]), zeros: new Float32Array([8]),
 * };
 * // w'[k] = (q − zero)·scale with q = k: −4, −3.5, …, −0.5
 * assert.deepEqual(Array.from(dequantize(w)), [-4, -3.5, -3, -2.5, -2, -1.5, -1, -0.5]);
 * ```
 */
export interface Int4Weights {
  /** Rows of the original weights (K). */
  k: number;
  /** Columns (N). */
  n: number;
  /** K rounded up to a multiple of 8. */
  kPadded: number;
  /** Consecutive k per scale/zero; divides `kPadded`, multiple of 8. */
  group: number;
  /** Storage dtype of scales and zeros. */
  scaleDtype: DType;
  /** (kPadded/8)×N packed codes. */
  qweight: Uint32Array;
  /** (kPadded/group)×N scales. */
  scales: Float32Array | Float16Array;
  /** (kPadded/group)×N zero points (integers 0 … 15). */
  zeros: Float32Array | Float16Array;
}

/**
 * K rounded up to a multiple of 8 (one u32 holds 8 codes along K).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(padK(100) === 104 && padK(128) === 128);
 * ```
 */
export function padK(k: number): number {
  return Math.ceil(k / 8) * 8;
}

/**
 * Why `group` is not usable for K rows, or null when it is: it must be a multiple of 8 that
 * divides K padded to a multiple of 8.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(groupProblem(128, 4096), null);
 * assert.ok(groupProblem(128, 100)!.includes("104"));
 * ```
 */
export function groupProblem(group: number, k: number): string | null {
  if (!Number.isInteger(group) || group < 8 || group % 8 !== 0) {
    return `must be a positive multiple of 8 (8 codes share a u32 word), got ${group}`;
  }
  const kp = padK(k);
  if (kp % group !== 0) {
    const ok: number[] = [];
    for (let g = 8; g <= kp && ok.length < 8; g += 8) if (kp % g === 0) ok.push(g);
    return `must divide K = ${k} padded to a multiple of 8 (${kp}), got ${group}; ` +
      `groups that divide it: ${ok.join(", ")}${ok.length === 8 ? ", …" : ""}`;
  }
  return null;
}

/**
 * Packs K×N codes (0 … 15, row-major) into (kPadded/8)×N words; missing padding rows get `pad`
 * (per column, or 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const words = packCodes(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 8, 1);
 * assert.equal(words[0], 0x87654321);
 * ```
 */
export function packCodes(codes: Uint8Array, k: number, n: number): Uint32Array {
  const rows = padK(k) / 8;
  const out = new Uint32Array(rows * n);
  for (let kk = 0; kk < k; kk++) {
    const base = (kk >> 3) * n;
    const shift = 4 * (kk & 7);
    for (let c = 0; c < n; c++) {
      const q = codes[kk * n + c]!;
      if (q > Q_MAX) throw new RangeError(`code at (${kk}, ${c}) is ${q}, over ${Q_MAX}`);
      out[base + c] = (out[base + c]! | (q << shift)) >>> 0;
    }
  }
  return out;
}

/**
 * Unpacks (kPadded/8)×N words into kPadded×N codes (row-major), padding rows included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const codes = unpackCodes(new Uint32Array([0x87654321]), 8, 1);
 * assert.ok(codes[0] === 1 && codes[7] === 8);
 * ```
 */
export function unpackCodes(qweight: Uint32Array, kPadded: number, n: number): Uint8Array {
  if (qweight.length !== (kPadded / 8) * n) {
    throw new RangeError(
      `qweight has ${qweight.length} words, expected ${(kPadded / 8) * n} for ${kPadded}×${n}`,
    );
  }
  const out = new Uint8Array(kPadded * n);
  for (let kk = 0; kk < kPadded; kk++) {
    const base = (kk >> 3) * n;
    const shift = 4 * (kk & 7);
    for (let c = 0; c < n; c++) out[kk * n + c] = (qweight[base + c]! >>> shift) & 0xf;
  }
  return out;
}

/**
 * A float array in the storage dtype of scales and zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(scaleArray(4, "f16") instanceof Float16Array);
 * ```
 */
export function scaleArray(length: number, dtype: DType): Float32Array | Float16Array {
  return dtype === "f16" ? new Float16Array(length) : new Float32Array(length);
}

/**
 * Rounds a value to what the scale storage dtype holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(roundScale(0.1, "f32"), Math.fround(0.1));
 * ```
 */
export function roundScale(v: number, dtype: DType): number {
  return dtype === "f16" ? Math.f16round(v) : Math.fround(v);
}

/**
 * The dequantised weights as a kPadded×N f64 matrix (row-major; exact: (q − zero)·scale).
 * Meant for tests and small shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = dequantize({
 *   k: 8, n: 1, kPadded: 8, group: 8, scaleDtype: "f32",
 *   qweight: new Uint32Array([0x76543210]),
 *   scales: new Float32Array([0.5]), zeros: new Float32Array([8]),
 * });
 * assert.ok(w[0] === -4 && w[7] === -0.5);
 * ```
 */
export function dequantize(w: Int4Weights): Float64Array {
  const { kPadded, n, group } = w;
  const codes = unpackCodes(w.qweight, kPadded, n);
  const out = new Float64Array(kPadded * n);
  for (let kk = 0; kk < kPadded; kk++) {
    const g = Math.floor(kk / group) * n;
    for (let c = 0; c < n; c++) {
      out[kk * n + c] = (codes[kk * n + c]! - w.zeros[g + c]!) * w.scales[g + c]!;
    }
  }
  return out;
}

/**
 * Bytes of the packed format: codes, scales and zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(packedBytes(4096, 14336, 128, "f16"), 4096 * 14336 / 2 + 2 * 32 * 14336 * 2);
 * ```
 */
export function packedBytes(kPadded: number, n: number, group: number, scaleDtype: DType): number {
  const sb = scaleDtype === "f16" ? 2 : 4;
  return (kPadded / 8) * n * 4 + 2 * (kPadded / group) * n * sb;
}
