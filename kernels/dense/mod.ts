/**
 * The dense baseline: tiled register-blocked GEMM and a split-K GEMV path for M ≤ 8, f32 and f16.
 *
 * @module
 */

import {
  createStorageBuffer,
  dtypeBytes,
  inputBuffer,
  outputBuffer,
  toDtypeArray,
} from "../../harness/gpu/buffers.ts";
import {
  type KernelDescriptor,
  type ParamSpec,
  resolveParams,
  type ShaderLimits,
  SkipCase,
} from "../../harness/kernel.ts";
import type { DType, Params, Shape } from "../../harness/types.ts";
import {
  autoSplitK,
  DENSE_EXTRA_TILES,
  denseAutoTile,
  f32AutoTile,
  GEMM_TILES,
  gemmDispatch,
  type GemmOptions,
  type GemmTile,
  gemmWgsl,
  gemmWorkgroupBytes,
  usedGemmSplitK,
} from "./gemm_wgsl.ts";
import {
  buildShaders,
  type F16Io,
  type OnePipelineBuild,
  onePipelinePlan,
  splitKReducePlan,
} from "../wgsl/mod.ts";
import { GEMV_MAX_M, gemvDispatch, type GemvOptions, gemvWgsl, HALF_CARRY } from "./gemv_wgsl.ts";
import { denseReference } from "./reference.ts";
import { denseTuneCandidates } from "./tune.ts";
import { HALF_GEMM_CARRY } from "./gemm_half.ts";

export type { GemmTile };

/** Variants of the dense kernel. */
export const DENSE_VARIANTS = ["auto", "gemm", "gemv"] as const;

/**
 * The minimum traffic and FLOPs of a dense product in `dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = denseWork({ m: 2, k: 3, n: 4 }, "f32");
 * assert.equal(w.flops.total, 48);
 * ```
 */
export function denseWork(shape: Shape, dtype: DType) {
  const { m, k, n } = shape;
  const b = dtypeBytes(dtype);
  const core = 2 * m * k * n;
  return {
    flops: { total: core, core, overhead: 0 },
    bytes: (m * k + k * n + m * n) * b,
    paramsStored: k * n,
    storedBytes: k * n * b,
  };
}

/** Resolves `variant: auto` for a shape. */
export function denseVariant(variant: string, m: number): "gemm" | "gemv" {
  if (variant === "auto") return m <= GEMV_MAX_M ? "gemv" : "gemm";
  return variant as "gemm" | "gemv";
}

/**
 * A dense case's resolved configuration: the code path and its launch choices.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: DenseConfig = { variant: "gemv", f16io: "packed" };
 * assert.equal(c.variant, denseVariant("auto", 1)); // M = 1 runs the GEMV
 * ```
 */
export type DenseConfig =
  | {
    variant: "gemv";
    f16io: F16Io;
    math?: DenseMath;
    /** K slices a workgroup (absent: 32; `resolve` always sets it). */
    slices?: number;
    /** Column groups a workgroup (absent: 8; `resolve` always sets it). */
    cols?: number;
    /** Columns a thread (absent: 4). */
    width?: 8;
    /** Rows of K a loop step (absent: 4). */
    unroll?: 8;
  }
  | {
    variant: "gemm";
    f16io: F16Io;
    tile: string;
    splitK: number;
    math?: DenseMath;
    /** Slab depth BK (absent: the tile's, 16). */
    bk?: number;
    /** Workgroup tile buffers (absent: 1). */
    buffers?: 2;
    /** Rows of K a half partial holds (`math: f16x2`; absent: 8). */
    halfCarry?: number;
    /** Threads laid over the thread grid in 8×4 blocks of 32 (absent: row by row). */
    warp8x4?: true;
    /** Workgroup slabs as arrays of K rows (absent: flat). */
    rows?: true;
    /** X slab K-quads shifted (`xSkew`; absent: not). */
    skew?: true;
    /** Packed-half slabs staged as pairs (`gemm_pairs.ts`; absent: `vec4<f16>`). */
    halfStage?: "pairs";
  };

/** The dense product's arithmetic (public parameter `math`; absent in a config: `f32`). */
export type DenseMath = "f32" | "f16x2";

/**
 * The dense kernel's public parameters: only the arithmetic, since `f16x2` changes the numerics
 * (the baseline is the f32-arithmetic product unless a suite asks for packed halves).
 */
