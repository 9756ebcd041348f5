/**
 * Times a workload: warm-up until times settle, pipelined batched sampling with GPU timestamps
 * (or wall clock), adaptive stopping.
 *
 * @module
 */

import { median } from "../analyze/quantile.ts";
import { summarize } from "../analyze/summary.ts";
import type { TimeMethod, TimeSummary } from "../types.ts";
import type { MeasureOptions } from "./options.ts";
import type { Workload } from "./workload.ts";

/** Most timed executions recorded into one command buffer. */
const MAX_BATCH = 64;
/** GPU time one batch should take once the workload's time is known. */
const TARGET_BATCH_MS = 25;
/** In wall-clock mode, one sample repeats the workload until it takes about this long. */
const WALL_SAMPLE_MS = 2;
/** Wall time after which a batch of library-reported samples ends. */
const REPORTED_BATCH_MS = 50;
/** GPU time a call of a library-reported measurement aims at ({@link measureReported}). */
export const REPORTED_CALL_MS = 25;
/** Most executions a call of a library-reported measurement submits. */
const REPORTED_MAX_REPS = 1024;
/** Warm-up is settled when the batch medians of the last SETTLE_WINDOW_MS agree within this. */
const SETTLE_TOLERANCE = 0.02;
const SETTLE_WINDOW_MS = 250;
const SETTLE_MIN_BATCHES = 3;
/**
 * During sampling, a batch whose median is off the running median by more than this fraction
 * is a level shift (a GPU clock change, as when a GPU ramps up from idle): samples restart.
 */
const SHIFT_TOLERANCE = 0.1;
const MAX_RESTARTS = 3;
/** Warm-up never runs longer than this multiple of warmupMs. */
const WARMUP_CAP_FACTOR = 10;

