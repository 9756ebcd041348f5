/**
 * The int8 kernel's public parameters, tuning knobs and resolved configuration.
 *
 * @module
 */

import {
  DEFAULT_SHADER_LIMITS,
  type ParamSpec,
  resolveParams,
  type ShaderLimits,
} from "../../harness/kernel.ts";
import type { DType, Params, Shape } from "../../harness/types.ts";
import {
  INT8_GEMV_MAX_M,
  INT8_GEMV_MAX_STEPS,
  int8GemvGeometry,
  type Int8GemvOptions,
  int8GemvProblem,
  int8GemvReadsOnce,
  int8GemvWords,
} from "./gemv_wgsl.ts";
import { INT8_STREAM_THREADS, int8StreamGeometry, int8StreamProblem } from "./gemv_stream.ts";

/** The WGSL language feature that provides `dot4I8Packed`. */
export const PACKED_DOT_FEATURE = "packed_4x8_integer_dot_product";

/** GEMM workgroup tiles (BMxBN); each thread computes a 4×4 block (8×8 on 128×128). */
export const INT8_TILES: Readonly<Record<string, { bm: number; bn: number }>> = {
  "64x64": { bm: 64, bn: 64 },
  "32x32": { bm: 32, bn: 32 },
  "128x128": { bm: 128, bn: 128 },
};

/**
 * The GEMM tile `tile: auto` takes: 32×32 (4×4 a thread, 64 threads) on every shape. On NVIDIA
 * H100s (`data/runs/h100-2026-12-06-v`, each shape's tiles in one job) it was faster than 64×64 on
 * all 18 shapes timed (M = 96–2048), and the fastest of the three tiles on 8 of the 11 held-out
 * shapes that timed all three, within 3% of 128×128 on the other 3: chosen on those shapes, so in
 * sample. The tuner times the other two.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(INT8_GEMM_TILE in INT8_TILES);
 * ```
 */
export const INT8_GEMM_TILE = "32x32";

/**
 * The tuner's GEMM candidates beside `tile`: each other tile of `INT8_TILES` (the int8 GEMM's, and
 * the ternary W1.58A8 GEMM's, which runs the same tiles).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(otherInt8Tiles("32x32"), [{ tile: "64x64" }, { tile: "128x128" }]);
 * ```
 */
export function otherInt8Tiles(tile: string): Params[] {
  return Object.keys(INT8_TILES).filter((t) => t !== tile).map((t) => ({ tile: t }));
}

/** Public parameters: what is measured. */
export const INT8_PARAMS: Record<string, ParamSpec> = {
  outliers: {
    type: "enum",
    values: ["none", "llm-int8"],
    default: "none",
    doc: "none, or llm-int8: the feature dimensions whose calibration magnitude exceeds " +
      "`threshold` are left out of the int8 product and added in floating point (X and those " +
      "rows of W in the dtype, f32 sums)",
  },
  threshold: {
    type: "number",
    min: 0,
    default: 6,
    doc: "outlier threshold on |x| of a feature dimension (LLM.int8(): 6.0); used with llm-int8",
  },
  smooth: {
    type: "number",
    min: 0,
    max: 1,
    default: 0,
    doc: "SmoothQuant migration strength α in (0, 1]; 0 = no migration",
  },
};

/** Tuning knobs: how it is launched. */
export const INT8_TUNE: Record<string, ParamSpec> = {
  variant: {
    type: "enum",
    values: ["auto", "gemm", "gemv", "gemv2", "stream"],
    default: "auto",
    doc: "gemm (an activation pass, then the GEMM), gemv (one pass, M ≤ 32 only), gemv2 (the " +
      "activation pass, then the GEMV reading its codes; M ≤ 32 only), stream (one pass, each " +
      "thread walking its column's words in a loop; M ≤ 32 only) or auto (stream at M = 1 where " +
      "N ≥ 3072, else gemv when M ≤ 32, else gemm)",
  },
  dot: {
    type: "enum",
    values: ["auto", "packed", "unpacked"],
    default: "auto",
    doc: "integer dot product: packed (dot4I8Packed), unpacked (extractBits, i32 multiply-adds) " +
      `or auto (packed when the WGSL language feature ${PACKED_DOT_FEATURE} is present)`,
  },
  cols: {
    type: "enum",
    values: ["auto", "1", "2", "4", "8", "16", "32"],
    default: "auto",
    doc: "GEMV: output columns a workgroup (auto: by shape, see int8GemvGeometry and " +
      "int8StreamGeometry)",
  },
  slices: {
    type: "enum",
    values: ["auto", "8", "16", "32", "64", "128", "256"],
    default: "auto",
    doc: "GEMV: threads a column, each reading every slices-th word of it (auto: by shape)",
  },
  xReads: {
    type: "enum",
    values: ["auto", "twice", "once"],
    default: "auto",
    doc: "GEMV: how often a workgroup reads X: once keeps each thread's values in registers " +
      "between the absmax and the codes where it applies (M = 1, K a multiple of 16, at most 4 " +
      "code words a thread); twice reads X for the absmax and again for the codes (auto: once " +
      "where it applies, else twice; gemv2 reads the activation pass's codes and ignores it)",
  },
  blocks: {
    type: "enum",
    values: ["auto", "1", "2", "4", "8"],
    default: "auto",
    doc: "GEMV: column blocks a workgroup walks, quantising X once for all of them (auto: 1; " +
      "more needs every row of codes staged at once)",
  },
  tile: {
    type: "enum",
    values: ["auto", ...Object.keys(INT8_TILES)],
    default: "auto",
    doc: "GEMM workgroup tile BMxBN (auto: 32x32)",
  },
};