export const DENSE_PARAMS: Record<string, ParamSpec> = {
  math: {
    type: "enum",
    values: ["f32", "f16x2"],
    default: "f32",
    doc: "arithmetic: f32 (products and sums in f32), or f16x2 for f16 storage: vec4<f16> " +
      "products summed in halves, carried into f32 every 4 (GEMV) or 8 (GEMM; 16 without " +
      "split-K at N ≥ 2048) rows of K (f16 tolerance)",
  },
};

/** The dense kernel's tuning knobs (it has no public parameters: it is the baseline). */
export const DENSE_TUNE: Record<string, ParamSpec> = {
  variant: {
    type: "enum",
    values: DENSE_VARIANTS,
    default: "auto",
    doc: `gemm, gemv (M ≤ ${GEMV_MAX_M} only) or auto (gemv when M ≤ ${GEMV_MAX_M})`,
  },
  tile: {
    type: "enum",
    values: ["auto", ...Object.keys(GEMM_TILES), ...Object.keys(DENSE_EXTRA_TILES)],
    default: "auto",
    doc: "GEMM workgroup tile BMxBN (auto picks by shape)",
  },
  splitK: {
    type: "enum",
    values: ["auto", "1", "2", "4", "8", "16", "32"],
    default: "auto",
    doc: "GEMM split-K factor (auto: split when M×N tiles cannot fill the GPU)",
  },
  f16io: {
    type: "enum",
    values: ["packed", "native"],
    default: "packed",
    doc: "f16 vec4 loads/stores as packed u32 pairs (unpack2x16float) or native vec4<f16>",
  },
  gemvSlices: {
    type: "enum",
    values: ["auto", "16", "32", "64", "128"],
    default: "auto",
    doc: "GEMV K slices a workgroup (auto: 256 threads over the column groups)",
  },
  gemvCols: {
    type: "enum",
    values: ["auto", "2", "4", "8", "16"],
    default: "auto",
    doc: "GEMV column groups a workgroup (auto: 8, 4 or 2, the most that gives ≥ 256 workgroups)",
  },
  gemvWidth: {
    type: "enum",
    values: ["auto", "4", "8"],
    default: "auto",
    doc:
      "GEMV columns a thread: 8 loads 16 bytes of f16 at once (needs N divisible by 8; auto: 8 where it divides N, else 4)",
  },
  gemvUnroll: {
    type: "enum",
    values: ["4", "8"],
    default: "4",
    doc: "GEMV rows of K a thread loads together per loop step",
  },
  bk: {
    type: "enum",
    values: ["auto", "16", "32"],
    default: "auto",
    doc: "GEMM K slab depth staged in workgroup memory (auto: 16)",
  },
  buffers: {
    type: "enum",
    values: ["auto", "1", "2"],
    default: "auto",
    doc:
      "GEMM workgroup tile buffers: 2 double-buffers the slabs (one barrier a slab; auto: 2 for math f16x2 on the 16-row tile, else 1)",
  },
  lanes: {
    type: "enum",
    values: ["rows", "8x4"],
    default: "rows",
    doc: "GEMM threads over the thread grid: row by row, or 8x4 blocks of 32 (a warp)",
  },
  slabs: {
    type: "enum",
    values: ["flat", "rows"],
    default: "flat",
    doc: "GEMM workgroup slab arrays: flat, or arrays of K rows (one bounds clamp a loop)",
  },
  xSkew: {
    type: "enum",
    values: ["auto", "on", "off"],
    default: "auto",
    doc:
      "GEMM X slab with each K-quad shifted so its transposed stores are free of bank conflicts (f32 arithmetic or halfStage pairs; auto: on for f32 data on 128x64 and 32x64, and for packed halves on 64x128 from M = 1024)",
  },
  halfStage: {
    type: "enum",
    values: ["auto", "vec4", "pairs"],
    default: "auto",
    doc:
      "math f16x2 GEMM: slabs staged as vec4<f16> (X splat across W) or as pairs (X doubled, a thread's W columns side by side: vec2<f16> FMAs); auto: pairs",
  },
  halfCarry: {
    type: "enum",
    values: ["auto", "8", "16", "32"],
    default: "auto",
    doc:
      "math f16x2 GEMM: rows of K a half partial sums before its f32 carry (auto: 16 without split-K at N ≥ 2048, else 8; ≤ BK)",
  },
};

