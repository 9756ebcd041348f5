/**
 * Quantiles of samples.
 *
 * @module
 */

/**
 * Quantile of already sorted values by linear interpolation between order statistics
 * (the "type 7" definition used by R and NumPy's default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
 * ```
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError("quantile of an empty sample");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/**
 * Sorted copy of numbers (ascending).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(sortedCopy([3, 1, 2])[0], 1);
 * ```
 */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * Median of unsorted values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(median([5, 1, 3]), 3);
 * ```
 */
export function median(values: readonly number[]): number {
  return quantileSorted(sortedCopy(values), 0.5);
}
