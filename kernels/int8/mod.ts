/**
 * LLM.int8()-style W8A8 product: per-row activation scales and per-column weight scales,
 * symmetric int8, i32 accumulation; the outlier feature dimensions optionally split out and added
 * in f32 (LLM.int8()), optional SmoothQuant migration. M ≤ 32: one GEMV pass that quantises X
 * itself (at M = 1 and N ≥ 3072 the streaming GEMV); larger M: an activation quantisation pass,
 * then the int8 GEMM.
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
  DEFAULT_SHADER_LIMITS,
  type KernelDescriptor,
  type ShaderLimits,
  SkipCase,
} from "../../harness/kernel.ts";
import type { DType, Shape } from "../../harness/types.ts";
import { pipelineStep, stepsPlan, type WgslShader } from "../wgsl/mod.ts";
import { int8GemmDispatch, type Int8GemmOptions, int8GemmWgsl } from "./gemm_wgsl.ts";
import {
  INT8_GEMV_MAX_M,
  int8GemvDispatch,
  int8GemvLayout,
  type Int8GemvOptions,
  int8GemvProblem,
  int8GemvVec4,
  int8GemvWgsl,
} from "./gemv_wgsl.ts";
import { int8StreamProblem, int8StreamWgsl } from "./gemv_stream.ts";
import {
  gemvOptionsOf,
  INT8_PARAMS,
  INT8_TILES,
  INT8_TUNE,
  type Int8Config,
  int8Scaled,
  int8TuneCandidates,
  PACKED_DOT_FEATURE,
  resolveInt8,
} from "./params.ts";
import { type Int8Prepared, prepareInt8 } from "./prepare.ts";
import { quantWgsl } from "./quant_wgsl.ts";
import { int8Reference } from "./reference.ts";
import { int8OpCounts, int8Work } from "./work.ts";

export { type Int8Prepared, prepareInt8 } from "./prepare.ts";
export { INT8_PARAMS, INT8_TUNE, type Int8Config, resolveInt8 } from "./params.ts";
export { int8Reference } from "./reference.ts";
export { int8OpCounts, int8Work } from "./work.ts";

/** Why the GEMV of `variant` (gemv, gemv2 or stream) cannot run `o`, or null. */
function gemvProblem(o: Int8GemvOptions, variant: Int8Config["variant"]): string | null {
  return variant === "stream" ? int8StreamProblem(o) : int8GemvProblem(o);
}

function gemmOptions(shape: Shape, dtype: DType, config: Int8Config): Int8GemmOptions {
  const tile = INT8_TILES[config.tile]!;
  return {
    dtype,
    ...shape,
    bm: tile.bm,
    bn: tile.bn,
    dot: config.dot,
    outliers: config.outliers === "llm-int8",
  };
}

/**
 * The shaders of a case in dispatch order: the one-pass GEMV alone (it quantises X itself), or
 * the activation pass and then the two-pass GEMV (`gemv2`) or the GEMM.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 3, k: 8, n: 4 };
 * const s = int8Shaders(shape, "f32", resolveInt8({}, { dot: "unpacked" }, shape));
 * assert.deepEqual(s.map((x) => x.label), ["int8-gemv-f32-3x8x4"]);
 * const g = int8Shaders(shape, "f32", resolveInt8({}, { variant: "gemm" }, shape));
 * assert.deepEqual(g.map((x) => x.label), ["int8-quant-f32-3x8", "int8-gemm-f32-3x8x4"]);
 * const v = int8Shaders(shape, "f32", resolveInt8({}, { variant: "gemv2" }, shape));
 * assert.deepEqual(v.map((x) => x.label), ["int8-quant-f32-3x8", "int8-gemv2-f32-3x8x4"]);
 * ```
 */
