/**
 * The 2:4 kernel's tuning candidates: the GEMV's K slices and rows of X per weight read, the
 * GEMM's split-K. The tuner (docs/tuning.md) times them on the device.
 *
 * @module
 */

import type { DType, Params, Shape } from "../../harness/types.ts";
import type { Sparse24Config } from "./mod.ts";

/**
 * Candidates beside the shipped default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Sparse24Config } from "./mod.ts";
 * const gemv = { variant: "gemv", gemvRows: 8 } as Sparse24Config;
 * assert.equal(sparse24TuneCandidates({ m: 1, k: 64, n: 64 }, "f32", gemv).length, 4);
 * const gemm = { variant: "gemm" } as Sparse24Config;
 * assert.deepEqual(sparse24TuneCandidates({ m: 64, k: 64, n: 64 }, "f32", gemm), [
 *   { splitK: "1" },
 *   { splitK: "2" },
 *   { splitK: "4" },
 * ]);
 * ```
 */
export function sparse24TuneCandidates(
  _shape: Shape,
  _dtype: DType,
  config: Sparse24Config,
): Params[] {
  if (config.variant === "gemv") {
    return [
      { gemvSlices: "32" },
      { gemvSlices: "64" },
      { gemvSlices: "128" },
      { gemvRows: config.gemvRows === 8 ? "16" : "8" },
    ];
  }
  return [{ splitK: "1" }, { splitK: "2" }, { splitK: "4" }];
}
