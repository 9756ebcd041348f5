/**
 * Ternary layers whose codes and scales are given (a converted or quantisation-aware-trained
 * model), packed into the kernels' format (format.ts) with no quantisation step.
 *
 * @module
 */

import { roundToDtype, toDtypeArray } from "../../harness/gpu/buffers.ts";
import type { DType } from "../../harness/types.ts";
import { ROWS_PER_WORD, scaleGroups, ternaryPadK, type TernaryPrepared } from "./format.ts";

/** Given ternary weights: K×N codes in {−1, 0, +1} and ⌈K/group⌉×N scales (group 0: 1×N). */
export interface GivenTernary {
  /** K rows a scale (0: per column). */
  group: number;
  /** K×N codes, row-major. */
  codes: Int8Array;
  /** Scales, row-major by group. */
  scales: Float32Array;
}

/**
 * The prepared ternary layer for K×N given weights: codes packed 16 along K per u32 (padding
 * rows 0), scales stored in `dtype`; `zeros` and `quantError` (against codes·scales in f32:
 * the rounding of the scales to the dtype) computed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeCodes } from "./format.ts";
 * const p = givenTernaryPrepared(3, 1, {
 *   group: 0, codes: new Int8Array([1, -1, 0]), scales: new Float32Array([0.5]),
 * }, "f32");
 * assert.deepEqual([...decodeCodes(p, 3, 1)], [1, -1, 0]);
 * assert.equal(p.kPadded, 16);
 * ```
 */
export function givenTernaryPrepared(
  k: number,
  n: number,
  q: GivenTernary,
  dtype: DType,
): TernaryPrepared {
  const groups = scaleGroups(k, q.group);
  if (q.codes.length !== k * n) {
    throw new RangeError(`ternary.codes: ${q.codes.length} values, expected ${k * n}`);
  }
  if (q.scales.length !== groups * n) {
    throw new RangeError(`ternary.scales: ${q.scales.length} values, expected ${groups * n}`);
  }
  const kPadded = ternaryPadK(k, q.group);
  const codes = new Uint32Array((kPadded / ROWS_PER_WORD) * n);
  let zeros = 0;
  let err = 0;
  let norm = 0;
  const stored = roundToDtype(q.scales, dtype);
  for (let r = 0; r < k; r++) {
    const g = q.group === 0 ? 0 : Math.floor(r / q.group);
    for (let c = 0; c < n; c++) {
      const v = q.codes[r * n + c]!;
      if (v === 0) zeros++;
      const code = v === 1 ? 1 : v === -1 ? 2 : 0;
      codes[Math.floor(r / ROWS_PER_WORD) * n + c]! |= code << (2 * (r % ROWS_PER_WORD));
      const w = v * q.scales[g * n + c]!;
      err += (w - v * stored[g * n + c]!) ** 2;
      norm += w * w;
    }
  }
  return {
    codes,
    scales: toDtypeArray(q.scales, dtype),
    kPadded,
    group: q.group,
    zeros: zeros / (k * n),
    quantError: norm > 0 ? Math.sqrt(err / norm) : 0,
  };
}
