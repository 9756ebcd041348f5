/**
 * The kernel descriptor: what every kernel family provides so the runner can treat all alike.
 *
 * @module
 */

import type { PipelineCache } from "./gpu/pipeline_cache.ts";
import type { DType, Flops, Params, ParamValue, Shape } from "./types.ts";

/**
 * Declaration of one kernel parameter. A parameter without `default` is required.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const tile: ParamSpec = { type: "int", values: [2, 4], default: 2, doc: "tile size t" };
 * assert.deepEqual(resolveParams({ tile }, {}), { tile: 2 });
 * ```
 */
export type ParamSpec =
  | { type: "enum"; values: readonly string[]; default?: string; doc: string }
  | {
    type: "int";
    values?: readonly number[];
    min?: number;
    max?: number;
    default?: number;
    doc: string;
  }
  | { type: "number"; min?: number; max?: number; default?: number; doc: string }
  | { type: "bool"; default?: boolean; doc: string }
  | { type: "string"; default?: string; doc: string };

/**
 * Raised by a kernel's `check` for a bad parameter: names the field. The suite loader prefixes
 * the file and the path of the kernel entry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new ParamError("rank", "must be an integer ≥ 1, got 0");
 * assert.equal(e.field, "rank");
 * assert.equal(e.message, "rank: must be an integer ≥ 1, got 0");
 * assert.ok(e instanceof RangeError);
 * ```
 */
export class ParamError extends RangeError {
  /** The offending parameter's name. */
  readonly field: string;
  /** Creates the error for `field`. */
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "ParamError";
    this.field = field;
  }
}

/**
 * Raised while planning a case that cannot run here (a device limit, a missing feature, a shape
 * the variant does not support): the case is `skipped` with this message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(() => {
 *   throw new SkipCase("gemv needs M ≤ 8, got M = 16");
 * }, { name: "SkipCase", message: "gemv needs M ≤ 8, got M = 16" });
 * ```
 */
