/**
 * The 2:4 structured-sparse family: offline pruning (magnitude or Wanda) and compression, two
 * GEMMs (warp-uniform branches; lane-column X gather) and a select-based split-K GEMV, f32 and
 * f16, reading only the compressed weights.
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
  ParamError,
  type ParamSpec,
  resolveParams,
  type ShaderLimits,
  SkipCase,
} from "../../harness/kernel.ts";
import type { DType, Params, Shape } from "../../harness/types.ts";
import { compress24, META_K, paddedDims, type Sparse24Weights } from "./format.ts";
import {
  buildShaders,
  type OnePipelineBuild,
  onePipelinePlan,
  type SplitKReducePlan,
  splitKReducePlan,
  type WgslShader,
} from "../wgsl/mod.ts";
import {
  autoSparseSplitK,
  autoSparseTile,
  DECODE_MODES,
  type DecodeMode,
  sparse24GemmDispatch,
  type Sparse24GemmOptions,
  sparse24GemmWgsl,
  SPARSE_GEMM_TILES,
  tileDims,
  usedSplitK,
} from "./gemm_wgsl.ts";
import {
  autoGatherSplitK,
  autoGatherTile,
  GATHER_TILES,
  gatherGemmDispatch,
  type GatherGemmOptions,
  gatherGemmWgsl,
  gatherTileDims,
} from "./gemm_gather_wgsl.ts";
import {
  defaultGemvShape,
  GEMV_ROWS,
  gemvChunks,
  sparse24GemvDispatch,
  type Sparse24GemvOptions,
  sparse24GemvWgsl,
} from "./gemv_wgsl.ts";
import { type MaskName, MASKS, pruneMask } from "./masks.ts";
import { sparse24Reference } from "./reference.ts";
import { sparse24TuneCandidates } from "./tune.ts";

export * from "./format.ts";
export * from "./masks.ts";
export * from "./reference.ts";
export * from "./gemm_wgsl.ts";
export * from "./gemm_gather_wgsl.ts";
export * from "./gemv_wgsl.ts";

/** Variants of the sparse kernel. */
export const SPARSE24_VARIANTS = ["auto", "gemm", "gemv"] as const;

/** Largest M for which `variant: auto` picks the GEMV path. */
export const SPARSE_GEMV_AUTO_MAX_M = 16;

/**
 * What the sparse kernel executes and moves: 2 FMAs per kept weight and row (M·N·K FLOPs for
 * K % 4 == 0, half of dense; a padded last group counts as whole), bytes of the compressed
 * format (values + metadata, padding included) plus X and Y. Index decoding is integer and
 * select work, not counted as FLOPs. `zeroProducts` (the GEMM's `decode: expand`, which also
 * multiplies the pruned zeros) adds as many FLOPs again as `overhead`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = sparse24Work({ m: 2, k: 32, n: 4 }, "f32");
 * assert.ok(w.flops.core === 2 * 32 * 4 && w.paramsStored === 16 * 4);
 * ```
 */
export function sparse24Work(shape: Shape, dtype: DType, zeroProducts = false) {
  const { m, k, n } = shape;
  const b = dtypeBytes(dtype);
  const { kp, np } = paddedDims(k, n);
  const kept = 2 * Math.ceil(k / 4);
  const core = 2 * m * n * kept;
  const overhead = zeroProducts ? core : 0;
  const values = (kp / 2) * np;
  const storedBytes = values * b + (kp / META_K) * np * 4;
  return {
    flops: { total: core + overhead, core, overhead },
    bytes: storedBytes + (m * k + m * n) * b,
    paramsStored: values,
    storedBytes,
  };
}

/** GEMM pattern decodes: the warp-column modes of `gemm_wgsl.ts` and the lane-column `gather`. */
export const SPARSE24_DECODES = [...DECODE_MODES, "gather"] as const;

