/**
 * A model's forward latency through the kernels, timed by the measurement layer (GPU timestamps
 * around the whole chain of dispatches, warm-up and the stopping rule of harness/measure) between
 * sentinel readings (`time.sentinel`; guarded.ts).
 *
 * @module
 */

import type { MeasureOptions } from "../../harness/measure/options.ts";
import type { TimeSummary } from "../../harness/types.ts";
import { IMAGE_PIXELS } from "../data/mnist.ts";
import type { ModelExport } from "../export.ts";
import { buildGpuForward, type GpuForwardOptions } from "./forward.ts";
import { measureGuarded } from "./guarded.ts";
import type { GpuEnv } from "./linear.ts";

/** One latency measurement of a model at one batch size. */
export interface ForwardLatency {
  batch: number;
  /** The measurement layer's summary of one forward pass (all its dispatches), in ms. */
  time: TimeSummary;
  /** Samples per second at the median. */
  samplesPerSecond: number;
  /** Dispatches one forward pass records. */
  steps: number;
}

/**
 * Times one forward pass of `model` at `opts.batch` samples. The input holds `images` (the
 * first `batch` of them, zeros when fewer): the kernels' work does not depend on the values.
 *
 * @example
 * ```ts ignore
 * const l = await measureForward(env, model, { batch: 1 }, DEFAULT_MEASURE, test.images);
 * console.log(l.time.median);
 * ```
 */
export async function measureForward(
  env: GpuEnv,
  model: ModelExport,
  opts: GpuForwardOptions,
  measure: MeasureOptions,
  images: Float32Array,
): Promise<ForwardLatency> {
  const fwd = await buildGpuForward(env, model, opts);
  try {
    const count = Math.min(opts.batch, Math.floor(images.length / IMAGE_PIXELS));
    fwd.upload(images, count);
    const target = { device: env.device, features: env.features };
    const work = { label: `${model.arch} forward, batch ${opts.batch}`, dispatch: fwd.dispatch };
    // Between sentinel readings, re-measured when the GPU's speed moved (guarded.ts).
    const g = await measureGuarded(target, work, measure);
    const time = g.sentinel ? { ...g.time, sentinel: g.sentinel } : g.time;
    return {
      batch: opts.batch,
      time,
      samplesPerSecond: (1000 * opts.batch) / time.median,
      steps: fwd.steps.length,
    };
  } finally {
    fwd.destroy();
  }
}
