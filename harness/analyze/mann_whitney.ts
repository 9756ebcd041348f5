/**
 * The Mann-Whitney U test (Wilcoxon rank-sum): do two independent samples come from the same
 * distribution, against a shift of one of them? Ties get mid-ranks; small samples get the exact
 * permutation distribution of the (mid-)rank sum, large ones the normal approximation with tie
 * and continuity corrections.
 *
 * @module
 */

import { normalUpperTail } from "./normal.ts";

/** Outcome of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** Size of the first sample. */
  n1: number;
  /** Size of the second sample. */
  n2: number;
  /**
   * U of the first sample: pairs (a, b) with a > b, plus half the tied pairs. Ranges from 0 to
   * n1·n2; n1·n2/2 is expected when both samples come from the same distribution.
   */
  u: number;
  /** U / (n1·n2): the probability that a value of `a` exceeds one of `b` (ties count half). */
  effect: number;
  /** Two-sided p-value. */
  pValue: number;
  /** `exact`: permutation distribution of the rank sum; `normal`: large-sample approximation. */
  method: "exact" | "normal";
  /** Standardised U (tie- and continuity-corrected) for the normal method; null when exact. */
  z: number | null;
  /** Whether the pooled sample has tied values. */
  ties: boolean;
}

/** Options of {@link mannWhitneyU}. */
export interface MannWhitneyOptions {
  /**
   * Use the exact distribution when n1 + n2 is at most this (default 40), or when the smaller
   * sample has at most `exactMaxSmall` values and n1 + n2 ≤ 400.
   */
  exactMaxTotal?: number;
  /** See `exactMaxTotal` (default 10). */
  exactMaxSmall?: number;
  /** Force a method. */
  method?: "auto" | "exact" | "normal";
}

/** Mid-ranks (1-based) of the pooled values, and the tie-group sizes. */
function midRanks(pooled: readonly number[]): { ranks: Float64Array; tieSizes: number[] } {
  const order = pooled.map((_, i) => i).sort((i, j) => pooled[i]! - pooled[j]!);
  const ranks = new Float64Array(pooled.length);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && pooled[order[j + 1]!] === pooled[order[i]!]) j++;
    const r = (i + 1 + j + 1) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!] = r;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

/**
 * Exact two-sided p-value: the permutation distribution of the sum of `k` of the doubled
 * mid-ranks `twiceRanks` (integers), evaluated at the observed doubled sum.
 */
function exactP(twiceRanks: readonly number[], k: number, observed: number): number {
  const total = twiceRanks.reduce((a, b) => a + b, 0);
  const width = total + 1;
  // counts[j * width + s]: subsets of size j of the items seen so far with doubled sum s
  // (0/1 knapsack, updated in place with j descending). Counts reach C(n, k) at most, well
  // within doubles' exact range for the sizes this runs on; only ratios matter anyway.
  const counts = new Float64Array((k + 1) * width);
  counts[0] = 1;
  let maxSum = 0;
  let seen = 0;
  for (const r of twiceRanks) {
    seen++;
    maxSum += r;
    for (let j = Math.min(k, seen); j >= 1; j--) {
      const src = (j - 1) * width - r;
      const dst = j * width;
      for (let s = maxSum; s >= r; s--) {
        const c = counts[src + s]!;
        if (c !== 0) counts[dst + s] += c;
      }
    }
  }
  let all = 0, lower = 0, upper = 0;
  for (let s = 0; s < width; s++) {
    const c = counts[k * width + s]!;
    all += c;
    if (s <= observed) lower += c;
    if (s >= observed) upper += c;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / all);
}

/**
 * Two-sided Mann-Whitney U test of samples `a` and `b`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const same = mannWhitneyU([1, 2, 3, 4, 5], [1.5, 2.5, 3.5, 4.5, 5.5]);
 * assert.ok(same.pValue > 0.5 && same.method === "exact");
 * const shifted = mannWhitneyU([1, 2, 3, 4, 5, 6], [11, 12, 13, 14, 15, 16]);
 * assert.ok(shifted.u === 0 && Math.abs(shifted.pValue - 2 / 924) < 1e-12);
 * ```
 */
export function mannWhitneyU(
  a: readonly number[],
  b: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const n1 = a.length, n2 = b.length;
  if (n1 === 0 || n2 === 0) {
    throw new RangeError(`Mann-Whitney needs two non-empty samples, got sizes ${n1} and ${n2}`);
  }
  for (const v of [...a, ...b]) {
    if (!Number.isFinite(v)) throw new RangeError(`Mann-Whitney sample is not finite: ${v}`);
  }
  const pooled = [...a, ...b];
  const n = n1 + n2;
  const { ranks, tieSizes } = midRanks(pooled);
  let rankSumA = 0;
  for (let i = 0; i < n1; i++) rankSumA += ranks[i]!;
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const ties = tieSizes.length > 0;
  const small = Math.min(n1, n2);
  const method = options.method && options.method !== "auto"
    ? options.method
    : n <= (options.exactMaxTotal ?? 40) || (small <= (options.exactMaxSmall ?? 10) && n <= 400)
    ? "exact"
    : "normal";
  let pValue: number;
  let z: number | null = null;
  if (method === "exact") {
    // Distribution of the smaller group's doubled rank sum over all C(n, small) splits.
    const twice = Array.from(ranks, (r) => Math.round(2 * r));
    const smallIsA = n1 <= n2;
    let observed = 0;
    for (let i = 0; i < n; i++) if ((i < n1) === smallIsA) observed += twice[i]!;
    pValue = exactP(twice, small, observed);
  } else {
    const tieTerm = tieSizes.reduce((s, t) => s + t * t * t - t, 0) / (n * (n - 1));
    const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm);
    if (variance <= 0) {
      z = 0;
      pValue = 1;
    } else {
      const dev = Math.max(0, Math.abs(u - mean) - 0.5);
      z = Math.sign(u - mean) * dev / Math.sqrt(variance);
      pValue = Math.min(1, 2 * normalUpperTail(Math.abs(z)));
    }
  }
  return { n1, n2, u, effect: u / (n1 * n2), pValue, method, z, ties };
}
