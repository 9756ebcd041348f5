/**
 * INT4 parameters: what is measured (`method`, `group`, `scaleDtype`, `clip`, `searchCols`,
 * `gemvMath`, `gemmMath`), the tuning knobs (variant, tile and the GEMV geometry), and their resolution into
 * one {@link Int4Config} per case.
 *
 * @module
 */

import { ParamError, type ParamSpec, resolveParams } from "../../harness/kernel.ts";
import type { DType, Params, Shape } from "../../harness/types.ts";
import { GEMM_TILES } from "../dense/gemm_wgsl.ts";
import { groupProblem } from "./format.ts";
import { GEMV_MATHS, type GemvMath, INT4_GEMV_MAX_M, type Int4GemvTuning } from "./gemv_wgsl.ts";
import { INT4_METHODS, type Int4Method } from "./prepare.ts";
import { INT4_VARIANTS, type Int4Layout, int4Layout } from "./work.ts";

/**
 * Public parameters of the int4 kernel: what is measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(INT4_PARAMS.method!.type, "enum");
 * ```
 */
export const INT4_PARAMS: Record<string, ParamSpec> = {
  method: {
    type: "enum",
    values: INT4_METHODS,
    default: "rtn",
    doc: "rtn (round to nearest) or awq (activation-aware channel scaling, calibrated)",
  },
  group: {
    type: "int",
    min: 8,
    default: 128,
    doc: "weights per scale/zero along K: a multiple of 8 dividing K padded to a multiple of 8",
  },
  scaleDtype: {
    type: "enum",
    values: ["f16", "f32"],
    default: "f16",
    doc: "storage of scales and zeros",
  },
  clip: {
    type: "bool",
    default: false,
    doc: "awq only: per (group, column) clipping search on the calibration rows",
  },
  searchCols: {
    type: "int",
    min: 0,
    default: 128,
    doc: "awq: output columns (seeded sample) the a-search evaluates; 0 = all",
  },
  gemvMath: {
    type: "enum",
    values: ["auto", ...GEMV_MATHS],
    default: "auto",
    doc: "GEMV arithmetic: f32, or f16x2 (packed halves, f16 partial sums carried into f32; " +
      "needs shader-f16, f16 tolerance); auto = f16x2 for f16 activations at M ≤ 3, else f32",
  },
  gemmMath: {
    type: "enum",
    values: ["auto", ...GEMV_MATHS],
    default: "auto",
    doc:
      "GEMM arithmetic: f32, or f16x2 (X and the dequantised weights as f16 pairs, packed-half " +
      "products carried into f32; needs shader-f16, f16 tolerance); auto = f16x2 for f16 " +
      `activations at M > ${INT4_GEMV_MAX_M}, else f32 (the GEMV's arithmetic there)`,
  },
};

/**
 * Tuning knobs of the int4 kernel (a suite entry's `tune`): the code path and the GEMV geometry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(INT4_TUNE.gemvSlices!.default, "auto");
 * ```
 */
