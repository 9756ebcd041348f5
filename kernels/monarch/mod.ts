/**
 * Monarch structured matrices (Dao et al. 2022): Y = X·M with M = P·L·Pᵀ·R, R and L
 * block-diagonal with b blocks and P a reshape-transpose permutation (exact convention in
 * `layout.ts`), projected from the dense W block by block (`project.ts`), run as two batched
 * block GEMM passes (`wgsl.ts`). FLOPs 2·M·b·(K + N) instead of 2·M·K·N.
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
import type { DType, Shape } from "../../harness/types.ts";
import { destroyOwned } from "../../harness/gpu/buffers.ts";
import { pipelineStep, stepsPlan } from "../wgsl/mod.ts";
import { type MonarchDims, monarchDims } from "./layout.ts";
import { projectMonarch } from "./project.ts";
import { monarchReference } from "./reference.ts";
import { type MonarchPass, monarchStage1, monarchStage2, stage1Slices } from "./wgsl.ts";

export { monarchDense, type MonarchDims, monarchDims } from "./layout.ts";
export { type MonarchProjection, projectMonarch } from "./project.ts";
export { monarchReference } from "./reference.ts";
export { monarchGrid, monarchStage1, monarchStage2, stage1Slices } from "./wgsl.ts";

/** A monarch case's resolved configuration. */
export interface MonarchConfig {
  /** Blocks b of R and L. */
  blocks: number;
  /** How the factors come from the dense W. */
  projection: "svd";
  /** Threads per workgroup of both passes. */
  workgroup: number;
}

/** The factors as stored on the device, and the projection's facts. */
export interface MonarchPrepared {
  /** K×b, in the storage dtype. */
  r: Float32Array | Float16Array;
  /** b×N, in the storage dtype. */
  l: Float32Array | Float16Array;
  /** ‖W − M‖_F / ‖W‖_F of the projection (f64 factors). */
  relError: number;
  /** Power iterations run over all blocks. */
  iterations: number;
}

/** Public parameters: what is measured. */
export const MONARCH_PARAMS: Record<string, ParamSpec> = {
  blocks: {
    type: "int",
    min: 1,
    max: 256,
    default: 4,
    doc: "blocks b of each block-diagonal factor (R: b blocks of ⌈K/b⌉×b, L: b blocks of b×⌈N/b⌉)",
  },
  projection: {
    type: "enum",
    values: ["svd"],
    default: "svd",
    doc: "svd: each block pair of W replaced by its top singular pair (power iteration, f64)",
  },
};

/** The workgroup sizes `workgroup` may name besides `auto`, each a tuning candidate. */
const MONARCH_WORKGROUPS = ["64", "128", "256"];

/** Tuning knobs: how the passes are launched. */
export const MONARCH_TUNE: Record<string, ParamSpec> = {
  workgroup: {
    type: "enum",
    values: ["auto", ...MONARCH_WORKGROUPS],
    default: "auto",
    doc: "threads per workgroup of both passes (one output per thread); auto: " +
      "`monarchWorkgroup` (128 from b = 16 blocks where M ≥ 128, else 256)",
  },
};

/** Smallest M at which b ≥ 16 blocks take 128 threads a workgroup (`monarchWorkgroup`). */
const MONARCH_NARROW_MIN_M = 128;

/**
 * Threads per workgroup by default (`workgroup: auto`): 128 from b = 16 blocks where M ≥ 128, else
 * 256. On an NVIDIA H100 (`--tune full`, isolated medians, f32 and f16, M = 512 to 2048 on six
 * prefill projections) 256 was the fastest of 64, 128 and 256 for b = 4 on all 12 cases, but within
 * 10% of the fastest for b = 16 on 4 of 12, where 128 was within 10% on 10 (it loses 10–14% at
 * 1024×2048×8192). A held-out set (f16, b = 8, 16 and 32 at M = 1, 128 and 256 on three other
 * models' projections) kept 128 within 1% of the fastest for b = 16 and 32 at M = 128 and 256 (4 of
 * 4), but at M = 1 256 was 1.17–1.28× faster (4 of 4): hence the bound on M, read from that set.
 * M from 2 to 127 is not measured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(monarchWorkgroup(4, 2048), 256);
 * assert.equal(monarchWorkgroup(16, 2048), 128);
 * assert.equal(monarchWorkgroup(32, 128), 128);
 * assert.equal(monarchWorkgroup(16, 1), 256); // decode: the wider workgroup
 * ```
 */
