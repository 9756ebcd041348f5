/**
 * The GPU side of a split-K GEMM's second pass, shared by every kernel family that splits K: the
 * f32 partial planes the GEMM writes instead of Y, and the reduce dispatch that sums them into Y.
 *
 * @module
 */

import { createStorageBuffer } from "../../harness/gpu/buffers.ts";
import type { PipelineCache } from "../../harness/gpu/pipeline_cache.ts";
import type { SplitKReducePlan } from "./gemm_wgsl.ts";

/**
 * A planned reduce pass.
 *
 * @example
 * ```ts ignore
 * const r = await splitKPass(device, pipelines, "dense", plan, y);
 * // bind r.partials where the GEMM writes Y; after the GEMM's dispatch: r.dispatch(pass)
 * ```
 */
export interface SplitKPass {
  /** The f32 partial planes: bound where the GEMM would write Y. */
  partials: GPUBuffer;
  /** Records the reduce dispatch (after the GEMM's, in the same pass). */
  dispatch(pass: GPUComputePassEncoder): void;
  /** Frees the partial planes. */
  destroy(): void;
}

/**
 * Compiles the reduce shader of `plan`, allocates the partial planes and binds them to `y`;
 * `label` (the kernel family) names the GPU objects.
 *
 * @example
 * ```ts ignore
 * const reduce = splitK > 1 ? await splitKPass(device, ctx.pipelines, "sparse24", plan, by) : null;
 * ```
 */
export async function splitKPass(
  device: GPUDevice,
  pipelines: PipelineCache,
  label: string,
  plan: SplitKReducePlan,
  y: GPUBuffer,
): Promise<SplitKPass> {
  const pipeline = await pipelines.get(`${label}:splitk-reduce`, plan.code);
  const partials = createStorageBuffer(device, `${label}:partials`, plan.partialBytes);
  const group = device.createBindGroup({
    label: `${label}:splitk-reduce`,
    layout: pipeline.getBindGroupLayout(0),
    entries: [partials, y].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return {
    partials,
    dispatch(pass) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(...plan.groups);
    },
    destroy() {
      partials.destroy();
    },
  };
}
