/**
 * Distribution-free confidence interval of the median from order statistics.
 *
 * @module
 */

/** log of the binomial coefficient C(n, k) through a running sum of logs. */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * Ranks (0-based, into the sorted sample) of the order statistics bounding a `level` confidence
 * interval of the median: the interval [x(lo), x(hi)] covers the true median with probability
 * at least `level` for any continuous distribution (binomial(n, ½) argument). For samples too
 * small to reach the level, the whole range is returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const [lo, hi] = medianCiRanks(100, 0.95);
 * assert.ok(lo === 39 && hi === 60);
 * ```
 */
export function medianCiRanks(n: number, level = 0.95): [number, number] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sample size must be ≥ 1, got ${n}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const alpha = 1 - level;
  // Find the largest j with P(Bin(n, ½) < j) ≤ α/2; the interval is [x(j), x(n−1−j)] (0-based).
  const logHalfN = n * Math.log(0.5);
  let cdf = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.exp(logChoose(n, i) + logHalfN);
    if (cdf + p > alpha / 2) break;
    cdf += p;
    j = i + 1;
  }
  if (j === 0) return [0, n - 1];
  return [j - 1, n - j];
}
