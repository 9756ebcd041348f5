/**
 * A step of a model's forward pass: something that records its dispatches into a compute pass.
 *
 * @module
 */

import type { GpuEnv } from "./linear.ts";
import type { OpKernel } from "./ops_wgsl.ts";

/** One step of the chain (a small kernel, or a linear's plan). */
export interface OpStep {
  label: string;
  dispatch(pass: GPUComputePassEncoder): void;
}

/**
 * A small kernel bound to `buffers` (binding i = buffers[i]) as a step.
 *
 * @example
 * ```ts ignore
 * const step = await opStep(env, biasActWgsl("f32", rows, n, "relu"), [y, bias]);
 * ```
 */
export async function opStep(env: GpuEnv, k: OpKernel, buffers: GPUBuffer[]): Promise<OpStep> {
  const pipe = await env.pipelines.get(`task-${k.label}`, k.code);
  const group = env.device.createBindGroup({
    label: k.label,
    layout: pipe.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return {
    label: k.label,
    dispatch(pass) {
      pass.setPipeline(pipe);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(...k.grid);
    },
  };
}
