/**
 * Exact (f64) CPU matrix products on selected rows.
 *
 * @module
 */

/**
 * Rows `rows` of X·W in f64 (X is M×K, W is K×N, both row-major), as a rows.length×N matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const y = matmulRowsF64(new Float32Array([1, 2]), new Float32Array([3, 4]), 1, 2, 1, [0]);
 * assert.equal(y[0], 11);
 * ```
 */
export function matmulRowsF64(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  rows: readonly number[],
): Float64Array {
  const out = new Float64Array(rows.length * n);
  for (let ri = 0; ri < rows.length; ri++) {
    const r = rows[ri]!;
    if (!(r >= 0 && r < m)) throw new RangeError(`row ${r} outside [0, ${m})`);
    const base = ri * n;
    for (let kk = 0; kk < k; kk++) {
      const xv = x[r * k + kk]!;
      if (xv === 0) continue;
      const wb = kk * n;
      for (let j = 0; j < n; j++) out[base + j] += xv * w[wb + j]!;
    }
  }
  return out;
}

/**
 * Chooses which rows of an M-row output to check against a CPU reference: every row when the
 * reference costs at most `budget` multiply-adds, else a seeded sample that always includes the
 * first and last rows (edges are where tiling bugs live).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(sampleRows(4, 8, 8, 1e9, 1).length, 4);
 * ```
 */
export function sampleRows(
  m: number,
  k: number,
  n: number,
  budget: number,
  seed: number,
): number[] {
  const perRow = Math.max(1, k * n);
  const want = Math.max(2, Math.floor(budget / perRow));
  if (want >= m) return Array.from({ length: m }, (_, i) => i);
  const chosen = new Set<number>([0, m - 1]);
  // Seeded LCG walk (deterministic, independent of the data streams).
  let s = (seed ^ 0x5bd1e995) >>> 0;
  while (chosen.size < want) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    chosen.add(s % m);
  }
  return [...chosen].sort((a, b) => a - b);
}
