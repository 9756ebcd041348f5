/**
 * The derive stage: figures computed from the measured times and the work model (throughput of
 * the isolated and back-to-back medians, roofline percentages of the measured peaks).
 *
 * @module
 */

import type { WorkModel } from "../../kernel.ts";
import type { Shape, Throughput } from "../../types.ts";
import type { CaseContext } from "./context.ts";
import type { CaseTiming } from "./time.ts";
import { streamGbpsAt } from "../../measure/stream.ts";

/**
 * Effective and executed TFLOP/s and GB/s of a case of `shape` at `ms` per execution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const flops = { total: 2e9, core: 2e9, overhead: 0 };
 * const work = { flops, bytes: 1e9, paramsStored: 0, storedBytes: 0 };
 * const t = throughputOf({ m: 1000, k: 1000, n: 1000 }, work, 1);
 * assert.equal(t.effectiveTflops, 2);
 * assert.equal(t.gbps, 1000);
 * ```
 */
export function throughputOf(shape: Shape, work: WorkModel, ms: number): Throughput {
  const sec = ms * 1e-3;
  const { m, k, n } = shape;
  return {
    effectiveTflops: (2 * m * k * n) / sec / 1e12,
    executedTflops: work.flops.total / sec / 1e12,
    gbps: work.bytes / sec / 1e9,
  };
}

/**
 * The measured FMA peak that bounds a case's executed FLOPs: the f16 one for packed-half
 * arithmetic (`work.arithmetic: "f16x2"`) when the device measured it, else the f32 one. f16
 * storage with f32 products is bounded by the f32 peak, not by packed halves' twice-as-high one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const work = { flops: { total: 1, core: 1, overhead: 0 }, bytes: 1, paramsStored: 0, storedBytes: 0 };
 * const peaks = { fmaTflops: 60, fmaF16Tflops: 120 };
 * assert.deepEqual(fmaPeakOf(work, peaks), { tflops: 60, kind: "f32" });
 * assert.deepEqual(fmaPeakOf({ ...work, arithmetic: "f16x2" }, peaks), { tflops: 120, kind: "f16" });
 * assert.deepEqual(fmaPeakOf({ ...work, arithmetic: "f16x2" }, { ...peaks, fmaF16Tflops: null }), {
 *   tflops: 60,
 *   kind: "f32",
 * });
 * ```
 */
export function fmaPeakOf(
  work: WorkModel,
  peaks: { fmaTflops: number; fmaF16Tflops: number | null },
): { tflops: number; kind: "f32" | "f16" } {
  if (work.arithmetic === "f16x2" && peaks.fmaF16Tflops) {
    return { tflops: peaks.fmaF16Tflops, kind: "f16" };
  }
  return { tflops: peaks.fmaTflops, kind: "f32" };
}

/**
 * Records the timing and what follows from it: throughput, batch throughput (and its share of the
 * read stream of the same bytes, when the run measured it), roofline.
 *
 * @example
 * ```ts ignore
 * derive(ctx, await timeCase(ctx, prep, plan));
 * ```
 */
export function derive(ctx: CaseContext, timing: CaseTiming): void {
  const { env: { peaks }, c, result, work } = ctx;
  ctx.stage = "derive";
  const { time, batch } = timing;
  if (batch) {
    const t = throughputOf(c.shape, work, batch.median);
    const stream = peaks?.stream?.length ? streamGbpsAt(peaks.stream, work.bytes) : null;
    result.batch = {
      ...batch,
      ...t,
      speedupVsDense: null,
      ...(stream ? { pctStream: (100 * t.gbps) / stream } : {}),
    };
  } else result.batch = null;
  result.time = time;
  const throughput = throughputOf(c.shape, work, time.median);
  result.throughput = throughput;
  const peak = peaks ? fmaPeakOf(work, peaks) : null;
  result.roofline = {
    pctPeakFlops: peak ? (100 * throughput.executedTflops) / peak.tflops : null,
    ...(peak ? { fmaPeak: peak.kind } : {}),
    pctPeakBandwidth: peaks ? (100 * throughput.gbps) / peaks.copyGbps : null,
    intensity: work.bytes > 0 ? work.flops.total / work.bytes : 0,
  };
}
