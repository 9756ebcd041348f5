/**
 * INT4 weight-only quantised product (RTN or AWQ): packed uint4 weights with per-group scales
 * and zeros, dequantised in registers by a split-K GEMV (M ≤ 16) or a tiled GEMM.
 *
 * @module
 */

import {
  createStorageBuffer,
  destroyOwned,
  dtypeBytes,
  inputBuffer,
  outputBuffer,
  toDtypeArray,
} from "../../harness/gpu/buffers.ts";
import {
  defaultTolerance,
  type KernelDescriptor,
  ParamError,
  paramOr,
  SkipCase,
} from "../../harness/kernel.ts";
import type { DType } from "../../harness/types.ts";
import { GEMM_TILES } from "../dense/gemm_wgsl.ts";
import { groupProblem, padK } from "./format.ts";
import { int4GemmDispatch, int4GemmWgsl } from "./gemm_wgsl.ts";
import {
  GEMV_MATHS,
  gemvAwqTable,
  gemvWorkgroupBytes,
  INT4_GEMV_MAX_M,
  int4GemvDispatch,
  int4GemvWgsl,
} from "./gemv_wgsl.ts";
import { INT4_METHODS, type Int4Method, type Int4Prepared, prepareInt4 } from "./prepare.ts";
import { int4Reference } from "./reference.ts";
import { INT4_VARIANTS, int4Layout, int4Work } from "./work.ts";

export { dequantize, type Int4Weights, packCodes, padK, unpackCodes } from "./format.ts";
export { quantizeRtn, rtnCode, rtnParams } from "./rtn.ts";
export { AWQ_GRID, awqScales, quantizeAwq } from "./awq.ts";
export { type Int4Prepared, prepareInt4 } from "./prepare.ts";
export { int4Reference } from "./reference.ts";
export { int4Layout, int4Work } from "./work.ts";

/** X (M×K) with zero columns up to kPadded, in the activation dtype. */
function paddedX(x: Float32Array, m: number, k: number, dtype: DType): Float32Array | Float16Array {
  const kp = padK(k);
  if (kp === k) return toDtypeArray(x, dtype);
  const out = new Float32Array(m * kp);
  for (let r = 0; r < m; r++) out.set(x.subarray(r * k, r * k + k), r * kp);
  return toDtypeArray(out, dtype);
}

/**
 * The int4 kernel descriptor.
 *
 * @example
 * ```ts
 * console.assert(int4.family === "int4" && int4.params.method!.type === "enum");
 * ```
 */