/**
 * The GEMM decode a case runs (`decode`): as given, or for "auto" `pair` when `tile` names a
 * warp-column tile and `gather` otherwise, which beat `pair` at every llm-prefill shape and dtype
 * of the `sparse24-gather-prefill` experiment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(sparseDecode("auto", "auto"), "gather");
 * assert.equal(sparseDecode("auto", "256x128"), "pair");
 * assert.equal(sparseDecode("expand", "auto"), "expand");
 * ```
 */
export function sparseDecode(decode: string, tile: string): string {
  if (decode !== "auto") return decode;
  return tile in SPARSE_GEMM_TILES ? "pair" : "gather";
}

/**
 * The gather GEMM's arithmetic (`gatherMath`): as given, or for "auto" packed halves (`f16x2`)
 * with f16 activations — X and W are halves already — and f32 otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(gatherHalf("auto", "f16") && !gatherHalf("auto", "f32"));
 * assert.ok(!gatherHalf("f32", "f16"));
 * ```
 */
export function gatherHalf(math: string, dtype: DType): boolean {
  return math === "auto" ? dtype === "f16" : math === "f16x2";
}

/** Resolves `variant: auto` for a shape. */
export function sparse24Variant(variant: string, m: number): "gemm" | "gemv" {
  if (variant === "auto") return m <= SPARSE_GEMV_AUTO_MAX_M ? "gemv" : "gemm";
  return variant as "gemm" | "gemv";
}

/**
 * A 2:4 case's resolved configuration: what is measured (`mask`, `gatherMath`) and the launch
 * choices (`variant` and `decode` resolved, tile and split-K as asked).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = sparse24.resolve({}, { m: 1, k: 64, n: 64 }, "f16");
 * assert.equal(c.variant, "gemv");
 * assert.equal(c.decode, "gather");
 * ```
 */
export interface Sparse24Config {
  /** Pruning score: magnitude |W| or wanda |W|·‖X_k‖₂ over the calibration rows. */
  mask: MaskName;
  /** `gatherMath` as asked (`auto`, `f32`, `f16x2`). */
  gatherMath: string;
  /** Whether the gather GEMM sums in packed halves (`gatherMath` resolved). */
  half: boolean;
  /** The code path, `auto` resolved by M. */
  variant: "gemm" | "gemv";
  /** GEMM tile as asked (`auto` or a name). */
  tile: string;
  /** GEMM decode, `auto` resolved. */
  decode: string;
  /** GEMM split-K factor as asked (`auto` or a count). */
  splitK: string;
  /** GEMV K slices, null for the default geometry. */
  gemvSlices: number | null;
  /** GEMV rows of X per weight read. */
  gemvRows: number;
}

/** Public parameters of the 2:4 kernel: what is measured. */
export const SPARSE24_PARAMS: Record<string, ParamSpec> = {
  mask: {
    type: "enum",
    values: MASKS,
    default: "magnitude",
    doc: "pruning score: magnitude |W| or wanda |W|·‖X_k‖₂ over the calibration rows",
  },
  gatherMath: {
    type: "enum",
    values: ["auto", "f32", "f16x2"],
    default: "auto",
    doc: "decode gather with f16 activations: f16x2 stages X as halves and sums each slab's 8 " +
      "products a row in packed halves before carrying into f32 (f16 tolerance); auto = f16x2 " +
      "for f16 activations, f32 otherwise",
  },
};