export const INT4_TUNE: Record<string, ParamSpec> = {
  variant: {
    type: "enum",
    values: INT4_VARIANTS,
    default: "auto",
    doc: `gemv (M ≤ ${INT4_GEMV_MAX_M}), gemm, or auto (gemv when M ≤ ${INT4_GEMV_MAX_M})`,
  },
  tile: {
    type: "enum",
    values: ["auto", ...Object.keys(GEMM_TILES)],
    default: "auto",
    doc: "GEMM workgroup tile BMxBN (auto picks by shape)",
  },
  splitK: {
    type: "enum",
    values: ["auto", "1", "2", "4", "8", "16", "32"],
    default: "auto",
    doc: "GEMM K splits (f32 partial planes summed by a second pass); auto = the dense GEMM's rule",
  },
  gemvSlices: {
    type: "enum",
    values: ["auto", "16", "32", "64", "128"],
    default: "auto",
    doc: "GEMV K slices per workgroup (threads = column groups × slices)",
  },
  gemvUnroll: {
    type: "enum",
    values: ["auto", "1", "2", "4", "8", "16"],
    default: "auto",
    doc: "GEMV packed rows loaded per step, one step ahead (must divide group/8)",
  },
  gemvCols: {
    type: "enum",
    values: ["auto", "4", "8", "16", "32"],
    default: "auto",
    doc: "GEMV column-threads per workgroup (each 1–4 columns)",
  },
  gemvCpt: {
    type: "enum",
    values: ["auto", "1", "2", "4"],
    default: "auto",
    doc: "GEMV columns per thread (u32, vec2 or vec4 word loads; must divide N)",
  },
  gemvAccs: {
    type: "enum",
    values: ["auto", "1", "2"],
    default: "auto",
    doc: "GEMV accumulator sets per row (2 halves the dependent FMA chains)",
  },
  gemvStageX: {
    type: "enum",
    values: ["auto", "on", "off"],
    default: "auto",
    doc: "f16x2 GEMV at M ≤ 3: stage X once per workgroup as f16 pairs in workgroup memory; " +
      "auto = on for workgroups of ≥ 256 threads when X takes ≤ 32 KiB there",
  },
  gemvLean: {
    type: "enum",
    values: ["auto", "on", "off"],
    default: "auto",
    doc: "f32-arithmetic GEMV above M = 3: fewer registers a thread (a step's weights decoded " +
      "in two halves, 6 group constants instead of 10); auto = off",
  },
  gemvFanIn: {
    type: "enum",
    values: ["auto", "2", "4", "8"],
    default: "auto",
    doc: "GEMV split-K reduction fan-in: partials summed per barriered step (2 = binary tree); " +
      "auto = 8",
  },
};

/**
 * An int4 case's resolved configuration: what is measured, the GEMV geometry the suite asked
 * for, and the code path with its generator options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = resolveInt4({ group: 64 }, {}, { m: 1, k: 512, n: 96 }, "f16");
 * assert.ok(c.group === 64 && c.layout.variant === "gemv");
 * ```
 */
export interface Int4Config {
  /** rtn (round to nearest) or awq (activation-aware channel scaling, calibrated). */
  method: Int4Method;
  /** Weights per scale/zero along K: a multiple of 8 dividing K padded to a multiple of 8. */
  group: number;
  /** Storage dtype of the scales and zeros. */
  scaleDtype: DType;
  /** awq only: per (group, column) clipping search on the calibration rows. */
  clip: boolean;
  /** awq: output columns (a seeded sample) the α-search evaluates; 0 = all. */
  searchCols: number;
  /** `gemvMath` as asked: `auto`, `f32` or `f16x2`. */
  gemvMath: string;
  /** `gemmMath` as asked: `auto`, `f32` or `f16x2`. */
  gemmMath: string;
  /** The GEMV geometry asked for in `tune` (what is left out is chosen by shape). */
  tuning: Int4GemvTuning;
  /** The code path and its generator options. */
  layout: Int4Layout;
}

/**
 * The GEMV arithmetic a case runs (`gemvMath`): as asked, or for "auto" `f16x2` with f16
 * activations at M ≤ 3 (X is halves already and the shader needs `shader-f16` anyway; above
 * M = 3 the per-weight dequantisation path is not faster in halves; experiment `int4-math`) and `f32`
 * otherwise: f32 activations keep f32 arithmetic unless asked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(gemvMath("auto", "f16", 1) === "f16x2" && gemvMath("auto", "f16", 16) === "f32");
 * assert.equal(gemvMath("auto", "f32", 1), "f32");
 * assert.equal(gemvMath("f16x2", "f32", 16), "f16x2");
 * ```
 */
export function gemvMath(asked: string, dtype: DType, m: number): GemvMath {
  if (asked === "auto") return dtype === "f16" && m <= 3 ? "f16x2" : "f32";
  return asked as GemvMath;
}

/**
 * The GEMM arithmetic a case runs (`gemmMath`): as asked, or for "auto" `f16x2` with f16
 * activations where the GEMM is the default path (M > 16; the packed-half GEMM, as the dense
 * kernel's `math: f16x2`) and `f32` otherwise. At M ≤ 16 the default is the GEMV, in f32
 * arithmetic from M = 4 on; a GEMM asked for there, or timed by the tuner beside the GEMV, keeps
 * that arithmetic unless `gemmMath` says otherwise, so no tuning candidate changes the numerics.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(gemmMath("auto", "f16", 2048), "f16x2");
 * assert.equal(gemmMath("auto", "f16", 16), "f32");
 * assert.equal(gemmMath("auto", "f32", 2048), "f32");
 * assert.equal(gemmMath("f16x2", "f16", 16), "f16x2");
 * ```
 */
