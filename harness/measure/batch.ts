/**
 * Back-to-back ("batch") timing of a short workload: many dispatches recorded into one timed
 * pass, the pass time divided by their number, rotating over buffer copies when cold.
 *
 * @module
 */

import type { BatchSummary } from "../types.ts";
import { type MeasureTarget, measureWorkload } from "./measure.ts";
import type { MeasureOptions } from "./options.ts";
import type { Workload } from "./workload.ts";

/**
 * The fence between two executions of a plan of several dispatches: one thread that binds the
 * shared output buffer read-write and never writes it. Deno's WebGPU (wgpu, on Vulkan) puts a
 * barrier before it, as before any dispatch that writes a buffer the previous one wrote, and a
 * Vulkan barrier orders everything recorded after it (the next execution's first dispatch, which
 * runs beside the fence) after everything before it (the previous execution's output write).
 */
const FENCE_WGSL = `@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main() {
  if (arrayLength(&out) == 0u) { out[0] = 0u; }
}`;

const fencePipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

/**
 * Records the fence on `output` into a pass (see `FENCE_WGSL`); its pipeline is made once a device.
 *
 * @example
 * ```ts ignore
 * const fence = batchFence(device, plan.output.buffer);
 * fence(pass);
 * ```
 */
export function batchFence(
  device: GPUDevice,
  output: GPUBuffer,
): (pass: GPUComputePassEncoder) => void {
  let pipeline = fencePipelines.get(device);
  if (!pipeline) {
    const layout = device.createBindGroupLayout({
      entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" } }],
    });
    pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module: device.createShaderModule({ code: FENCE_WGSL }), entryPoint: "main" },
    });
    fencePipelines.set(device, pipeline);
  }
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: output, offset: 0, size: 4 } }],
  });
  const p = pipeline;
  return (pass) => {
    pass.setPipeline(p);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
  };
}

/** Wall time one batch sample (one pass) should take. */
const BATCH_PASS_MS = 1;
/** Most dispatches recorded into one timed pass (unless one round over the copies takes more). */
const MAX_DISPATCHES = 512;

/** One more copy of a workload's buffers, dispatched in rotation and destroyed afterwards. */
export interface BatchCopy {
  /** Records one execution on this copy into `pass`. */
  dispatch(pass: GPUComputePassEncoder): void;
  /** Frees the copy's buffers. */
  destroy(): void;
}

/**
 * The timing half of a {@link BatchSummary}: what the measurement itself yields, and the
 * time stage's `recheck` when it measured twice and `sentinel` when it read the sentinel around it.
 */
export type BatchTiming = Pick<
  BatchSummary,
  | "median"
  | "min"
  | "p10"
  | "p90"
  | "noise"
  | "n"
  | "dispatchesPerSample"
  | "copies"
  | "l2"
  | "order"
  | "executionDispatches"
  | "recheck"
  | "sentinel"
>;

/** Pass-encoder calls that record state, not work, which `dispatchesOf` lets a plan make. */
const RECORDING_CALLS: ReadonlySet<string | symbol> = new Set([
  "setPipeline",
  "setBindGroup",
  "pushDebugGroup",
  "popDebugGroup",
  "insertDebugMarker",
]);

/**
 * Dispatches one execution of `work` records, counted on a pass encoder that records nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const two = { dispatch(p: GPUComputePassEncoder) { p.dispatchWorkgroups(4); p.dispatchWorkgroups(1); } };
 * assert.equal(dispatchesOf(two), 2);
 * ```
 */
export function dispatchesOf(work: { dispatch(pass: GPUComputePassEncoder): void }): number {
  let n = 0;
  const counter = new Proxy({}, {
    get: (_t, name) => {
      if (name === "dispatchWorkgroups" || name === "dispatchWorkgroupsIndirect") {
        return () => void n++;
      }
      if (RECORDING_CALLS.has(name)) return () => undefined;
      throw new TypeError(`dispatchesOf: a plan used ${String(name)} of its pass encoder`);
    },
  }) as GPUComputePassEncoder;
  work.dispatch(counter);
  return n;
}

/**
 * Records `executions` executions into `pass`, rotating over `rotation`; when there are several
 * copies and a `fence`, it goes between the executions of the first round over them.
 *
 * Deno's WebGPU tracks buffers pass by pass, and puts no barrier before the first dispatch in a pass
 * that touches a buffer: in the first round, an execution's first dispatch reads and writes only its
 * copy's buffers, new to the pass, so only the fence orders it after the previous execution. In
 * later rounds (the second round's first execution included) that dispatch rewrites a buffer it
 * wrote a round before, which puts a barrier before it anyway, and a fence there would only add a
 * second one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const calls: string[] = [];
 * const pass = { dispatchWorkgroups: (n: number) => void calls.push(`w${n}`) } as never;
 * const plan = (n: number) => ({ dispatch: (p: GPUComputePassEncoder) => p.dispatchWorkgroups(n) });
 * recordExecutions(pass, [plan(1), plan(2)], 4, () => void calls.push("fence"));
 * assert.deepEqual(calls, ["w1", "fence", "w2", "w1", "w2"]);
 * calls.length = 0;
 * recordExecutions(pass, [plan(1)], 2, () => void calls.push("fence"));
 * assert.deepEqual(calls, ["w1", "w1"]);
 * ```
 */
