/**
 * The dense kernel's tuning candidates: the GEMM tiles a shape can fill and split-K off, the f16
 * GEMV's native loads. The tuner (docs/tuning.md) times them on the device.
 *
 * @module
 */

import type { DType, Params, Shape } from "../../harness/types.ts";
import { GEMM_TILES } from "./gemm_wgsl.ts";
import type { DenseConfig } from "./mod.ts";

/**
 * Candidates beside the shipped default: for the GEMM, every tile whose BM is at most M (the
 * shape fills it) and the default tile without split-K; for the GEMV in f16, native vec4<f16>
 * loads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = denseTuneCandidates({ m: 64, k: 256, n: 256 }, "f32", {
 *   variant: "gemm", f16io: "packed", tile: "64x64", splitK: 1,
 * });
 * assert.deepEqual(c.map((t) => t.tile), ["64x128", "64x64", "32x64", "16x64"]);
 * assert.deepEqual(denseTuneCandidates({ m: 1, k: 8, n: 8 }, "f16", { variant: "gemv", f16io: "packed" }), [
 *   { f16io: "native" },
 * ]);
 * ```
 */
export function denseTuneCandidates(shape: Shape, dtype: DType, config: DenseConfig): Params[] {
  if (config.variant === "gemv") return dtype === "f16" ? [{ f16io: "native" }] : [];
  const out: Params[] = Object.entries(GEMM_TILES)
    .filter(([, t]) => t.bm <= shape.m)
    .map(([tile]) => ({ tile }));
  if (config.splitK > 1) out.push({ splitK: "1" });
  return out;
}