export const int4: KernelDescriptor<Int4Prepared> = {
  name: "int4",
  family: "int4",
  summary: "Y = X·W' with W' INT4 (RTN or AWQ), packed 8 per u32, dequantised in registers",
  params: {
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
    gemvSlices: {
      type: "enum",
      values: ["auto", "16", "32", "64", "128"],
      default: "auto",
      doc: "GEMV K slices per workgroup (threads = column groups × slices; tuning knob)",
    },
    gemvUnroll: {
      type: "enum",
      values: ["auto", "1", "2", "4", "8", "16"],
      default: "auto",
      doc: "GEMV packed rows loaded per step, one step ahead (must divide group/8; tuning knob)",
    },
    gemvCols: {
      type: "enum",
      values: ["auto", "4", "8", "16"],
      default: "auto",
      doc: "GEMV column-threads per workgroup (each 1–4 columns; tuning knob)",
    },
    gemvCpt: {
      type: "enum",
      values: ["auto", "1", "2", "4"],
      default: "auto",
      doc: "GEMV columns per thread (u32, vec2 or vec4 word loads; must divide N; tuning knob)",
    },
    gemvAccs: {
      type: "enum",
      values: ["auto", "1", "2"],
      default: "auto",
      doc: "GEMV accumulator sets per row (2 halves the dependent FMA chains; tuning knob)",
    },
    gemvMath: {
      type: "enum",
      values: ["auto", ...GEMV_MATHS],
      default: "auto",
      doc: "GEMV arithmetic: f32, or f16x2 (packed halves, f16 partial sums carried into f32; " +
        "needs shader-f16, f16 tolerance); auto = f16x2 for f16 activations at M ≤ 3, else f32",
    },
    gemvStageX: {
      type: "enum",
      values: ["auto", "on", "off"],
      default: "auto",
      doc: "f16x2 GEMV at M ≤ 3: stage X once per workgroup as f16 pairs in workgroup memory; " +
        "auto = on for workgroups of ≥ 256 threads when X takes ≤ 32 KiB there",
    },
    gemvFanIn: {
      type: "enum",
      values: ["auto", "2", "4", "8"],
      default: "auto",
      doc: "GEMV split-K reduction fan-in: partials summed per barriered step (2 = binary tree); " +
        "auto = 8",
    },
    gemvPrefetch: {
      type: "enum",
      values: ["auto", "1", "2"],
      default: "auto",
      doc: "GEMV steps of packed words in flight while one is computed (2 = the next two; " +
        "tuning knob); auto = 1",
    },
    gemvWideLoads: {
      type: "enum",
      values: ["auto", "on", "off"],
      default: "auto",
      doc: "GEMV: one load for a thread's scales (zeros) of all its columns and one 16-byte " +
        "load for X's 8 values of a packed row (tuning knob); auto = off",
    },
    gemvXAhead: {
      type: "enum",
      values: ["auto", "on", "off"],
      default: "auto",
      doc: "GEMV: load X's values of a step one step ahead, with the packed words, instead of " +
        "when the step is computed (not with staged X or gemvPrefetch 2); auto = off",
    },
  },
  check(params, shape) {
    const problem = groupProblem(paramOr(params, "group", 128), shape.k);
    if (problem) throw new ParamError("group", problem);
    if (paramOr(params, "clip", false) && paramOr(params, "method", "rtn") !== "awq") {
      throw new ParamError("clip", `only applies to method "awq", got method "rtn"`);
    }
    const layout = int4Layout(shape, params, "f32");
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
      if (paramOr(params, "gemvXAhead", "auto") === "on" && !o.xAhead) {
        throw new ParamError(
          "gemvXAhead",
          `"on" needs X unstaged and gemvPrefetch 1, got stageX ${o.stageX}, prefetch ${o.prefetch}`,
        );
      }
      if (paramOr(params, "gemvStageX", "auto") === "on" && !o.stageX) {
        throw new ParamError(
          "gemvStageX",
          `"on" needs the f16x2 arithmetic at M ≤ 3, got gemvMath ${o.math} at M = ${o.m}`,
        );
      }
      if (o.cols * o.slices > 1024) {
        throw new ParamError(
          "gemvSlices",
          `gemvCols × gemvSlices must be ≤ 1024 threads, got ${o.cols} × ${o.slices}`,
        );
      }
    }
    if (paramOr(params, "variant", "auto") === "gemv" && shape.m > INT4_GEMV_MAX_M) {
      throw new SkipCase(`variant gemv needs M ≤ ${INT4_GEMV_MAX_M}, got M = ${shape.m}`);
    }
  },
  requires: (params, dtype) =>
    dtype === "f16" || paramOr(params, "gemvMath", "auto") === "f16x2" ? ["shader-f16"] : [],
  tolerance(shape, params, dtype) {
    const layout = int4Layout(shape, params, dtype);
    const half = layout.variant === "gemv" && layout.gemv.math === "f16x2";
    return defaultTolerance(half ? "f16" : dtype);
  },
  prepareKey(params) {
    const method = paramOr(params, "method", "rtn");
    const base = `${method}|${paramOr(params, "group", 128)}|${
      paramOr(params, "scaleDtype", "f16")
    }`;
    return method === "awq"
      ? `${base}|${paramOr(params, "clip", false)}|${paramOr(params, "searchCols", 128)}`
      : base;
  },
  prepare(input) {
    const { shape, params } = input;
    return prepareInt4(input.w, shape.k, shape.n, input.calib, input.calibRows, {
      method: paramOr(params, "method", "rtn") as Int4Method,
      group: paramOr(params, "group", 128),
      scaleDtype: paramOr(params, "scaleDtype", "f16") as DType,
      clip: paramOr(params, "clip", false),
      searchCols: paramOr(params, "searchCols", 128),
    }, input.seed);
  },
  async plan(ctx) {
    const { device, shape, dtype, params, prepared } = ctx;
    const { m, k, n } = shape;
    const layout = int4Layout(shape, params, dtype);
    const wl = prepared.weights;
    if (wl.k !== k || wl.n !== n) throw new Error(`prepared weights are ${wl.k}×${wl.n}`);
    let code: string;
    let groups: [number, number, number];
    let notes: Record<string, unknown>;
    let table: Float32Array | null = null;
    if (layout.variant === "gemv") {
      const o = layout.gemv;
      const wgBytes = gemvWorkgroupBytes(o);
      if (wgBytes > device.limits.maxComputeWorkgroupStorageSize) {
        throw new SkipCase(`GEMV needs ${wgBytes} bytes of workgroup memory, over the limit`);
      }
      code = int4GemvWgsl(o);
      groups = [int4GemvDispatch(o), 1, 1];
      if (prepared.invScale) table = gemvAwqTable(prepared.invScale, o);
      notes = {
        variant: "gemv",
        columnsPerThread: o.cpt,
        columnsPerWorkgroup: o.cpt * o.cols,
        slices: o.slices,
        unroll: o.unroll,
        accumulatorSets: o.accs,
        dequant: o.prescale ? "prescale-x" : "per-weight",
        math: o.math,
        stagedX: o.stageX,
      };
    } else {
      const o = layout.gemm;
      code = int4GemmWgsl(o);
      groups = int4GemmDispatch(o);
      table = prepared.invScale;
      notes = { variant: "gemm", tile: layout.tileName };
    }
    if (groups[0] > device.limits.maxComputeWorkgroupsPerDimension) {
      throw new SkipCase(
        `needs ${groups[0]} workgroups in x, over maxComputeWorkgroupsPerDimension`,
      );
    }
    const pipeline = await ctx.pipelines.get(
      `int4-${layout.variant}-${dtype}-${m}x${k}x${n}`,
      code,
    );
    const buffers = [
      inputBuffer(
        ctx,
        "int4:X",
        m * padK(k) * dtypeBytes(dtype),
        () => paddedX(ctx.x, m, k, dtype),
      ),
      createStorageBuffer(device, "int4:Q", wl.qweight),
      createStorageBuffer(device, "int4:scales", wl.scales),
      createStorageBuffer(device, "int4:zeros", wl.zeros),
      outputBuffer(ctx, "int4:Y", m * n * dtypeBytes(dtype)),
    ];
    if (table) buffers.push(createStorageBuffer(device, "int4:invScale", table));
    const by = buffers[4]!;
    const bindGroup = device.createBindGroup({
      label: "int4",
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return {
      dispatch(pass) {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(...groups);
      },
      output: { buffer: by, dtype },
      notes: {
        ...notes,
        xScaling: prepared.invScale
          ? "1/s fused into the kernel's X loads (counted in flops.overhead and bytes)"
          : null,
      },
      destroy() {
        destroyOwned(ctx, buffers);
      },
    };
  },
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
  notes(prepared, shape, _params, dtype) {
    const w = prepared.weights;
    const work = int4Work(shape, _params, dtype);
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
