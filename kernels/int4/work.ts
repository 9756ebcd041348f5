/**
 * Which int4 code path a case takes, and what it executes and moves (FLOPs, bytes, storage).
 *
 * @module
 */

import type { WorkModel } from "../../harness/kernel.ts";
import { paramOr } from "../../harness/kernel.ts";
import { dtypeBytes } from "../../harness/gpu/buffers.ts";
import type { DType, Params, Shape } from "../../harness/types.ts";
import { autoTile, GEMM_TILES } from "../dense/gemm_wgsl.ts";
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
 * const l = int4Layout({ m: 1, k: 4096, n: 14336 }, { group: 128 }, "f32");
 * console.assert(l.variant === "gemv");
 * ```
 */
export type Int4Layout =
  | { variant: "gemv"; gemv: Int4GemvOptions }
  | { variant: "gemm"; gemm: Int4GemmOptions; tileName: string };

/**
 * The GEMV arithmetic a case runs (`gemvMath`): as given, or for "auto" `f16x2` with f16
 * activations at M ≤ 3 (X is halves already and the shader needs `shader-f16` anyway; above
 * M = 3 the per-weight dequantisation path was not faster in halves on an H100) and `f32`
 * otherwise: f32 activations keep f32 arithmetic unless asked.
 *
 * @example
 * ```ts
 * console.assert(gemvMath({}, "f16", 1) === "f16x2" && gemvMath({}, "f16", 16) === "f32");
 * console.assert(gemvMath({}, "f32", 1) === "f32");
 * console.assert(gemvMath({ gemvMath: "f16x2" }, "f32", 16) === "f16x2");
 * ```
 */
export function gemvMath(params: Params, dtype: DType, m: number): GemvMath {
  const v = paramOr(params, "gemvMath", "auto");
  if (v === "auto") return dtype === "f16" && m <= 3 ? "f16x2" : "f32";
  return v as GemvMath;
}

/**
 * The explicit GEMV geometry a case asks for (`gemvSlices`, `gemvUnroll`, `gemvCols`, `gemvCpt`,
 * `gemvAccs`, `gemvStageX`, `gemvFanIn`, `gemvPrefetch`, `gemvWideLoads`, `gemvXAhead`; "auto" is
 * left to `chooseGemv`).
 *
 * @example
 * ```ts
 * console.assert(gemvTuning({ gemvSlices: "64", gemvUnroll: "auto" }).slices === 64);
 * ```
 */
export function gemvTuning(params: Params): Int4GemvTuning {
  const pick = (name: string): number | undefined => {
    const v = paramOr(params, name, "auto");
    return v === "auto" ? undefined : Number(v);
  };
  const onOff = (name: string): boolean | undefined =>
    ({ on: true, off: false } as Record<string, boolean>)[paramOr(params, name, "auto")];
  return {
    slices: pick("gemvSlices"),
    unroll: pick("gemvUnroll"),
    cols: pick("gemvCols"),
    cpt: pick("gemvCpt") as Int4GemvTuning["cpt"],
    accs: pick("gemvAccs") as Int4GemvTuning["accs"],
    stageX: onOff("gemvStageX"),
    fanIn: pick("gemvFanIn"),
    prefetch: pick("gemvPrefetch") as Int4GemvTuning["prefetch"],
    wideLoads: onOff("gemvWideLoads"),
    xAhead: onOff("gemvXAhead"),
  };
}

/**
 * Resolves `variant` (auto: GEMV when M ≤ 16) and the generator options of a case.
 *
 * @example
 * ```ts
 * const l = int4Layout({ m: 128, k: 256, n: 256 }, { method: "awq", group: 64 }, "f16");
 * console.assert(l.variant === "gemm" && l.gemm.awq);
 * ```
 */
export function int4Layout(shape: Shape, params: Params, dtype: DType): Int4Layout {
  const { m, k, n } = shape;
  const kPadded = padK(k);
  const group = paramOr(params, "group", 128);
  const scaleDtype = paramOr(params, "scaleDtype", "f16") as DType;
  const awq = paramOr(params, "method", "rtn") === "awq";
  const variant = paramOr(params, "variant", "auto");
  if (variant === "gemv" || (variant === "auto" && m <= INT4_GEMV_MAX_M)) {
    return {
      variant: "gemv",
      gemv: chooseGemv(dtype, m, kPadded, n, group, scaleDtype, awq, {
        ...gemvTuning(params),
        math: gemvMath(params, dtype, m),
      }),
    };
  }
  const tileParam = paramOr(params, "tile", "auto");
  const tileName = tileParam === "auto" ? autoTile(m, n) : tileParam;
  return {
    variant: "gemm",
    tileName,
    gemm: { dtype, m, kPadded, n, group, scaleDtype, awq, tile: GEMM_TILES[tileName]! },
  };
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
 * const w = int4Work({ m: 1, k: 4096, n: 14336 }, { group: 128, scaleDtype: "f16" }, "f32");
 * console.assert(w.storedBytes === 4096 * 14336 / 2 + 2 * 32 * 14336 * 2);
 * ```
 */
export function int4Work(shape: Shape, params: Params, dtype: DType): WorkModel {
  const { m, k, n } = shape;
  const layout = int4Layout(shape, params, dtype);
  const { kPadded, group, scaleDtype, awq } = layout.variant === "gemv" ? layout.gemv : layout.gemm;
  const eb = dtypeBytes(dtype);
  const stored = packedBytes(kPadded, n, group, scaleDtype) + (awq ? kPadded * 4 : 0);
  const core = 2 * m * kPadded * n;
  const overhead = layout.variant === "gemv"
    ? gemvOverheadFlops(layout.gemv)
    : gemmOverheadFlops(layout.gemm);
  return {
    flops: { total: core + overhead, core, overhead },
    bytes: stored + (m * k + m * n) * eb,
    paramsStored: kPadded * n + 2 * (kPadded / group) * n + (awq ? kPadded : 0),
    storedBytes: stored,
  };
}