/** Threads of a dense GEMV workgroup when its geometry is left to `auto`. */
const GEMV_THREADS = 256;

/** Workgroups a dense GEMV's auto geometry wants at least (about two per SM of a 132-SM GPU). */
const GEMV_MIN_GROUPS = 256;

/**
 * The dense GEMV's column groups a workgroup when `gemvCols` is `auto`: the most of 8, 4 and 2
 * that still gives {@link GEMV_MIN_GROUPS} workgroups over N (wider rows of W a workgroup load
 * better, more workgroups keep more bytes in flight), else 2; `gemvSlices: auto` then spreads
 * K over the rest of 256 threads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(gemvAutoCols(14336, 4), 8); // 448 workgroups of 32 columns
 * assert.equal(gemvAutoCols(4096, 4), 4); // 256 of 16
 * assert.equal(gemvAutoCols(2048, 4), 2);
 * assert.equal(gemvAutoCols(14336, 8), 4);
 * ```
 */
export function gemvAutoCols(n: number, width: 4 | 8): number {
  for (const cols of [8, 4]) {
    if (Math.ceil(n / (width * cols)) >= GEMV_MIN_GROUPS) return cols;
  }
  return 2;
}

/**
 * Resolves a dense case under its arithmetic `math`: `variant: auto` (GEMV when M ≤ 8), the GEMM
 * tile (auto by shape), the split-K factor actually used, and the other `auto` knobs (the GEMV's
 * geometry and width; for `f16x2` the half carry and the 16-row tile's buffers).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(resolveDense({}, { m: 1, k: 64, n: 64 }), {
 *   variant: "gemv", f16io: "packed", slices: 128, cols: 2, width: 8,
 * });
 * const c = resolveDense({ tile: "64x64", splitK: "1" }, { m: 256, k: 256, n: 256 });
 * assert.equal(c.variant === "gemm" && c.tile, "64x64");
 * const h = resolveDense({}, { m: 16, k: 256, n: 256 }, "f16x2");
 * // f32 data at M ≥ 1024 takes 128×64; f16 storage keeps the shape-based tile.
 * const big = { m: 2048, k: 256, n: 4096 };
 * const f32 = resolveDense({}, big);
 * assert.equal(f32.variant === "gemm" && f32.tile, "128x64");
 * const f16 = resolveDense({}, big, "f32", "f16");
 * assert.equal(f16.variant === "gemm" && f16.tile, "64x128");
 * assert.ok(h.variant === "gemm" && h.buffers === 2 && h.halfCarry === 8);
 * assert.ok(h.variant === "gemm" && h.halfStage === "pairs");
 * ```
 */
export function resolveDense(
  tune: Params,
  shape: Shape,
  math: DenseMath = "f32",
  dtype: DType = "f32",
): DenseConfig {
  const t = resolveParams(DENSE_TUNE, tune);
  const half = math === "f16x2";
  const { m, k, n } = shape;
  const variant = denseVariant(t.variant as string, m);
  const f16io = t.f16io as F16Io;
  if (variant === "gemv") {
    const width = t.gemvWidth === "8" || (t.gemvWidth === "auto" && n % 8 === 0) ? 8 : 4;
    const cols = t.gemvCols === "auto" ? gemvAutoCols(n, width) : Number(t.gemvCols);
    return {
      variant,
      f16io,
      ...(half ? { math } : {}),
      slices: t.gemvSlices === "auto" ? GEMV_THREADS / cols : Number(t.gemvSlices),
      cols,
      ...(width === 8 ? { width: 8 as const } : {}),
      ...(t.gemvUnroll === "8" ? { unroll: 8 as const } : {}),
    };
  }
  // The 128x64 rule was timed on f32 data only; f16 storage keeps the shape-based tile.
  const tileName = t.tile === "auto"
    ? (!half && dtype === "f32" ? f32AutoTile(m, n) : denseAutoTile(m, n))
    : t.tile as string;
  const tile = gemmTile(tileName, t.bk === "auto" ? undefined : Number(t.bk));
  const splitK = usedGemmSplitK(
    k,
    t.splitK === "auto" ? autoSplitK(m, k, n, tile) : Number(t.splitK),
    tile.bk,
  );
  // Packed halves on the 16-row tile ran 1.36-1.73x faster double-buffered on 12 of 14 shapes,
  // 1.23x and 1.37x slower on two (docs/kernels/dense.md).
  const buffers = t.buffers === "auto" ? (half && tile.bm <= 16 ? 2 : 1) : Number(t.buffers);
  const vec4Stage = half && autoHalfStage(t.halfStage as string) === "vec4";
  return {
    variant,
    f16io,
    ...(half ? { math } : {}),
    tile: tileName,
    splitK,
    ...(t.bk === "auto" ? {} : { bk: tile.bk }),
    ...(buffers === 2 ? { buffers: 2 as const } : {}),
    ...(t.halfCarry !== "auto"
      ? { halfCarry: Number(t.halfCarry) }
      : half
      ? { halfCarry: autoHalfCarry(splitK, n) }
      : {}),
    ...(t.lanes === "8x4" ? { warp8x4: true as const } : {}),
    ...(t.slabs === "rows" ? { rows: true as const } : {}),
    ...(t.xSkew === "on" || (t.xSkew === "auto" && autoSkew(tileName, half, m, dtype) && !vec4Stage)
      ? { skew: true as const }
      : {}),
    ...(half && !vec4Stage ? { halfStage: "pairs" as const } : {}),
  };
}

