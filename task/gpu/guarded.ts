/**
 * Model timings between sentinel readings, as the bench times its cases: a short reference
 * workload is timed before and after each measurement, and a measurement taken while the GPU ran
 * at another speed (a clock that dropped while the host prepared the next model) is taken again
 * (harness/measure/sentinel.ts). One sentinel and one log of readings per GPU environment, so
 * every model of a latency pass is held to the same reference.
 *
 * @module
 */

import { type MeasureTarget, measureWorkload } from "../../harness/measure/measure.ts";
import type { MeasureOptions } from "../../harness/measure/options.ts";
import {
  createGpuSentinel,
  guardWithSentinel,
  SentinelLog,
  type SentinelProbe,
} from "../../harness/measure/sentinel.ts";
import type { Workload } from "../../harness/measure/workload.ts";
import type { SentinelFigures, TimeSummary } from "../../harness/types.ts";

/** A sentinel probe and the readings it has given so far. */
export interface ModelSentinel {
  probe: SentinelProbe;
  log: SentinelLog;
}

const sentinels = new WeakMap<
  GPUDevice,
  { method: MeasureOptions["method"]; sentinel: Promise<ModelSentinel> }
>();

/** How long the GPU is kept busy with the sentinel before its reference is taken (ms). */
const SENTINEL_SETTLE_MS = 500;

/**
 * The sentinel of a device for a timing method, created on first use: it runs back to back for
 * half a second (a GPU that idled while the model was built ramps its clock meanwhile, as in the
 * measurement core's warm-up) and its next three readings start the reference. Its buffers live as
 * long as the device; a creation that failed is not kept.
 *
 * @example
 * ```ts ignore
 * const s = await modelSentinel(env, "auto");
 * ```
 */
export function modelSentinel(
  target: MeasureTarget,
  method: MeasureOptions["method"],
): Promise<ModelSentinel> {
  const known = sentinels.get(target.device);
  if (known && known.method === method) return known.sentinel;
  const sentinel = (async () => {
    const probe = await createGpuSentinel(target, method);
    const log = new SentinelLog();
    log.add(await probe.settle(SENTINEL_SETTLE_MS));
    for (let i = 0; i < 2; i++) log.add(await probe.time());
    return { probe, log };
  })();
  sentinels.set(target.device, { method, sentinel });
  sentinel.catch(() => sentinels.delete(target.device));
  return sentinel;
}

/**
 * Runs a measurement between sentinel readings (`guardWithSentinel`): re-measured up to twice when a
 * reading is off the reference by more than 30%, flagged when it stays off. Without a sentinel,
 * measures once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SentinelLog } from "../../harness/measure/sentinel.ts";
 * import type { TimeSummary } from "../../harness/types.ts";
 * const log = new SentinelLog();
 * log.add(1);
 * // A stand-in measurement (`measure`) and probe: the device runs slow for the first attempt.
 * const speeds = [3, 3, 1, 1];
 * const probe = { time: () => Promise.resolve(speeds.shift() ?? 1) };
 * let n = 0;
 * const measure = () => Promise.resolve({ median: ++n === 1 ? 30 : 10 } as TimeSummary);
 * const g = await guardedMeasure({ probe, log }, measure);
 * assert.equal(g.time.median, 10);
 * assert.equal(g.sentinel?.attempts, 2);
 * ```
 */
export async function guardedMeasure(
  sentinel: ModelSentinel | null,
  measure: () => Promise<TimeSummary>,
): Promise<{ time: TimeSummary; sentinel: SentinelFigures | null }> {
  if (!sentinel) return { time: await measure(), sentinel: null };
  const g = await guardWithSentinel(sentinel.probe, sentinel.log, measure);
  return { time: g.value, sentinel: g.sentinel };
}

/**
 * Measures `work` on `target` (`measureWorkload`) between readings of the device's sentinel
 * ({@link modelSentinel}, {@link guardedMeasure}): how the task paths time a model.
 *
 * @example
 * ```ts ignore
 * const { time, sentinel } = await measureGuarded(env, workload, TASK_MEASURE);
 * ```
 */
export async function measureGuarded(
  target: MeasureTarget,
  work: Workload,
  opts: MeasureOptions,
): Promise<{ time: TimeSummary; sentinel: SentinelFigures | null }> {
  return await guardedMeasure(
    await modelSentinel(target, opts.method),
    () => measureWorkload(target, work, opts),
  );
}