/**
 * An int8 case's resolved configuration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = resolveInt8({}, {}, { m: 64, k: 64, n: 64 });
 * assert.equal(c.outliers, "none");
 * assert.equal(c.tile, "32x32");
 * ```
 */
export interface Int8Config {
  /** none, or llm-int8: feature dimensions over `threshold` are left out of the int8 product and added in floating point. */
  outliers: "none" | "llm-int8";
  /** Outlier threshold on a feature dimension's calibration |x| (LLM.int8(): 6.0); used with llm-int8. */
  threshold: number;
  /** SmoothQuant migration strength α in (0, 1]; 0 = no migration. */
  smooth: number;
  /**
   * The code path: gemm, gemv (one pass), gemv2 (the activation pass, then the GEMV) or stream
   * (one pass, each thread walking its column's words), the GEMVs for M ≤ 32 only; `auto`
   * resolved.
   */
  variant: "gemm" | "gemv" | "gemv2" | "stream";
  /** Integer dot product: packed (dot4I8Packed) or unpacked (extractBits, i32 multiply-adds). */
  dot: "packed" | "unpacked";
  /** The GEMM tile (unused by the GEMV). */
  tile: string;
  /** GEMV columns a workgroup and threads a column (unused by the GEMM). */
  cols: number;
  /** GEMV threads a column: K slices summed by a tree (unused by the GEMM). */
  slices: number;
  /** GEMV: how often a workgroup reads X, `twice` or `once` (`once` only where it applies). */
  xReads: "twice" | "once";
  /** GEMV: column blocks a workgroup walks (1: one block). */
  blocks: number;
}

/**
 * Whether this runtime's WGSL has `dot4I8Packed` (false where `navigator.gpu` is absent).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(typeof hasPackedDot(), "boolean");
 * ```
 */
export function hasPackedDot(): boolean {
  // deno-lint-ignore no-explicit-any
  const gpu = (globalThis as any).navigator?.gpu;
  const features = gpu?.wgslLanguageFeatures as Set<string> | undefined;
  return features?.has?.(PACKED_DOT_FEATURE) ?? false;
}

/**
 * The tuner's candidates: the other GEMM tile, or other GEMV geometries, X read twice where the
 * default reads it once, 4 column blocks a workgroup, the two-pass GEMV (`gemv2`) at the same
 * geometry, the streaming GEMV at its own, twice and half its columns (and at 16 < M ≤ 32 the
 * GEMM); for the streaming GEMV, twice and half its columns and the one-pass GEMV.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 64, n: 64 };
 * assert.ok(int8TuneCandidates(shape, resolveInt8({}, {}, shape)).some((c) => "slices" in c));
 * assert.ok(int8TuneCandidates(shape, resolveInt8({}, {}, shape)).some((c) => c.xReads === "twice"));
 * // column blocks where ≥ 128 workgroups remain: 1×4096×14336 has 896 of 16 columns
 * const big = { m: 1, k: 4096, n: 14336 };
 * const onePass = resolveInt8({}, { variant: "gemv" }, big);
 * const blocks = int8TuneCandidates(big, onePass).filter((c) => "blocks" in c);
 * assert.deepEqual(blocks, [{ blocks: "4" }]);
 * assert.ok(int8TuneCandidates(big, onePass).some((c) => c.variant === "gemv2"));
 * // there the streaming GEMV is the default, and the one-pass GEMV its candidate
 * assert.equal(resolveInt8({}, {}, big).variant, "stream");
 * assert.ok(int8TuneCandidates(big, resolveInt8({}, {}, big)).some((c) => c.variant === "gemv"));
 * ```
 */