/**
 * Whether a GEMM's X slab is skewed (`xSkew: auto`): on f32 data on the 128×64 and 32×64 tiles
 * (f16 storage in f32 arithmetic was not timed), and in packed halves on 64×128 from M = 1024.
 * Measured against the unshifted slab (docs/kernels/dense.md): f32 128×64 1.054–1.064× faster on
 * 17 cases (two GPUs) and 32×64 1.014–1.161× on 4, where 64×128 ran 0.962–0.989× on 6 and 16×64
 * 0.993–1.013× on 4; packed halves on 64×128 1.005–1.040× on 16 cases from M = 1024, but
 * 0.874–1.052× at M = 128 and 512, and 0.710–0.989× on the 16-row tile.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(autoSkew("128x64", false, 4096, "f32"), true);
 * assert.equal(autoSkew("32x64", false, 32, "f16"), false); // f16 storage, f32 arithmetic
 * assert.equal(autoSkew("64x128", false, 512, "f32"), false);
 * assert.equal(autoSkew("64x128", true, 2048, "f16"), true);
 * assert.equal(autoSkew("64x128", true, 512, "f16"), false);
 * ```
 */
export function autoSkew(tile: string, half: boolean, m: number, dtype: DType): boolean {
  if (half) return tile === "64x128" && m >= 1024;
  return dtype === "f32" && (tile === "128x64" || tile === "32x64");
}

/**
 * A named tile with its slab depth set to `bk` (absent: the tile's own).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(gemmTile("128x128", 32).bk, 32);
 * assert.equal(gemmTile("64x64").bk, 16);
 * ```
 */
export function gemmTile(name: string, bk?: number): GemmTile {
  const tile = GEMM_TILES[name] ?? DENSE_EXTRA_TILES[name]!;
  return bk === undefined ? tile : { ...tile, bk };
}

/**
 * The shaders of a dense case: the GEMV or the GEMM, and the split-K reduce pass when the GEMM
 * splits K.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_SHADER_LIMITS } from "../../harness/kernel.ts";
 * const shape = { m: 1, k: 256, n: 128 };
 * const b = denseBuild({
 *   shape, dtype: "f32", config: resolveDense({}, shape), limits: DEFAULT_SHADER_LIMITS,
 * });
 * assert.equal(b.shader.label, "dense-gemv-f32-1x256x128");
 * ```
 */
