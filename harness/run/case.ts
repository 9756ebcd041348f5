/**
 * Runs one case: prepare, plan, correctness against the f64 reference, timing, accuracy.
 *
 * @module
 */

import { compareOutputs } from "../analyze/error_metrics.ts";
import { isolatedSuspect } from "../analyze/transient.ts";
import { type CaseData, generateCalib, generateW, generateX } from "../data/inputs.ts";
import { matmulRowsF64, sampleRows } from "../data/matmul_f64.ts";
import type { GpuContext } from "../gpu/adapter.ts";
import { decodeDtype, dtypeBytes, LimitError, readBuffer } from "../gpu/buffers.ts";
import type { PipelineCache } from "../gpu/pipeline_cache.ts";
import {
  defaultTolerance,
  type KernelPlan,
  type PlanContext,
  SkipCase,
  type WorkModel,
} from "../kernel.ts";
import { measureWorkload } from "../measure/measure.ts";
import type { Workload } from "../measure/workload.ts";
import type { Case } from "../suite/expand.ts";
import type { Suite } from "../suite/schema.ts";
import type {
  Approximation,
  BatchSummary,
  CaseResult,
  Correctness,
  Peaks,
  Throughput,
} from "../types.ts";

/** State shared by the cases of a run. */
export interface CaseEnv {
  gpu: GpuContext;
  pipelines: PipelineCache;
  suite: Suite;
  peaks: Peaks | null;
  flush: Workload | undefined;
  /** Inputs of the current shape (generated once per shape). */
  data: DataCache;
  /** Offline preparations, keyed by kernel, prepare key, shape and dtype. */
  prepared: Map<string, { value: unknown; ms: number }>;
}

/**
 * Input cache of a run. Generating a large W takes seconds, so matrices are kept in a small
 * least-recently-used store bounded in bytes: X by (M, K), W by (K, N) (shared by every M),
 * calibration rows by K, exact X·W rows by shape and row set.
 */
export class DataCache {
  #store = new Map<string, Float32Array | Float64Array>();
  #bytes = 0;
  #budget: number;

  /** Creates a cache holding at most `budgetBytes` of matrices (default 2 GiB). */
  constructor(budgetBytes = 2 * 1024 ** 3) {
    this.#budget = budgetBytes;
  }

  #get<T extends Float32Array | Float64Array>(key: string, make: () => T): T {
    const hit = this.#store.get(key);
    if (hit) {
      this.#store.delete(key);
      this.#store.set(key, hit); // most recently used last
      return hit as T;
    }
    const value = make();
    this.#store.set(key, value);
    this.#bytes += value.byteLength;
    for (const [k, v] of this.#store) {
      if (this.#bytes <= this.#budget || k === key) break;
      this.#store.delete(k);
      this.#bytes -= v.byteLength;
    }
    return value;
  }

  /** Inputs for `c`'s shape. */
  inputs(c: Case, suite: Suite): CaseData {
    const { m, k, n } = c.shape;
    const { seed, data } = suite;
    return {
      shape: c.shape,
      x: this.#get(`x:${m}x${k}`, () => generateX(m, k, seed, data)),
      w: this.#get(`w:${k}x${n}`, () => generateW(k, n, seed, data)),
      calib: this.#get(`c:${k}`, () => generateCalib(k, seed, data)),
      calibRows: data.calibRows,
    };
  }

  /** Exact X·W rows in f64 from the f32 inputs. */
  exact(data: CaseData, rows: readonly number[]): Float64Array {
    const { m, k, n } = data.shape;
    return this.#get(
      `e:${m}x${k}x${n}:${rows.join(",")}`,
      () => matmulRowsF64(data.x, data.w, m, k, n, rows),
    );
  }
}

function emptyResult(c: Case, suite: Suite): CaseResult {
  const { m, k, n } = c.shape;
  return {
    id: c.id,
    suite: suite.name,
    kernel: c.kernel.name,
    family: c.kernel.family,
    params: c.params,
    shape: c.shape,
    dtype: c.dtype,
    seed: suite.seed,
    status: "skipped",
    reason: null,
    flops: { total: 0, core: 0, overhead: 0 },
    flopsDense: 2 * m * k * n,
    bytes: 0,
    paramsStored: 0,
    storedBytes: 0,
    time: null,
    throughput: null,
    batch: null,
    speedupVsDense: null,
    denseId: null,
    correctness: null,
    approximation: null,
    roofline: null,
    setup: null,
    notes: {},
  };
}

function pickRows(data: CaseData, suite: Suite): number[] {
  const { m, k, n } = data.shape;
  return sampleRows(m, k, n, suite.referenceBudget, suite.seed);
}

function rowsOf(full: Float32Array, n: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * n);
  rows.forEach((r, i) => out.set(full.subarray(r * n, r * n + n), i * n));
  return out;
}

