/**
 * The projection of a dense W onto Monarch matrices (Dao et al. 2022): each (input block,
 * output block) pair of W (see `layout.ts`) is replaced by its best rank-1 approximation, the
 * top singular pair found by power iteration in f64 from a seeded start. Since the pairs are
 * disjoint and each is exactly rank 1 in a Monarch matrix, this is the Frobenius-nearest
 * Monarch matrix (up to the power iteration's convergence).
 *
 * @module
 */

import { Rng } from "../../harness/data/prng.ts";
import type { MonarchDims } from "./layout.ts";

/** The factors of a projection and how well they approximate W. */
export interface MonarchProjection {
  /** K×b: R[k·b + l] (f32 values of the f64 factors). */
  r: Float32Array;
  /** b×N: L[i·N + n]. */
  l: Float32Array;
  /** ‖W − M‖_F / ‖W‖_F of the f64 factors (0 for W = 0). */
  relError: number;
  /** Power iterations run, summed over the b² blocks. */
  iterations: number;
}

/** Power iterations per block at most, and the relative change of σ that ends them. */
export const POWER_MAX_ITERS = 64;
/** Relative change of σ² between two iterations below which a block has converged. */
export const POWER_TOL = 1e-9;

/**
 * The Monarch projection of the K×N row-major `w`: per block pair, σ·u·vᵀ with the top singular
 * pair, split as R column = √σ·u and L row = √σ·v.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monarchDims } from "./layout.ts";
 * // A Monarch matrix projects onto itself: b = 2, K = N = 4, every block rank 1.
 * const d = monarchDims(2, 4, 4);
 * const w = new Float32Array([1, 2, 2, 4, 2, 1, 4, 2, 3, 1, 6, 2, 1, 3, 2, 6]);
 * const proj = projectMonarch(w, d, 7);
 * assert.ok(proj.relError < 1e-6);
 * ```
 */
export function projectMonarch(w: Float32Array, d: MonarchDims, seed: number): MonarchProjection {
  const { b, k, n, p } = d;
  const r = new Float32Array(k * b);
  const l = new Float32Array(b * n);
  const rng = new Rng(seed, "monarch-projection");
  let total = 0;
  let lost = 0;
  let iterations = 0;
  for (let i = 0; i < b; i++) {
    const r0 = i * p;
    const rows = Math.max(0, Math.min(p, k - r0));
    for (let lb = 0; lb < b; lb++) {
      const cols: number[] = [];
      for (let c = lb; c < n; c += b) cols.push(c);
      if (rows === 0 || cols.length === 0) continue;
      // The block A (rows × cols.length) in f64.
      const nc = cols.length;
      const a = new Float64Array(rows * nc);
      let norm2 = 0;
      for (let t = 0; t < rows; t++) {
        for (let j = 0; j < nc; j++) {
          const v = w[(r0 + t) * n + cols[j]!]!;
          a[t * nc + j] = v;
          norm2 += v * v;
        }
      }
      total += norm2;
      // Seeded start, drawn for every block so the stream never depends on the data.
      const v = new Float64Array(nc);
      for (let j = 0; j < nc; j++) v[j] = 2 * rng.next() - 1;
      const u = new Float64Array(rows);
      let sigma2 = 0;
      if (norm2 > 0) {
        for (let it = 0; it < POWER_MAX_ITERS; it++) {
          iterations++;
          normalize(v);
          mulAv(a, rows, nc, v, u);
          const s2 = dot(u, u);
          mulAtU(a, rows, nc, u, v);
          const done = Math.abs(s2 - sigma2) <= POWER_TOL * s2;
          sigma2 = s2;
          if (done) break;
        }
        normalize(v);
        mulAv(a, rows, nc, v, u);
        sigma2 = dot(u, u);
      }
      // u = A·v = σ·û; R column = √σ·û = u / √σ, L row = √σ·v.
      const sigma = Math.sqrt(sigma2);
      const root = Math.sqrt(sigma);
      for (let t = 0; t < rows; t++) r[(r0 + t) * b + lb] = sigma > 0 ? u[t]! / root : 0;
      for (let j = 0; j < nc; j++) l[i * n + cols[j]!] = sigma > 0 ? v[j]! * root : 0;
      // ‖A − σ·û·vᵀ‖² = ‖A‖² − σ² for unit v and û = A·v/σ.
      lost += Math.max(0, norm2 - sigma2);
    }
  }
  return { r, l, relError: total > 0 ? Math.sqrt(lost / total) : 0, iterations };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function normalize(v: Float64Array): void {
  const s = Math.sqrt(dot(v, v));
  if (s > 0) { for (let i = 0; i < v.length; i++) v[i] = v[i]! / s; }
}

function mulAv(a: Float64Array, rows: number, cols: number, v: Float64Array, out: Float64Array) {
  for (let t = 0; t < rows; t++) {
    let s = 0;
    const o = t * cols;
    for (let j = 0; j < cols; j++) s += a[o + j]! * v[j]!;
    out[t] = s;
  }
}

function mulAtU(a: Float64Array, rows: number, cols: number, u: Float64Array, out: Float64Array) {
  out.fill(0);
  for (let t = 0; t < rows; t++) {
    const ut = u[t]!;
    const o = t * cols;
    for (let j = 0; j < cols; j++) out[j] = out[j]! + a[o + j]! * ut;
  }
}
