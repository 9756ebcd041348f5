/**
 * The time stage: the isolated measurement, back-to-back timing of short kernels (over buffer
 * copies when cold), and the re-checks of an isolated median far above the back-to-back figure and
 * of a back-to-back median above the isolated one.
 *
 * @module
 */

import { batchSuspect, isolatedSuspect } from "../../analyze/transient.ts";
import type { KernelPlan } from "../../kernel.ts";
import { type BatchCopy, type BatchTiming, measureBatch } from "../../measure/batch.ts";
import { guarded } from "../../gpu/guarded.ts";
import { rotatingCopies } from "../../measure/cold.ts";
import { measureWorkload } from "../../measure/measure.ts";
import { guardWithSentinel } from "../../measure/sentinel.ts";
import type { SentinelFigures, TimeSummary } from "../../types.ts";
import type { CaseContext, CaseEnv } from "./context.ts";
import { planContext } from "./plan.ts";
import { clockPrimer } from "./prime.ts";
import type { PreparedCase } from "./prepare.ts";

/** What the time stage measured. */
export interface CaseTiming {
  /** The isolated summary (after a re-check, the lower of the two). */
  time: TimeSummary;
  /** Back-to-back timing, for kernels shorter than `measure.batchBelowMs`; else null. */
  batch: BatchTiming | null;
}

/** One more plan of the case writing `plan`'s output buffer (a buffer copy for rotation). */
async function planCopy(
  ctx: CaseContext,
  prep: PreparedCase,
  plan: KernelPlan,
): Promise<BatchCopy> {
  const { c } = ctx;
  const copy = await c.kernel.plan({ ...planContext(ctx, prep), output: plan.output.buffer });
  if (copy.output.buffer !== plan.output.buffer) {
    copy.destroy();
    throw new Error(
      `kernel "${c.kernel.name}" ignored PlanContext.output: batch timing needs every copy ` +
        "to write the one output buffer, so that executions are ordered",
    );
  }
  return copy;
}

/**
 * `measure` timed between two readings of `sentinel` (where there is one), measured again when
 * the device's speed moved (`guardWithSentinel`); the readings go to the result's `sentinel`.
 */
async function withSentinel<T extends { sentinel?: SentinelFigures }>(
  sentinel: CaseEnv["sentinel"],
  measure: () => Promise<T>,
  prepare?: () => Promise<unknown>,
): Promise<T> {
  if (!sentinel) return await measure();
  const { probe, log, options } = sentinel;
  const g = await guardWithSentinel(probe, log, measure, options, prepare);
  return { ...g.value, sentinel: g.sentinel };
}

/**
 * Times the verified plan: isolated, then back to back when shorter than `batchBelowMs`; an
 * isolated median far above the case's own back-to-back figure, or a back-to-back median above
 * the isolated one, is taken once more.
 *
 * @example
 * ```ts ignore
 * const timing = await timeCase(ctx, prep, plan);
 * ```
 */
export async function timeCase(
  ctx: CaseContext,
  prep: PreparedCase,
  plan: KernelPlan,
): Promise<CaseTiming> {
  const { env: { gpu, suite, flush, peaks }, c } = ctx;
  ctx.stage = "measure";
  const work = {
    label: c.id,
    dispatch: (pass: GPUComputePassEncoder) => plan.dispatch(pass),
    output: plan.output.buffer,
  };
  // The clocks up before each measurement (and before the sentinel's reading that precedes it).
  const prime = clockPrimer(ctx.env);
  const isolated = () => measureWorkload(gpu, work, suite.measure, flush);
  let time: TimeSummary = await withSentinel(ctx.env.sentinel, isolated, prime);
  if (gpu.isLost()) throw new Error(`device lost: ${await gpu.lost}`);
  if (time.median >= suite.measure.batchBelowMs) return { time, batch: null };
  ctx.stage = "batch";
  const copies = rotatingCopies(
    gpu.info.isFallbackAdapter,
    suite.measure,
    ctx.work.bytes,
    time.median,
  );
  // The copies are plans of their own, not verified: inside error scopes, a copy the device
  // rejects fails the case instead of leaving its timestamps unwritten.
  const batchOnce = () =>
    guarded(gpu.device, "timing back to back", () =>
      measureBatch(
        gpu,
        work,
        () => planCopy(ctx, prep, plan),
        copies,
        time.median,
        suite.measure,
        prime,
      ));
  // On a GPU, between two readings of the sentinel as well: a batch timed at a lowered clock may
  // still read below the isolated figure, where the check below does not see it.
  const batchSentinel = gpu.info.isFallbackAdapter ? undefined : ctx.env.sentinel;
  const backToBack = (): Promise<BatchTiming> => withSentinel(batchSentinel, batchOnce);
  let batch = await backToBack();
  const over = batchSuspect(time.median, batch.median);
  if (over !== null) {
    // Slower back to back than alone: the device slowed down while the batch was timed.
    ctx.stage = "batch (recheck)";
    // A second batch that fails (its copies may not fit again) leaves the first one standing.
    const again = await backToBack().catch(() => null);
    const kept = again && again.median < batch.median ? "second" : "first";
    const recheck = {
      ratio: over,
      firstMedian: batch.median,
      secondMedian: again?.median ?? null,
      kept,
    } as const;
    batch = { ...(kept === "second" && again ? again : batch), recheck };
  }
  const passMs = peaks?.passOverheadUs != null ? peaks.passOverheadUs / 1000 : null;
  const ratio = isolatedSuspect(time.median, batch.median, passMs);
  if (ratio !== null) {
    ctx.stage = "measure (recheck)";
    await prime?.();
    const again = await isolated();
    const kept = again.median < time.median ? "second" : "first";
    const recheck = { ratio, firstMedian: time.median, secondMedian: again.median, kept } as const;
    time = { ...(kept === "second" ? again : time), recheck, sentinel: time.sentinel };
  }
  return { time, batch };
}
