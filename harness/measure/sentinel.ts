/**
 * The measurement sentinel: a short reference workload timed before and after each case, so a
 * case measured while the device ran at another speed (a GPU that dropped its clocks for the
 * whole case, a shared CPU under load for a software adapter) is measured again, and flagged
 * when it stays off.
 *
 * The logic ({@link guardWithSentinel}) works on any {@link SentinelProbe}; the GPU probe
 * ({@link createGpuSentinel}) times a fixed FMA loop with the run's own timing method.
 *
 * @module
 */

import { median } from "../analyze/quantile.ts";
import type { SentinelFigures, TimeSummary } from "../types.ts";
import { type MeasureTarget, measureWorkload } from "./measure.ts";
import type { MeasureOptions } from "./options.ts";
import type { Workload } from "./workload.ts";

/** Times the reference workload once (a few samples) and returns its median in ms. */
export interface SentinelProbe {
  /** Median time of the reference workload now, in ms. */
  time(): Promise<number>;
  /** Keeps the device busy with the reference workload for about `ms` (until its times settle),
   * so that a GPU raises its clocks; absent where the probe cannot. */
  settle?(ms: number): Promise<number>;
}

/**
 * How long the time stage keeps a GPU busy with the sentinel's workload before each measurement
 * (`settle`), in ms: a GPU idle for the seconds a case takes to prepare drops its clocks, and a
 * light workload may not raise them again within its warm-up (docs/measuring.md).
 */
export const PRIME_MS = 200;

/** How far the sentinel may move before a case is measured again. */
export interface SentinelOptions {
  /** A case is re-measured when a sentinel reading is off the run's reference by more than this
   * factor, either way (1.3: 30% slower or 1/1.3 faster). */
  threshold: number;
  /** Re-measurements per case at most; a case still off after them is flagged. */
  maxRetries: number;
}

/** Defaults: re-measure beyond 30%, at most twice. */
export const DEFAULT_SENTINEL: SentinelOptions = { threshold: 1.3, maxRetries: 2 };

/** The readings of the run so far, from which each case's reference is taken. */
export class SentinelLog {
  #readings: number[] = [];

  /** Adds a reading (ms). */
  add(ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.#readings.push(ms);
  }

  /** Median of the readings so far; NaN before the first. */
  reference(): number {
    return this.#readings.length ? median(this.#readings) : NaN;
  }

  /** Number of readings. */
  get count(): number {
    return this.#readings.length;
  }
}

/** How far `ms` is from `ref`, as a factor ≥ 1 either way. */
function off(ms: number, ref: number): number {
  return ms >= ref ? ms / ref : ref / ms;
}

/**
 * Measures a case between two sentinel readings; when either reading is off the run's reference
 * by more than `threshold`, measures it again (up to `maxRetries` times) and keeps the attempt
 * whose readings were closest to the reference. A case whose every attempt was off is flagged.
 * `prepare` (the clock primer) runs before each attempt's first reading, so that the reading sees
 * the device as the measurement will. A later attempt that throws (its buffers may not fit again)
 * leaves the attempts before it standing; the first one's error propagates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const log = new SentinelLog();
 * log.add(1);
 * // The device runs 4x slow for the first attempt of the case, then recovers.
 * const speeds = [4, 4, 1, 1];
 * const probe = { time: () => Promise.resolve(speeds.shift() ?? 1) };
 * let calls = 0;
 * const g = await guardWithSentinel(probe, log, () => Promise.resolve(++calls === 1 ? 40 : 10));
 * assert.equal(g.value, 10);
 * assert.equal(g.sentinel.attempts, 2);
 * assert.equal(g.sentinel.flagged, false);
 * // Primed before the first reading of each attempt; a retry that fails keeps the first attempt.
 * const events: string[] = [];
 * const slow = { time: () => Promise.resolve((events.push("read"), 4)) };
 * const kept = await guardWithSentinel(slow, log, async () => {
 *   events.push("measure");
 *   if (events.filter((e) => e === "measure").length > 1) throw new Error("out of memory");
 *   return 7;
 * }, undefined, () => Promise.resolve(void events.push("prime")));
 * assert.deepEqual(events, ["prime", "read", "measure", "read", "prime", "read", "measure"]);
 * assert.equal(kept.value, 7);
 * assert.equal(kept.sentinel.attempts, 1);
 * assert.equal(kept.sentinel.flagged, true);
 * assert.equal(kept.sentinel.retryError, "out of memory");
 * ```
 */
