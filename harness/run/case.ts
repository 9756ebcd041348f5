/**
 * Runs one case through its stages: admit and prepare → tune → plan → verify → time → derive. Each stage
 * is a small module of `stages/` working on one shared {@link CaseContext}.
 *
 * @module
 */

import { LimitError } from "../gpu/buffers.ts";
import { SkipCase } from "../kernel.ts";
import type { Case } from "../suite/expand.ts";
import type { CaseResult } from "../types.ts";
import { type CaseContext, type CaseEnv, newCaseContext } from "./stages/context.ts";
import { derive } from "./stages/derive.ts";
import { planCase } from "./stages/plan.ts";
import { admit, prepare, type PreparedCase } from "./stages/prepare.ts";
import { timeCase } from "./stages/time.ts";
import { rejectCachedChoice, tuneCase } from "./stages/tune.ts";
import { verify } from "./stages/verify.ts";

export type { CaseContext, CaseEnv, TuningEnv } from "./stages/context.ts";
export { DataCache } from "./data_cache.ts";

/** Records a thrown error: a skip (kernel's `SkipCase`, a buffer limit) or a failure of the stage. */
async function recordThrown(ctx: CaseContext, e: unknown): Promise<void> {
  const { result, env: { gpu } } = ctx;
  if (e instanceof SkipCase || e instanceof LimitError) {
    result.status = "skipped";
    result.reason = e.message;
  } else {
    result.status = "failed";
    result.reason = `${ctx.stage}: ${(e as Error).message ?? String(e)}`;
    if (gpu.isLost()) result.reason += ` (device lost: ${await gpu.lost})`;
  }
  result.time = null;
  result.throughput = null;
  result.batch = null;
}

/**
 * Plans the case; a cached choice that the plan refuses (a skip that another shape of its class
 * did not meet) leaves the case on its defaults, noted as `tuneCachedRejected`, as the tune stage
 * does for a choice `check` refuses.
 */
async function planOrDefaults(ctx: CaseContext, prep: PreparedCase, c: Case) {
  try {
    return await planCase(ctx, prep);
  } catch (e) {
    if (!(e instanceof SkipCase) || ctx.result.tuneSource !== "cached") throw e;
    rejectCachedChoice(ctx, c, ctx.c.tune, e);
    return await planCase(ctx, prep);
  }
}

/**
 * Runs a case to completion and returns its result. Never throws for the case's own faults:
 * skips and failures are recorded with their reason (a failure names its stage).
 *
 * @example
 * ```ts ignore
 * const result = await runCase(env, c);
 * ```
 */
export async function runCase(env: CaseEnv, c: Case): Promise<CaseResult> {
  const ctx = newCaseContext(env, c);
  const skip = admit(ctx);
  if (skip !== null) {
    ctx.result.reason = skip;
    return ctx.result;
  }
  try {
    const prep = await prepare(ctx);
    const commitTuned = await tuneCase(ctx, prep);
    const plan = await planOrDefaults(ctx, prep, c);
    if (!(await verify(ctx, prep, plan))) return ctx.result;
    commitTuned?.(); // a tuned choice is cached only once it passed verification
    derive(ctx, await timeCase(ctx, prep, plan));
    ctx.result.status = "ok";
  } catch (e) {
    await recordThrown(ctx, e);
  } finally {
    try {
      ctx.plan?.destroy();
    } catch { /* device may be gone */ }
  }
  return ctx.result;
}
