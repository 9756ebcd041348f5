/**
 * Which int4 code path a case takes, and what it executes and moves (FLOPs, bytes, storage).
 *
 * @module
 */

import type { WorkModel } from "../../harness/kernel.ts";
import { dtypeBytes } from "../../harness/gpu/buffers.ts";
import type { DType, Shape } from "../../harness/types.ts";
import { autoSplitK, denseAutoTile, GEMM_TILES, usedGemmSplitK } from "../dense/gemm_wgsl.ts";
import { autoHalfCarry } from "../dense/mod.ts";
import { gemmOverheadFlops, type Int4GemmOptions } from "./gemm_wgsl.ts";
import {
  chooseGemv,
  type GemvMath,
  gemvOverheadFlops,
  INT4_GEMV_MAX_M,
  type Int4GemvOptions,
  type Int4GemvTuning,
} from "./gemv_wgsl.ts";
import { packedBytes, padK } from "./format.ts";

/** Variants of the int4 kernel. */
export const INT4_VARIANTS = ["auto", "gemv", "gemm"] as const;

/**
 * A case's resolved code path: the GEMV or GEMM generator options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l: Int4Layout = { variant: "gemm", gemm: {
 *   dtype: "f32", m: 64, kPadded: 64, n: 64, group: 64, scaleDtype: "f16", awq: false,
 *   tile: { bm: 64, bn: 64, bk: 16, tm: 8, tn: 8 },
 * }, tileName: "64x64" };
 * const w = int4Work({ m: 64, k: 64, n: 64 }, { layout: l }, "f32");
 * assert.equal(w.flops.core, 2 * 64 * 64 * 64);
 * ```
 */
export type Int4Layout =
  | { variant: "gemv"; gemv: Int4GemvOptions }
  | { variant: "gemm"; gemm: Int4GemmOptions; tileName: string };

/**
 * What picks an int4 case's code path: the weight format, the `variant` and `tile` knobs, and
 * the GEMV geometry asked for (with the arithmetic resolved).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: Int4Choice = {
 *   group: 128, scaleDtype: "f16", awq: false, variant: "auto", tile: "auto",
 *   tuning: { math: "f32" },
 * };
 * assert.equal(int4Layout({ m: 1, k: 4096, n: 4096 }, "f32", c).variant, "gemv");
 * assert.equal(int4Layout({ m: 128, k: 4096, n: 4096 }, "f32", c).variant, "gemm");
 * ```
 */
export interface Int4Choice {
  group: number;
  scaleDtype: DType;
  awq: boolean;
  /** `auto`, `gemv` or `gemm`. */
  variant: string;
  /** `auto` or a GEMM tile name. */
  tile: string;
  /** The GEMM's K splits: `auto` (the dense GEMM's rule) or a count. */
  splitK?: string;
  tuning: Int4GemvTuning;
  /** The GEMM's arithmetic, resolved (absent: `f32`). */
  gemmMath?: GemvMath;
}

/**
 * Resolves `variant` (auto: GEMV when M ≤ 16) and the generator options of a case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const choice: Int4Choice = {
 *   group: 64, scaleDtype: "f16", awq: true, variant: "auto", tile: "auto", tuning: {},
 * };
 * const l = int4Layout({ m: 128, k: 256, n: 256 }, "f16", choice);
 * assert.ok(l.variant === "gemm" && l.gemm.awq);
 * ```
 */
export function int4Layout(shape: Shape, dtype: DType, choice: Int4Choice): Int4Layout {
  const { m, k, n } = shape;
  const kPadded = padK(k);
  const { group, scaleDtype, awq, variant } = choice;
  if (variant === "gemv" || (variant === "auto" && m <= INT4_GEMV_MAX_M)) {
    return {
      variant: "gemv",
      gemv: chooseGemv(dtype, m, kPadded, n, group, scaleDtype, awq, choice.tuning),
    };
  }
  const half = choice.gemmMath === "f16x2";
  // Both arithmetics take the dense GEMM's rules: its tile (64×128 before 128×128, and on grids
  // short of a wave) and its split-K where M×N leaves the GPU idle.
  const tileName = choice.tile !== "auto" ? choice.tile : denseAutoTile(m, n);
  const tile = GEMM_TILES[tileName]!;
  const auto = choice.splitK === undefined || choice.splitK === "auto";
  const asked = auto ? autoSplitK(m, kPadded, n, tile) : Number(choice.splitK);
  const splitK = usedGemmSplitK(kPadded, asked, tile.bk);
  return {
    variant: "gemm",
    tileName,
    gemm: {
      dtype,
      m,
      kPadded,
      n,
      group,
      scaleDtype,
      awq,
      tile,
      ...(splitK > 1 ? { splitK } : {}),
      ...(half ? { half, halfCarry: autoHalfCarry(splitK, n) } : {}),
    },
  };
}

/**
 * The arithmetic a layout's products run in: the GEMV's `math`, or the GEMM's packed halves.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const choice: Int4Choice = {
 *   group: 64, scaleDtype: "f16", awq: false, variant: "auto", tile: "auto", tuning: {},
 * };
 * const shape = { m: 128, k: 256, n: 256 };
 * assert.equal(int4Arithmetic(int4Layout(shape, "f16", choice)), "f32");
 * assert.equal(int4Arithmetic(int4Layout(shape, "f16", { ...choice, gemmMath: "f16x2" })), "f16x2");
 * ```
 */
export function int4Arithmetic(layout: Int4Layout): "f32" | "f16x2" {
  const half = layout.variant === "gemv" ? layout.gemv.math === "f16x2" : layout.gemm.half === true;
  return half ? "f16x2" : "f32";
}

/**
 * FLOPs, bytes and storage of an int4 case.
 *
 * - `flops.core` = 2·M·kPadded·N (the products the kernel runs, K padded to a multiple of 8);
 *   `flops.overhead` = the floating-point dequantisation work and X products the chosen path
 *   executes (integer masks/shifts not counted): see `gemvOverheadFlops` / `gemmOverheadFlops`.
 * - `bytes` = packed codes + scales + zeros + X + Y (+ the AWQ 1/s table, kPadded f32).
 * - `storedBytes` = packed codes + scales + zeros (+ 1/s); `paramsStored` counts stored values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveInt4 } from "./params.ts";
 * const shape = { m: 1, k: 4096, n: 14336 };
 * const w = int4Work(shape, resolveInt4({ group: 128, scaleDtype: "f16" }, {}, shape, "f32"), "f32");
 * assert.equal(w.storedBytes, 4096 * 14336 / 2 + 2 * 32 * 14336 * 2);
 * ```
 */
export function int4Work(shape: Shape, config: { layout: Int4Layout }, dtype: DType): WorkModel {
  const { m, k, n } = shape;
  const { layout } = config;
  const { kPadded, group, scaleDtype, awq } = layout.variant === "gemv" ? layout.gemv : layout.gemm;
  const eb = dtypeBytes(dtype);
  const stored = packedBytes(kPadded, n, group, scaleDtype) + (awq ? kPadded * 4 : 0);
  const core = 2 * m * kPadded * n;
  const overhead = layout.variant === "gemv"
    ? gemvOverheadFlops(layout.gemv)
    : gemmOverheadFlops(layout.gemm);
  return {
    flops: { total: core + overhead, core, overhead },
    arithmetic: int4Arithmetic(layout),
    bytes: stored + (m * k + m * n) * eb,
    paramsStored: kPadded * n + 2 * (kPadded / group) * n + (awq ? kPadded : 0),
    storedBytes: stored,
  };
}
