/**
 * Bootstrap confidence interval of the ratio of two medians, with a seeded, machine-independent
 * random stream so the same samples always give the same interval.
 *
 * @module
 */

import { Rng } from "../data/prng.ts";
import { quantileSorted } from "./quantile.ts";

/** Outcome of {@link bootstrapMedianRatio}. */
export interface BootstrapRatioResult {
  /** median(current) / median(baseline) of the observed samples. */
  ratio: number;
  /** Lower end of the percentile interval of the ratio. */
  lo: number;
  /** Upper end of the percentile interval of the ratio. */
  hi: number;
  /** Confidence level of [lo, hi]. */
  level: number;
  /** Number of bootstrap resamples. */
  resamples: number;
  /** Seed of the resampling stream. */
  seed: number;
}

/** Options of {@link bootstrapMedianRatio}. */
export interface BootstrapOptions {
  /** Confidence level, in (0, 1) (default 0.99). */
  level?: number;
  /** Resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling stream (default 1). */
  seed?: number;
}

/** Median of `n` values drawn with replacement from `values`, using `scratch` as storage. */
function resampledMedian(values: readonly number[], rng: Rng, scratch: Float64Array): number {
  const n = values.length;
  for (let i = 0; i < n; i++) scratch[i] = values[rng.nextInt(n)]!;
  scratch.sort();
  const mid = (n - 1) / 2;
  return (scratch[Math.floor(mid)]! + scratch[Math.ceil(mid)]!) / 2;
}

/**
 * Percentile-bootstrap confidence interval of median(current) / median(baseline): both samples
 * are resampled independently with replacement `resamples` times from a xoshiro128** stream of
 * `seed`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = bootstrapMedianRatio([10, 11, 9, 10, 10.5], [20, 22, 18, 20, 21], { seed: 7 });
 * assert.ok(r.ratio === 2 && r.lo > 1.5 && r.hi < 2.5);
 * ```
 */
export function bootstrapMedianRatio(
  baseline: readonly number[],
  current: readonly number[],
  options: BootstrapOptions = {},
): BootstrapRatioResult {
  const level = options.level ?? 0.99;
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  if (baseline.length === 0 || current.length === 0) {
    throw new RangeError(
      `bootstrap needs two non-empty samples, got sizes ${baseline.length} and ${current.length}`,
    );
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(resamples) || resamples < 10) {
    throw new RangeError(`resamples must be an integer ≥ 10, got ${resamples}`);
  }
  for (const v of [...baseline, ...current]) {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new RangeError(`bootstrap samples must be positive and finite, got ${v}`);
    }
  }
  const rng = new Rng(seed, "bootstrap-median-ratio");
  const sb = new Float64Array(baseline.length);
  const sc = new Float64Array(current.length);
  const ratios = new Float64Array(resamples);
  for (let i = 0; i < resamples; i++) {
    const mb = resampledMedian(baseline, rng, sb);
    const mc = resampledMedian(current, rng, sc);
    ratios[i] = mc / mb;
  }
  ratios.sort();
  const sorted = Array.from(ratios);
  const med = (v: readonly number[]) => {
    const s = [...v].sort((x, y) => x - y);
    return quantileSorted(s, 0.5);
  };
  return {
    ratio: med(current) / med(baseline),
    lo: quantileSorted(sorted, (1 - level) / 2),
    hi: quantileSorted(sorted, 1 - (1 - level) / 2),
    level,
    resamples,
    seed,
  };
}
