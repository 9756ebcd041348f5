/**
 * Times a workload: warm-up, batched sampling with GPU timestamps (or wall clock), adaptive
 * stopping.
 *
 * @module
 */

import { summarize } from "../analyze/summary.ts";
import type { TimeMethod, TimeSummary } from "../types.ts";
import type { MeasureOptions } from "./options.ts";
import type { Workload } from "./workload.ts";

/** Most timed executions recorded into one command buffer. */
const MAX_BATCH = 64;
/** Wall time one batch should take once the workload's time is known. */
const TARGET_BATCH_MS = 25;
/** In wall-clock mode, one sample repeats the workload until it takes about this long. */
const WALL_SAMPLE_MS = 2;

/** What the measurement layer needs of a device. */
export interface MeasureTarget {
  device: GPUDevice;
  features: Set<string>;
}

/** The method `auto` resolves to on a device. */
export function resolveMethod(target: MeasureTarget, opts: MeasureOptions): TimeMethod {
  if (opts.method === "wall") return "wall";
  if (target.features.has("timestamp-query")) return "gpu-timestamp";
  if (opts.method === "gpu-timestamp") {
    throw new RangeError('measure.method "gpu-timestamp" needs the timestamp-query feature');
  }
  return "wall";
}

/**
 * Measures `work` on `target` and returns the time summary with the raw samples.
 *
 * Never includes pipeline compilation or uploads: the workload must be fully set up. Each sample
 * is one execution (GPU timestamps around its compute pass) or, in wall mode, the mean of a few
 * back-to-back executions from submit to `onSubmittedWorkDone`.
 *
 * @example
 * ```ts ignore
 * const t = await measureWorkload({ device, features }, work, DEFAULT_MEASURE);
 * console.log(t.median, t.noise);
 * ```
 */
export async function measureWorkload(
  target: MeasureTarget,
  work: Workload,
  opts: MeasureOptions,
  flush?: Workload,
): Promise<TimeSummary> {
  const method = resolveMethod(target, opts);
  const cold = opts.l2 === "cold" && flush !== undefined;
  const started = performance.now();
  const timer = method === "gpu-timestamp" ? new TimestampBatch(target.device, MAX_BATCH) : null;
  try {
    // Warm-up: until warmupMs has passed and at least two executions ran. Gives an estimate
    // of one execution's time to size batches.
    let execs = 0;
    let estimateMs = Infinity;
    while (execs < 2 || performance.now() - started < opts.warmupMs) {
      const batch = execs === 0 ? 1 : clampBatch(estimateMs);
      const t0 = performance.now();
      await runWall(target.device, work, batch, cold ? flush : undefined);
      const per = (performance.now() - t0) / batch;
      estimateMs = Math.min(estimateMs, per);
      execs += batch;
      if (execs >= 2 && per > opts.warmupMs) break; // one slow execution is warm-up enough
    }
    const warmupMs = performance.now() - started;

    const samples: number[] = [];
    const sampleStart = performance.now();
    let stoppedBy: TimeSummary["stoppedBy"] = "max-samples";
    while (samples.length < opts.maxSamples) {
      const want = Math.min(clampBatch(estimateMs), opts.maxSamples - samples.length);
      if (timer) {
        const got = await timer.run(work, want, cold ? flush : undefined);
        samples.push(...got);
      } else {
        const reps = cold ? 1 : Math.max(1, Math.min(64, Math.round(WALL_SAMPLE_MS / estimateMs)));
        for (let i = 0; i < want; i++) {
          if (cold) await runWall(target.device, flush!, 1);
          const t0 = performance.now();
          await runWall(target.device, work, reps);
          samples.push((performance.now() - t0) / reps);
        }
      }
      if (samples.length >= opts.minSamples) {
        const s = summarize(samples);
        if (s.ciRelHalfWidth <= opts.maxNoise) {
          stoppedBy = "noise";
          break;
        }
        if (performance.now() - sampleStart >= opts.maxTimeMs) {
          stoppedBy = "time";
          break;
        }
      }
    }
    const s = summarize(samples);
    if (s.max === 0) {
      throw new RangeError(
        `every ${method} sample of "${work.label}" was 0 ms: the timer is unusable here; use --method wall`,
      );
    }
    return {
      unit: "ms",
      method,
      l2: cold ? "cold" : "warm",
      samples: samples.map((v) => Number(v.toPrecision(6))),
      n: s.n,
      median: s.median,
      min: s.min,
      max: s.max,
      p10: s.p10,
      p90: s.p90,
      mean: s.mean,
      stddev: s.stddev,
      noise: s.noise,
      ci: s.ci,
      outliers: s.outliers,
      warmupMs,
      totalMs: performance.now() - started,
      stoppedBy,
    };
  } finally {
    timer?.destroy();
  }
}

