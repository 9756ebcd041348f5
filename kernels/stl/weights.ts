/**
 * Offline weight encoding: ŵ_ρ[k, j] = β_ρ · vec(W_kj), stored as r planes of Kt×Nt.
 *
 * @module
 */

import type { Encoder } from "./encoder.ts";
import type { PlaneGeometry } from "./geometry.ts";

/**
 * Encodes K×N weights (row-major f32) into r planes of Kt×Nt, row-major and back to back,
 * accumulating in f64 and rounding once to f32. Rows/columns beyond K and N are the zero
 * padding. Zero coefficients of β are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * import { planeGeometry } from "./geometry.ts";
 * const w = new Float32Array([1, 2, 3, 4]); // one 2×2 tile
 * const planes = encodeWeights(w, 2, 2, planeGeometry({ m: 2, k: 2, n: 2 }, 2), strassenEncoder());
 * assert.equal(planes[0], 5); // β_0 = W11 + W22
 * ```
 */
export function encodeWeights(
  w: Float32Array,
  k: number,
  n: number,
  g: PlaneGeometry,
  e: Encoder,
): Float32Array {
  const { t, kt, nt } = g;
  if (w.length !== k * n) throw new RangeError(`W has ${w.length} values, expected ${k * n}`);
  const tt = t * t;
  const plane = kt * nt;
  const out = new Float32Array(e.r * plane);
  const acc = new Float64Array(plane);
  for (let rho = 0; rho < e.r; rho++) {
    acc.fill(0);
    for (let ent = 0; ent < tt; ent++) {
      const c = e.beta[rho * tt + ent]!;
      if (c === 0) continue;
      const a = Math.floor(ent / t);
      const b = ent % t;
      for (let kk = 0; kk < kt; kk++) {
        const row = kk * t + a;
        if (row >= k) continue;
        const wBase = row * n + b;
        const aBase = kk * nt;
        // Columns j·t + b < n.
        const jEnd = Math.min(nt, Math.floor((n - 1 - b) / t) + 1);
        for (let j = 0; j < jEnd; j++) acc[aBase + j]! += c * w[wBase + j * t]!;
      }
    }
    out.set(acc, rho * plane);
  }
  return out;
}