export async function guardWithSentinel<T>(
  probe: SentinelProbe,
  log: SentinelLog,
  measure: () => Promise<T>,
  options: SentinelOptions = DEFAULT_SENTINEL,
  prepare?: () => Promise<unknown>,
): Promise<{ value: T; sentinel: SentinelFigures }> {
  let best: { value: T; sentinel: SentinelFigures; worst: number } | null = null;
  const maxAttempts = 1 + Math.max(0, options.maxRetries);
  let attempts = 0;
  while (attempts < maxAttempts) {
    await prepare?.();
    const before = await probe.time();
    // The reference excludes this case's own readings, so one slow stretch cannot hide itself.
    const ref = log.count ? log.reference() : before;
    let value: T;
    try {
      value = await measure();
    } catch (e) {
      if (!best) throw e;
      best.sentinel.retryError = (e as Error).message ?? String(e);
      break;
    }
    attempts++;
    const after = await probe.time();
    const worst = Math.max(off(before, ref), off(after, ref));
    if (!best || worst < best.worst) {
      best = {
        value,
        worst,
        sentinel: {
          referenceMs: ref,
          beforeMs: before,
          afterMs: after,
          ratio: Math.max(before, after) / ref,
          attempts: 0,
          flagged: false,
        },
      };
    }
    if (worst <= options.threshold) break;
  }
  const kept = best!;
  kept.sentinel.attempts = attempts;
  kept.sentinel.flagged = kept.worst > options.threshold;
  // Readings join the reference after the case: the run's typical speed, not this case's.
  log.add(kept.sentinel.beforeMs);
  log.add(kept.sentinel.afterMs);
  return { value: kept.value, sentinel: kept.sentinel };
}

const SENTINEL_WGSL = `
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<uniform> params: vec4<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  var a = f32(gid.x) * 1e-3;
  var b = 1.0001;
  for (var i = 0u; i < params.x; i++) {
    a = fma(a, b, 1e-7);
    b = fma(b, 0.99999, 1e-6);
  }
  out[gid.x] = a + b;
}`;

/** Workgroups of the sentinel dispatch (4096 threads). */
const SENTINEL_GROUPS = 64;

/** Measurement options of one sentinel reading: a handful of samples, little warm-up. */
function readingOptions(method: MeasureOptions["method"]): MeasureOptions {
  return {
    minSamples: 5,
    maxSamples: 7,
    maxTimeMs: 20,
    maxNoise: 0.5,
    warmupMs: 0,
    l2: "warm",
    flushBytes: 0,
    method,
    batchBelowMs: 0,
  };
}

/**
 * Creates the GPU sentinel: an FMA loop of 4096 threads whose length is calibrated once so a
 * reading's executions take about `targetMs` each, timed with the run's method.
 *
 * @example
 * ```ts ignore
 * const probe = await createGpuSentinel(gpu, "auto");
 * console.log(await probe.time());
 * probe.destroy();
 * ```
 */
export async function createGpuSentinel(
  target: MeasureTarget,
  method: MeasureOptions["method"],
  targetMs = 0.25,
): Promise<
  SentinelProbe & {
    /** Keeps the GPU busy with the probe for `ms` (until its times settle), then reads it. */
    settle(ms: number): Promise<number>;
    destroy(): void;
    iterations: number;
  }
> {
  const { device } = target;
  const out = device.createBuffer({
    label: "sentinel-out",
    size: SENTINEL_GROUPS * 64 * 4,
    usage: GPUBufferUsage.STORAGE,
  });
  const uni = device.createBuffer({
    label: "sentinel-params",
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  const module = device.createShaderModule({ label: "sentinel", code: SENTINEL_WGSL });
  const pipeline = await device.createComputePipelineAsync({
    label: "sentinel",
    layout: "auto",
    compute: { module, entryPoint: "main" },
  });
  const bindGroup = device.createBindGroup({
    label: "sentinel",
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: out } }, { binding: 1, resource: { buffer: uni } }],
  });
  const work: Workload = {
    label: "sentinel",
    dispatch(pass) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(SENTINEL_GROUPS);
    },
  };
  const opts = readingOptions(method);
  const read = async (): Promise<number> =>
    (await measureWorkload(target, work, opts) as TimeSummary).median;
  // Calibrate: grow the loop until one execution takes about targetMs (capped).
  let iterations = 256;
  for (let step = 0; step < 12; step++) {
    device.queue.writeBuffer(uni, 0, new Uint32Array([iterations, 0, 0, 0]));
    const ms = await read();
    if (ms >= targetMs / 2 || iterations >= 1 << 22) {
      if (ms > 0 && ms < targetMs) {
        iterations = Math.min(1 << 22, Math.round(iterations * targetMs / ms));
      }
      break;
    }
    iterations *= ms > 0 ? Math.min(16, Math.max(2, Math.round(targetMs / ms))) : 16;
  }
  device.queue.writeBuffer(uni, 0, new Uint32Array([iterations, 0, 0, 0]));
  return {
    iterations,
    time: read,
    async settle(ms: number) {
      // Back-to-back readings until `ms` has passed and the times have settled (the warm-up of
      // the measurement core), then one reading.
      await measureWorkload(target, work, { ...opts, warmupMs: ms });
      return await read();
    },
    destroy() {
      out.destroy();
      uni.destroy();
    },
  };
}
