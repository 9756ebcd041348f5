/**
 * The kernel path's part of `deno task task`: its options, the GPU it runs on, and the hook
 * handed to the runner.
 *
 * @module
 */

import { acquireGpu, releaseGpu } from "../harness/gpu/adapter.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import { TASK_MEASURE } from "./task_measure.ts";
import type { Digits } from "./data/mnist.ts";
import { createKernelPath, type KernelVariant } from "./kernel_path.ts";
import type { ModelExport } from "./export.ts";
import type { GpuEnv } from "./gpu/linear.ts";

/** Default batch sizes the forward pass is timed at. */
export const DEFAULT_LATENCY_BATCHES = [1, 1024];

/**
 * Parses `--latency-batches`: a comma-separated list of batch sizes, or `none` (not timed).
 * Throws a one-line RangeError naming the option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseLatencyBatches("1,256"), [1, 256]);
 * assert.deepEqual(parseLatencyBatches("none"), []);
 * assert.throws(() => parseLatencyBatches("1,x"), /--latency-batches/);
 * ```
 */
export function parseLatencyBatches(text: string): number[] {
  if (text.trim() === "none") return [];
  const out = text.split(",").map((s) => Number(s.trim()));
  if (out.length === 0 || !out.every((b) => Number.isInteger(b) && b >= 1 && b <= 65536)) {
    throw new RangeError(
      `--latency-batches: must be batch sizes 1…65536 separated by commas, or "none"; got ${
        JSON.stringify(text)
      }`,
    );
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** A started kernel path: the runner's hook and how to give the GPU back. */
export interface KernelPathSession {
  onExport(variant: KernelVariant, seed: number, model: ModelExport): Promise<void>;
  /** The adapter it runs on, for the log. */
  adapter: string;
  release(): Promise<void>;
}

/**
 * Acquires the GPU (the default adapter) and builds the hook that scores every export through
 * the kernels and times it at `latencyBatches` with the measurement layer's defaults.
 *
 * @example
 * ```ts ignore
 * const kp = await startKernelPath(test, [1, 1024], console.log);
 * await runTask(suite, { outDir, backend, log, onExport: kp.onExport });
 * await kp.release();
 * ```
 */
export async function startKernelPath(
  test: Digits,
  latencyBatches: number[],
  log: (line: string) => void,
): Promise<KernelPathSession> {
  const { env, adapter, release } = await openKernelEnv();
  const kp = createKernelPath({
    env,
    test,
    latencyBatches,
    measure: TASK_MEASURE,
    log,
    device: adapter,
  });
  return {
    onExport: kp.onExport,
    adapter,
    release,
  };
}

/**
 * The GPU the kernel path runs on (the default high-performance adapter): its environment for
 * task/gpu, the adapter's name and how to give it back.
 *
 * @example
 * ```ts ignore
 * const { env, adapter, release } = await openKernelEnv();
 * ```
 */
export async function openKernelEnv(): Promise<
  { env: GpuEnv; adapter: string; release: () => Promise<void> }
> {
  const gpu = await acquireGpu("high-performance");
  const env = {
    device: gpu.device,
    features: gpu.features,
    pipelines: new PipelineCache(gpu.device),
  };
  // The description names the GPU; vendor and device are PCI ids on some drivers.
  const adapter = gpu.info.description ||
    [gpu.info.vendor, gpu.info.architecture, gpu.info.device].filter((s) => s).join(" ");
  return { env, adapter, release: () => releaseGpu(gpu) };
}