export class SkipCase extends Error {
  /** Creates the skip with its reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "SkipCase";
  }
}

/** What an offline preparation step sees: the weights and calibration rows, never X. */
// deno-lint-ignore no-explicit-any
export interface PrepareInput<C = any> {
  /** The case's shape (M, K, N). */
  shape: Shape;
  /** The case's dtype. */
  dtype: DType;
  /** The case's resolved configuration (see {@link KernelDescriptor.resolve}). */
  config: C;
  /** K×N weights in f32, row-major. */
  w: Float32Array;
  /** calibRows×K calibration activations from a stream independent of X. */
  calib: Float32Array;
  /** Rows in `calib`. */
  calibRows: number;
  /** The run's seed (for seeded preparation such as random encoders). */
  seed: number;
  /** Directory of the suite file, for params that name files; null for built-in objects. */
  baseDir: string | null;
}

/** Everything a kernel needs to set up its GPU work for one case. */
// deno-lint-ignore no-explicit-any
export interface PlanContext<P = unknown, C = any> {
  /** The device to create buffers and pipelines on. */
  device: GPUDevice;
  /** Features enabled on the device. */
  features: Set<string>;
  /** The run's pipeline cache (each shader compiled once). */
  pipelines: PipelineCache;
  /** The case's shape (M, K, N). */
  shape: Shape;
  /** The case's dtype. */
  dtype: DType;
  /** The case's resolved configuration (see {@link KernelDescriptor.resolve}). */
  config: C;
  /** What `prepare` returned for the case. */
  prepared: P;
  /** M×K activations in f32 (the kernel converts to its storage dtype). */
  x: Float32Array;
  /**
   * When set, the plan reads X from this buffer instead of uploading `x` (which it then
   * ignores), and leaves it alone on `destroy`: M×K activations already in `dtype`, row-major,
   * as the kernel's own upload lays them out (int4: K padded with zero columns to a multiple of
   * 8). A model's forward pass chains layers this way, each reading the previous one's output.
   */
  input?: GPUBuffer;
  /**
   * When set, the plan writes its M×N output into this buffer (at least the output's size, with
   * `createStorageBuffer`'s usages) instead of one of its own, and leaves it alone on `destroy`.
   * Batch timing gives its extra copies of a case the first copy's output buffer, so that every
   * execution's output write is ordered after the previous one's (see `outputBuffer`), and fences
   * it between executions of a plan of several dispatches (`batchFence`).
   */
  output?: GPUBuffer;
}

/**
 * Device limits that generated shader text may depend on (a workgroup shape chosen to fit
 * workgroup memory or the threads a workgroup may have).
 */
export interface ShaderLimits {
  /** Bytes of workgroup memory a workgroup may use. */
  maxComputeWorkgroupStorageSize: number;
  /** Threads a workgroup may have. */
  maxComputeInvocationsPerWorkgroup: number;
  /** Workgroups a dispatch may have along one dimension. */
  maxComputeWorkgroupsPerDimension: number;
}

/**
 * The limits of a typical discrete GPU as a run requests them (the adapter's, raised over
 * WebGPU's defaults): what `deno task wgsl` assumes unless told otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(DEFAULT_SHADER_LIMITS.maxComputeInvocationsPerWorkgroup, 1024);
 * ```
 */
export const DEFAULT_SHADER_LIMITS: Readonly<ShaderLimits> = {
  maxComputeWorkgroupStorageSize: 49152,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupsPerDimension: 65535,
};

/** What a kernel's `shaders` sees: a case without a device. */
// deno-lint-ignore no-explicit-any
export interface ShaderInput<P = unknown, C = any> {
  /** The case's shape (M, K, N). */
  shape: Shape;
  /** The case's dtype. */
  dtype: DType;
  /** The case's resolved configuration (see {@link KernelDescriptor.resolve}). */
  config: C;
  /** The device's limits (a plan passes `device.limits`). */
  limits: ShaderLimits;
  /**
   * The case's preparation when it has been done. Families whose shaders depend on it (stl: the
   * encoder's coefficients are baked in) rebuild what they need from the configuration when it
   * is absent.
   */
  prepared?: P;
  /** The run's seed (stl: a random encoder is drawn from it when `prepared` is absent). */
  seed?: number;
  /** Directory of the suite file, for params that name files (as in `PrepareInput`). */
  baseDir?: string | null;
}

/** One compute shader of a case: the WGSL text and the label its pipeline is compiled under. */
export interface ShaderText {
  /** The label the shader's pipeline is compiled under. */
  label: string;
  /** The WGSL source. */
  code: string;
}

/**
 * A planned case: GPU work ready to record, and where its M×N row-major output lives.
 */
export interface KernelPlan {
  /** Records every dispatch of one execution into `pass`. */
  dispatch(pass: GPUComputePassEncoder): void;
  /** M×N row-major output in `dtype`; needs COPY_SRC | COPY_DST usage. */
  output: { buffer: GPUBuffer; dtype: DType };
  /** Facts about the plan (variant chosen, tile, padding...), copied into the result's notes. */
  notes?: Record<string, unknown>;
  /** Frees the plan's buffers (not `PlanContext.output`, which it does not own). */
  destroy(): void;
}

/** What a case executes and moves, from the shape and parameters alone. */
export interface WorkModel {
  /** FLOPs of one execution. */
  flops: Flops;
  /** Minimum traffic in bytes: every input read once, the output written once. */
  bytes: number;
  /** Weight parameters stored. */
  paramsStored: number;
  /** Bytes of stored weights, metadata included. */
  storedBytes: number;
  /**
   * The arithmetic the executed FLOPs run in, which says which measured FMA peak bounds them:
   * `f16x2` for packed-half products, `f32` (the default when absent) otherwise, f16 storage
   * included.
   */
  arithmetic?: "f32" | "f16x2";
}

/** Input of a CPU reference: rows of Y to compute from the same operator. */
// deno-lint-ignore no-explicit-any
export interface ReferenceInput<P = unknown, C = any> {
  /** The case's shape (M, K, N). */
  shape: Shape;
  /** The case's dtype. */
  dtype: DType;
  /** The case's resolved configuration (see {@link KernelDescriptor.resolve}). */
  config: C;
  /** What `prepare` returned for the case. */
  prepared: P;
  /** M×K activations in f32, as generated (the reference applies dtype rounding itself). */
  x: Float32Array;
  /** K×N weights in f32, as generated. */
  w: Float32Array;
  /** Row indices of Y to compute, ascending. */
  rows: readonly number[];
}

/**
 * A kernel family member as the runner sees it. The runner knows no kernel by name: it
 * validates a suite entry against `params` and `tune`, calls `resolve` once per case, then
 * `check`, `prepare`, `plan`, `work` and `reference` with the resolved configuration.
 *
 * Parameters come in two kinds. `params` say *what* is measured (a method, a group size, a
 * mask, a rank, a precision choice that changes the numerics); `tune` holds the launch and
 * shader-generation knobs (tiles, slices, unrolls...) whose defaults are chosen by the family's
 * rules and which a suite may set in an entry's `tune` object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dense, denseWork, resolveDense } from "../kernels/dense/mod.ts";
 * import { denseReference } from "../kernels/dense/reference.ts";
 * // Y = X·(s·W): W is scaled offline, then multiplied by the dense GEMM
 * const scaled: KernelDescriptor<Float32Array, { scale: number }> = {
 *   name: "scaled", family: "scaled", summary: "X·(s·W) through the dense GEMM",
 *   params: { scale: { type: "number", default: 2, doc: "the factor s" } },
 *   resolve: (params) => ({ scale: resolveParams(scaled.params, params).scale as number }),
 *   prepare: (input) => input.w.map((v) => v * input.config.scale),
 *   plan: (ctx) => dense.plan({ ...ctx, config: resolveDense({}, ctx.shape) }),
 *   work: (shape, _config, dtype) => denseWork(shape, dtype),
 *   reference: (input) => denseReference(input.x, input.prepared, input.shape, input.dtype, input.rows),
 * };
 * const shape = { m: 1, k: 2, n: 1 };
 * const config = scaled.resolve({}, shape, "f32");
 * assert.deepEqual(config, { scale: 2 });
 * const x = new Float32Array([1, 2]);
 * const w = new Float32Array([3, 4]);
 * const base = { shape, dtype: "f32" as const, config, w, calib: x, calibRows: 0, seed: 1, baseDir: null };
 * const prepared = await scaled.prepare(base);
 * const y = scaled.reference({ shape, dtype: "f32", config, prepared, x, w, rows: [0] });
 * assert.deepEqual(Array.from(y), [2 * (1 * 3 + 2 * 4)]);
 * // registered with the built-in ones: runSuite({ suite, registry: [...builtinKernels, scaled] })
 * ```
 */
// deno-lint-ignore no-explicit-any
export interface KernelDescriptor<P = any, C = any> {
  /** Name used in suites (`"kernel": "dense"`). */
  name: string;
  /** Family shown in reports: dense | stl | sparse24 | int4 | … */
  family: string;
  /** One line on what it computes. */
  summary: string;
  /** True for the dense baseline that speedups are measured against. */
  baseline?: boolean;
  /** Public parameters (what is measured): names, types, allowed values, defaults. */
  params: Record<string, ParamSpec>;
  /**
   * Tuning knobs (how it is launched or generated), set in a suite entry's `tune` object; their
   * names never repeat a name of `params`.
   */
  tune?: Record<string, ParamSpec>;
  /**
   * Reads `params` and `tune` (missing ones take their defaults) into the family's typed
   * configuration for one shape and dtype: called once per case, everything after it reads the
   * configuration only. Throws {@link ParamError} naming the field for a bad value; never
   * {@link SkipCase} (that is `check`'s).
   */
  resolve(params: Params, shape: Shape, dtype: DType, tune?: Params): C;
  /**
   * The tuner's candidates for a case: a small list of `tune` objects (each a partial set of
   * knobs, the rest at their defaults) worth timing for this shape and dtype, given the case's
   * default configuration. The shipped default (`{}`) is always tried first, so it need not be
   * listed. Candidates must leave `prepareKey` unchanged (one preparation serves them all).
   * Absent: the kernel is never tuned. See docs/tuning.md.
   */
  tuneCandidates?(shape: Shape, dtype: DType, config: C): Params[];
  /**
   * The revision of the tuning knobs' meaning: raised when a default or a candidate's effect
   * changes, so that tuning-cache choices made under another revision are not reused (they are
   * partial `tune` objects laid over the current defaults). Absent: 1.
   */
  tuneRevision?: number;
  /**
   * Cross-field and per-shape checks, before any GPU work. Throw {@link ParamError} for a bad
   * parameter (the suite is rejected) or {@link SkipCase} for a case that cannot run.
   */
  check?(config: C, shape: Shape, dtype: DType): void;
  /** Device features the case needs; a missing one skips the case. */
  requires?(config: C, dtype: DType): string[];
  /** Key of what `prepare` depends on (default: all public params) for caching. */
  prepareKey?(config: C, dtype: DType): string;
  /**
   * Offline work on the weights (encode, prune, quantize); timed separately. It must depend only
   * on W, the calibration rows, K, N, dtype and the configuration's M-independent fields —
   * never on M or X: one preparation serves every M of a weight shape.
   */
  prepare(input: PrepareInput<C>): P | Promise<P>;
  /** Creates pipelines and buffers for a case; throws {@link SkipCase} when it cannot run. */
  plan(ctx: PlanContext<P, C>): Promise<KernelPlan>;
  /**
   * The WGSL of every pipeline `plan` compiles for the case, in dispatch order, without a device
   * (`deno task wgsl`). `plan` compiles exactly these texts: both come from one function. The
   * tuner takes two configurations with equal texts for one kernel and times it once, so a knob
   * that changes only the dispatch must still show in the text (the generators' header comments
   * name their knobs).
   */
  shaders?(input: ShaderInput<P, C>): ShaderText[] | Promise<ShaderText[]>;
  /**
   * FLOPs executed, bytes moved, parameters stored. Called before `prepare` without `prepared`
   * (limit checks) and again with it once prepared, for kernels whose counts depend on what
   * preparation produced (e.g. the nonzeros of a loaded encoder); the second answer is reported.
   */
  work(shape: Shape, config: C, dtype: DType, prepared?: P): WorkModel;
  /** f64 CPU reference of the same operator for the given rows of Y (rows×N, row-major). */
  reference(input: ReferenceInput<P, C>): Float64Array;
  /** Relative Frobenius tolerance for correctness (default from the dtype and K). */
  tolerance?(shape: Shape, config: C, dtype: DType): number;
  /** Facts about the preparation for the result's notes (residuals, chosen scales...). */
  notes?(prepared: P, shape: Shape, config: C, dtype: DType): Record<string, unknown>;
}

/**
 * Default correctness tolerance (relative Frobenius error vs the same operator's f64 reference):
 * f32 storage and f32 accumulation: 1e-4; f16 storage: 4e-3 (f16 output rounding alone is
 * about 3e-4). A wrong index, a missing K step or an unwritten tile is far above both.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(defaultTolerance("f32"), 1e-4);
 * ```
 */
export function defaultTolerance(dtype: DType): number {
  return dtype === "f16" ? 4e-3 : 1e-4;
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "nothing";
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/**
 * Checks one parameter value against its spec and returns it; `fail` receives the message
 * (without the field name).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const spec: ParamSpec = { type: "int", values: [2, 4], default: 2, doc: "tile size t" };
 * assert.equal(checkParamValue(spec, 4, (m) => { throw new Error(m); }), 4);
 * assert.throws(() => checkParamValue(spec, 3, (m) => { throw new Error(m); }), /one of 2, 4/);
 * const slices: ParamSpec = { type: "enum", values: ["auto", "64"], default: "auto", doc: "" };
 * assert.throws(() => checkParamValue(slices, 64, (m) => { throw new Error(m); }), /write "64"/);
 * ```
 */
export function checkParamValue(
  spec: ParamSpec,
  v: unknown,
  fail: (message: string) => never,
): ParamValue {
  switch (spec.type) {
    case "enum":
      if (typeof v !== "string" || !spec.values.includes(v)) {
        // `"gemvSlices": 64` where the knob's values are strings: say how to write it
        const hint = typeof v === "number" && spec.values.includes(String(v))
          ? ` (a number: write "${v}", in quotes)`
          : "";
        fail(
          `must be one of ${spec.values.map((a) => JSON.stringify(a)).join(", ")}; got ${
            show(v)
          }${hint}`,
        );
      }
      return v;
    case "int": {
      if (typeof v !== "number" || !Number.isInteger(v)) fail(`must be an integer, got ${show(v)}`);
      if (spec.values && !spec.values.includes(v)) {
        fail(`must be one of ${spec.values.join(", ")}; got ${v}`);
      }
      if (spec.min !== undefined && v < spec.min) fail(`must be ≥ ${spec.min}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) fail(`must be ≤ ${spec.max}, got ${v}`);
      return v;
    }
    case "number": {
      if (typeof v !== "number" || !Number.isFinite(v)) fail(`must be a number, got ${show(v)}`);
      if (spec.min !== undefined && v < spec.min) fail(`must be ≥ ${spec.min}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) fail(`must be ≤ ${spec.max}, got ${v}`);
      return v;
    }
    case "bool":
      if (typeof v !== "boolean") fail(`must be true or false, got ${show(v)}`);
      return v;
    case "string":
      if (typeof v !== "string" || v.length === 0) {
        fail(`must be a non-empty string, got ${show(v)}`);
      }
      return v;
  }
}

/**
 * The values of `specs` from `given`, defaults filled in, each checked against its spec: what a
 * family's `resolve` starts from. Throws {@link ParamError} for an unknown name, a bad value or
 * a missing required one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const specs: Record<string, ParamSpec> = {
 *   tile: { type: "int", values: [2, 4], default: 4, doc: "tile size t" },
 * };
 * assert.deepEqual(resolveParams(specs, {}), { tile: 4 });
 * assert.throws(() => resolveParams(specs, { tile: 3 }), /tile: must be one of 2, 4/);
 * assert.throws(() => resolveParams(specs, { size: 2 }), /size: unknown/);
 * ```
 */
export function resolveParams(specs: Record<string, ParamSpec>, given: Params = {}): Params {
  for (const key of Object.keys(given)) {
    if (!(key in specs) && given[key] !== undefined) {
      throw new ParamError(key, `unknown; allowed: ${Object.keys(specs).join(", ")}`);
    }
  }
  const out: Params = {};
  for (const [key, spec] of Object.entries(specs)) {
    const v = given[key];
    if (v === undefined || v === spec.default) {
      if (spec.default === undefined) throw new ParamError(key, `is required (${spec.doc})`);
      out[key] = spec.default;
      continue;
    }
    out[key] = checkParamValue(spec, v, (message) => {
      throw new ParamError(key, message);
    });
  }
  return out;
}
