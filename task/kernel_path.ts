/**
 * The kernel path of a task run: every trained variant's export scored on the test split through
 * the WGSL kernels (every linear checked against its f64 reference on the first batch), its
 * logits compared with the CPU forward, and its forward latency timed at batch 1 and a large
 * batch against the dense model of the same architecture.
 *
 * {@link createKernelPath} returns the hook the task runner calls with each (variant, seed)
 * export; it fills the variant's `kernelTop1` (per seed, summarised) and `kernel` block.
 *
 * @module
 */

import { compareOutputs } from "../harness/analyze/error_metrics.ts";
import type { MeasureOptions } from "../harness/measure/options.ts";
import { TASK_MEASURE } from "./task_measure.ts";
import type { DType, SentinelFigures } from "../harness/types.ts";
import { CLASSES, type Digits, head } from "./data/mnist.ts";
import type { ModelExport } from "./export.ts";
import { evaluateOnKernels } from "./gpu/evaluate.ts";
import { measureForward } from "./gpu/latency.ts";
import type { GpuEnv, LinearCheck } from "./gpu/linear.ts";
import { forwardCpu } from "./model/forward_cpu.ts";

/** Samples of the first batch whose GPU logits are compared with the CPU forward. */
const CPU_COMPARE_SAMPLES = 64;

/** Latency of one batch size. */
export interface KernelLatency {
  batch: number;
  /** Median of the forward pass (all dispatches), ms, with its 95% CI. */
  medianMs: number;
  ciMs: [number, number];
  /** Relative half-width of the median's CI. */
  noise: number;
  samples: number;
  samplesPerSecond: number;
  /** The dense model's median at this batch (same architecture, same run), when measured. */
  denseMedianMs: number | null;
  /** denseMedianMs / medianMs. */
  speedupVsDense: number | null;
  /**
   * The sentinel readings around the measurement (task/gpu/guarded.ts); `flagged` when the GPU's
   * speed stayed off the pass's reference on every attempt.
   */
  sentinel?: SentinelFigures;
}

/** The kernel-path block of a variant. */
export interface KernelPathResult {
  /** The adapter the kernels ran on. */
  device: string;
  dtype: DType;
  /** How the forward was timed (the measurement layer's method). */
  method: string;
  /** Top-1 through the kernels, per seed in seed order. */
  top1: number[];
  /** Largest |kernel top-1 − library top-1| over seeds, in points (when the library's is known). */
  maxTop1Gap: number | null;
  /** Per seed: relative error of the GPU logits against the CPU forward (first batch). */
  logitsRelError: number[];
  /** Worst linear check of the last seed: kernel output vs its family's f64 reference. */
  worstCheck: { layer: string; op: string; relError: number; tolerance: number } | null;
  /** Every linear passed its check, every seed. */
  checked: boolean;
  /** Measured once per variant (weights' values do not change the kernels' work). */
  latency: KernelLatency[];
  /** The seed whose export was timed (absent when nothing was timed). */
  latencySeed?: number;
}

/** What the hook reads of and writes into a variant result (task/types.ts's TaskVariantResult). */
export interface KernelVariant {
  id: string;
  model: string;
  operator: { op: string };
  /** The library's (tfjs) top-1 summary; values in seed order. */
  value: { values: number[] };
  kernelTop1?: { mean: number; std: number; min: number; max: number; values: number[] };
  kernel?: KernelPathResult;
}

/** Options of {@link createKernelPath}. */
export interface KernelPathOptions {
  env: GpuEnv;
  test: Digits;
  /** Activation and weight storage dtype (default f32). */
  dtype?: DType;
  /** Samples per evaluation batch (default 256). */
  evalBatch?: number;
  /** Batch sizes timed (default 1 and 1024). */
  latencyBatches?: number[];
  measure?: MeasureOptions;
  log?: (line: string) => void;
  /** The adapter's name, recorded in each result. */
  device?: string;
}

function stats(values: number[]) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, min: Math.min(...values), max: Math.max(...values), values };
}

/**
 * The hook that scores one (variant, seed) export through the kernels. Throws when a linear's
 * kernel output fails its check (the runner records the failure and goes on).
 *
 * @example
 * ```ts ignore
 * const kp = createKernelPath({ env, test });
 * await runTask(suite, { outDir, backend, log, onExport: kp.onExport });
 * ```
 */
