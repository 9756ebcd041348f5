/**
 * Mean, sample standard deviation and range of per-seed values.
 *
 * @module
 */

import type { SeedStats } from "./types.ts";

/**
 * Summary of per-seed values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = seedStats([97, 99]);
 * assert.equal(s.mean, 98);
 * assert.equal(s.min, 97);
 * assert.ok(Math.abs(s.std - Math.SQRT2) < 1e-12);
 * ```
 */
export function seedStats(values: number[]): SeedStats {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, min: Math.min(...values), max: Math.max(...values), values };
}
