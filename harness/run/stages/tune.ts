/**
 * The tune stage: between preparation and plan, picks the case's tuning knobs. An explicit `tune`
 * in the suite entry wins; `cached` takes the cache's choice for the case's adapter, tool version,
 * kernel, dtype, shape class and parameters (a choice this exact shape cannot run leaves the defaults,
 * noted as `tuneCachedRejected`); `full` times every candidate the kernel lists with the
 * measurement core and keeps the fastest. What ran and why is recorded (`tune`, `tuneSource`).
 *
 * @module
 */

import { guarded } from "../../gpu/guarded.ts";
import { measureWorkload } from "../../measure/measure.ts";
import type { MeasureOptions } from "../../measure/options.ts";
import { cachedChoice, kernelTuneKey, recordChoice } from "../../tune/cache.ts";
import { chooseFastest, distinctKernels, uniqueCandidates } from "../../tune/choose.ts";
import type { Params } from "../../types.ts";
import type { CaseContext } from "./context.ts";
import { planContext } from "./plan.ts";
import { clockPrimer } from "./prime.ts";
import type { PreparedCase } from "./prepare.ts";

/**
 * How each candidate is timed: a short isolated measurement (a choice, not a reported figure);
 * never longer or with more samples than the suite's own measurement.
 */
export const TUNE_MEASURE: Partial<MeasureOptions> = {
  minSamples: 5,
  maxSamples: 30,
  maxTimeMs: 200,
  warmupMs: 20,
};

/**
 * Warm-up of a case's first candidate, in ms: long enough for a GPU that idled between cases to
 * raise its clocks (an H200 needs about 250 ms of work), so the shipped default, timed first, is
 * not timed on a slower clock than the candidates after it. On a GPU the sentinel's workload runs
 * before every candidate as well (`timeCandidate`); without the sentinel this is the only guard.
 */
export const TUNE_FIRST_WARMUP_MS = 300;

/**
 * Times one tuning candidate: makes its plan, raises the clocks (`prime`, where there is one),
 * measures, and frees the plan. Every timing is primed, not only a case's first: making a
 * candidate's plan (its pipelines compiled on the CPU) leaves the GPU idle, and a GPU that lowered
 * its clocks meanwhile would time that candidate slow (docs/measuring.md).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const events: string[] = [];
 * const plan = () => (events.push("plan"), Promise.resolve({ destroy: () => void events.push("destroy") }));
 * const prime = () => Promise.resolve(void events.push("prime"));
 * const measure = () => Promise.resolve((events.push("measure"), 1.5));
 * assert.equal(await timeCandidate(plan, prime, measure), 1.5);
 * assert.equal(await timeCandidate(plan, prime, measure), 1.5);
 * assert.deepEqual(events, [
 *   ...["plan", "prime", "measure", "destroy"],
 *   ...["plan", "prime", "measure", "destroy"],
 * ]);
 * ```
 */
export async function timeCandidate<P extends { destroy(): void }>(
  plan: () => Promise<P>,
  prime: (() => Promise<unknown>) | undefined,
  measure: (plan: P) => Promise<number>,
): Promise<number> {
  const p = await plan();
  try {
    await prime?.();
    return await measure(p);
  } finally {
    p.destroy();
  }
}

/** The case with its `tune` and `config` re-resolved for `tune` (partial knobs over defaults). */
function withTune(ctx: CaseContext, tune: Params) {
  const { c } = ctx;
  const full = { ...c.tune, ...tune };
  const config = c.kernel.resolve(c.params, c.shape, c.dtype, full);
  c.kernel.check?.(config, c.shape, c.dtype);
  return { ...c, tune: full, config };
}

/**
 * Leaves a case on its defaults (`c`, the case as given) after its cached choice `tune` was
 * refused (`error`, by the kernel's `check` or its plan), and notes which and why in
 * `notes.tuneCachedRejected`.
 *
 * @example
 * ```ts ignore
 * rejectCachedChoice(ctx, c, ctx.c.tune, e);
 * ```
 */