/** Tuning knobs of the 2:4 kernel (a suite entry's `tune`). */
export const SPARSE24_TUNE: Record<string, ParamSpec> = {
  variant: {
    type: "enum",
    values: SPARSE24_VARIANTS,
    default: "auto",
    doc:
      `gemm, gemv (any M, rows in chunks of 8) or auto (gemv when M ≤ ${SPARSE_GEMV_AUTO_MAX_M})`,
  },
  tile: {
    type: "enum",
    values: ["auto", ...Object.keys(SPARSE_GEMM_TILES), ...Object.keys(GATHER_TILES)],
    default: "auto",
    doc: "GEMM workgroup tile BMxBN (auto picks by shape); g… tiles are for decode gather",
  },
  gemvSlices: {
    type: "enum",
    values: ["auto", "16", "32", "64", "128"],
    default: "auto",
    doc: "GEMV K slices per workgroup (threads = column groups × slices)",
  },
  gemvRows: {
    type: "enum",
    values: ["auto", "8", "16"],
    default: "auto",
    doc: "GEMV rows of X per weight read (auto: 8; more rows run in chunks that re-read W)",
  },
  splitK: {
    type: "enum",
    values: ["auto", "1", "2", "4", "8", "16", "32"],
    default: "auto",
    doc: "GEMM split-K factor (auto: split when the M×N tiles cannot fill the GPU)",
  },
  decode: {
    type: "enum",
    values: ["auto", ...SPARSE24_DECODES],
    default: "auto",
    doc:
      "GEMM pattern decode: warp-uniform 6-way switch (pair), two 3-way switches (split), branch-free dense rebuild with 4 FMAs per row (expand: dense FLOPs), gather (lanes own columns; each kept weight's X rows read from workgroup memory at its index), or auto (pair for a warp-column tile, else gather)",
  },
};

/**
 * Resolves a 2:4 case's parameters and tuning knobs (see {@link Sparse24Config}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = resolveSparse24({}, { tile: "256x128" }, { m: 64, k: 64, n: 64 }, "f32");
 * assert.equal(c.decode, "pair");
 * ```
 */
export function resolveSparse24(
  params: Params,
  tune: Params,
  shape: Shape,
  dtype: DType,
): Sparse24Config {
  const p = resolveParams(SPARSE24_PARAMS, params);
  const t = resolveParams(SPARSE24_TUNE, tune);
  const tile = t.tile as string;
  const gatherMath = p.gatherMath as string;
  return {
    mask: p.mask as MaskName,
    gatherMath,
    half: gatherHalf(gatherMath, dtype),
    variant: sparse24Variant(t.variant as string, shape.m),
    tile,
    decode: sparseDecode(t.decode as string, tile),
    splitK: t.splitK as string,
    gemvSlices: t.gemvSlices === "auto" ? null : Number(t.gemvSlices),
    gemvRows: t.gemvRows === "auto" ? GEMV_ROWS : Number(t.gemvRows),
  };
}

/** What `prepare` returns: the compressed weights and facts about the pruning. */
export interface Sparse24Prepared {
  /** The compressed 2:4 weights. */
  weights: Sparse24Weights;
  /** The pruning mask, or "given" for weights pruned elsewhere (a trained 2:4 model). */
  mask: MaskName | "given";
  /** Fraction of |W|² kept by the mask (1 = nothing lost). */
  keptEnergy: number;
}

/**
 * Prunes W with a 2:4 mask and compresses it: the offline step (timed apart from the kernel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = prepareSparse24(new Float32Array([1, 2, 3, 4]), 4, 1, "magnitude", "f32", new Float32Array(0), 0);
 * assert.ok(p.weights.values[0] === 3 && p.keptEnergy === 25 / 30);
 * ```
 */
export function prepareSparse24(
  w: Float32Array,
  k: number,
  n: number,
  mask: MaskName,
  dtype: DType,
  calib: Float32Array,
  calibRows: number,
): Sparse24Prepared {
  const keep = pruneMask(mask, w, k, n, calib, calibRows);
  let total = 0;
  let kept = 0;
  for (let i = 0; i < w.length; i++) {
    const e = w[i]! * w[i]!;
    total += e;
    if (keep[i]) kept += e;
  }
  return {
    weights: compress24(w, k, n, keep, dtype),
    mask,
    keptEnergy: total > 0 ? kept / total : 1,
  };
}

/**
 * The shaders of a 2:4 case: the GEMV, or a GEMM (warp-column decode or gather) and the split-K
 * reduce pass when it splits K. Throws {@link SkipCase} for a GEMV over the device's limits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_SHADER_LIMITS } from "../../harness/kernel.ts";
 * const shape = { m: 64, k: 128, n: 96 };
 * const config = sparse24.resolve({}, shape, "f32");
 * const b = sparse24Build({ shape, dtype: "f32", config, limits: DEFAULT_SHADER_LIMITS });
 * assert.equal(b.notes.decode, "gather");
 * ```
 */