export function createKernelPath(o: KernelPathOptions): {
  onExport(variant: KernelVariant, seed: number, model: ModelExport): Promise<void>;
} {
  const dtype = o.dtype ?? "f32";
  const evalBatch = o.evalBatch ?? 256;
  const batches = o.latencyBatches ?? [1, 1024];
  const measure = o.measure ?? TASK_MEASURE;
  const log = o.log ?? (() => {});
  const perSeed = new Map<string, { top1: number[]; logits: number[]; checks: LinearCheck[] }>();
  /** Dense medians per model name and batch. */
  const dense = new Map<string, Map<number, number>>();
  const latencies = new Map<string, KernelLatency[]>();
  const latencySeeds = new Map<string, number>();
  let method = "not timed";
  return {
    async onExport(variant, seed, model) {
      const ev = await evaluateOnKernels(o.env, model, o.test, { batch: evalBatch, dtype });
      const bad = ev.checks.find((c) => !c.ok);
      if (bad) {
        throw new Error(
          `kernel path: layer ${bad.layer} (${bad.op}) output is off its f64 reference by ` +
            `${bad.relError.toExponential(2)} > ${bad.tolerance.toExponential(1)}`,
        );
      }
      const first = head(o.test, Math.min(CPU_COMPARE_SAMPLES, ev.batch));
      const cpu = forwardCpu(model, first.images, first.count);
      const logitsErr = compareOutputs(ev.logits.subarray(0, first.count * CLASSES), cpu).relError;
      const rec = perSeed.get(variant.id) ?? { top1: [], logits: [], checks: [] };
      rec.top1.push(ev.top1);
      rec.logits.push(logitsErr);
      rec.checks = ev.checks;
      perSeed.set(variant.id, rec);

      let latency = latencies.get(variant.id);
      if (!latency) {
        latency = [];
        const isDense = variant.operator.op === "dense";
        const denseOf = dense.get(variant.model) ?? new Map<number, number>();
        for (const batch of batches) {
          const l = await measureForward(o.env, model, { batch, dtype }, measure, o.test.images);
          method = l.time.method;
          const d = isDense && !denseOf.has(batch) ? l.time.median : denseOf.get(batch) ?? null;
          if (isDense && !denseOf.has(batch)) denseOf.set(batch, l.time.median);
          latency.push({
            batch,
            medianMs: l.time.median,
            ciMs: [l.time.ci.lo, l.time.ci.hi],
            noise: l.time.noise,
            samples: l.time.n,
            samplesPerSecond: l.samplesPerSecond,
            denseMedianMs: d,
            speedupVsDense: d === null ? null : d / l.time.median,
            ...(l.time.sentinel ? { sentinel: l.time.sentinel } : {}),
          });
          log(
            `  kernels ${variant.id} batch ${batch}: ${l.time.median.toFixed(4)} ms` +
              (d === null ? "" : ` (${(d / l.time.median).toFixed(2)}× dense)`),
          );
        }
        dense.set(variant.model, denseOf);
        latencies.set(variant.id, latency);
        if (batches.length > 0) latencySeeds.set(variant.id, seed);
      }
      const lib = variant.value.values;
      const gaps = rec.top1.map((v, i) => (lib[i] === undefined ? NaN : Math.abs(v - lib[i]!)));
      const worst = rec.checks.reduce<LinearCheck | null>(
        (w, c) => (w === null || c.relError / c.tolerance > w.relError / w.tolerance ? c : w),
        null,
      );
      variant.kernelTop1 = stats(rec.top1);
      variant.kernel = {
        device: o.device ?? "unknown",
        dtype,
        method,
        top1: rec.top1,
        maxTop1Gap: gaps.some((g) => Number.isNaN(g)) ? null : Math.max(...gaps),
        logitsRelError: rec.logits,
        worstCheck: worst &&
          {
            layer: worst.layer,
            op: worst.op,
            relError: worst.relError,
            tolerance: worst.tolerance,
          },
        checked: true,
        latency,
      };
      const timedSeed = latencySeeds.get(variant.id);
      if (timedSeed !== undefined) variant.kernel.latencySeed = timedSeed;
      log(
        `  kernels ${variant.id}: top-1 ${ev.top1.toFixed(2)}% (library ${
          lib[rec.top1.length - 1]?.toFixed(2) ?? "?"
        }%), logits vs CPU ${logitsErr.toExponential(2)}`,
      );
    },
  };
}
