/**
 * The INT4 kernel's tuning candidates: the GEMV's K slices, columns per workgroup and unroll in
 * place of the K-slice doublings fitted on one GPU; from M = 8 on, the 16-row GEMM with split K
 * beside the GEMV; the GEMM's tiles and their K splits. The tuner (docs/tuning.md) times them on
 * the device.
 *
 * @module
 */

import type { DType, Params, Shape } from "../../harness/types.ts";
import { autoSplitK, GEMM_TILES } from "../dense/gemm_wgsl.ts";
import { padK } from "./format.ts";
import type { Int4Config } from "./params.ts";
import { WIDE_M_SLICES_FROM } from "./gemv_wgsl.ts";

/**
 * Candidates beside the shipped default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Int4Config, resolveInt4 } from "./params.ts";
 * const gemv = { layout: { variant: "gemv" } } as unknown as Int4Config;
 * const c = int4TuneCandidates({ m: 1, k: 4096, n: 4096 }, "f16", gemv);
 * assert.ok(c.some((t) => t.gemvSlices === "64") && c.some((t) => t.gemvUnroll === "2"));
 * assert.ok(c.some((t) => t.gemvSlices === "128"));
 * // at M ≤ 3 also 32, 64 and 128 slices with 4 column-threads (not the column rule's 16 or 8)
 * assert.equal(c.filter((t) => t.gemvCols === "4").length, 3);
 * // from M = 9: 2 columns a thread; in small grids also 2 and 1 with 4 × 128
 * const cpt = (n: number) =>
 *   int4TuneCandidates({ m: 16, k: 4096, n }, "f16", gemv).filter((t) => t.gemvCpt !== undefined);
 * assert.deepEqual(cpt(1024).map((t) => t.gemvCpt), ["2", "2", "1"]);
 * assert.equal(cpt(4096).filter((t) => !t.gemvCols).length, 1);
 * assert.ok(!int4TuneCandidates({ m: 4, k: 4096, n: 4096 }, "f16", gemv).some((t) => t.variant));
 * // from M = 8: the 16-row GEMM with K split 2, 4 and 8 ways (4: the dense rule's, ≥ 528 workgroups)
 * const small = int4TuneCandidates({ m: 16, k: 4096, n: 14336 }, "f16", gemv);
 * assert.deepEqual(small.filter((t) => t.variant).map((t) => t.splitK), ["2", "4", "8"]);
 * // warps of one K slice where enough workgroups remain (M = 16, N = 14336: 112 and 224)
 * const wide = int4TuneCandidates({ m: 16, k: 4096, n: 14336 }, "f16", gemv);
 * assert.equal(wide.filter((t) => t.gemvCols === "32").length, 2);
 * assert.ok(!int4TuneCandidates({ m: 1, k: 4096, n: 14336 }, "f16", gemv).some((t) => t.gemvCols === "32"));
 * // from M = 8 where the f32 arithmetic runs: the GEMV with fewer registers a thread
 * const m16 = resolveInt4({}, {}, { m: 16, k: 4096, n: 14336 }, "f16");
 * assert.ok(int4TuneCandidates({ m: 16, k: 4096, n: 14336 }, "f16", m16).some((t) => t.gemvLean === "on"));
 * const m4 = resolveInt4({}, {}, { m: 4, k: 4096, n: 14336 }, "f16");
 * assert.ok(!int4TuneCandidates({ m: 4, k: 4096, n: 14336 }, "f16", m4).some((t) => t.gemvLean));
 * const gemm = { layout: { variant: "gemm" } } as unknown as Int4Config;
 * assert.ok(int4TuneCandidates({ m: 16, k: 64, n: 64 }, "f32", gemm).every((t) => t.tile === "16x64"));
 * // a short grid (128×1024 in 64×64 tiles: 32 workgroups) also tries the tile with K split
 * const short = int4TuneCandidates({ m: 128, k: 4096, n: 1024 }, "f32", gemm);
 * assert.ok(short.some((t) => t.tile === "64x64" && t.splitK === "16"));
 * ```
 */
export function int4TuneCandidates(shape: Shape, _dtype: DType, config: Int4Config): Params[] {
  if (config.layout.variant === "gemv") {
    return [
      { gemvSlices: "16" },
      { gemvSlices: "32" },
      { gemvSlices: "64" },
      // at M ≤ 3, where the defaults grow the slices in small grids: one more doubling
      ...(shape.m <= 3 ? [{ gemvSlices: "128" }] : []),
      ...fourColumnCandidates(shape),
      { gemvCols: "8" },
      { gemvCols: "16" },
      { gemvUnroll: "4" },
      // at M ≤ 2 the default may itself take 4 rows a step: 2 stays a candidate
      ...(shape.m <= 2 ? [{ gemvUnroll: "2" }] : []),
      ...wideWarpCandidates(shape),
      ...fewColumnCandidates(shape),
      ...leanCandidates(shape, config),
      ...smallGemmCandidates(shape),
    ];
  }
  const out: Params[] = [];
  for (const [tile, t] of Object.entries(GEMM_TILES)) {
    if (t.bm > shape.m) continue;
    out.push({ tile });
    const s = autoSplitK(shape.m, padK(shape.k), shape.n, t);
    if (s > 1) out.push({ tile, splitK: String(s) });
  }
  return out;
}