/** Fills the output with NaN so unwritten elements fail the check. */
function poison(device: GPUDevice, plan: KernelPlan, count: number): void {
  const { buffer, dtype } = plan.output;
  const fill = dtype === "f16"
    ? new Float16Array(count).fill(NaN)
    : new Float32Array(count).fill(NaN);
  device.queue.writeBuffer(buffer, 0, fill.buffer, 0, Math.floor(fill.byteLength / 4) * 4);
}

async function runOnce(device: GPUDevice, plan: KernelPlan, label: string): Promise<void> {
  const enc = device.createCommandEncoder({ label: `${label}:check` });
  const pass = enc.beginComputePass({ label });
  plan.dispatch(pass);
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

/**
 * Runs `fn` inside validation and out-of-memory error scopes; GPU errors it caused become
 * exceptions naming `what`. Scopes are always popped, also when `fn` throws.
 */
async function guarded<T>(device: GPUDevice, what: string, fn: () => Promise<T>): Promise<T> {
  device.pushErrorScope("out-of-memory");
  device.pushErrorScope("validation");
  let value: T | undefined;
  let thrown: unknown = null;
  try {
    value = await fn();
    await device.queue.onSubmittedWorkDone();
  } catch (e) {
    thrown = e;
  }
  const validation = await device.popErrorScope().catch(() => null);
  const oom = await device.popErrorScope().catch(() => null);
  if (thrown) throw thrown;
  if (validation) throw new Error(`validation error while ${what}: ${validation.message}`);
  if (oom) throw new Error(`out of memory while ${what}: ${oom.message}`);
  return value as T;
}

/** The context `plan` gets for case `c` (also used for the extra copies of batch timing). */
function planContext(env: CaseEnv, c: Case, prepared: unknown, x: Float32Array): PlanContext {
  return {
    device: env.gpu.device,
    features: env.gpu.features,
    pipelines: env.pipelines,
    shape: c.shape,
    dtype: c.dtype,
    params: c.params,
    prepared,
    x,
  };
}

/** Effective and executed TFLOP/s and GB/s of case `c` at `ms` per execution. */
function throughputOf(c: Case, work: WorkModel, ms: number): Throughput {
  const sec = ms * 1e-3;
  const { m, k, n } = c.shape;
  return {
    effectiveTflops: (2 * m * k * n) / sec / 1e12,
    executedTflops: work.flops.total / sec / 1e12,
    gbps: work.bytes / sec / 1e9,
  };
}

/** Wall time one batch sample (one pass) should take. */
const BATCH_PASS_MS = 1;
/** At most this many buffer copies rotate in a cold batch. */
const MAX_COPIES = 8;

/**
 * Times `plan` back to back: `dispatchesPerSample` dispatches in one timed pass, rotating over
 * buffer copies (extra plans of the same case) whose traffic together exceeds the flush size
 * when the suite measures cold.
 *
 * The copies write their output into `plan`'s output buffer (`PlanContext.output`), so every
 * execution's output write is ordered after the previous execution's (WebGPU orders writes to
 * one storage buffer; wgpu puts a barrier between them): the executions run one after another,
 * as dependent layers do, however many copies rotate. With an output of their own, executions
 * on different copies could overlap, and how many did depended on `dispatchesPerSample` and
 * `copies` (an H100 timed one int4 GEMV at 13.6 µs with 8 dispatches over 8 copies, all
 * overlapping, and 16.4 µs with 32, a quarter overlapping).
 */
async function measureBatch(
  env: CaseEnv,
  c: Case,
  plan: KernelPlan,
  prepared: unknown,
  x: Float32Array,
  isolatedMs: number,
  work: WorkModel,
): Promise<BatchSummary> {
  const { gpu, suite } = env;
  const cold = suite.measure.l2 === "cold";
  const limit = gpu.info.isFallbackAdapter ? 8 << 20 : suite.measure.flushBytes;
  const copies = cold
    ? Math.max(1, Math.min(MAX_COPIES, Math.ceil(limit / Math.max(1, work.bytes))))
    : 1;
  const plans: KernelPlan[] = [plan];
  try {
    for (let i = 1; i < copies; i++) {
      const copy = await c.kernel.plan({
        ...planContext(env, c, prepared, x),
        output: plan.output.buffer,
      });
      plans.push(copy);
      if (copy.output.buffer !== plan.output.buffer) {
        throw new Error(
          `kernel "${c.kernel.name}" ignored PlanContext.output: batch timing needs every copy ` +
            "to write the one output buffer, so that executions are ordered",
        );
      }
    }
    const per = Math.max(1, Math.round(BATCH_PASS_MS / Math.max(isolatedMs, 1e-4) / copies));
    const dispatches = Math.min(512, per * copies);
    const opts = {
      ...suite.measure,
      l2: "warm" as const,
      minSamples: Math.min(suite.measure.minSamples, 10),
      maxSamples: Math.min(suite.measure.maxSamples, 100),
      // The full warm-up again: creating the copies left the GPU idle and its clocks may
      // have dropped (seen on an H100: batch figures at a 2.5x slower clock plateau).
      warmupMs: suite.measure.warmupMs,
    };
    const t = await measureWorkload(gpu, {
      label: `${c.id}:batch`,
      dispatch(pass) {
        for (let i = 0; i < dispatches; i++) plans[i % copies]!.dispatch(pass);
      },
    }, opts);
    const median = t.median / dispatches;
    return {
      median,
      min: t.min / dispatches,
      p10: t.p10 / dispatches,
      p90: t.p90 / dispatches,
      noise: t.noise,
      n: t.n,
      dispatchesPerSample: dispatches,
      copies,
      l2: copies > 1 ? "rotating" : "warm",
      order: "serial",
      ...throughputOf(c, work, median),
      speedupVsDense: null,
    };
  } finally {
    for (const p of plans.slice(1)) p.destroy();
  }
}

/**
 * Runs a case to completion and returns its result. Never throws for the case's own faults:
 * skips and failures are recorded with their reason.
 *
 * @example
 * ```ts ignore
 * const result = await runCase(env, c);
 * ```
 */
export async function runCase(env: CaseEnv, c: Case): Promise<CaseResult> {
  const { gpu, suite } = env;
  const result = emptyResult(c, suite);
  if (c.skip) {
    result.reason = c.skip;
    return result;
  }
  const missing = (c.kernel.requires?.(c.params, c.dtype) ?? []).filter((f) =>
    !gpu.features.has(f)
  );
  if (missing.length > 0) {
    result.reason = `feature missing: ${missing.join(", ")} (adapter "${
      gpu.info.description || gpu.info.vendor
    }")`;
    return result;
  }
  let work = c.kernel.work(c.shape, c.params, c.dtype);
  result.flops = work.flops;
  result.bytes = work.bytes;
  result.paramsStored = work.paramsStored;
  result.storedBytes = work.storedBytes;

  const { m, n } = c.shape;
  const { device } = gpu;
  // Cheap limit check before generating data: activations, output and stored weights.
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const eb = dtypeBytes(c.dtype);
  for (
    const [what, bytes] of [
      ["X", c.shape.m * c.shape.k * eb],
      ["Y", m * n * eb],
      ["stored weights", work.storedBytes],
    ] as const
  ) {
    if (bytes > limit) {
      result.reason =
        `${what} needs ${bytes} bytes, over the device's storage buffer limit (${limit})`;
      return result;
    }
  }
  let plan: KernelPlan | null = null;
  let stage = "prepare";
  try {
    const data = env.data.inputs(c, suite);
    // Offline preparation works on the weights only, so it is shared by every M of a (K, N).
    const wkey = `|${c.shape.k}x${c.shape.n}`;
    const pkey = `${c.kernel.name}|${
      c.kernel.prepareKey?.(c.params, c.dtype) ?? JSON.stringify(c.params)
    }|${c.dtype}${wkey}`;
    let prep = env.prepared.get(pkey);
    const cached = prep !== undefined;
    if (!prep) {
      const t0 = performance.now();
      const value = await c.kernel.prepare({
        shape: c.shape,
        dtype: c.dtype,
        params: c.params,
        w: data.w,
        calib: data.calib,
        calibRows: data.calibRows,
        seed: suite.seed,
        baseDir: suite.baseDir,
      });
      prep = { value, ms: performance.now() - t0 };
      // Keep only this weight shape's preparations: memory stays bounded on big suites.
      for (const key of env.prepared.keys()) if (!key.endsWith(wkey)) env.prepared.delete(key);
      env.prepared.set(pkey, prep);
    }
    result.notes = { ...(c.kernel.notes?.(prep.value, c.shape, c.params, c.dtype) ?? {}) };
    // Counts that depend on the preparation (e.g. a loaded encoder's nonzeros).
    work = c.kernel.work(c.shape, c.params, c.dtype, prep.value);
    result.flops = work.flops;
    result.bytes = work.bytes;
    result.paramsStored = work.paramsStored;
    result.storedBytes = work.storedBytes;

    // Plan: pipelines + buffers + uploads, timed apart from the kernel.
    stage = "plan";
    const compile0 = env.pipelines.compileMs;
    const t0 = performance.now();
    const prepared = prep.value;
    plan = await guarded(
      device,
      "planning",
      () => c.kernel.plan(planContext(env, c, prepared, data.x)),
    );
    const planMs = performance.now() - t0;
    const compileMs = env.pipelines.compileMs - compile0;
    result.setup = {
      prepareMs: cached ? 0 : prep.ms,
      prepareCached: cached,
      compileMs,
      uploadMs: Math.max(0, planMs - compileMs),
    };
    result.notes = { ...result.notes, ...(plan.notes ?? {}) };

    // Correctness: poisoned output, one execution, whole output scanned for NaN/Inf, sampled
    // rows compared with the f64 reference of the same operator.
    stage = "correctness";
    const count = m * n;
    const planned = plan;
    await guarded(device, "running", async () => {
      poison(device, planned, count);
      await runOnce(device, planned, c.id);
    });
    if (gpu.isLost()) throw new Error(`device lost: ${await gpu.lost}`);
    const out = decodeDtype(
      await readBuffer(device, plan.output.buffer, count * dtypeBytes(plan.output.dtype)),
      plan.output.dtype,
      count,
    );
    let nonFinite = 0;
    for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i]!)) nonFinite++;
    const rows = pickRows(data, suite);
    const got = rowsOf(out, n, rows);
    const ref = c.kernel.reference({
      shape: c.shape,
      dtype: c.dtype,
      params: c.params,
      prepared: prep.value,
      x: data.x,
      w: data.w,
      rows,
    });
    const cm = compareOutputs(got, ref);
    const tolerance = c.kernel.tolerance?.(c.shape, c.params, c.dtype) ?? defaultTolerance(c.dtype);
    const correctness: Correctness = {
      passed: nonFinite === 0 && cm.relError <= tolerance,
      relError: cm.relError,
      maxAbsError: cm.maxAbsError,
      tolerance,
      rowsChecked: rows.length,
      nonFinite,
    };
    result.correctness = correctness;
    if (!correctness.passed) {
      result.status = "failed";
      result.reason = nonFinite > 0
        ? `output has ${nonFinite} non-finite value(s) (NaN/Inf or unwritten)`
        : `correctness: relative error ${cm.relError.toExponential(3)} > tolerance ${
          tolerance.toExponential(1)
        } vs the f64 reference`;
      return result;
    }
    const exact = env.data.exact(data, rows);
    const am = compareOutputs(got, exact);
    const approximation: Approximation = {
      relError: am.relError,
      maxAbsError: am.maxAbsError,
      cosine: am.cosine,
      snrDb: am.snrDb,
      rowsSampled: rows.length,
    };
    result.approximation = approximation;

    // Timing.
    stage = "measure";
    const p = plan;
    const isolated = () =>
      measureWorkload(
        gpu,
        { label: c.id, dispatch: (pass) => p.dispatch(pass) },
        suite.measure,
        env.flush,
      );
    let time = await isolated();
    if (gpu.isLost()) throw new Error(`device lost: ${await gpu.lost}`);
    // Back-to-back timing of short kernels (extra plans are buffer copies for rotation).
    if (time.median < suite.measure.batchBelowMs) {
      stage = "batch";
      result.batch = await measureBatch(env, c, plan, prepared, data.x, time.median, work);
      // An isolated median far above the case's own back-to-back figure is taken once more.
      const passMs = env.peaks?.passOverheadUs != null ? env.peaks.passOverheadUs / 1000 : null;
      const ratio = isolatedSuspect(time.median, result.batch.median, passMs);
      if (ratio !== null) {
        stage = "measure (recheck)";
        const again = await isolated();
        const kept = again.median < time.median ? "second" : "first";
        const recheck = {
          ratio,
          firstMedian: time.median,
          secondMedian: again.median,
          kept,
        } as const;
        time = { ...(kept === "second" ? again : time), recheck };
      }
    }
    result.time = time;
    result.throughput = throughputOf(c, work, time.median);
    const peakFlops = env.peaks
      ? (c.dtype === "f16" && env.peaks.fmaF16Tflops ? env.peaks.fmaF16Tflops : env.peaks.fmaTflops)
      : null;
    result.roofline = {
      pctPeakFlops: peakFlops ? (100 * result.throughput.executedTflops) / peakFlops : null,
      pctPeakBandwidth: env.peaks ? (100 * result.throughput.gbps) / env.peaks.copyGbps : null,
      intensity: work.bytes > 0 ? work.flops.total / work.bytes : 0,
    };
    result.status = "ok";
    return result;
  } catch (e) {
    if (e instanceof SkipCase || e instanceof LimitError) {
      result.status = "skipped";
      result.reason = e.message;
    } else {
      result.status = "failed";
      result.reason = `${stage}: ${(e as Error).message ?? String(e)}`;
      if (gpu.isLost()) result.reason += ` (device lost: ${await gpu.lost})`;
    }
    result.time = null;
    result.throughput = null;
    result.batch = null;
    return result;
  } finally {
    try {
      plan?.destroy();
    } catch { /* device may be gone */ }
  }
}
