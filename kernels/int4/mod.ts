/**
 * INT4 weight-only quantised product (RTN or AWQ): packed uint4 weights with per-group scales
 * and zeros, dequantised in registers by a split-K GEMV (M ≤ 16) or a tiled GEMM.
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
  defaultTolerance,
  type KernelDescriptor,
  ParamError,
  type ShaderLimits,
  SkipCase,
} from "../../harness/kernel.ts";
import type { DType, Shape } from "../../harness/types.ts";
import {
  buildShaders,
  type OnePipelineBuild,
  onePipelinePlan,
  splitKReducePlan,
} from "../wgsl/mod.ts";
import { padK } from "./format.ts";
import { int4GemmDispatch, int4GemmWgsl } from "./gemm_wgsl.ts";
import {
  gemvAwqTable,
  gemvWorkgroupBytes,
  INT4_GEMV_MAX_M,
  int4GemvDispatch,
  int4GemvWgsl,
  withHeldExponent,
} from "./gemv_wgsl.ts";
import { INT4_PARAMS, INT4_TUNE, type Int4Config, resolveInt4 } from "./params.ts";
import { type Int4Prepared, prepareInt4 } from "./prepare.ts";
import { int4Reference } from "./reference.ts";
import { int4Arithmetic, int4Work } from "./work.ts";
import { int4TuneCandidates } from "./tune.ts";

export { dequantize, type Int4Weights, packCodes, padK, unpackCodes } from "./format.ts";
export { quantizeRtn, rtnCode, rtnParams } from "./rtn.ts";
export { AWQ_GRID, type AwqResult, awqScales, quantizeAwq } from "./awq.ts";
export { INT4_METHODS, type Int4Method, type Int4Prepared, prepareInt4 } from "./prepare.ts";
export type { Int4GemvTuning } from "./gemv_wgsl.ts";
export { GEMV_MATHS, type GemvMath, type Int4GemvOptions } from "./gemv_options.ts";
export type { Int4GemmOptions } from "./gemm_wgsl.ts";
export type { Int4ShaderInputs } from "./shader_inputs.ts";
export { int4Reference } from "./reference.ts";
export { type Int4Choice, type Int4Layout, int4Layout, int4Work } from "./work.ts";
export {
  gemvMath,
  gemvTuning,
  INT4_PARAMS,
  INT4_TUNE,
  type Int4Config,
  resolveInt4,
} from "./params.ts";

/** X (M×K) with zero columns up to kPadded, in the activation dtype. */
function paddedX(x: Float32Array, m: number, k: number, dtype: DType): Float32Array | Float16Array {
  const kp = padK(k);
  if (kp === k) return toDtypeArray(x, dtype);
  const out = new Float32Array(m * kp);
  for (let r = 0; r < m; r++) out.set(x.subarray(r * k, r * k + k), r * kp);
  return toDtypeArray(out, dtype);
}

/**
 * The shader of an int4 case: the GEMV or the GEMM of its resolved layout. Throws
 * {@link SkipCase} for a GEMV over the device's workgroup memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_SHADER_LIMITS } from "../../harness/kernel.ts";
 * const shape = { m: 1, k: 256, n: 128 };
 * const config = int4.resolve({ group: 8 }, shape, "f16");
 * const b = int4Build({ shape, dtype: "f16", config, limits: DEFAULT_SHADER_LIMITS });
 * assert.equal(b.shader.label, "int4-gemv-f16-1x256x128");
 * ```
 */