export function denseBuild(
  input: { shape: Shape; dtype: DType; config: DenseConfig; limits: ShaderLimits },
): OnePipelineBuild {
  const { shape, dtype, config } = input;
  const { m, k, n } = shape;
  const { variant, f16io } = config;
  const label = `dense-${variant}-${dtype}-${m}x${k}x${n}`;
  if (config.variant === "gemv") {
    const half = config.math === "f16x2";
    const o: GemvOptions = {
      dtype,
      m,
      k,
      n,
      vec: n % 4 === 0,
      cols: config.cols ?? 8,
      slices: config.slices ?? 32,
      f16io,
      ...(half ? { half } : {}),
      ...(config.width ? { width: config.width } : {}),
      ...(config.unroll ? { unroll: config.unroll } : {}),
    };
    const threads = o.cols * o.slices;
    if (threads > input.limits.maxComputeInvocationsPerWorkgroup) {
      throw new SkipCase(`GEMV needs ${threads} threads a workgroup, over the device's limit`);
    }
    return {
      shader: { label: half ? `${label}-f16x2` : label, ...gemvWgsl(o) },
      groups: [gemvDispatch(o), 1, 1],
      reduce: null,
      notes: {
        variant,
        vec: o.vec,
        cols: o.cols * (o.width ?? 4),
        slices: o.slices,
        ...(o.width ? { width: o.width } : {}),
        ...(o.unroll ? { unroll: o.unroll } : {}),
        ...(half ? { math: "f16x2", halfCarry: HALF_CARRY } : {}),
      },
    };
  }
  const { tile: name, splitK } = config;
  const tile = gemmTile(name, config.bk);
  const vec = k % 4 === 0 && n % 4 === 0;
  const half = config.math === "f16x2";
  const buffers = config.buffers ?? 1;
  const wgBytes = gemmWorkgroupBytes(
    tile,
    half,
    buffers,
    config.halfStage,
    config.rows,
    config.skew,
  );
  if (wgBytes > input.limits.maxComputeWorkgroupStorageSize) {
    throw new SkipCase(
      `tile ${name} (BK ${tile.bk}, ${buffers} buffers) needs ${wgBytes} bytes of workgroup ` +
        `memory, over the device's ${input.limits.maxComputeWorkgroupStorageSize}`,
    );
  }
  const o: GemmOptions = {
    dtype,
    m,
    k,
    n,
    tile,
    vec,
    batch: 1,
    splitK,
    f16io,
    ...(half ? { half } : {}),
    ...(buffers === 2 ? { buffers } : {}),
    ...(half && config.halfCarry ? { halfCarry: config.halfCarry } : {}),
    ...(config.warp8x4 ? { warp8x4: true } : {}),
    ...(config.rows ? { rows: true } : {}),
    ...(config.skew ? { skew: true } : {}),
    ...(config.halfStage ? { halfStage: config.halfStage } : {}),
  };
  const maxPerDim = input.limits.maxComputeWorkgroupsPerDimension;
  return {
    shader: { label: half ? `${label}-f16x2` : label, ...gemmWgsl(o) },
    groups: gemmDispatch(o),
    reduce: splitK > 1
      ? splitKReducePlan("dense", { dtype, m, n, splitK, vec, f16io, maxPerDim })
      : null,
    notes: {
      variant,
      tile: name,
      vec,
      splitK,
      ...(config.bk !== undefined ? { bk: tile.bk } : {}),
      ...(buffers === 2 ? { buffers } : {}),
      ...(config.warp8x4 ? { lanes: "8x4" } : {}),
      ...(config.rows ? { slabs: "rows" } : {}),
      ...(config.skew ? { xSkew: "on" } : {}),
      ...(half ? { math: "f16x2", halfCarry: config.halfCarry ?? HALF_GEMM_CARRY } : {}),
      ...(config.halfStage ? { halfStage: config.halfStage } : {}),
    },
  };
}

/**
 * How a `math: f16x2` GEMM stages its slabs when `halfStage` is `auto`: as pairs
 * (`gemm_pairs.ts`), flat or in row slabs. On an H100 the pairs staging took 0.87–0.98× the
 * `vec4` staging's time on 17 of 18 cases (M = 16 to 4096, tiles 16×64 and 64×128) and 1.03× on
 * the eighteenth (128×2048×5632, 64×64); see docs/kernels/dense.md.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(autoHalfStage("auto"), "pairs");
 * assert.equal(autoHalfStage("vec4"), "vec4");
 * ```
 */
export function autoHalfStage(knob: string): "vec4" | "pairs" {
  return knob === "vec4" ? "vec4" : "pairs";
}

/**
 * Rows of K a `math: f16x2` GEMM's half partials sum before their f32 carry when `halfCarry` is
 * `auto`: 16 where the grid runs without split-K and N ≥ 2048 (fewer carries pay there), else 8
 * (where 16 ran up to 2.6× slower: split-K grids and narrow N). Both stay within f16 tolerance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(autoHalfCarry(1, 4096), 16);
 * assert.equal(autoHalfCarry(4, 4096), 8);
 * assert.equal(autoHalfCarry(1, 1024), 8);
 * ```
 */