/**
 * At M ≤ 3: 32, 64 and 128 K slices with 4 column-threads. The slice candidates above change one
 * knob, and the packed-half default's column rule (`halfCols`) then gives 32 slices 16
 * column-threads and 64 or more 8 where the grid allows; in 16 geometries timed back to back on an
 * H100 (`data/runs/h100-2026-12-07-f`), 4 column-threads × 64 slices was the fastest or ranked
 * first isolated at 1×2048×2048 and 1×2048×5632, where 8 × 64 took 1.07× and 1.04× the fastest
 * geometry's time; at 1×5120×13824 (`data/runs/h100-2026-12-07-g`) 4 × 32 took 0.90× the default's
 * 16 × 32 back to back and 0.86× isolated.
 */
function fourColumnCandidates(shape: Shape): Params[] {
  if (shape.m > 3) return [];
  return ["32", "64", "128"].map((gemvSlices) => ({ gemvSlices, gemvCols: "4" }));
}

/** N below which `fewColumnCandidates` adds the 128-slice geometries. */
const FEW_COLUMNS_N_BELOW = 4096;

/**
 * From M = `WIDE_M_SLICES_FROM` on, where a thread holds M × 4 accumulators: 2 columns a thread;
 * and for N below `FEW_COLUMNS_N_BELOW` (fewer than 1024 column-threads of 4 columns: under 2^16
 * threads at the default's 32 or 64 slices) 2 and 1 columns a thread with 4 column-threads × 128
 * slices. At 16×2048×256, 16×4096×1024 and 16×2048×2048 on an H100
 * (`data/runs/h100-2026-12-07-g`), the fastest GEMV geometry took 1 or 2 columns a thread: 0.71×,
 * 0.63× and 0.96× the default's time back to back.
 */
function fewColumnCandidates(shape: Shape): Params[] {
  if (shape.m < WIDE_M_SLICES_FROM || shape.n % 4 !== 0) return [];
  const out: Params[] = [{ gemvCpt: "2" }];
  if (shape.n < FEW_COLUMNS_N_BELOW) {
    for (const gemvCpt of ["2", "1"]) out.push({ gemvCpt, gemvCols: "4", gemvSlices: "128" });
  }
  return out;
}

/**
 * From M = {@link SMALL_GEMM_FROM} on, where the f32 arithmetic runs: the GEMV with fewer
 * registers a thread (`gemvLean`). At one geometry (8 column-threads × 32 slices, a row a step,
 * M×4096×14336 on an H200) the time grew 12.5 µs from M = 4 to 8 and 43 µs from 8 to 12; the
 * registers a thread then hold (16 accumulators and 8 decoded weights, as vec4s, and 10 group
 * constants at M = 16) likely halve the workgroups a multiprocessor keeps.
 */
function leanCandidates(shape: Shape, config: Int4Config): Params[] {
  const gemv = config.layout.variant === "gemv" ? config.layout.gemv : null;
  if (shape.m < SMALL_GEMM_FROM || !gemv || gemv.math !== "f32" || gemv.lean) return [];
  return [{ gemvLean: "on" }];
}

/** M from which the 16-row GEMM is a candidate beside the GEMV. */
export const SMALL_GEMM_FROM = 8;

/**
 * From M = {@link SMALL_GEMM_FROM} on, the GEMM with the 16-row tile (each dequantised weight
 * used by 16 rows from workgroup memory, 16 accumulators a thread) and K split so that the
 * N/64 column blocks fill the GPU: the split the dense GEMM's rule picks for that tile (at least
 * 528 workgroups where K allows), half and twice it (at least 128 of K a split).
 */
function smallGemmCandidates(shape: Shape): Params[] {
  if (shape.m < SMALL_GEMM_FROM) return [];
  const kp = padK(shape.k);
  const s = autoSplitK(shape.m, kp, shape.n, GEMM_TILES["16x64"]!);
  const splits = [s / 2, s, s * 2].filter((x) => x >= 1 && x <= 32 && kp / x >= 128);
  return splits.map((x) => ({ variant: "gemm", tile: "16x64", splitK: String(x) }));
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
