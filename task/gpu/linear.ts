/**
 * One exported linear layer as a chain step on the device: its kernel family's plan reading the
 * previous step's buffer and writing its own, with the STL per-sample row padding around it, and
 * the check of its output against the family's f64 reference.
 *
 * @module
 */

import { compareOutputs } from "../../harness/analyze/error_metrics.ts";
import { sampleRows } from "../../harness/data/matmul_f64.ts";
import { decodeDtype, dtypeBytes, readBuffer } from "../../harness/gpu/buffers.ts";
import type { PipelineCache } from "../../harness/gpu/pipeline_cache.ts";
import { defaultTolerance, type KernelPlan } from "../../harness/kernel.ts";
import type { DType, Shape } from "../../harness/types.ts";
import { padK } from "../../kernels/int4/format.ts";
import { stlRows } from "../export.ts";
import type { PreparedLinear } from "../prepare_linear.ts";
import { type OpStep, opStep } from "./op_step.ts";
import { repadRowsWgsl } from "./ops_wgsl.ts";

/** The device, its features and the pipeline cache every step is built with. */
export interface GpuEnv {
  device: GPUDevice;
  features: Set<string>;
  pipelines: PipelineCache;
}

/** Creates a storage buffer the caller owns (and destroys with the forward pass). */
export type Alloc = (label: string, data: ArrayBufferView | number) => GPUBuffer;

/** A planned linear: the kernel's plan and what its check needs. */
export interface LinearStep {
  name: string;
  op: string;
  linear: PreparedLinear;
  /** The shape the kernel runs (STL: rows padded per sample to a multiple of t). */
  shape: Shape;
  plan: KernelPlan;
  /** The kernel's X (shape.m×K; int4: K padded to a multiple of 8) and Y (shape.m×N). */
  input: GPUBuffer;
  output: GPUBuffer;
}

/**
 * The result of checking one linear's kernel output against its family's f64 reference on
 * sampled rows of a real forward pass.
 */
export interface LinearCheck {
  layer: string;
  op: string;
  rows: number;
  relError: number;
  tolerance: number;
  ok: boolean;
}

/** How {@link planLinear} meets the STL row padding of a single sample (the LM's decode step). */
export interface PlanLinearOptions {
  /**
   * The input already holds each sample's rows zero-padded to a multiple of t (a buffer whose
   * padding rows are never written): no copy in.
   */
  inputPadded?: boolean;
  /**
   * One sample only: the output stays in the kernel's padded buffer, whose first rows are the
   * sample's rows at the same offsets (no copy out; the rows after them are not zero).
   */
  keepPadded?: boolean;
}

/**
 * Plans `linear` on `rows` rows (`rowsPerSample` a sample) reading `input` (rows×K in dtype) and
 * returns the steps (repad, kernel, repad back for STL when a sample's rows are not a multiple
 * of t, unless `opts` says the copies are not needed) and the buffer holding rows×N products
 * (no bias: the caller's next step adds it).
 *
 * @example
 * ```ts ignore
 * const { steps, output } = await planLinear(env, alloc, prepared, "f32", 256, 1, x);
 * ```
 */
export async function planLinear(
  env: GpuEnv,
  alloc: Alloc,
  linear: PreparedLinear,
  dtype: DType,
  rows: number,
  rowsPerSample: number,
  input: GPUBuffer,
  opts: PlanLinearOptions = {},
): Promise<{ steps: OpStep[]; output: GPUBuffer; linear: LinearStep }> {
  const { device } = env;
  const { layer } = linear;
  const { k, n } = layer;
  const b = dtypeBytes(dtype);
  if (layer.op === "int4" && padK(k) !== k) {
    throw new RangeError(
      `layer ${layer.name}: int4 in a model needs K a multiple of 8 (the kernel's X layout), got ${k}`,
    );
  }
  const steps: OpStep[] = [];
  const samples = rows / rowsPerSample;
  const inner = layer.op === "stl" ? stlRows(rowsPerSample, layer.stl!.t) : rowsPerSample;
  if (opts.keepPadded && samples !== 1) {
    throw new RangeError(`layer ${layer.name}: keepPadded needs one sample, got ${samples}`);
  }
  let x = input;
  if (inner !== rowsPerSample && !opts.inputPadded) {
    x = alloc(`${layer.name}:Xpad`, samples * inner * k * b);
    steps.push(
      await opStep(env, repadRowsWgsl(dtype, samples, rowsPerSample, inner, k), [input, x]),
    );
  }
  const shape = { m: samples * inner, k, n };
  const y = alloc(`${layer.name}:Y`, shape.m * n * b);
  const config = linear.kernel.resolve(linear.params, shape, dtype);
  // A shape the family's kernels cannot take is an error here, never a silent fallback.
  linear.kernel.check?.(config, shape, dtype);
  const plan = await linear.kernel.plan({
    device,
    features: env.features,
    pipelines: env.pipelines,
    shape,
    dtype,
    config,
    prepared: linear.prepared,
    x: new Float32Array(0),
    input: x,
    output: y,
  });
  steps.push({ label: `${layer.name} (${layer.op})`, dispatch: (pass) => plan.dispatch(pass) });
  let out = y;
  if (inner !== rowsPerSample && !opts.keepPadded) {
    out = alloc(`${layer.name}:Yrows`, rows * n * b);
    steps.push(await opStep(env, repadRowsWgsl(dtype, samples, inner, rowsPerSample, n), [y, out]));
  }
  const step: LinearStep = {
    name: layer.name,
    op: layer.op,
    linear,
    shape,
    plan,
    input: x,
    output: y,
  };
  return { steps, output: out, linear: step };
}

/**
 * Reads a linear's input and output buffers back (after its kernel ran) and compares sampled
 * rows with its family's f64 reference of the same operator (the prepared weights as stored),
 * against the family's correctness tolerance.
 *
 * @example
 * ```ts ignore
 * const c = await checkLinear(env, step, "f32", 1);
 * assert.ok(c.ok);
 * ```
 */
export async function checkLinear(
  env: GpuEnv,
  step: LinearStep,
  dtype: DType,
  seed: number,
): Promise<LinearCheck> {
  const { shape, linear } = step;
  const { m, k, n } = shape;
  const kIn = linear.layer.op === "int4" ? padK(k) : k;
  const b = dtypeBytes(dtype);
  const xIn = decodeDtype(await readBuffer(env.device, step.input, m * kIn * b), dtype, m * kIn);
  const x = kIn === k ? xIn : dropColumns(xIn, m, kIn, k);
  const y = decodeDtype(await readBuffer(env.device, step.output, m * n * b), dtype, m * n);
  const rows = sampleRows(m, k, n, 2e7, seed);
  const config = linear.kernel.resolve(linear.params, shape, dtype);
  const ref = linear.kernel.reference({
    shape,
    dtype,
    config,
    prepared: linear.prepared,
    x,
    w: linear.layer.w ?? new Float32Array(k * n),
    rows,
  });
  const got = new Float32Array(rows.length * n);
  rows.forEach((r, i) => got.set(y.subarray(r * n, r * n + n), i * n));
  const { relError } = compareOutputs(got, ref);
  const tolerance = linear.kernel.tolerance?.(shape, config, dtype) ??
    defaultTolerance(dtype);
  return {
    layer: step.name,
    op: step.op,
    rows: rows.length,
    relError,
    tolerance,
    ok: relError <= tolerance,
  };
}

function dropColumns(x: Float32Array, m: number, from: number, to: number): Float32Array {
  const out = new Float32Array(m * to);
  for (let r = 0; r < m; r++) out.set(x.subarray(r * from, r * from + to), r * to);
  return out;
}