export function sparse24Build(
  input: { shape: Shape; dtype: DType; config: Sparse24Config; limits: ShaderLimits },
): OnePipelineBuild {
  const { shape, dtype, config, limits } = input;
  const { m, k, n } = shape;
  const label = `sparse24-${config.variant}-${dtype}-${m}x${k}x${n}`;
  let shader: WgslShader;
  const { variant } = config;
  let groups: [number, number, number];
  let notes: Record<string, unknown>;
  let reduce: SplitKReducePlan | null = null;
  if (variant === "gemv") {
    const maxRows = config.gemvRows;
    const geom = defaultGemvShape(
      dtype,
      m,
      n,
      limits.maxComputeWorkgroupStorageSize,
      maxRows,
    );
    if (config.gemvSlices !== null) geom.slices = config.gemvSlices;
    const o: Sparse24GemvOptions = { dtype, m, k, n, ...geom, maxRows };
    const redBytes = o.cols * o.slices * gemvChunks(m, maxRows).rows * 16;
    if (o.cols * o.slices > limits.maxComputeInvocationsPerWorkgroup) {
      throw new SkipCase(
        `GEMV with ${o.cols * o.slices} threads per workgroup is over the device limit`,
      );
    }
    if (redBytes > limits.maxComputeWorkgroupStorageSize) {
      throw new SkipCase(
        `GEMV needs ${redBytes} bytes of workgroup memory, over the device limit`,
      );
    }
    shader = { label, ...sparse24GemvWgsl(o) };
    groups = [sparse24GemvDispatch(o), 1, 1];
    const { chunks } = gemvChunks(m, maxRows);
    notes = { variant, cols: o.cols * 4, slices: o.slices, rowChunks: chunks };
  } else {
    const { tile: tileName, decode, splitK: sk } = config;
    let splitK: number;
    if (decode === "gather") {
      const name = tileName === "auto" ? autoGatherTile(m, n) : tileName;
      const tile = GATHER_TILES[name]!;
      splitK = usedSplitK(k, sk === "auto" ? autoGatherSplitK(m, k, n, tile) : Number(sk));
      if (config.gatherMath === "f16x2" && dtype !== "f16") {
        throw new SkipCase(`gatherMath "f16x2" needs f16 activations, got ${dtype}`);
      }
      const o: GatherGemmOptions = {
        dtype,
        m,
        k,
        n,
        tile,
        splitK,
        half: config.half,
      };
      shader = { label, ...gatherGemmWgsl(o) };
      groups = gatherGemmDispatch(o);
      notes = {
        variant,
        tile: name,
        threads: gatherTileDims(tile).threads,
        decode,
        splitK,
        gatherMath: o.half ? "f16x2" : "f32",
      };
    } else {
      const name = tileName === "auto" ? autoSparseTile(m, n) : tileName;
      const o: Sparse24GemmOptions = {
        dtype,
        m,
        k,
        n,
        tile: SPARSE_GEMM_TILES[name]!,
        decode: decode as DecodeMode,
      };
      o.splitK = usedSplitK(k, sk === "auto" ? autoSparseSplitK(m, k, n, o.tile) : Number(sk));
      splitK = o.splitK;
      shader = { label, ...sparse24GemmWgsl(o) };
      groups = sparse24GemmDispatch(o);
      notes = {
        variant,
        tile: name,
        threads: tileDims(o.tile).threads,
        decode: o.decode,
        splitK: o.splitK,
      };
    }
    if (splitK > 1) {
      reduce = splitKReducePlan("sparse24", {
        dtype,
        m,
        n,
        splitK,
        vec: n % 4 === 0,
        f16io: "native",
        maxPerDim: limits.maxComputeWorkgroupsPerDimension,
      });
    }
  }
  return { shader, groups, reduce, notes };
}