export function int8TuneCandidates(shape: Shape, config: Int8Config): Params[] {
  if (config.variant === "gemm") {
    return otherInt8Tiles(config.tile);
  }
  const { cols, slices } = config;
  const out: Params[] = [];
  /** The streaming GEMV at `c` columns (256 threads), where it can run. */
  const stream = (c: number, extra: Params = {}) => {
    const s = INT8_STREAM_THREADS / c;
    const o = { ...gemvOptionsOf(shape, "f32", config), cols: c, slices: s, blocks: 1 };
    if (c >= 1 && c <= 32 && s >= 1 && int8StreamProblem({ ...o, codes: "inline" }) === null) {
      out.push({ variant: "stream", cols: String(c), slices: String(s), ...extra });
    }
  };
  if (config.variant === "stream") {
    stream(cols * 2);
    stream(cols / 2);
    out.push({ variant: "gemv", cols: "auto", slices: "auto" });
    return out;
  }
  /** A GEMV geometry (with `extra` knobs) where it is one the GEMV can run. */
  const add = (c: number, s: number, extra: Params = {}) => {
    const steps = Math.ceil(int8GemvWords(shape.k) / s);
    if (c >= 1 && c <= 16 && s >= 8 && s <= 256 && c * s <= 1024 && steps <= INT8_GEMV_MAX_STEPS) {
      out.push({ cols: String(c), slices: String(s), ...extra });
    }
  };
  add(cols * 2, slices);
  add(cols / 2, slices);
  add(cols, slices * 2);
  add(cols, slices / 2);
  add(cols * 2, slices / 2);
  add(cols / 2, slices * 2);
  // X read twice, at the default geometry, where the default reads it once
  if (config.xReads === "once") out.push({ xReads: "twice" });
  // 4 column blocks a workgroup (X quantised once for them), while ≥ 128 workgroups remain and
  // every row of codes is staged at once (2 blocks never won on an H200: docs/kernels/int8.md)
  const blocks = 4;
  const problem = int8GemvProblem({ ...gemvOptionsOf(shape, "f32", config), blocks });
  if (Math.ceil(shape.n / cols) / blocks >= 128 && problem === null) {
    out.push({ blocks: String(blocks) });
  }
  // the activation pass, then the GEMV reading its codes (no absmax or staging a workgroup), at
  // the default geometry and at half the columns and twice the slices (the default's columns are
  // as many as keep the workgroups that each quantise X few; gemv2's quantise nothing)
  if (config.variant === "gemv") {
    out.push({ variant: "gemv2" });
    add(cols / 2, slices * 2, { variant: "gemv2" });
  }
  // the streaming GEMV at its own geometry and at twice and half its columns
  const own = int8StreamGeometry(shape.k, shape.n).cols;
  for (const c of [own, own * 2, own / 2]) stream(c);
  // the activation pass and GEMM, where the rule takes the GEMV above the old bound of M = 16
  if (shape.m > 16) out.push({ variant: "gemm" });
  return out;
}

/**
 * Whether the activation factors IS matter: with neither SmoothQuant nor outlier dimensions every
 * factor is 1, and the shaders neither bind nor read them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 64, n: 64 };
 * assert.equal(int8Scaled(resolveInt8({}, {}, shape)), false);
 * assert.equal(int8Scaled(resolveInt8({ smooth: 0.5 }, {}, shape)), true);
 * ```
 */
export function int8Scaled(config: Pick<Int8Config, "smooth" | "outliers">): boolean {
  return config.smooth > 0 || config.outliers === "llm-int8";
}

/**
 * The GEMV generator's options for a case (the device's workgroup memory from `limits`): what the
 * plan compiles, and what the tuning candidates are checked against.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 1, k: 4096, n: 14336 };
 * const o = gemvOptionsOf(shape, "f16", resolveInt8({}, {}, shape));
 * assert.equal(o.scaled, false); // no SmoothQuant, no outliers: every factor is 1
 * assert.equal(o.workgroupBytes, 49152);
 * ```
 */