/** What the measurement layer needs of a device. */
export interface MeasureTarget {
  /** The device the work runs on. */
  device: GPUDevice;
  /** Features enabled on the device (`timestamp-query` allows GPU timestamps). */
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
 * Whether warm-up batch medians (with their end times in ms) have settled: the batches that
 * ended in the last `windowMs` (at least `minBatches` of them) agree within `tolerance`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(isSettled([[10, 0], [5, 100], [5.01, 200], [5, 300]], 0.02, 150, 3));
 * assert.ok(!isSettled([[22, 0], [14, 100], [9, 200]], 0.02, 150, 3));
 * ```
 */
export function isSettled(
  batches: readonly (readonly [median: number, endMs: number])[],
  tolerance = SETTLE_TOLERANCE,
  windowMs = SETTLE_WINDOW_MS,
  minBatches = SETTLE_MIN_BATCHES,
): boolean {
  if (batches.length < minBatches) return false;
  const last = batches[batches.length - 1]![1];
  let lo = Infinity, hi = -Infinity, count = 0;
  for (let i = batches.length - 1; i >= 0; i--) {
    const [m, end] = batches[i]!;
    if (count >= minBatches && last - end > windowMs) break;
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
    count++;
  }
  return count >= minBatches && hi <= lo * (1 + tolerance);
}

/** Takes samples of a workload: GPU-timestamped batches or wall-clock repetitions. */
interface Sampler {
  /** Starts a batch of about `count` executions; resolves to per-execution times in ms. */
  start(count: number): Promise<number[]>;
  destroy(): void;
}

/**
 * Measures `work` on `target` and returns the time summary with the raw samples.
 *
 * Never includes pipeline compilation or uploads: the workload must be fully set up. Warm-up
 * runs batches back to back until `warmupMs` has passed and per-execution times have settled
 * (GPUs ramp their clocks up over hundreds of milliseconds of sustained load), for at most
 * 10 × `warmupMs`; `warmupSettled` says which ended it. Each sample is one
 * execution timed by GPU timestamps around its compute pass, batches are pipelined so the GPU
 * never idles between them; in wall mode a sample is the mean of a few back-to-back executions
 * from submit to `onSubmittedWorkDone`.
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
  // A first execution (first-use costs), which also estimates one execution's time.
  const t0 = performance.now();
  await runWall(target.device, work, 1, cold ? flush : undefined);
  const estimate = { ms: performance.now() - t0 };
  const sampler: Sampler = method === "gpu-timestamp"
    ? new TimestampSampler(target.device, work, cold ? flush : undefined)
    : new WallSampler(target.device, work, cold ? flush : undefined, () => estimate.ms);
  return await sampleUntilSettled(
    { method, label: work.label, cold, started, estimate },
    sampler,
    opts,
  );
}

/**
 * Measures work submitted by a function, such as a library's operator on the same device: one
 * sample is the wall-clock time of `runOnce` calls (each must resolve once its GPU work has
 * finished), repeated until a sample takes about 2 ms; warm-up and the stopping rule are
 * {@link measureWorkload}'s. The summary's method is `wall`.
 *
 * @example
 * ```ts ignore
 * const t = await measureSubmitted("tf.matMul", async () => {
 *   const y = tf.matMul(a, b);
 *   backend.submitQueue();
 *   await device.queue.onSubmittedWorkDone();
 *   y.dispose();
 * }, DEFAULT_MEASURE);
 * ```
 */
export async function measureSubmitted(
  label: string,
  runOnce: () => Promise<void>,
  opts: MeasureOptions,
): Promise<TimeSummary> {
  const started = performance.now();
  const t0 = performance.now();
  await runOnce();
  const estimate = { ms: performance.now() - t0 };
  return await sampleUntilSettled(
    { method: "wall", label, cold: false, started, estimate },
    new FunctionSampler(runOnce, () => estimate.ms),
    opts,
  );
}

/**
 * Measures an operator whose library times its own GPU work, such as a library's operator with
 * timestamp queries on the same adapter: `runBatch(reps)` submits `reps` executions back to back
 * and resolves to their summed GPU time in ms as the library's timestamps report it. One sample is
 * that sum over `reps`, so its noise is that of a mean over `reps` executions. `reps` is set from
 * the first execution's GPU time to about {@link REPORTED_CALL_MS} of GPU work a call (at most
 * 1024), so that reading a library's timestamps back, which under Deno can wait about 12 ms
 * before it resolves, leaves the GPU idle for a small part of the time; an operator shorter than
 * the library's host work a call leaves it idle regardless. A batch of samples ends after about 50
 * ms of wall time. Warm-up and the stopping rule are {@link measureWorkload}'s (`warmupRuns` counts
 * samples); the summary's method is `gpu-timestamp`, its L2 warm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MEASURE } from "./options.ts";
 * // A stand-in library whose executions each report 0.5 ms of GPU time.
 * const asked: number[] = [];
 * const t = await measureReported("op", (reps) => {
 *   asked.push(reps);
 *   return Promise.resolve(0.5 * reps);
 * }, { ...DEFAULT_MEASURE, warmupMs: 1, maxTimeMs: 5 });
 * assert.equal(t.method, "gpu-timestamp");
 * assert.equal(t.median, 0.5);
 * assert.equal(asked[0], 1); // the estimate
 * assert.ok(asked.slice(1).every((r) => r === 50)); // 25 ms of GPU work a call
 * ```
 */
export async function measureReported(
  label: string,
  runBatch: (reps: number) => Promise<number>,
  opts: MeasureOptions,
): Promise<TimeSummary> {
  const started = performance.now();
  const estimate = { ms: await runBatch(1) };
  return await sampleUntilSettled(
    { method: "gpu-timestamp", label, cold: false, started, estimate },
    new ReportedSampler(runBatch, estimate.ms),
    opts,
  );
}

/** Warm-up, sampling and the stopping rule over any sampler (see {@link measureWorkload}). */
async function sampleUntilSettled(
  run: {
    method: TimeMethod;
    label: string;
    cold: boolean;
    started: number;
    estimate: { ms: number };
  },
  sampler: Sampler,
  opts: MeasureOptions,
): Promise<TimeSummary> {
  const { method, cold, started } = run;
  const work = { label: run.label };
  let estimateMs = run.estimate.ms;
  try {
    // Warm-up: pipelined batches until settled (or capped).
    const batches: [number, number][] = [];
    const cap = WARMUP_CAP_FACTOR * opts.warmupMs;
    let warmupRuns = 1;
    let settled = false;
    let inflight = sampler.start(clampBatch(estimateMs));
    while (true) {
      const next = sampler.start(clampBatch(estimateMs));
      const got = await inflight;
      inflight = next;
      warmupRuns += got.length;
      const m = median(got);
      estimateMs = m;
      run.estimate.ms = m;
      const now = performance.now() - started;
      batches.push([m, now]);
      if (now >= opts.warmupMs && isSettled(batches)) {
        settled = true;
        break;
      }
      if (now >= cap) break;
    }
    await inflight; // drain: its samples belong to warm-up
    const warmupMs = performance.now() - started;

    let samples: number[] = [];
    let sampleStart = performance.now();
    let restarts = 0;
    let stoppedBy: TimeSummary["stoppedBy"] = "max-samples";
    const want = () =>
      Math.max(1, Math.min(clampBatch(estimateMs), opts.maxSamples - samples.length));
    inflight = sampler.start(want());
    while (true) {
      const got = await inflight;
      if (samples.length > 0 && restarts < MAX_RESTARTS && isLevelShift(samples, got)) {
        // Clocks (or something else) changed under us: what came before is not this level.
        samples = [];
        sampleStart = performance.now();
        restarts++;
      }
      samples.push(...got.slice(0, opts.maxSamples - samples.length));
      let stop = samples.length >= opts.maxSamples;
      if (!stop && samples.length >= opts.minSamples) {
        const s = summarize(samples);
        if (s.ciRelHalfWidth <= opts.maxNoise) {
          stoppedBy = "noise";
          stop = true;
        } else if (performance.now() - sampleStart >= opts.maxTimeMs) {
          stoppedBy = "time";
          stop = true;
        }
      }
      if (stop) break;
      inflight = sampler.start(want());
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
      warmupRuns,
      warmupSettled: settled,
      restarts,
      totalMs: performance.now() - started,
      stoppedBy,
    };
  } finally {
    sampler.destroy();
  }
}

/**
 * Whether the newest batch sits at another level than the samples before it: its median is more
 * than 10% off their median (far beyond timing noise on a settled GPU).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(isLevelShift([0.43, 0.43, 0.431], [0.131, 0.132]));
 * assert.ok(!isLevelShift([0.43, 0.44, 0.42], [0.435, 0.43]));
 * ```
 */
export function isLevelShift(before: readonly number[], batch: readonly number[]): boolean {
  if (before.length === 0 || batch.length === 0) return false;
  const a = median(before);
  const b = median(batch);
  return Math.abs(b - a) > SHIFT_TOLERANCE * a;
}

function clampBatch(estimateMs: number): number {
  if (!Number.isFinite(estimateMs) || estimateMs <= 0) return 8;
  return Math.max(1, Math.min(MAX_BATCH, Math.round(TARGET_BATCH_MS / estimateMs)));
}

/** Records `reps` executions (each in its own pass, after a flush pass when cold). */
function encodeRuns(
  device: GPUDevice,
  work: Workload,
  reps: number,
  flush: Workload | undefined,
  timestamps?: (i: number) => GPUComputePassTimestampWrites,
): GPUCommandEncoder {
  const enc = device.createCommandEncoder({ label: `${work.label}:run` });
  for (let i = 0; i < reps; i++) {
    if (flush) {
      const fp = enc.beginComputePass({ label: "l2-flush" });
      flush.dispatch(fp);
      fp.end();
    }
    const pass = enc.beginComputePass(
      timestamps ? { label: work.label, timestampWrites: timestamps(i) } : { label: work.label },
    );
    work.dispatch(pass);
    pass.end();
  }
  return enc;
}

/** Runs `work` `reps` times in one submit and waits for completion. */
async function runWall(
  device: GPUDevice,
  work: Workload,
  reps: number,
  flush?: Workload,
): Promise<void> {
  device.queue.submit([encodeRuns(device, work, reps, flush).finish()]);
  await device.queue.onSubmittedWorkDone();
}

/** Wall-clock samples: submit → onSubmittedWorkDone, averaged over a few executions. */
/** Wall-clock samples of a function that resolves when its submitted GPU work has finished. */
class FunctionSampler implements Sampler {
  #busy: Promise<unknown> = Promise.resolve();
  constructor(private runOnce: () => Promise<void>, private estimate: () => number) {}

