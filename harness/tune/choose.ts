/**
 * The tuner's choice: time each candidate and keep the fastest. The sampler is given, so the
 * choice is tested without a GPU and made on one with the harness's measurement core.
 *
 * @module
 */

import type { Params } from "../types.ts";
import type { TuneTrial } from "./cache.ts";

/** Times one candidate: its median in ms. Throws when it cannot be planned or run. */
export type TuneSampler = (tune: Params) => Promise<number>;

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
 * that it wins ties).
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
 * ```
 */
export async function chooseFastest(
  candidates: readonly Params[],
  sample: TuneSampler,
): Promise<TuneOutcome> {
  const trials: TuneTrial[] = [];
  let best: Params | null = null;
  let bestMs = Infinity;
  for (const tune of candidates) {
    try {
      const ms = await sample(tune);
      if (!Number.isFinite(ms) || ms <= 0) throw new Error(`not a time: ${ms}`);
      trials.push({ tune, medianMs: ms });
      if (ms < bestMs) {
        best = tune;
        bestMs = ms;
      }
    } catch (e) {
      trials.push({ tune, medianMs: null, error: (e as Error).message ?? String(e) });
    }
  }
  return { best, medianMs: best ? bestMs : null, trials };
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