export function monarchWorkgroup(blocks: number, m: number): number {
  return blocks >= 16 && m >= MONARCH_NARROW_MIN_M ? 128 : 256;
}

/**
 * FLOPs, bytes and stored parameters of a Monarch case, from the two passes as executed:
 * stage 1 makes M·b² dot products over K/b inputs (2·M·K·b FLOPs in all, short last blocks
 * included exactly), stage 2 makes M·N dot products of length b (2·M·N·b); the overhead is the
 * adds of stage 1's slice tree, M·b²·(S − 1) for S slices. Bytes: X, R, L read
 * once, the intermediate H written and read once, Y written once, all in the dtype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = monarchWork({ m: 2, k: 100, n: 53 }, 4, "f32");
 * assert.equal(w.flops.total, 2 * 2 * 4 * (100 + 53));
 * assert.equal(w.paramsStored, 4 * (100 + 53));
 * ```
 */
export function monarchWork(shape: Shape, blocks: number, dtype: DType, slices = 1) {
  const { m, k, n } = shape;
  const b = blocks;
  const e = dtypeBytes(dtype);
  const core = 2 * m * k * b + 2 * m * n * b;
  const overhead = m * b * b * (slices - 1);
  return {
    flops: { total: core + overhead, core, overhead },
    bytes: (m * k + k * b + 2 * m * b * b + b * n + m * n) * e,
    paramsStored: b * (k + n),
    storedBytes: b * (k + n) * e,
  };
}

/**
 * Both passes of a case, in dispatch order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_SHADER_LIMITS } from "../../harness/kernel.ts";
 * const config = monarch.resolve({ blocks: 4 }, { m: 3, k: 100, n: 53 }, "f32");
 * const [r, l] = monarchBuild({ shape: { m: 3, k: 100, n: 53 }, dtype: "f32", config, limits: DEFAULT_SHADER_LIMITS });
 * assert.equal(r!.shader.label, "monarch-r-f32-3x100x53-b4");
 * assert.equal(l!.shader.label, "monarch-l-f32-3x100x53-b4");
 * ```
 */
export function monarchBuild(
  input: { shape: Shape; dtype: DType; config: MonarchConfig; limits: ShaderLimits },
): MonarchPass[] {
  const { shape, dtype, config, limits } = input;
  const o = {
    dtype,
    m: shape.m,
    dims: monarchDims(config.blocks, shape.k, shape.n),
    threads: config.workgroup,
    maxPerDim: limits.maxComputeWorkgroupsPerDimension,
  };
  return [monarchStage1(o), monarchStage2(o)];
}

function dimsOf(shape: Shape, config: MonarchConfig): MonarchDims {
  return monarchDims(config.blocks, shape.k, shape.n);
}

/**
 * The monarch kernel descriptor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = monarch.resolve({ blocks: 16 }, { m: 1, k: 4096, n: 4096 }, "f16");
 * assert.deepEqual(c, { blocks: 16, projection: "svd", workgroup: 256 });
 * assert.equal(monarch.work({ m: 1, k: 4096, n: 4096 }, c, "f16").flops.core, 2 * 16 * 8192);
 * assert.deepEqual(monarch.tuneCandidates!({ m: 1, k: 4096, n: 4096 }, "f16", c), [
 *   { workgroup: "64" },
 *   { workgroup: "128" },
 * ]);
 * ```
 */
