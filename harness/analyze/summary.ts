/**
 * Summary statistics of timing samples.
 *
 * @module
 */

import { medianCiRanks } from "./median_ci.ts";
import { quantileSorted, sortedCopy } from "./quantile.ts";

/**
 * Statistics of a sample: location, spread, a confidence interval of the median and an outlier
 * count (Tukey's 1.5·IQR fences).
 */
export interface SampleStats {
  /** Number of samples. */
  n: number;
  /** The median (0.5 quantile). */
  median: number;
  /** Smallest sample. */
  min: number;
  /** Largest sample. */
  max: number;
  /** 10th percentile. */
  p10: number;
  /** 90th percentile. */
  p90: number;
  /** Arithmetic mean. */
  mean: number;
  /** Sample standard deviation (n − 1 denominator; 0 for n = 1). */
  stddev: number;
  /** Relative standard deviation, stddev / mean. */
  noise: number;
  /** Distribution-free confidence interval of the median at `level` (order statistics). */
  ci: { level: number; lo: number; hi: number };
  /** Half-width of the median's CI relative to the median. */
  ciRelHalfWidth: number;
  /** Samples outside Tukey's fences (1.5·IQR beyond the quartiles). */
  outliers: number;
}

/**
 * Summarises a sample of positive numbers (times).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = summarize([1, 2, 3, 4, 100]);
 * assert.ok(s.median === 3 && s.outliers === 1);
 * ```
 */
export function summarize(samples: readonly number[], level = 0.95): SampleStats {
  if (samples.length === 0) throw new RangeError("cannot summarise an empty sample");
  for (const s of samples) {
    if (!Number.isFinite(s)) throw new RangeError(`sample is not finite: ${s}`);
  }
  const sorted = sortedCopy(samples);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  let ss = 0;
  for (const s of sorted) ss += (s - mean) * (s - mean);
  const stddev = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const median = quantileSorted(sorted, 0.5);
  const [lo, hi] = medianCiRanks(n, level);
  const ciLo = sorted[lo]!;
  const ciHi = sorted[hi]!;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  let outliers = 0;
  for (const s of sorted) if (s < q1 - 1.5 * iqr || s > q3 + 1.5 * iqr) outliers++;
  return {
    n,
    median,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    p10: quantileSorted(sorted, 0.1),
    p90: quantileSorted(sorted, 0.9),
    mean,
    stddev,
    noise: mean > 0 ? stddev / mean : 0,
    ci: { level, lo: ciLo, hi: ciHi },
    ciRelHalfWidth: median > 0 ? (ciHi - ciLo) / 2 / median : Infinity,
    outliers,
  };
}
