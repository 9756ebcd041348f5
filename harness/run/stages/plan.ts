/**
 * The plan stage: pipelines, buffers and uploads of the case, timed apart from the kernel.
 *
 * @module
 */

import { guarded } from "../../gpu/guarded.ts";
import type { KernelPlan, PlanContext } from "../../kernel.ts";
import type { CaseContext } from "./context.ts";
import type { PreparedCase } from "./prepare.ts";

/**
 * The context `plan` gets for the case (also used for the extra copies of batch timing).
 *
 * @example
 * ```ts ignore
 * const copy = await ctx.c.kernel.plan({ ...planContext(ctx, prep), output: plan.output.buffer });
 * ```
 */
export function planContext(ctx: CaseContext, prep: PreparedCase): PlanContext {
  const { env, c } = ctx;
  return {
    device: env.gpu.device,
    features: env.gpu.features,
    pipelines: env.pipelines,
    shape: c.shape,
    dtype: c.dtype,
    config: c.config,
    prepared: prep.value,
    x: prep.data.x,
  };
}

/**
 * Plans the case inside GPU error scopes; records the setup times (preparation, compilation,
 * uploads) and the plan's notes. The plan is kept in `ctx.plan` for the later stages.
 *
 * @example
 * ```ts ignore
 * const plan = await planCase(ctx, prep);
 * ```
 */
export async function planCase(ctx: CaseContext, prep: PreparedCase): Promise<KernelPlan> {
  const { env, c, result } = ctx;
  ctx.stage = "plan";
  const compile0 = env.pipelines.compileMs;
  const t0 = performance.now();
  const plan = await guarded(
    env.gpu.device,
    "planning",
    () => c.kernel.plan(planContext(ctx, prep)),
  );
  ctx.plan = plan;
  const planMs = performance.now() - t0;
  const compileMs = env.pipelines.compileMs - compile0;
  result.setup = {
    prepareMs: prep.cached ? 0 : prep.ms,
    prepareCached: prep.cached,
    compileMs,
    uploadMs: Math.max(0, planMs - compileMs),
  };
  result.notes = { ...result.notes, ...(plan.notes ?? {}) };
  return plan;
}