export const monarch: KernelDescriptor<MonarchPrepared, MonarchConfig> = {
  name: "monarch",
  family: "monarch",
  summary: "Y = X·M, M = P·L·Pᵀ·R Monarch (b blocks) projected from W: two block GEMM passes",
  params: MONARCH_PARAMS,
  tune: MONARCH_TUNE,
  // 2: 128 threads a workgroup from b = 16 blocks (`monarchWorkgroup`); 3: 256 again at M < 128
  tuneRevision: 3,
  resolve(params, shape, _dtype, tune = {}) {
    const p = resolveParams(MONARCH_PARAMS, params);
    const t = resolveParams(MONARCH_TUNE, tune);
    return {
      blocks: p.blocks as number,
      projection: p.projection as "svd",
      workgroup: t.workgroup === "auto"
        ? monarchWorkgroup(p.blocks as number, shape.m)
        : Number(t.workgroup),
    };
  },
  tuneCandidates: (_shape, _dtype, config) =>
    MONARCH_WORKGROUPS.filter((t) => Number(t) !== config.workgroup).map((workgroup) => ({
      workgroup,
    })),
  check(config, shape) {
    if (config.blocks > Math.min(shape.k, shape.n)) {
      throw new SkipCase(
        `blocks b = ${config.blocks} exceeds min(K, N) = ${Math.min(shape.k, shape.n)}`,
      );
    }
  },
  requires: (_config, dtype) => (dtype === "f16" ? ["shader-f16"] : []),
  prepareKey: (config, dtype) => `${config.blocks}/${config.projection}/${dtype}`,
  prepare(input) {
    const proj = projectMonarch(input.w, dimsOf(input.shape, input.config), input.seed);
    return {
      r: toDtypeArray(proj.r, input.dtype),
      l: toDtypeArray(proj.l, input.dtype),
      relError: proj.relError,
      iterations: proj.iterations,
    };
  },
  async plan(ctx) {
    const { device, shape, dtype, prepared } = ctx;
    const { m, k, n } = shape;
    const e = dtypeBytes(dtype);
    const b = ctx.config.blocks;
    const passes = monarchBuild({ ...ctx, limits: device.limits });
    for (const p of passes) {
      if (p.groups[1] > device.limits.maxComputeWorkgroupsPerDimension) {
        throw new SkipCase(`${p.shader.label} needs more workgroups than the device allows`);
      }
    }
    const owned: GPUBuffer[] = [];
    try {
      const bx = inputBuffer(ctx, "monarch:X", m * k * e, () => toDtypeArray(ctx.x, dtype));
      owned.push(bx);
      const br = createStorageBuffer(device, "monarch:R", prepared.r);
      owned.push(br);
      const bl = createStorageBuffer(device, "monarch:L", prepared.l);
      owned.push(bl);
      const bh = createStorageBuffer(device, "monarch:H", m * b * b * e);
      owned.push(bh);
      const by = outputBuffer(ctx, "monarch:Y", m * n * e);
      owned.push(by);
      const steps = [
        await pipelineStep(ctx, passes[0]!.shader, { X: bx, R: br, H: bh }, passes[0]!.groups),
        await pipelineStep(ctx, passes[1]!.shader, { H: bh, L: bl, Y: by }, passes[1]!.groups),
      ];
      return stepsPlan(ctx, steps, { buffer: by, dtype }, owned, {
        passes: 2,
        blocks: b,
        intermediate: `${m}x${b * b} ${dtype}`,
        stage1Slices: stage1Slices(b, ctx.config.workgroup),
        workgroup: ctx.config.workgroup,
      });
    } catch (err) {
      destroyOwned(ctx, owned);
      throw err;
    }
  },
  shaders: (input) => monarchBuild(input).map((p) => p.shader),
  work: (shape, config, dtype) =>
    monarchWork(shape, config.blocks, dtype, stage1Slices(config.blocks, config.workgroup)),
  reference: (input) =>
    monarchReference(
      input.x,
      dimsOf(input.shape, input.config),
      input.prepared.r,
      input.prepared.l,
      input.dtype,
      input.rows,
    ),
  notes: (prepared, shape, config) => {
    const d = dimsOf(shape, config);
    return {
      projectionRelError: prepared.relError,
      powerIterations: prepared.iterations,
      blockRows: d.p,
      blockCols: d.s,
    };
  },
};