  start(count: number): Promise<number[]> {
    const run = this.#busy.then(async () => {
      const out: number[] = [];
      const reps = Math.max(1, Math.min(64, Math.round(WALL_SAMPLE_MS / this.estimate())));
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) await this.runOnce();
        out.push((performance.now() - t0) / reps);
      }
      return out;
    });
    this.#busy = run.catch(() => null);
    return run;
  }

  destroy(): void {}
}

/** Samples from a library's own GPU times: `reps` executions a sample, about 50 ms a batch. */
class ReportedSampler implements Sampler {
  #busy: Promise<unknown> = Promise.resolve();
  #reps: number;
  constructor(private runBatch: (reps: number) => Promise<number>, firstMs: number) {
    this.#reps = firstMs > 0
      ? Math.max(1, Math.min(REPORTED_MAX_REPS, Math.round(REPORTED_CALL_MS / firstMs)))
      : 1;
  }

  start(count: number): Promise<number[]> {
    const run = this.#busy.then(async () => {
      const out: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < count; i++) {
        out.push((await this.runBatch(this.#reps)) / this.#reps);
        if (performance.now() - t0 >= REPORTED_BATCH_MS) break;
      }
      return out;
    });
    this.#busy = run.catch(() => null);
    return run;
  }

  destroy(): void {}
}

