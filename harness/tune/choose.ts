/**
 * The tuner's choice: time each candidate and keep the fastest. The sampler is given, so the
 * choice is tested without a GPU and made on one with the harness's measurement core.
 *
 * @module
 */

import type { Params } from "../types.ts";
import type { TuneTrial } from "./cache.ts";

/**
 * Times one candidate: its median in ms. Throws when it cannot be planned or run. `first` is true
 * for the first timing of a case (the device may still be ramping its clocks: warm it up longer).
 */
export type TuneSampler = (tune: Params, first: boolean) => Promise<number>;

/** The outcome of {@link chooseFastest}. */
export interface TuneOutcome {
  /** The fastest candidate's `tune` values, or null when no candidate could be timed. */
  best: Params | null;
  /** Its median time in ms (null with `best`). */
  medianMs: number | null;
  /** Every candidate, in order, with its time or error. */
  trials: TuneTrial[];
}

/**
 * Times every candidate with `sample` and returns the fastest. Candidates that throw are kept in
 * `trials` with their error; a tie keeps the earlier candidate (list the shipped default first so
 * that it wins ties). With `confirm`, when the fastest is not the first candidate, both are timed
 * once more and each keeps the lower of its two times (`repeatMs` holds the second), so one
 * transient slow or fast timing does not decide the choice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const times: Record<string, number> = { a: 2, b: 1, c: 3 };
 * const out = await chooseFastest(
 *   [{}, { tile: "b" }, { tile: "c" }],
 *   async (t) => times[(t.tile as string) ?? "a"]!,
 * );
 * assert.deepEqual(out.best, { tile: "b" });
 * assert.equal(out.medianMs, 1);
 * assert.equal(out.trials.length, 3);
 * // The default's first timing was slow (a cold clock); confirmed, it wins.
 * const seq = [5, 1.1, 1.3, 1.0, 1.2];
 * const confirmed = await chooseFastest([{}, { t: 1 }, { t: 2 }], async () => seq.shift()!, {
 *   confirm: true,
 * });
 * assert.deepEqual(confirmed.best, {});
 * assert.deepEqual(confirmed.trials[0], { tune: {}, medianMs: 1.0, repeatMs: 1.0 });
 * ```
 */
export async function chooseFastest(
  candidates: readonly Params[],
  sample: TuneSampler,
  options: { confirm?: boolean } = {},
): Promise<TuneOutcome> {
  const trials: TuneTrial[] = [];
  let first = true;
  const time = async (tune: Params): Promise<number> => {
    const ms = await sample(tune, first);
    first = false;
    if (!Number.isFinite(ms) || ms <= 0) throw new Error(`not a time: ${ms}`);
    return ms;
  };
  for (const tune of candidates) {
    try {
      trials.push({ tune, medianMs: await time(tune) });
    } catch (e) {
      trials.push({ tune, medianMs: null, error: (e as Error).message ?? String(e) });
    }
  }
  const fastest = () => {
    let at = -1;
    trials.forEach((t, i) => {
      if (t.medianMs !== null && (at < 0 || t.medianMs < trials[at]!.medianMs!)) at = i;
    });
    return at;
  };
  const at = fastest();
  if (options.confirm && at > 0 && trials[0]!.medianMs !== null) {
    for (const i of [0, at]) {
      const t = trials[i]!;
      try {
        const again = await time(t.tune);
        trials[i] = { ...t, medianMs: Math.min(t.medianMs!, again), repeatMs: again };
      } catch {
        // the first timing stands
      }
    }
  }
  const best = fastest();
  return best < 0
    ? { best: null, medianMs: null, trials }
    : { best: trials[best]!.tune, medianMs: trials[best]!.medianMs, trials };
}

/**
 * Removes candidates that repeat an earlier one (same values, any key order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(uniqueCandidates([{}, { a: 1, b: 2 }, { b: 2, a: 1 }, {}]), [{}, { a: 1, b: 2 }]);
 * ```
 */
export function uniqueCandidates(candidates: readonly Params[]): Params[] {
  const seen = new Set<string>();
  const out: Params[] = [];
  for (const c of candidates) {
    const key = JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]]));
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/**
 * Keeps the first candidate of each distinct kernel: `keyOf` turns a candidate into what it would
 * run (the WGSL it compiles), and a later candidate with the key of an earlier one (the shipped
 * default, listed first, included) is dropped: timing it again would only compare two timings of
 * one kernel. A candidate whose `keyOf` throws, or gives null (nothing to compare), is kept, so
 * that the tuner times it or records its error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // "auto" resolves to 64 here: { slices: "64" } is the default again
 * const keyOf = (t: Record<string, unknown>) => {
 *   if (t.slices === "bad") throw new Error("bad");
 *   return `slices ${t.slices === undefined ? 64 : Number(t.slices)}`;
 * };
 * const kept = await distinctKernels([{}, { slices: "32" }, { slices: "64" }, { slices: "bad" }], keyOf);
 * assert.deepEqual(kept, [{}, { slices: "32" }, { slices: "bad" }]);
 * ```
 */
export async function distinctKernels(
  candidates: readonly Params[],
  keyOf: (tune: Params) => string | null | Promise<string | null>,
): Promise<Params[]> {
  const seen = new Set<string>();
  const out: Params[] = [];
  for (const t of candidates) {
    let key: string | null = null;
    try {
      key = await keyOf(t);
    } catch {
      key = null;
    }
    if (key !== null && seen.has(key)) continue;
    if (key !== null) seen.add(key);
    out.push(t);
  }
  return out;
}
