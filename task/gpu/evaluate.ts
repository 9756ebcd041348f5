/**
 * Task accuracy through the kernels that are timed: a test set evaluated by the model's forward
 * pass on the device, every linear's kernel output checked against its family's f64 reference
 * on the first batch.
 *
 * @module
 */

import { CLASSES, type Digits, IMAGE_PIXELS } from "../data/mnist.ts";
import type { ModelExport } from "../export.ts";
import { top1 } from "../model/forward_cpu.ts";
import { buildGpuForward, type GpuForwardOptions } from "./forward.ts";
import type { GpuEnv, LinearCheck } from "./linear.ts";

/** What {@link evaluateOnKernels} measured. */
export interface KernelEvaluation {
  /** Top-1 accuracy in percent over the set. */
  top1: number;
  /** count×10 logits from the device. */
  logits: Float32Array;
  /** One check per linear (first batch): kernel output vs its family's f64 reference. */
  checks: LinearCheck[];
  /** True when every check passed. */
  checked: boolean;
  batch: number;
}

/**
 * Evaluates `set` through the kernel path in batches of `opts.batch` (the last batch padded with
 * zero images, whose logits are dropped: samples never interact).
 *
 * @example
 * ```ts ignore
 * const ev = await evaluateOnKernels(env, model, test, { batch: 256 });
 * assert.ok(ev.checked);
 * console.log(ev.top1);
 * ```
 */
export async function evaluateOnKernels(
  env: GpuEnv,
  model: ModelExport,
  set: Digits,
  opts: GpuForwardOptions & { seed?: number },
): Promise<KernelEvaluation> {
  const batch = Math.min(opts.batch, set.count);
  const fwd = await buildGpuForward(env, model, { ...opts, batch });
  try {
    const logits = new Float32Array(set.count * CLASSES);
    let checks: LinearCheck[] = [];
    for (let s0 = 0; s0 < set.count; s0 += batch) {
      const n = Math.min(batch, set.count - s0);
      const imgs = set.images.subarray(s0 * IMAGE_PIXELS, (s0 + n) * IMAGE_PIXELS);
      if (s0 === 0) {
        const r = await fwd.runChecked(imgs, n, opts.seed ?? 1);
        checks = r.checks;
        logits.set(r.logits, 0);
      } else {
        logits.set(await fwd.run(imgs, n), s0 * CLASSES);
      }
    }
    return {
      top1: top1(logits, set.labels),
      logits,
      checks,
      checked: checks.every((c) => c.ok),
      batch,
    };
  } finally {
    fwd.destroy();
  }
}
