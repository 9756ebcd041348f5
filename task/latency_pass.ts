/**
 * `task latency`: the forward latency of a finished run's variants, timed in one process after
 * training, so that nothing else loads the GPU while it is measured (shards that train in
 * parallel run with `--latency-batches none`). Each variant's exported model of one seed
 * (`first`: its first seed; or a given seed) is timed through the kernels at every batch size by
 * the measurement layer (task/gpu/latency.ts), its model's dense `scratch` variant first, and the
 * speedup is the dense median over the variant's. Weights' values do not change the kernels'
 * work, so one seed's model stands for all.
 *
 * @module
 */

import { join } from "node:path";
import type { MeasureOptions } from "../harness/measure/options.ts";
import type { DType } from "../harness/types.ts";
import { parseExportJson } from "./export_file.ts";
import { measureForward } from "./gpu/latency.ts";
import type { GpuEnv } from "./gpu/linear.ts";
import type { KernelLatency } from "./kernel_path.ts";
import type { TaskLatencyPass, TaskResults, TaskVariantResult } from "./types.ts";

/** Options of {@link timeRunLatency}. */
export interface LatencyPassOptions {
  env: GpuEnv;
  /** Folder of the results.json (export paths are relative to it). */
  dir: string;
  batches: number[];
  measure: MeasureOptions;
  /** Input images (the first `batch` are uploaded; zeros beyond). */
  images: Float32Array;
  /** The seed whose exports are timed; default each variant's first. */
  seed?: number;
  /** The adapter's name, recorded. */
  device: string;
  log?: (line: string) => void;
  /** Called after each variant is timed (e.g. to save the results so far). */
  onTimed?: () => Promise<void>;
}

function pickSeed(v: TaskVariantResult, seed: number | undefined): number | null {
  if (seed === undefined) return v.seeds[0] ?? null;
  return v.seeds.includes(seed) ? seed : null;
}

/**
 * Times every variant of `results` (changed in place: each variant's `kernel.latency` and
 * `kernel.latencySeed`, the run's `latencyPass`). A variant whose model cannot be timed gets a
 * failure (`latency: …`) and the pass goes on. Returns the pass's record.
 *
 * @example
 * ```ts ignore
 * const pass = await timeRunLatency(results, { env, dir: "reports/full", batches: [1, 1024],
 *   measure: DEFAULT_MEASURE, images: test.images, device: "NVIDIA H200" });
 * ```
 */
export async function timeRunLatency(
  results: TaskResults,
  o: LatencyPassOptions,
): Promise<TaskLatencyPass> {
  const log = o.log ?? (() => {});
  let method = "not timed";
  const passNow = (): TaskLatencyPass => ({
    device: o.device,
    method,
    batches: o.batches,
    seedRule: o.seed ?? "first",
    at: new Date().toISOString(),
  });
  const models = [...new Set(results.variants.map((v) => v.model))];
  for (const model of models) {
    const vs = results.variants.filter((v) => v.model === model);
    // The dense model first: every speedup of this model is taken against it.
    const dense = vs.find((v) => v.experiment === "scratch" && v.operator.op === "dense") ??
      vs.find((v) => v.operator.op === "dense");
    const ordered = dense ? [dense, ...vs.filter((v) => v !== dense)] : vs;
    const denseMs = new Map<number, number>();
    for (const v of ordered) {
      const seed = pickSeed(v, o.seed);
      if (seed === null) {
        log(`latency ${v.id}: no export of seed ${o.seed}; not timed`);
        continue;
      }
      const dtype: DType = v.kernel?.dtype ?? "f32";
      try {
        const m = parseExportJson(
          await Deno.readTextFile(join(o.dir, v.exports[v.seeds.indexOf(seed)]!)),
        );
        const latency: KernelLatency[] = [];
        for (const batch of o.batches) {
          const l = await measureForward(o.env, m, { batch, dtype }, o.measure, o.images);
          method = l.time.method;
          if (v === dense) denseMs.set(batch, l.time.median);
          const d = denseMs.get(batch) ?? null;
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
            `latency ${v.id} (seed ${seed}) batch ${batch}: ${l.time.median.toFixed(4)} ms` +
              (d === null ? "" : ` (${(d / l.time.median).toFixed(2)}× dense)`),
          );
        }
        v.kernel ??= {
          device: o.device,
          dtype,
          method,
          top1: [],
          maxTop1Gap: null,
          logitsRelError: [],
          worstCheck: null,
          checked: false,
          latency: [],
        };
        v.kernel.method = method;
        v.kernel.latency = latency;
        v.kernel.latencySeed = seed;
        results.latencyPass = passNow();
        await o.onTimed?.();
      } catch (e) {
        const error = `latency: ${(e as Error).message.split("\n")[0]}`;
        log(`FAILED ${v.id} seed ${seed}: ${error}`);
        results.failures.push({ id: v.id, seed, error });
      }
    }
  }
  results.latencyPass = passNow();
  return results.latencyPass;
}
