/**
 * LLM.int8()-style W8A8 product: per-row activation scales and per-column weight scales,
 * symmetric int8, an activation quantisation pass and an int8 GEMM with i32 accumulation; the
 * outlier feature dimensions optionally split out and added in f32 (LLM.int8()), optional
 * SmoothQuant migration.
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
import { type KernelDescriptor, SkipCase } from "../../harness/kernel.ts";
import type { DType, Shape } from "../../harness/types.ts";
import { pipelineStep, stepsPlan, type WgslShader } from "../wgsl/mod.ts";
import { int8GemmDispatch, type Int8GemmOptions, int8GemmWgsl } from "./gemm_wgsl.ts";
import {
  INT8_GEMV_MAX_M,
  int8GemvDispatch,
  type Int8GemvOptions,
  int8GemvVec4,
  int8GemvWgsl,
} from "./gemv_wgsl.ts";
import {
  INT8_PARAMS,
  INT8_TILES,
  INT8_TUNE,
  type Int8Config,
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

function gemvOptions(shape: Shape, dtype: DType, config: Int8Config): Int8GemvOptions {
  return {
    dtype,
    ...shape,
    cols: config.cols,
    slices: config.slices,
    dot: config.dot,
    outliers: config.outliers === "llm-int8",
  };
}

/** Workgroups of a case's product pass (GEMM or GEMV). */
function productGroups(shape: Shape, dtype: DType, config: Int8Config): [number, number, number] {
  return config.variant === "gemv"
    ? int8GemvDispatch(gemvOptions(shape, dtype, config))
    : int8GemmDispatch(gemmOptions(shape, dtype, config));
}

/**
 * The two shaders of a case in dispatch order: the activation pass, then the GEMM or GEMV.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = { m: 3, k: 8, n: 4 };
 * const s = int8Shaders(shape, "f32", resolveInt8({}, { dot: "unpacked" }, shape));
 * assert.deepEqual(s.map((x) => x.label), ["int8-quant-f32-3x8", "int8-gemv-f32-3x8x4"]);
 * ```
 */
export function int8Shaders(shape: Shape, dtype: DType, config: Int8Config): WgslShader[] {
  const { m, k, n } = shape;
  return [
    { label: `int8-quant-${dtype}-${m}x${k}`, ...quantWgsl({ dtype, m, k }) },
    config.variant === "gemv"
      ? {
        label: `int8-gemv-${dtype}-${m}x${k}x${n}`,
        ...int8GemvWgsl(gemvOptions(shape, dtype, config)),
      }
      : {
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
  check(config, shape) {
    if (config.variant === "gemv" && shape.m > INT8_GEMV_MAX_M) {
      throw new SkipCase(`variant gemv needs M ≤ ${INT8_GEMV_MAX_M}, got M = ${shape.m}`);
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
    const [quant, gemm] = int8Shaders(shape, dtype, config);
    const groups = productGroups(shape, dtype, config);
    const threads = config.cols * config.slices;
    if (config.variant === "gemv" && threads > device.limits.maxComputeInvocationsPerWorkgroup) {
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
      XQ: createStorageBuffer(device, "int8:XQ", m * k4 * 4),
      SX: createStorageBuffer(device, "int8:SX", m * 4),
      WQ: createStorageBuffer(device, "int8:WQ", p.wq),
      SW: createStorageBuffer(device, "int8:SW", p.sw),
      OI: createStorageBuffer(device, "int8:OI", p.oi),
      WO: createStorageBuffer(device, "int8:WO", toDtypeArray(p.wo, dtype)),
      Y: outputBuffer(ctx, "int8:Y", m * n * eb),
    };
    const owned = Object.values(bufs);
    try {
      const steps = [
        await pipelineStep(ctx, quant!, bufs, [m, 1, 1]),
        await pipelineStep(ctx, gemm!, bufs, groups),
      ];
      return stepsPlan(ctx, steps, { buffer: bufs.Y!, dtype }, owned, {
        variant: config.variant,
        ...(config.variant === "gemm"
          ? { tile: config.tile }
          : { cols: config.cols, slices: config.slices, vec4: int8GemvVec4(k) }),
        dot: config.dot === "packed"
          ? `dot4I8Packed (WGSL ${PACKED_DOT_FEATURE})`
          : "unpacked (extractBits, i32 multiply-adds)",
      });
    } catch (e) {
      for (const b of owned) if (b !== ctx.output && b !== ctx.input) b.destroy();
      throw e;
    }
  },
  shaders: (input) => int8Shaders(input.shape, input.dtype, input.config),
  work: (shape, _config, dtype, prepared) => int8Work(shape, dtype, prepared ? prepared.oi[0]! : 0),
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