export function int8Shaders(
  shape: Shape,
  dtype: DType,
  config: Int8Config,
  limits: ShaderLimits = DEFAULT_SHADER_LIMITS,
): WgslShader[] {
  const { m, k, n } = shape;
  if (config.variant === "gemv") {
    return [{
      label: `int8-gemv-${dtype}-${m}x${k}x${n}`,
      ...int8GemvWgsl(gemvOptionsOf(shape, dtype, config, limits)),
    }];
  }
  if (config.variant === "stream") {
    return [{
      label: `int8-stream-${dtype}-${m}x${k}x${n}`,
      ...int8StreamWgsl(gemvOptionsOf(shape, dtype, config, limits)),
    }];
  }
  const quant = {
    label: `int8-quant-${dtype}-${m}x${k}`,
    ...quantWgsl({
      dtype,
      m,
      k,
      scaled: int8Scaled(config),
      maxThreads: limits.maxComputeInvocationsPerWorkgroup,
    }),
  };
  if (config.variant === "gemv2") {
    return [quant, {
      label: `int8-gemv2-${dtype}-${m}x${k}x${n}`,
      ...int8GemvWgsl(gemvOptionsOf(shape, dtype, config, limits)),
    }];
  }
  return [
    quant,
    {
      label: `int8-gemm-${dtype}-${m}x${k}x${n}`,
      ...int8GemmWgsl(gemmOptions(shape, dtype, config)),
    },
  ];
}

/**
 * The int8 kernel descriptor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(int8.family, "int8");
 * assert.equal(int8.resolve({}, { m: 64, k: 64, n: 64 }, "f32").outliers, "none");
 * ```
 */