export function autoHalfCarry(splitK: number, n: number): number {
  return splitK === 1 && n >= 2048 ? 16 : HALF_GEMM_CARRY;
}

/**
 * The dense kernel descriptor (the baseline every speedup is measured against).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(dense.baseline, true);
 * assert.equal(dense.resolve({}, { m: 128, k: 64, n: 64 }, "f32").variant, "gemm");
 * ```
 */
export const dense: KernelDescriptor<Float32Array | Float16Array, DenseConfig> = {
  name: "dense",
  family: "dense",
  summary: "Y = X·W: tiled register-blocked GEMM, split-K GEMV for M ≤ 8",
  baseline: true,
  params: DENSE_PARAMS,
  tune: DENSE_TUNE,
  resolve(params, shape, dtype, tune = {}) {
    const p = resolveParams(DENSE_PARAMS, params);
    return resolveDense(tune, shape, p.math as DenseMath, dtype);
  },
  tuneCandidates: denseTuneCandidates,
  // 2: the GEMV's auto geometry and width, `buffers` and `halfCarry` auto rules changed;
  // 3: the f32 GEMM's auto tile; 4: the packed-half GEMM's pairs staging; 5: `xSkew` (shifted X
  // slabs where `autoSkew` says), row slabs for the pairs staging.
  tuneRevision: 5,
  check(config, shape, dtype) {
    if (config.variant === "gemv" && shape.m > GEMV_MAX_M) {
      throw new SkipCase(`variant gemv needs M ≤ ${GEMV_MAX_M}, got M = ${shape.m}`);
    }
    if (config.math === "f16x2") {
      if (dtype !== "f16") throw new SkipCase(`math f16x2 needs f16 storage, got ${dtype}`);
      if (config.variant === "gemv" && shape.n % 4 !== 0) {
        throw new SkipCase(`math f16x2 needs N divisible by 4, got N = ${shape.n}`);
      }
    }
    if (config.variant === "gemm" && config.skew && config.math === "f16x2" && !config.halfStage) {
      throw new SkipCase("xSkew on needs f32 arithmetic or halfStage pairs");
    }
    if (config.variant === "gemm" && (config.halfCarry ?? 0) > (config.bk ?? 16)) {
      throw new SkipCase(`halfCarry ${config.halfCarry} needs BK ≥ ${config.halfCarry}`);
    }
    if (config.variant === "gemv" && config.width === 8 && shape.n % 8 !== 0) {
      throw new SkipCase(`gemvWidth 8 needs N divisible by 8, got N = ${shape.n}`);
    }
  },
  requires: (_config, dtype) => (dtype === "f16" ? ["shader-f16"] : []),
  prepareKey: (_config, dtype) => dtype,
  prepare: (input) => toDtypeArray(input.w, input.dtype),
  plan(ctx) {
    const { device, shape, dtype } = ctx;
    const { m, k, n } = shape;
    const b = denseBuild({ ...ctx, limits: device.limits });
    if (b.groups[0] > device.limits.maxComputeWorkgroupsPerDimension) {
      throw new SkipCase(
        `needs ${b.groups[0]} workgroups in x, over maxComputeWorkgroupsPerDimension`,
      );
    }
    const bx = inputBuffer(
      ctx,
      "dense:X",
      m * k * dtypeBytes(dtype),
      () => toDtypeArray(ctx.x, dtype),
    );
    const bw = createStorageBuffer(device, "dense:W", ctx.prepared);
    const by = outputBuffer(ctx, "dense:Y", m * n * dtypeBytes(dtype));
    return onePipelinePlan(ctx, {
      shader: b.shader,
      groups: b.groups,
      buffers: { X: bx, W: bw, Y: by },
      output: { buffer: by, dtype },
      notes: b.notes,
      reduce: b.reduce,
    });
  },
  shaders: (input) => buildShaders(denseBuild(input)),
  work: (shape, config, dtype) => ({
    ...denseWork(shape, dtype),
    arithmetic: config.math === "f16x2" ? "f16x2" : "f32",
  }),
  reference: (input) => denseReference(input.x, input.w, input.shape, input.dtype, input.rows),
};
