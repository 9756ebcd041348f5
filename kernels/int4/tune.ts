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
import { WIDE_M_SLICES_FROM } from "./gemv_wgsl.ts";

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
 * // warps of one K slice where enough workgroups remain (M = 16, N = 14336: 112 and 224)
 * const wide = int4TuneCandidates({ m: 16, k: 4096, n: 14336 }, "f16", gemv);
 * assert.equal(wide.filter((t) => t.gemvCols === "32").length, 2);
 * assert.ok(!int4TuneCandidates({ m: 1, k: 4096, n: 14336 }, "f16", gemv).some((t) => t.gemvCols === "32"));
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
      ...wideWarpCandidates(shape),
    ];
  }
  return Object.entries(GEMM_TILES).filter(([, t]) => t.bm <= shape.m).map(([tile]) => ({ tile }));
}

/**
 * From M = `WIDE_M_SLICES_FROM` on (each weight used by many rows of X), geometries whose warps
 * hold 32 column-threads of one K slice: every X load of a warp is then one address, where the
 * default's 8 column-threads a slice make it four. Offered where they leave ≥ 64 workgroups.
 */
function wideWarpCandidates(shape: Shape): Params[] {
  if (shape.m < WIDE_M_SLICES_FROM) return [];
  const out: Params[] = [];
  const cpt = shape.n % 4 === 0 ? 4 : shape.n % 2 === 0 ? 2 : 1;
  if (Math.ceil(shape.n / (32 * cpt)) >= 64) out.push({ gemvCols: "32", gemvSlices: "16" });
  if (cpt === 4 && Math.ceil(shape.n / 64) >= 64) {
    out.push({ gemvCols: "32", gemvCpt: "2", gemvSlices: "16" });
  }
  return out;
}