export function rejectCachedChoice(
  ctx: CaseContext,
  c: CaseContext["c"],
  tune: Params,
  error: unknown,
): void {
  const { result } = ctx;
  result.notes = {
    ...result.notes,
    tuneCachedRejected: `${JSON.stringify(tune)}: ${(error as Error).message ?? error}`,
  };
  ctx.c = c;
  result.tune = c.tune;
  result.tuneSource = "default";
}

/**
 * Picks the case's knobs (see the module doc) and records `tuneSource`. With `full`, a choice is
 * cached only once the chosen configuration has passed verification (`commitTuned`).
 *
 * @example
 * ```ts ignore
 * const pending = await tuneCase(ctx, prep);
 * ```
 */
export async function tuneCase(
  ctx: CaseContext,
  prep: PreparedCase,
): Promise<(() => void) | null> {
  const { env, c, result } = ctx;
  const tuning = env.tuning;
  result.tuneSource = c.tuneGiven ? "suite" : "default";
  if (!tuning || c.tuneGiven || !c.kernel.tuneCandidates) return null;
  ctx.stage = "tune";
  const key = kernelTuneKey(c.kernel, c.dtype, c.shape, c.params);
  if (tuning.mode === "cached") {
    const hit = cachedChoice(tuning.cache, tuning.adapterKey, key);
    if (!hit) return null;
    // A choice is shared by a shape class; one that this exact shape cannot run (a knob that fits
    // another member of the class only) leaves the case on its defaults, saying so.
    let tuned: CaseContext["c"];
    try {
      tuned = withTune(ctx, hit.tune);
    } catch (e) {
      rejectCachedChoice(ctx, c, { ...c.tune, ...hit.tune }, e);
      return null;
    }
    ctx.c = tuned;
    result.tune = ctx.c.tune;
    result.tuneSource = "cached";
    return null;
  }
  // a candidate that compiles the default's WGSL (or an earlier candidate's) is not timed
  const candidates = await distinctKernels(
    uniqueCandidates([{}, ...c.kernel.tuneCandidates(c.shape, c.dtype, c.config)]),
    async (tune) => {
      const tc = withTune(ctx, tune);
      if (!tc.kernel.shaders) return null;
      const shaders = await tc.kernel.shaders({
        shape: tc.shape,
        dtype: tc.dtype,
        config: tc.config,
        limits: env.gpu.device.limits,
        prepared: prep.value,
      });
      return shaders.map((s) => s.code).join("\n");
    },
  );
  if (candidates.length < 2) return null;
  const opts: MeasureOptions = {
    ...env.suite.measure,
    ...TUNE_MEASURE,
    minSamples: Math.min(TUNE_MEASURE.minSamples!, env.suite.measure.minSamples),
    maxTimeMs: Math.min(TUNE_MEASURE.maxTimeMs!, env.suite.measure.maxTimeMs),
  };
  const prime = clockPrimer(env);
  const outcome = await chooseFastest(candidates, (tune, first) => {
    const tc = withTune(ctx, tune);
    return timeCandidate(
      () =>
        guarded(
          env.gpu.device,
          "planning",
          () => tc.kernel.plan({ ...planContext(ctx, prep), config: tc.config }),
        ),
      prime,
      async (plan) =>
        (await measureWorkload(
          env.gpu,
          { label: `${c.id} tune`, dispatch: (pass) => plan.dispatch(pass) },
          first ? { ...opts, warmupMs: Math.max(opts.warmupMs, TUNE_FIRST_WARMUP_MS) } : opts,
          env.flush,
        )).median,
    );
  }, { confirm: true });
  if (gpuLost(ctx)) throw new Error("device lost while tuning");
  result.notes = { ...result.notes, tuneTrials: outcome.trials };
  if (!outcome.best) return null;
  ctx.c = withTune(ctx, outcome.best);
  result.tune = ctx.c.tune;
  result.tuneSource = "tuned";
  const choice = {
    tune: outcome.best,
    medianMs: outcome.medianMs!,
    shape: `${c.shape.m}x${c.shape.k}x${c.shape.n}`,
    trials: outcome.trials,
    at: new Date().toISOString(),
  };
  return () => recordChoice(tuning.cache, tuning.adapterKey, key, choice);
}

function gpuLost(ctx: CaseContext): boolean {
  return ctx.env.gpu.isLost();
}
