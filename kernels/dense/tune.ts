/**
 * The dense kernel's tuning candidates: the GEMM tiles a shape can fill, the default tile with
 * double-buffered or 32-deep slabs (and, in packed halves, longer carries), split-K halved and
 * doubled; the GEMV's workgroup shapes and column widths. The tuner (docs/tuning.md) times them on
 * the device.
 *
 * @module
 */

import { DEFAULT_SHADER_LIMITS } from "../../harness/kernel.ts";
import type { DType, Params, Shape } from "../../harness/types.ts";
import { DENSE_EXTRA_TILES, GEMM_TILES, gemmWorkgroupBytes } from "./gemm_wgsl.ts";
import type { DenseConfig } from "./mod.ts";

/**
 * Candidates beside the shipped default.
 *
 * GEMM: every other tile whose BM is at most M (the shape fills it; none below BM = 64 from
 * M = 1024 on, or from M = 64 when N ≥ 1024) but 128×128; the default tile with the other
 * combinations of one or two workgroup buffers and BK = 16 or 32 (where they fit 48 KiB of
 * workgroup memory); with `math: f16x2`, half partials carried every 16 rows of K (every 8
 * where auto picked 16), and every 32 with BK = 32, and the slabs staged as `vec4<f16>` where the
 * default stages them as pairs (`gemm_pairs.ts`); split-K halved when the default splits,
 * doubled while the grid holds fewer than ~4 workgroups a multiprocessor of a large GPU; the default tile with its threads
 * in 8×4 blocks of 32 (`lanes`), with slabs as arrays of K rows (`slabs`), and with all three of
 * rows, two buffers and 8×4 lanes; the X slab shifted or not (`xSkew`), whichever auto did not
 * pick (not for the `vec4<f16>` staging). Combinations that exceed 48 KiB are left out: with the
 * shifted slab, 128×64 at BK = 32 with two buffers (49376 bytes).
 *
 * GEMV: the workgroup geometries 8 column groups × 32 K slices, 8 × 64, 4 × 64 and 2 × 128 at 4
 * columns a thread and (N divisible by 8) at 8, but the one `auto` picked (fewer columns a
 * workgroup: more workgroups, shorter rows of W each); 8 rows of K loaded together; in f16 native
 * `vec4<f16>` loads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = denseTuneCandidates({ m: 64, k: 256, n: 256 }, "f32", {
 *   variant: "gemm", f16io: "packed", tile: "64x64", splitK: 1,
 * });
 * assert.deepEqual(c.map((t) => t.tile), [
 *   "64x128", "32x64", "16x64", "64x64", "64x64", "64x64", "64x64", "64x64", "64x64", undefined,
 *   undefined,
 * ]);
 * assert.deepEqual(c.at(-2), { xSkew: "on" }); // the X slab shifted, which auto did not pick
 * assert.deepEqual(c[3], { tile: "64x64", buffers: "2" });
 * assert.deepEqual(c.at(-1), { splitK: "2" }); // 16 workgroups: K is split further
 * // 128x128 is never a candidate, in f32 or packed-half arithmetic
 * const big = { m: 4096, k: 4096, n: 4096 };
 * const cfg = { variant: "gemm", f16io: "packed", tile: "64x128", splitK: 1 } as const;
 * assert.ok(!denseTuneCandidates(big, "f16", { ...cfg, math: "f16x2" }).some((t) => t.tile === "128x128"));
 * assert.ok(!denseTuneCandidates(big, "f16", cfg).some((t) => t.tile === "128x128"));
 * assert.ok(!denseTuneCandidates(big, "f16", cfg).some((t) => t.f16io === "native"));
 * assert.equal(denseTuneCandidates({ m: 1, k: 8, n: 8 }, "f16", {
 *   variant: "gemv", f16io: "packed", cols: 2, slices: 128,
 * }).length, 9);
 * ```
 */
export function denseTuneCandidates(shape: Shape, dtype: DType, config: DenseConfig): Params[] {
  if (config.variant === "gemv") {
    const widths = shape.n % 8 === 0 ? ["4", "8"] : ["4"];
    const own = `${config.width ?? 4}/${config.cols}/${config.slices}`;
    // The workgroup geometries (column groups × K slices) at each width, but the one auto picked.
    const out: Params[] = widths.flatMap((w) =>
      [["8", "32"], ["8", "64"], ["4", "64"], ["2", "128"]]
        .filter(([c, s]) => `${w}/${c}/${s}` !== own)
        .map(([c, s]) => ({ gemvWidth: w, gemvCols: c, gemvSlices: s }))
    );
    out.push({ gemvUnroll: "8" });
    if (dtype === "f16") out.push({ f16io: "native" });
    return out;
  }
  const tiles = { ...GEMM_TILES, ...DENSE_EXTRA_TILES };
  const minBm = shape.m >= 1024 || (shape.m >= 64 && shape.n >= 1024) ? 64 : 0;
  const half = config.math === "f16x2";
  // 128x128 (8x8 a thread) lost to 64x128 on every shape tuned on an H200, in f32 and in packed
  // halves alike (docs/tuning.md).
  const out: Params[] = Object.entries(tiles)
    .filter(([name, t]) =>
      t.bm <= shape.m && t.bm >= minBm && name !== config.tile && name !== "128x128"
    )
    .map(([tile]) => ({ tile }));
  const tile = tiles[config.tile]!;
  const limit = DEFAULT_SHADER_LIMITS.maxComputeWorkgroupStorageSize;
  const ownBuffers = config.buffers ?? 1;
  for (const [bk, buffers] of [[16, 1], [16, 2], [32, 1], [32, 2]] as const) {
    if (bk === (config.bk ?? 16) && buffers === ownBuffers) continue;
    const { halfStage, rows, skew } = config;
    const bytes = gemmWorkgroupBytes({ ...tile, bk }, half, buffers, halfStage, rows, skew);
    if (bytes > limit) continue;
    out.push({
      tile: config.tile,
      ...(bk === 32 ? { bk: "32" } : {}),
      ...(buffers === 2 || ownBuffers === 2 ? { buffers: String(buffers) } : {}),
    });
  }
  out.push(
    { tile: config.tile, lanes: "8x4" },
    { tile: config.tile, slabs: "rows" },
    { tile: config.tile, slabs: "rows", buffers: "2", lanes: "8x4" },
    // The X slab shifted or not, whichever auto did not pick (not for the vec4<f16> staging).
    ...(!half || config.halfStage ? [{ xSkew: config.skew ? "off" : "on" }] : []),
  );
  if (half) {
    out.push({ halfCarry: config.halfCarry === 16 ? "8" : "16" }, { bk: "32", halfCarry: "32" });
    // The vec4<f16> staging the pairs staging replaced.
    if (config.halfStage) out.push({ halfStage: "vec4" });
  }
  // Split-K for grids that cannot fill a large GPU (fewer than ~4 workgroups a multiprocessor).
  const s = config.splitK;
  const groups = Math.ceil(shape.m / tile.bm) * Math.ceil(shape.n / tile.bn);
  if (s > 1) out.push({ splitK: s > 2 ? String(s / 2) : "1" });
  if (groups * s < 528 && s < 32 && shape.k / (s * 2) >= 128) {
    out.push({ splitK: String(s * 2) });
  }
  return out;
}
