/**
 * The INT4 kernel's tuning candidates: the GEMV's K slices, columns per workgroup and unroll in
 * place of the K-slice doublings fitted on one GPU; the GEMM's tiles. The tuner (docs/tuning.md)
 * times them on the device.
 *
 * @module
 */

import type { DType, Params, Shape } from "../../harness/types.ts";
import { GEMM_TILES } from "../dense/gemm_wgsl.ts";
import type { Int4Config } from "./params.ts";

/**
 * Candidates beside the shipped default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Int4Config } from "./params.ts";
 * const gemv = { layout: { variant: "gemv" } } as unknown as Int4Config;
 * const c = int4TuneCandidates({ m: 1, k: 4096, n: 4096 }, "f16", gemv);
 * assert.ok(c.some((t) => t.gemvSlices === "64") && c.some((t) => t.gemvUnroll === "2"));
 * assert.ok(!int4TuneCandidates({ m: 16, k: 4096, n: 4096 }, "f16", gemv).some((t) => t.variant));
 * const gemm = { layout: { variant: "gemm" } } as unknown as Int4Config;
 * assert.ok(int4TuneCandidates({ m: 16, k: 64, n: 64 }, "f32", gemm).every((t) => t.tile === "16x64"));
 * ```
 */
export function int4TuneCandidates(shape: Shape, _dtype: DType, config: Int4Config): Params[] {
  if (config.layout.variant === "gemv") {
    return [
      { gemvSlices: "16" },
      { gemvSlices: "32" },
      { gemvSlices: "64" },
      { gemvCols: "8" },
      { gemvCols: "16" },
      { gemvUnroll: "4" },
      // at M ≤ 2 the default may itself take 4 rows a step: 2 stays a candidate
      ...(shape.m <= 2 ? [{ gemvUnroll: "2" }] : []),
    ];
  }
  return Object.entries(GEMM_TILES).filter(([, t]) => t.bm <= shape.m).map(([tile]) => ({ tile }));
}