export function int4Build(
  input: { shape: Shape; dtype: DType; config: Int4Config; limits: ShaderLimits },
): OnePipelineBuild {
  const { shape, dtype, limits } = input;
  const { m, k, n } = shape;
  const { layout } = input.config;
  const label = `int4-${layout.variant}-${dtype}-${m}x${k}x${n}`;
  if (layout.variant === "gemv") {
    // The decode's exponent is held in a register where its bytes fit the device.
    const o = withHeldExponent(
      layout.gemv,
      gemvWorkgroupBytes,
      limits.maxComputeWorkgroupStorageSize,
    );
    const hold = o.hold ?? false;
    const wgBytes = gemvWorkgroupBytes(o);
    if (wgBytes > limits.maxComputeWorkgroupStorageSize) {
      throw new SkipCase(`GEMV needs ${wgBytes} bytes of workgroup memory, over the limit`);
    }
    return {
      shader: { label, ...int4GemvWgsl(o) },
      groups: [int4GemvDispatch(o), 1, 1],
      notes: {
        variant: "gemv",
        columnsPerThread: o.cpt,
        columnsPerWorkgroup: o.cpt * o.cols,
        slices: o.slices,
        unroll: o.unroll,
        accumulatorSets: o.accs,
        dequant: o.prescale ? "prescale-x" : "per-weight",
        math: o.math,
        stagedX: o.stageX,
        heldExponent: hold,
        leanRegisters: o.lean,
      },
    };
  }
  const o = layout.gemm;
  const splitK = o.splitK ?? 1;
  return {
    shader: { label, ...int4GemmWgsl(o) },
    groups: int4GemmDispatch(o),
    reduce: splitK > 1
      ? splitKReducePlan("int4", {
        dtype,
        m,
        n,
        splitK,
        vec: n % 4 === 0,
        f16io: "native",
        maxPerDim: limits.maxComputeWorkgroupsPerDimension,
      })
      : null,
    notes: {
      variant: "gemm",
      tile: layout.tileName,
      splitK,
      math: o.half ? "f16x2" : "f32",
      ...(o.half ? { halfCarry: o.halfCarry, stage: "pairs" } : {}),
    },
  };
}

/**
 * The int4 kernel descriptor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(int4.family === "int4" && int4.params.method!.type === "enum");
 * // A configuration for a case, as the runner builds it (also for callers that plan directly).
 * const config = int4.resolve({ group: 64 }, { m: 1, k: 512, n: 96 }, "f16", { gemvSlices: "32" });
 * assert.ok(config.layout.variant === "gemv" && config.layout.gemv.slices === 32);
 * ```
 */