/**
 * The 2:4 sparse kernel descriptor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(sparse24.family === "sparse24" && "mask" in sparse24.params);
 * ```
 */
export const sparse24: KernelDescriptor<Sparse24Prepared, Sparse24Config> = {
  name: "sparse24",
  family: "sparse24",
  summary: "Y = X·W̃, W̃ 2:4-pruned along K (magnitude or Wanda) and stored compressed",
  params: SPARSE24_PARAMS,
  tune: SPARSE24_TUNE,
  resolve: (params, shape, dtype, tune = {}) => resolveSparse24(params, tune, shape, dtype),
  tuneCandidates: sparse24TuneCandidates,
  // 2: the f32 GEMV takes 512 threads where 256 give fewer than two workgroups per SM.
  tuneRevision: 2,
  check(config) {
    const { tile, decode } = config;
    if (config.gatherMath !== "auto" && decode !== "gather") {
      throw new ParamError("gatherMath", `applies to decode "gather" only, got decode "${decode}"`);
    }
    if (tile === "auto") return;
    const gatherTile = tile in GATHER_TILES;
    if ((decode === "gather") !== gatherTile) {
      throw new ParamError(
        "tile",
        decode === "gather"
          ? `decode "gather" needs a gather tile (${
            Object.keys(GATHER_TILES).join(", ")
          }), got "${tile}"`
          : `gather tile "${tile}" needs decode "gather", got decode "${decode}"`,
      );
    }
  },
  requires: (_config, dtype) => (dtype === "f16" ? ["shader-f16"] : []),
  prepareKey: (config, dtype) => `${config.mask}|${dtype}`,
  prepare(input) {
    const { k, n } = input.shape;
    return prepareSparse24(
      input.w,
      k,
      n,
      input.config.mask,
      input.dtype,
      input.calib,
      input.calibRows,
    );
  },
  plan(ctx) {
    const { device, shape, dtype } = ctx;
    const { m, k, n } = shape;
    const weights = ctx.prepared.weights;
    const b = sparse24Build({ ...ctx, limits: device.limits });
    const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
    if (b.groups[0] > maxGroups || b.groups[1] > maxGroups) {
      throw new SkipCase(
        `needs ${b.groups[0]}×${
          b.groups[1]
        } workgroups, over maxComputeWorkgroupsPerDimension (${maxGroups})`,
      );
    }
    if (weights.k !== k || weights.n !== n) {
      throw new RangeError(`prepared weights are ${weights.k}×${weights.n}, shape is ${k}×${n}`);
    }
    const bx = inputBuffer(
      ctx,
      "sparse24:X",
      m * k * dtypeBytes(dtype),
      () => toDtypeArray(ctx.x, dtype),
    );
    const bv = createStorageBuffer(device, "sparse24:values", weights.values);
    const bm = createStorageBuffer(device, "sparse24:meta", weights.meta);
    const by = outputBuffer(ctx, "sparse24:Y", m * n * dtypeBytes(dtype));
    const padded = weights.kp !== k || weights.np !== n;
    return onePipelinePlan(ctx, {
      shader: b.shader,
      groups: b.groups,
      buffers: { X: bx, V: bv, Meta: bm, Y: by },
      output: { buffer: by, dtype },
      notes: padded ? { ...b.notes, padded: `stored ${weights.kp}×${weights.np}` } : b.notes,
      reduce: b.reduce,
    });
  },
  shaders: (input) => buildShaders(sparse24Build(input)),
  work: (shape, config, dtype) => ({
    ...sparse24Work(shape, dtype, config.variant === "gemm" && config.decode === "expand"),
    arithmetic: config.variant === "gemm" && config.decode === "gather" && config.half
      ? "f16x2"
      : "f32",
  }),
  reference: (input) =>
    sparse24Reference(input.prepared.weights, input.x, input.shape, input.dtype, input.rows),
  notes: (prepared) => ({ mask: prepared.mask, keptEnergy: prepared.keptEnergy }),
};
