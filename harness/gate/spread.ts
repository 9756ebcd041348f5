/**
 * Between-run spread: how far same-code runs move apart, from the comparison itself. A case's
 * samples show the noise within one run; the per-case ratios of the two runs' medians show how
 * much more two runs differ (another process's load on a shared machine, clocks, placement).
 * A time verdict uses both.
 *
 * - `sigma`: robust standard deviation (1.4826 × MAD) of the log ratios of medians over the
 *   cases both runs timed alike; 0 with fewer than {@link MIN_SPREAD_CASES} cases.
 * - A case is `slower` only beyond `max(1 + threshold, exp(2 × sigma))`, **and** when a
 *   re-measurement in the same job (`time.confirm`, taken by `bench --baseline`) is slower beyond
 *   it too; unconfirmed it is `ambiguous`, with the command that confirms it.
 * - The whole run is slower when the median ratio over the cases exceeds
 *   `max(1 + threshold, exp(sigma))` (a slowdown of every kernel).
 *
 * @module
 */

import { median } from "../analyze/quantile.ts";

/** Fewest timed cases in common for a spread estimate. */
export const MIN_SPREAD_CASES = 8;
/** Fewest timed cases in common for the whole-run check. */
export const MIN_RUN_CASES = 5;
/** A case's ratio must exceed exp(CASE_SIGMAS × sigma). */
export const CASE_SIGMAS = 2;
/** The median ratio must exceed exp(RUN_SIGMAS × sigma). */
export const RUN_SIGMAS = 1;

/**
 * The spread of a comparison.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = betweenRunSpread([1, 1.1, 0.9, 1, 1.05, 0.95, 1, 1.02, 0.98]);
 * assert.ok(s.sigma > 0.02 && s.sigma < 0.1);
 * assert.ok(Math.abs(s.medianRatio - 1) < 1e-9);
 * ```
 */
export interface Spread {
  /** Cases the estimate is based on. */
  cases: number;
  /** Median over the cases of current median / baseline median. */
  medianRatio: number;
  /** Robust standard deviation of the log ratios (0 with too few cases). */
  sigma: number;
}

/**
 * Spread of per-case ratios (current median / baseline median).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(betweenRunSpread([2, 2, 2, 2, 2, 2, 2, 2]).sigma, 0);
 * assert.equal(betweenRunSpread([2, 2, 2, 2, 2, 2, 2, 2]).medianRatio, 2);
 * assert.equal(betweenRunSpread([1, 3]).sigma, 0); // too few cases
 * ```
 */
export function betweenRunSpread(ratios: readonly number[]): Spread {
  const logs = ratios.filter((r) => r > 0 && Number.isFinite(r)).map(Math.log);
  if (logs.length === 0) return { cases: 0, medianRatio: 1, sigma: 0 };
  const m = median(logs);
  const sigma = logs.length >= MIN_SPREAD_CASES
    ? 1.4826 * median(logs.map((x) => Math.abs(x - m)))
    : 0;
  return { cases: logs.length, medianRatio: Math.exp(m), sigma };
}

/**
 * The ratio a case must exceed to be `slower`: the threshold, or the between-run spread.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(caseAllowance(0.05, 0), 1.05);
 * assert.ok(Math.abs(caseAllowance(0.05, 0.5) - Math.E) < 1e-12);
 * ```
 */
export function caseAllowance(threshold: number, sigma: number): number {
  return Math.max(1 + threshold, Math.exp(CASE_SIGMAS * sigma));
}

/**
 * The median ratio the whole run must exceed to be slower.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(runAllowance(0.05, 0.01), 1.05);
 * ```
 */
export function runAllowance(threshold: number, sigma: number): number {
  return Math.max(1 + threshold, Math.exp(RUN_SIGMAS * sigma));
}