export const int8: KernelDescriptor<Int8Prepared, Int8Config> = {
  name: "int8",
  family: "int8",
  summary: "W8A8 (LLM.int8()): per-token and per-channel int8 scales, optional outlier " +
    "dimensions in f32 and SmoothQuant",
  params: INT8_PARAMS,
  tune: INT8_TUNE,
  resolve: (params, shape, _dtype, tune = {}) => resolveInt8(params, tune, shape),
  tuneCandidates: (shape, _dtype, config) => int8TuneCandidates(shape, config),
  // 2: the GEMV reads X once by default where it applies, and serves M ≤ 32; 3: the two-pass GEMV
  // is a candidate; 4: the GEMM's tile 32x32 by default; 5: the streaming GEMV at M = 1, N ≥ 3072
  tuneRevision: 5,
  check(config, shape, dtype) {
    const v = config.variant;
    if (v !== "gemm" && shape.m > INT8_GEMV_MAX_M) {
      throw new SkipCase(`variant ${v} needs M ≤ ${INT8_GEMV_MAX_M}, got M = ${shape.m}`);
    }
    if (v !== "gemm") {
      const problem = gemvProblem(gemvOptionsOf(shape, dtype, config), v);
      if (problem) throw new SkipCase(`variant ${v} ${problem}`);
    }
    if (shape.m > 65535) throw new SkipCase(`the activation pass needs M ≤ 65535, got ${shape.m}`);
  },
  requires: (_config, dtype) => (dtype === "f16" ? ["shader-f16"] : []),
  prepareKey: (c, dtype) => `${dtype}:${c.outliers}:${c.threshold}:${c.smooth}`,
  prepare: (input) =>
    prepareInt8(input.w, input.calib, input.calibRows, input.shape, input.dtype, input.config),
  async plan(ctx) {
    const { device, shape, dtype, config, prepared: p } = ctx;
    const { m, k, n } = shape;
    const gemv = config.variant !== "gemm";
    const stream = config.variant === "stream";
    const onePass = config.variant === "gemv" || stream;
    const gemvOptions = gemv ? gemvOptionsOf(shape, dtype, config, device.limits) : null;
    // `check` assumed the default workgroup storage; this device may have less
    const problem = gemvOptions && gemvProblem(gemvOptions, config.variant);
    if (problem) throw new SkipCase(`variant ${config.variant} ${problem} on this device`);
    const shaders = int8Shaders(shape, dtype, config, device.limits);
    const groups = gemvOptions
      ? int8GemvDispatch(gemvOptions)
      : int8GemmDispatch(gemmOptions(shape, dtype, config));
    const threads = config.cols * config.slices;
    if (gemv && threads > device.limits.maxComputeInvocationsPerWorkgroup) {
      throw new SkipCase(`GEMV workgroup of ${threads} threads is over the device's limit`);
    }
    if (Math.max(...groups) > device.limits.maxComputeWorkgroupsPerDimension) {
      throw new SkipCase(
        `needs ${
          Math.max(...groups)
        } workgroups in a dimension, over maxComputeWorkgroupsPerDimension`,
      );
    }
    const k4 = Math.ceil(k / 4);
    const eb = dtypeBytes(dtype);
    const bufs: Record<string, GPUBuffer> = {
      X: inputBuffer(ctx, "int8:X", m * k * eb, () => toDtypeArray(ctx.x, dtype)),
      IS: createStorageBuffer(device, "int8:IS", p.invS),
      ...(onePass ? {} : {
        XQ: createStorageBuffer(device, "int8:XQ", m * k4 * 4),
        SX: createStorageBuffer(device, "int8:SX", m * 4),
      }),
      WQ: createStorageBuffer(device, "int8:WQ", p.wq),
      SW: createStorageBuffer(device, "int8:SW", p.sw),
      OI: createStorageBuffer(device, "int8:OI", p.oi),
      WO: createStorageBuffer(device, "int8:WO", toDtypeArray(p.wo, dtype)),
      Y: outputBuffer(ctx, "int8:Y", m * n * eb),
    };
    const owned = Object.values(bufs);
    try {
      const steps = onePass ? [await pipelineStep(ctx, shaders[0]!, bufs, groups)] : [
        await pipelineStep(ctx, shaders[0]!, bufs, [m, 1, 1]),
        await pipelineStep(ctx, shaders[1]!, bufs, groups),
      ];
      const layout = gemvOptions ? int8GemvLayout(gemvOptions) : null;
      return stepsPlan(ctx, steps, { buffer: bufs.Y!, dtype }, owned, {
        variant: config.variant,
        passes: steps.length,
        ...(layout
          ? {
            cols: config.cols,
            slices: config.slices,
            vec4: int8GemvVec4(k),
            wordsPerThread: layout.steps,
            // the streaming GEMV stages every row of codes, read from X twice
            ...(stream
              ? { rowsStaged: m, xReads: "twice" }
              : onePass
              ? { rowsStaged: layout.stageRows, xReads: config.xReads }
              : { codes: "activation pass" }),
            ...(config.blocks > 1 ? { blocks: config.blocks } : {}),
          }
          : { tile: config.tile }),
        dot: config.dot === "packed"
          ? `dot4I8Packed (WGSL ${PACKED_DOT_FEATURE})`
          : "unpacked (extractBits, i32 multiply-adds)",
      });
    } catch (e) {
      for (const b of owned) if (b !== ctx.output && b !== ctx.input) b.destroy();
      throw e;
    }
  },
  shaders: (input) => int8Shaders(input.shape, input.dtype, input.config, input.limits),
  work: (shape, config, dtype, prepared) =>
    // the one-pass GEMV writes no codes to memory; the activation pass does (GEMM, gemv2)
    int8Work(
      shape,
      dtype,
      prepared ? prepared.oi[0]! : 0,
      config.variant === "gemv" || config.variant === "stream",
    ),
  reference: (input) =>
    int8Reference(input.x, input.prepared, input.shape, input.dtype, input.rows),
  notes(p, shape, config) {
    const count = p.oi[0]!;
    return {
      outlierDims: count,
      outlierFraction: count / shape.k,
      outlierDecision: config.outliers === "llm-int8"
        ? "from the calibration rows at preparation (LLM.int8() decides per batch of X)"
        : "none",
      smooth: config.smooth,
      calibAbsMax: p.calibAbsMax,
      weightError: p.weightError,
      ops: int8OpCounts(shape, count),
    };
  },
};