export const int4: KernelDescriptor<Int4Prepared, Int4Config> = {
  name: "int4",
  family: "int4",
  summary: "Y = X·W' with W' INT4 (RTN or AWQ), packed 8 per u32, dequantised in registers",
  params: INT4_PARAMS,
  tune: INT4_TUNE,
  resolve: (params, shape, dtype, tune = {}) => resolveInt4(params, tune, shape, dtype),
  tuneCandidates: int4TuneCandidates,
  // 2: the GEMV's K slices from M = 9 on (`WIDE_M_SLICES_FROM`); 3: the split-K GEMM beside
  // the GEMV from M = 8 on, and split-K GEMM candidates; 4: 16 K slices at M ≤ 12 on wide grids;
  // 5: the GEMM in packed halves for f16 activations (`gemmMath: auto`), with its own tile rule;
  // 6: the dense tile and split-K rules in f32 arithmetic too.
  tuneRevision: 6,
  check(config, shape) {
    const { layout, tuning } = config;
    if (layout.variant === "gemv") {
      const o = layout.gemv;
      if ((o.group / 8) % o.unroll !== 0) {
        throw new ParamError(
          "gemvUnroll",
          `must divide group/8 = ${o.group / 8} (packed rows per group), got ${o.unroll}`,
        );
      }
      if (o.n % o.cpt !== 0) {
        throw new ParamError("gemvCpt", `must divide N = ${o.n}, got ${o.cpt}`);
      }
      if (tuning.stageX === true && !o.stageX) {
        throw new ParamError(
          "gemvStageX",
          `"on" needs the f16x2 arithmetic at M ≤ 3, got gemvMath ${o.math} at M = ${o.m}`,
        );
      }
      if (o.lean && (o.math !== "f32" || o.prescale)) {
        throw new ParamError(
          "gemvLean",
          `"on" needs the f32 arithmetic's per-weight dequantisation (M > 3), got gemvMath ${o.math} at M = ${o.m}`,
        );
      }
      if (o.cols * o.slices > 1024) {
        throw new ParamError(
          "gemvSlices",
          `gemvCols × gemvSlices must be ≤ 1024 threads, got ${o.cols} × ${o.slices}`,
        );
      }
      if (shape.m > INT4_GEMV_MAX_M) {
        throw new SkipCase(`variant gemv needs M ≤ ${INT4_GEMV_MAX_M}, got M = ${shape.m}`);
      }
    }
  },
  // gemmMath f16x2 asked: also for the GEMM candidates the tuner times beside a GEMV (a GEMM in
  // halves otherwise has f16 data, since auto picks halves only for it).
  requires: (config, dtype) =>
    dtype === "f16" || config.gemvMath === "f16x2" || config.gemmMath === "f16x2"
      ? ["shader-f16"]
      : [],
  tolerance: (_shape, config, dtype) =>
    defaultTolerance(int4Arithmetic(config.layout) === "f16x2" ? "f16" : dtype),
  prepareKey(c) {
    const base = `${c.method}|${c.group}|${c.scaleDtype}`;
    return c.method === "awq" ? `${base}|${c.clip}|${c.searchCols}` : base;
  },
  prepare(input) {
    const { shape, config: c } = input;
    return prepareInt4(input.w, shape.k, shape.n, input.calib, input.calibRows, {
      method: c.method,
      group: c.group,
      scaleDtype: c.scaleDtype,
      clip: c.clip,
      searchCols: c.searchCols,
    }, input.seed);
  },
  plan(ctx) {
    const { device, shape, dtype, prepared } = ctx;
    const { m, k, n } = shape;
    const { layout } = ctx.config;
    const wl = prepared.weights;
    if (wl.k !== k || wl.n !== n) throw new Error(`prepared weights are ${wl.k}×${wl.n}`);
    const b = int4Build({ ...ctx, limits: device.limits });
    const table = layout.variant === "gemv"
      ? (prepared.invScale ? gemvAwqTable(prepared.invScale, layout.gemv) : null)
      : prepared.invScale;
    if (b.groups[0] > device.limits.maxComputeWorkgroupsPerDimension) {
      throw new SkipCase(
        `needs ${b.groups[0]} workgroups in x, over maxComputeWorkgroupsPerDimension`,
      );
    }
    const by = outputBuffer(ctx, "int4:Y", m * n * dtypeBytes(dtype));
    const buffers: Record<string, GPUBuffer> = {
      X: inputBuffer(
        ctx,
        "int4:X",
        m * padK(k) * dtypeBytes(dtype),
        () => paddedX(ctx.x, m, k, dtype),
      ),
      Q: createStorageBuffer(device, "int4:Q", wl.qweight),
      S: createStorageBuffer(device, "int4:scales", wl.scales),
      Z: createStorageBuffer(device, "int4:zeros", wl.zeros),
      Y: by,
    };
    if (table) buffers.XS = createStorageBuffer(device, "int4:invScale", table);
    return onePipelinePlan(ctx, {
      shader: b.shader,
      groups: b.groups,
      reduce: b.reduce,
      buffers,
      output: { buffer: by, dtype },
      notes: {
        ...b.notes,
        xScaling: prepared.invScale
          ? "1/s fused into the kernel's X loads (counted in flops.overhead and bytes)"
          : null,
      },
    });
  },
  shaders: (input) => buildShaders(int4Build(input)),
  work: int4Work,
  reference: (input) =>
    int4Reference(
      input.x,
      input.shape,
      input.dtype,
      input.prepared.weights,
      input.prepared.invScale,
      input.rows,
    ),
  notes(prepared, shape, config, dtype) {
    const w = prepared.weights;
    const work = int4Work(shape, config, dtype);
    const out: Record<string, unknown> = {
      method: prepared.method,
      group: w.group,
      scaleDtype: w.scaleDtype,
      kPadded: w.kPadded,
      storedVsDense: work.storedBytes / (shape.k * shape.n * dtypeBytes(dtype)),
    };
    if (w.kPadded !== shape.k) {
      out.padding = `K padded with zero rows from ${shape.k} to ${w.kPadded}`;
    }
    if (prepared.awq) {
      const a = prepared.awq;
      out.awqAlpha = a.alpha;
      out.awqCalibError = a.grid.find((g) => g.alpha === a.alpha)!.relError;
      out.awqCalibErrorRtn = a.grid[0]!.relError;
      out.awqSearch = { grid: a.grid.length, searchCols: a.searchCols, calibRows: a.calibRows };
      if (a.clip) out.awqClip = a.clip;
    }
    return out;
  },
};
