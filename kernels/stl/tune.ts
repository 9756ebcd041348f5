/**
 * The STL kernel's tuning candidates: the r-batched GEMM's workgroup tile. The tuner
 * (docs/tuning.md) times them on the device.
 *
 * @module
 */

import type { DType, Params, Shape } from "../../harness/types.ts";
import { GEMM_TILES } from "../dense/gemm_wgsl.ts";

/**
 * Candidates beside the shipped default: each GEMM tile whose BM fits the tile-space rows M/t.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(stlTuneCandidates({ m: 128, k: 64, n: 64 }, "f32", { t: 2 }), [
 *   { gemmTile: "64x128" },
 *   { gemmTile: "64x64" },
 *   { gemmTile: "32x64" },
 *   { gemmTile: "16x64" },
 * ]);
 * ```
 */
export function stlTuneCandidates(
  shape: Shape,
  _dtype: DType,
  config: { t: number },
): Params[] {
  const rows = Math.ceil(shape.m / config.t);
  return Object.entries(GEMM_TILES)
    .filter(([, tile]) => tile.bm <= rows)
    .map(([gemmTile]) => ({ gemmTile }));
}
