/**
 * The GPU side of generated shaders, shared by every family's `plan`: a pipeline compiled
 * through the case's cache with its bind group built from the shader's binding names, the
 * split-K reduce pass, and the plan that records the steps and frees the buffers it owns.
 *
 * @module
 */

import { createStorageBuffer, destroyOwned } from "../../harness/gpu/buffers.ts";
import type { PipelineCache } from "../../harness/gpu/pipeline_cache.ts";
import type { KernelPlan } from "../../harness/kernel.ts";
import type { DType } from "../../harness/types.ts";
import type { WgslShader } from "./shader.ts";
import type { SplitKReducePlan } from "./split_k.ts";

/** Workgroup counts of one dispatch. */
export type Grid = readonly [number, number, number] | readonly [number, number];

/** One compiled pipeline, its bind group and its workgroup counts. */
export interface PipelineStep {
  /** The compiled compute pipeline. */
  pipeline: GPUComputePipeline;
  /** Its bind group (group 0). */
  bindGroup: GPUBindGroup;
  /** Workgroup counts to dispatch. */
  groups: Grid;
}

/** What the plan helpers need of a case's context. */
export interface StepContext {
  /** The device to create buffers and bind groups on. */
  device: GPUDevice;
  /** The run's pipeline cache. */
  pipelines: PipelineCache;
  /** The caller's output buffer, never destroyed by the plan (see `outputBuffer`). */
  output?: GPUBuffer;
  /** The caller's input buffer, never destroyed by the plan (see `inputBuffer`). */
  input?: GPUBuffer;
}

/**
 * Compiles `shader` through the cache and binds `buffers` by the shader's binding names (binding
 * i gets `buffers[shader.bindings[i]]`); throws when a binding has no buffer.
 *
 * @example
 * ```ts ignore
 * const step = await pipelineStep(ctx, shader, { X: bx, W: bw, Y: by }, [64, 1, 1]);
 * ```
 */
export async function pipelineStep(
  ctx: StepContext,
  shader: WgslShader,
  buffers: Readonly<Record<string, GPUBuffer>>,
  groups: Grid,
): Promise<PipelineStep> {
  const pipeline = await ctx.pipelines.get(shader.label, shader.code);
  const entries = shader.bindings.map((name, binding) => {
    const buffer = buffers[name];
    if (!buffer) throw new Error(`shader "${shader.label}": no buffer for binding "${name}"`);
    return { binding, resource: { buffer } };
  });
  const bindGroup = ctx.device.createBindGroup({
    label: shader.label,
    layout: pipeline.getBindGroupLayout(0),
    entries,
  });
  return { pipeline, bindGroup, groups };
}

/**
 * Records `steps` into `pass`, in order.
 *
 * @example
 * ```ts ignore
 * recordSteps(pass, [encode, gemm, decode]);
 * ```
 */
export function recordSteps(pass: GPUComputePassEncoder, steps: readonly PipelineStep[]): void {
  for (const s of steps) {
    pass.setPipeline(s.pipeline);
    pass.setBindGroup(0, s.bindGroup);
    pass.dispatchWorkgroups(...(s.groups as [number, number, number]));
  }
}

/**
 * The plan of `steps`: records them in order, writes its output to `output`, frees `owned`
 * (except the caller's `ctx.output`) on `destroy`.
 *
 * @example
 * ```ts ignore
 * return stepsPlan(ctx, [step], { buffer: by, dtype }, [bx, bw, by], notes);
 * ```
 */
export function stepsPlan(
  ctx: StepContext,
  steps: readonly PipelineStep[],
  output: { buffer: GPUBuffer; dtype: DType },
  owned: readonly GPUBuffer[],
  notes?: Record<string, unknown>,
): KernelPlan {
  return {
    dispatch: (pass) => recordSteps(pass, steps),
    output,
    ...(notes ? { notes } : {}),
    destroy: () => destroyOwned(ctx, [...owned]),
  };
}

/**
 * The end of a one-pipeline `plan`: compiles `shader`, binds `buffers` by name, and with a
 * split-K `reduce` plan also allocates the f32 partial planes, binds them where the shader writes
 * its output (the binding holding `output`) and appends the reduce pass that sums them into
 * `output`. Frees every buffer of `buffers` (and the partials) on `destroy`, except `ctx.output`.
 * On an error the buffers are freed before it is rethrown.
 *
 * @example
 * ```ts ignore
 * return onePipelinePlan(ctx, {
 *   shader, groups, buffers: { X: bx, W: bw, Y: by }, output: { buffer: by, dtype }, notes, reduce,
 * });
 * ```
 */
export async function onePipelinePlan(ctx: StepContext, o: {
  shader: WgslShader;
  groups: Grid;
  buffers: Readonly<Record<string, GPUBuffer>>;
  output: { buffer: GPUBuffer; dtype: DType };
  notes?: Record<string, unknown>;
  /** The split-K reduce pass, or null/absent for none. */
  reduce?: SplitKReducePlan | null;
}): Promise<KernelPlan> {
  const owned = Object.values(o.buffers);
  try {
    const steps: PipelineStep[] = [];
    let buffers = o.buffers;
    if (o.reduce) {
      const partials = createStorageBuffer(
        ctx.device,
        `${o.reduce.shader.label}:partials`,
        o.reduce.partialBytes,
      );
      owned.push(partials);
      const outName = Object.keys(o.buffers).find((k) => o.buffers[k] === o.output.buffer);
      if (outName === undefined) throw new Error("onePipelinePlan: output is not among buffers");
      buffers = { ...o.buffers, [outName]: partials };
      steps.push(await pipelineStep(ctx, o.shader, buffers, o.groups));
      steps.push(
        await pipelineStep(
          ctx,
          o.reduce.shader,
          { P: partials, Y: o.output.buffer },
          o.reduce.groups,
        ),
      );
    } else {
      steps.push(await pipelineStep(ctx, o.shader, buffers, o.groups));
    }
    return stepsPlan(ctx, steps, o.output, owned, o.notes);
  } catch (e) {
    destroyOwned(ctx, owned);
    throw e;
  }
}

/**
 * What a one-pipeline family builds for a case, once, for both its `plan` and its `shaders`: the
 * shader, its workgroups, the split-K reduce pass if any, and the plan's notes.
 */
export interface OnePipelineBuild {
  /** The case's compute shader. */
  shader: WgslShader;
  /** Its workgroup counts. */
  groups: [number, number, number];
  /** The split-K reduce pass; absent or null without split-K. */
  reduce?: SplitKReducePlan | null;
  /** Facts about the build, copied into the plan's notes. */
  notes: Record<string, unknown>;
}

/**
 * The shaders of a {@link OnePipelineBuild} in dispatch order (what a kernel's `shaders` returns).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shader = { label: "k", code: "", bindings: [] };
 * assert.deepEqual(buildShaders({ shader, groups: [1, 1, 1], notes: {} }), [shader]);
 * ```
 */
export function buildShaders(b: OnePipelineBuild): WgslShader[] {
  return b.reduce ? [b.shader, b.reduce.shader] : [b.shader];
}