class WallSampler implements Sampler {
  #busy: Promise<unknown> = Promise.resolve();
  constructor(
    private device: GPUDevice,
    private work: Workload,
    private flush: Workload | undefined,
    private estimate: () => number,
  ) {}

  start(count: number): Promise<number[]> {
    // Wall samples cannot overlap: chain after the previous batch.
    const run = this.#busy.then(async () => {
      const out: number[] = [];
      const reps = this.flush
        ? 1
        : Math.max(1, Math.min(64, Math.round(WALL_SAMPLE_MS / this.estimate())));
      for (let i = 0; i < count; i++) {
        if (this.flush) await runWall(this.device, this.flush, 1);
        const t0 = performance.now();
        await runWall(this.device, this.work, reps);
        out.push((performance.now() - t0) / reps);
      }
      return out;
    });
    this.#busy = run.catch(() => null);
    return run;
  }

  destroy(): void {}
}

/** GPU-timestamped batches; two query sets alternate so one batch runs while the last is read. */
class TimestampSampler implements Sampler {
  #slots: TimestampSlot[];
  #next = 0;
  constructor(
    private device: GPUDevice,
    private work: Workload,
    private flush: Workload | undefined,
  ) {
    this.#slots = [new TimestampSlot(device, MAX_BATCH), new TimestampSlot(device, MAX_BATCH)];
  }

  start(count: number): Promise<number[]> {
    const slot = this.#slots[this.#next++ % this.#slots.length]!;
    return slot.run(this.device, this.work, Math.min(count, MAX_BATCH), this.flush);
  }

  destroy(): void {
    for (const s of this.#slots) s.destroy();
  }
}

/** One query set with its resolve and readback buffers. */
class TimestampSlot {
  #querySet: GPUQuerySet;
  #resolve: GPUBuffer;
  #readback: GPUBuffer;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(device: GPUDevice, capacity: number) {
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

  /** Submits `n` timed executions now; resolves to their durations in ms. */
  run(
    device: GPUDevice,
    work: Workload,
    n: number,
    flush: Workload | undefined,
  ): Promise<number[]> {
    const enc = encodeRuns(device, work, n, flush, (i) => ({
      querySet: this.#querySet,
      beginningOfPassWriteIndex: 2 * i,
      endOfPassWriteIndex: 2 * i + 1,
    }));
    enc.resolveQuerySet(this.#querySet, 0, 2 * n, this.#resolve, 0);
    // The readback buffer may still be mapped by the previous use of this slot: copy after it.
    const previous = this.#busy;
    const result = previous.then(() => {
      const copy = device.createCommandEncoder({ label: "timestamps:copy" });
      copy.copyBufferToBuffer(this.#resolve, 0, this.#readback, 0, 16 * n);
      device.queue.submit([copy.finish()]);
      return this.#read(n);
    });
    device.queue.submit([enc.finish()]);
    this.#busy = result.catch(() => null);
    return result;
  }

  async #read(n: number): Promise<number[]> {
    await this.#readback.mapAsync(GPUMapMode.READ, 0, 16 * n);
    const ticks = new BigUint64Array(this.#readback.getMappedRange(0, 16 * n).slice(0));
    this.#readback.unmap();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const begin = ticks[2 * i]!;
      const end = ticks[2 * i + 1]!;
      if (end < begin) {
        throw new RangeError(
          `GPU timestamps went backwards (${begin} → ${end}); use --method wall`,
        );
      }
      out.push(Number(end - begin) / 1e6);
    }
    return out;
  }

  destroy(): void {
    this.#querySet.destroy();
    this.#resolve.destroy();
    this.#readback.destroy();
  }
}