export function recordExecutions(
  pass: GPUComputePassEncoder,
  rotation: readonly { dispatch(pass: GPUComputePassEncoder): void }[],
  executions: number,
  fence: ((pass: GPUComputePassEncoder) => void) | null,
): void {
  const fenced = fence ? rotation.length - 1 : 0;
  for (let i = 0; i < executions; i++) {
    rotation[i % rotation.length]!.dispatch(pass);
    if (i < fenced) fence!(pass);
  }
}

/**
 * Times `work` back to back: as many dispatches per timed pass as make the pass take about 1 ms
 * (at most 512), rotating over `copies` buffer copies (`work` itself and `copies - 1` made by
 * `makeCopy`, destroyed before returning). `isolatedMs` is the workload's isolated median.
 *
 * Copies must write `work`'s output buffer, so that every execution's output write is ordered
 * after the previous one's (a barrier precedes a dispatch that rewrites a storage buffer): the
 * executions run one after another, as dependent layers do, however many copies rotate. With an
 * output of their own, executions on different copies could overlap, by an amount that depended on
 * the number of dispatches and copies. A plan of several dispatches (`dispatchesOf`) also needs
 * `work.output`: its dispatches before the output write read and write its copy's own buffers, so
 * the batch fences the output between executions (`recordExecutions`, `batchFence`), and the next
 * execution's first dispatch waits for the previous one's output as a dependent layer's would
 * (docs/measuring.md).
 *
 * `prime`, when given, runs after the copies are made and before the warm-up: making them can take
 * seconds of CPU work, in which a GPU lowers its clocks, and a workload as light as a GEMV may not
 * raise them again within the warm-up.
 *
 * @example
 * ```ts ignore
 * const b = await measureBatch(gpu, plan, () => planCopy(), 4, 0.01, suite.measure);
 * ```
 */
export async function measureBatch(
  target: MeasureTarget,
  work: Workload & { output?: GPUBuffer },
  makeCopy: () => Promise<BatchCopy>,
  copies: number,
  isolatedMs: number,
  opts: MeasureOptions,
  prime?: () => Promise<unknown>,
): Promise<BatchTiming> {
  const owned: BatchCopy[] = [];
  const executionDispatches = dispatchesOf(work);
  if (executionDispatches > 1 && !work.output) {
    throw new TypeError(
      `measureBatch: "${work.label}" records ${executionDispatches} dispatches an execution ` +
        "and needs work.output, the buffer its copies share, to order executions",
    );
  }
  // One copy needs no fence: each execution rewrites the buffers the previous one used.
  const fence = executionDispatches > 1 && copies > 1
    ? batchFence(target.device, work.output!)
    : null;
  try {
    const rotation: { dispatch(pass: GPUComputePassEncoder): void }[] = [work];
    for (let i = 1; i < copies; i++) {
      const copy = await makeCopy();
      owned.push(copy);
      rotation.push(copy);
    }
    // Whole rounds over the copies: about 1 ms a pass, at most 512 dispatches (and at least
    // one round).
    const per = Math.max(
      1,
      Math.min(
        Math.round(BATCH_PASS_MS / Math.max(isolatedMs, 1e-4) / copies),
        Math.floor(MAX_DISPATCHES / copies),
      ),
    );
    const dispatches = per * copies;
    const batchOpts: MeasureOptions = {
      ...opts,
      l2: "warm",
      minSamples: Math.min(opts.minSamples, 10),
      maxSamples: Math.min(opts.maxSamples, 100),
      // The full warm-up again: creating the copies left the GPU idle and its clocks may
      // have dropped.
      warmupMs: opts.warmupMs,
    };
    await prime?.();
    const t = await measureWorkload(target, {
      label: `${work.label}:batch`,
      dispatch: (pass) => recordExecutions(pass, rotation, dispatches, fence),
    }, batchOpts);
    return {
      median: t.median / dispatches,
      min: t.min / dispatches,
      p10: t.p10 / dispatches,
      p90: t.p90 / dispatches,
      noise: t.noise,
      n: t.n,
      dispatchesPerSample: dispatches,
      copies,
      l2: copies > 1 ? "rotating" : "warm",
      order: "chained",
      executionDispatches,
    };
  } finally {
    for (const c of owned) c.destroy();
  }
}