function clampBatch(estimateMs: number): number {
  if (!Number.isFinite(estimateMs) || estimateMs <= 0) return 8;
  return Math.max(1, Math.min(MAX_BATCH, Math.round(TARGET_BATCH_MS / estimateMs)));
}

/** Runs `work` `reps` times in one submit (each execution in its own pass) and waits. */
async function runWall(
  device: GPUDevice,
  work: Workload,
  reps: number,
  flush?: Workload,
): Promise<void> {
  const enc = device.createCommandEncoder({ label: `${work.label}:run` });
  for (let i = 0; i < reps; i++) {
    if (flush) {
      const fp = enc.beginComputePass({ label: "l2-flush" });
      flush.dispatch(fp);
      fp.end();
    }
    const pass = enc.beginComputePass({ label: work.label });
    work.dispatch(pass);
    pass.end();
  }
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

/** Query set + resolve buffers to time up to `capacity` passes per submit. */
class TimestampBatch {
  #device: GPUDevice;
  #capacity: number;
  #querySet: GPUQuerySet;
  #resolve: GPUBuffer;
  #readback: GPUBuffer;

  constructor(device: GPUDevice, capacity: number) {
    this.#device = device;
    this.#capacity = capacity;
    this.#querySet = device.createQuerySet({
      label: "timestamps",
      type: "timestamp",
      count: capacity * 2,
    });
    this.#resolve = device.createBuffer({
      label: "timestamps:resolve",
      size: capacity * 16,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    this.#readback = device.createBuffer({
      label: "timestamps:readback",
      size: capacity * 16,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
  }

  /** Runs `count` timed executions and returns their durations in ms. */
  async run(work: Workload, count: number, flush?: Workload): Promise<number[]> {
    const n = Math.min(count, this.#capacity);
    const enc = this.#device.createCommandEncoder({ label: `${work.label}:timed` });
    for (let i = 0; i < n; i++) {
      if (flush) {
        const fp = enc.beginComputePass({ label: "l2-flush" });
        flush.dispatch(fp);
        fp.end();
      }
      const pass = enc.beginComputePass({
        label: work.label,
        timestampWrites: {
          querySet: this.#querySet,
          beginningOfPassWriteIndex: 2 * i,
          endOfPassWriteIndex: 2 * i + 1,
        },
      });
      work.dispatch(pass);
      pass.end();
    }
    enc.resolveQuerySet(this.#querySet, 0, 2 * n, this.#resolve, 0);
    enc.copyBufferToBuffer(this.#resolve, 0, this.#readback, 0, 16 * n);
    this.#device.queue.submit([enc.finish()]);
    await this.#readback.mapAsync(GPUMapMode.READ, 0, 16 * n);
    const ticks = new BigUint64Array(this.#readback.getMappedRange(0, 16 * n).slice(0));
    this.#readback.unmap();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const dt = ticks[2 * i + 1]! - ticks[2 * i]!;
      if (ticks[2 * i + 1]! < ticks[2 * i]!) {
        throw new RangeError(
          `GPU timestamps went backwards (${ticks[2 * i]} → ${
            ticks[2 * i + 1]
          }); use --method wall`,
        );
      }
      out.push(Number(dt) / 1e6);
    }
    return out;
  }

  destroy(): void {
    this.#querySet.destroy();
    this.#resolve.destroy();
    this.#readback.destroy();
  }
}