export function gemmMath(asked: string, dtype: DType, m: number): GemvMath {
  if (asked === "auto") return dtype === "f16" && m > INT4_GEMV_MAX_M ? "f16x2" : "f32";
  return asked as GemvMath;
}

/**
 * The explicit GEMV geometry a case's tuning knobs ask for (`gemvSlices`, `gemvUnroll`,
 * `gemvCols`, `gemvCpt`, `gemvAccs`, `gemvStageX`, `gemvLean`, `gemvFanIn`; "auto" and absent knobs are left
 * to `chooseGemv`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(gemvTuning({ gemvSlices: "64", gemvUnroll: "auto" }).slices, 64);
 * ```
 */
export function gemvTuning(tune: Params): Int4GemvTuning {
  const t = resolveParams(INT4_TUNE, tune);
  const pick = (name: string): number | undefined =>
    t[name] === "auto" ? undefined : Number(t[name]);
  const onOff = (name: string): boolean | undefined =>
    ({ on: true, off: false } as Record<string, boolean>)[t[name] as string];
  return {
    slices: pick("gemvSlices"),
    unroll: pick("gemvUnroll"),
    cols: pick("gemvCols"),
    cpt: pick("gemvCpt") as Int4GemvTuning["cpt"],
    accs: pick("gemvAccs") as Int4GemvTuning["accs"],
    stageX: onOff("gemvStageX"),
    lean: onOff("gemvLean"),
    fanIn: pick("gemvFanIn"),
  };
}

/**
 * Resolves an int4 case once: checks `group` against K and `clip` against the method (throwing
 * {@link ParamError} naming the field), then picks the code path (`variant: auto`: GEMV when
 * M ≤ 16) and its generator options for the case's dtype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = resolveInt4({ method: "awq", group: 64 }, {}, { m: 128, k: 256, n: 256 }, "f16");
 * assert.ok(c.layout.variant === "gemm" && c.layout.gemm.awq);
 * assert.throws(() => resolveInt4({ group: 32 }, {}, { m: 1, k: 100, n: 8 }, "f32"), /group/);
 * // K split over 4 workgroups at M = 16: 1024 of K each, partial planes summed by a second pass
 * const s = resolveInt4({}, { variant: "gemm", tile: "16x64", splitK: "4" }, { m: 16, k: 4096, n: 4096 }, "f16");
 * assert.ok(s.layout.variant === "gemm" && s.layout.gemm.splitK === 4);
 * assert.throws(() => resolveInt4({}, { splitK: "4" }, { m: 1, k: 4096, n: 4096 }, "f16"), /splitK/);
 * ```
 */
export function resolveInt4(params: Params, tune: Params, shape: Shape, dtype: DType): Int4Config {
  const p = resolveParams(INT4_PARAMS, params);
  const t = resolveParams(INT4_TUNE, tune);
  const group = p.group as number;
  const problem = groupProblem(group, shape.k);
  if (problem) throw new ParamError("group", problem);
  const method = p.method as Int4Method;
  if (p.clip && method !== "awq") {
    throw new ParamError("clip", `only applies to method "awq", got method "${method}"`);
  }
  const scaleDtype = p.scaleDtype as DType;
  const tuning = gemvTuning(t);
  const layout = int4Layout(shape, dtype, {
    group,
    scaleDtype,
    awq: method === "awq",
    variant: t.variant as string,
    tile: t.tile as string,
    splitK: t.splitK as string,
    tuning: { ...tuning, math: gemvMath(p.gemvMath as string, dtype, shape.m) },
    gemmMath: gemmMath(p.gemmMath as string, dtype, shape.m),
  });
  if (layout.variant === "gemv" && t.splitK !== "auto") {
    throw new ParamError(
      "splitK",
      `applies to the GEMM (variant "gemm", or M > ${INT4_GEMV_MAX_M}), not the GEMV at M = ${shape.m}`,
    );
  }
  return {
    method,
    group,
    scaleDtype,
    clip: p.clip as boolean,
    searchCols: p.searchCols as number,
    gemvMath: p.gemvMath as string,
    gemmMath: p.gemmMath as string,
    tuning,
    layout,
  };
}