export function gemvOptionsOf(
  shape: Shape,
  dtype: DType,
  config: Int8Config,
  limits: ShaderLimits = DEFAULT_SHADER_LIMITS,
): Int8GemvOptions {
  return {
    dtype,
    ...shape,
    cols: config.cols,
    slices: config.slices,
    dot: config.dot,
    outliers: config.outliers === "llm-int8",
    workgroupBytes: limits.maxComputeWorkgroupStorageSize,
    scaled: int8Scaled(config),
    xReads: config.xReads,
    blocks: config.blocks,
    codes: config.variant === "gemv2" ? "pass" : "inline",
  };
}

/**
 * Smallest N at which `variant: auto` takes the streaming GEMV at M = 1. On an NVIDIA H100
 * (`data/runs/h100-2026-12-06-w`, f16 X, back to back, 16 decode shapes) it ran 1.05–1.22×
 * faster than the one-pass GEMV on 8 of the 10 with N ≥ 3072, 0.97× and 1.00× on the other two,
 * and 0.71–0.97× on the six with N ≤ 2048. Chosen on those shapes, on one GPU; on ten held-out
 * shapes (`h100-2026-12-07`, f16 and f32 X) within 10% of the faster GEMV on 9 of 10 each.
 */
export const INT8_STREAM_MIN_N = 3072;

/**
 * Whether `variant: auto` takes the streaming GEMV: M = 1, N ≥ `INT8_STREAM_MIN_N`, and its
 * default geometry runs within the default workgroup memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(streamsByDefault({ m: 1, k: 4096, n: 14336 }), true);
 * assert.equal(streamsByDefault({ m: 1, k: 4096, n: 2048 }), false);
 * assert.equal(streamsByDefault({ m: 2, k: 4096, n: 14336 }), false);
 * ```
 */
export function streamsByDefault(shape: { m: number; k?: number; n: number }): boolean {
  if (shape.m !== 1 || shape.n < INT8_STREAM_MIN_N) return false;
  const k = shape.k ?? 16;
  return int8StreamProblem({
    dtype: "f32",
    m: 1,
    k,
    n: shape.n,
    ...int8StreamGeometry(k, shape.n),
    dot: "packed",
    outliers: false,
    workgroupBytes: DEFAULT_SHADER_LIMITS.maxComputeWorkgroupStorageSize,
  }) === null;
}

/**
 * Resolves params and tune (defaults filled in, `dot: auto` from this runtime's WGSL language
 * features, `tile: auto` as `INT8_GEMM_TILE`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = resolveInt8({ outliers: "llm-int8" }, { dot: "unpacked", tile: "64x64" }, {
 *   m: 8, k: 64, n: 64,
 * });
 * assert.deepEqual(c, {
 *   outliers: "llm-int8", threshold: 6, smooth: 0, variant: "gemv", dot: "unpacked", tile: "64x64",
 *   cols: 1, slices: 128, xReads: "twice", blocks: 1,
 * });
 * assert.throws(() => resolveInt8({ smooth: 2 }, {}, { m: 1, k: 4, n: 4 }), /smooth/);
 * ```
 */
export function resolveInt8(
  params: Params,
  tune: Params,
  shape: { m: number; k?: number; n: number },
): Int8Config {
  const p = resolveParams(INT8_PARAMS, params);
  const t = resolveParams(INT8_TUNE, tune);
  const dot = t.dot === "auto" ? (hasPackedDot() ? "packed" : "unpacked") : t.dot as
    | "packed"
    | "unpacked";
  const tile = t.tile === "auto" ? INT8_GEMM_TILE : t.tile as string;
  const variant = t.variant === "auto"
    ? (shape.m > INT8_GEMV_MAX_M ? "gemm" : streamsByDefault(shape) ? "stream" : "gemv")
    : t.variant as Int8Config["variant"];
  const geometry = variant === "stream"
    ? int8StreamGeometry(shape.k ?? 16, shape.n)
    : int8GemvGeometry(shape.k ?? 16, shape.n);
  const cols = t.cols === "auto" ? geometry.cols : Number(t.cols);
  const slices = t.slices === "auto" ? geometry.slices : Number(t.slices);
  return {
    outliers: p.outliers as Int8Config["outliers"],
    threshold: p.threshold as number,
    smooth: p.smooth as number,
    variant,
    dot,
    tile,
    cols,
    slices,
    // `once` where it applies (also a choice cached for a shape class that meets a shape it does
    // not fit)
    xReads: t.xReads !== "twice" && variant === "gemv" &&
        int8GemvReadsOnce(shape.m, shape.k ?? 16, cols * slices)
      ? "once"
      : "twice",
    blocks: t.blocks === "auto" ? 1 : Number(t.blocks),
  };
}
