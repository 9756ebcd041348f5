/**
 * What an int8 case executes and moves.
 *
 * @module
 */

import { dtypeBytes } from "../../harness/gpu/buffers.ts";
import type { WorkModel } from "../../harness/kernel.ts";
import type { DType, Shape } from "../../harness/types.ts";

/** The work of a case split by arithmetic (for the result's notes). */
export interface Int8OpCounts {
  /** Integer multiply-adds ×2 of the int8 products, K padded to a multiple of 4. */
  intOps: number;
  /** Float ops of the activation pass (scale, |x|, max, divide) and the dequantisation. */
  quantFlops: number;
  /** Float multiply-adds ×2 of the outlier dimensions. */
  outlierFlops: number;
}

/**
 * The operation counts of a case with `outliers` outlier dimensions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = int8OpCounts({ m: 2, k: 6, n: 3 }, 1);
 * assert.equal(c.intOps, 2 * 2 * 8 * 3);
 * assert.equal(c.outlierFlops, 2 * 2 * 1 * 3);
 * ```
 */
export function int8OpCounts(shape: Shape, outliers: number): Int8OpCounts {
  const { m, k, n } = shape;
  const k4 = Math.ceil(k / 4);
  return {
    intOps: 2 * m * 4 * k4 * n,
    // activation pass: x·invS and the max over |x'| (2 per element), x'·invS again and x'/s
    // (2 per element); dequantisation: two multiplies per output.
    quantFlops: 4 * m * k + 2 * m * n,
    outlierFlops: 2 * m * outliers * n,
  };
}

/**
 * FLOPs, bytes and storage of an int8 case with `outliers` outlier dimensions (0 before
 * preparation); `fused` when the GEMV quantises X itself (no codes or scales written and read
 * back through memory).
 *
 * - `flops.core` = the int8 multiply-adds (integer ops, not floating point), `flops.overhead` =
 *   the floating-point ops (activation quantisation, dequantisation, outlier path); `total` their
 *   sum. The fused GEMV quantises X in every workgroup; that repetition is not counted.
 * - `bytes` = X and the per-dimension factors, the activation pass's codes and row scales written
 *   and read back (unless `fused`), the weight codes and scales, the outlier indices and rows, and
 *   the X columns they read, and Y.
 * - `storedBytes` = weight codes (N·⌈K/4⌉ words) + N scales + K factors + outlier indices and
 *   rows in the dtype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = int8Work({ m: 1, k: 4096, n: 4096 }, "f16", 0);
 * assert.equal(w.storedBytes, 4096 * 4096 + 4096 * 4 + 4096 * 4 + 4);
 * ```
 */
export function int8Work(
  shape: Shape,
  dtype: DType,
  outliers: number,
  fused = false,
): WorkModel {
  const { m, k, n } = shape;
  const eb = dtypeBytes(dtype);
  const k4 = Math.ceil(k / 4);
  const c = int8OpCounts(shape, outliers);
  const stored = n * k4 * 4 + n * 4 + k * 4 + (1 + outliers) * 4 + outliers * n * eb;
  const overhead = c.quantFlops + c.outlierFlops;
  return {
    flops: { total: c.intOps + overhead, core: c.intOps, overhead },
    bytes: stored + m * k * eb + (fused ? 0 : 2 * (m * k4 * 4 + m * 4)) + m * outliers * eb +
      m * n * eb,
    paramsStored: k * n + n + k + outliers * n,
    storedBytes: stored,
  };
}
