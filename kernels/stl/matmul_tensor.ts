/**
 * The ⟨t,t,t⟩ matrix-multiplication tensor and the residual of an encoder against it.
 *
 * T[x, w, y] = 1 exactly when X-tile entry x = (p, s), W-tile entry w = (s, q) and Y-tile entry
 * y = (p, q) (row-major flattening); 0 otherwise. An encoder (α, β, γ) is exact iff
 * Σ_ρ α[ρ,x]·β[ρ,w]·γ[y,ρ] = T[x, w, y] for all x, w, y.
 *
 * @module
 */

import type { Encoder } from "./encoder.ts";

/**
 * The t³ nonzeros of the ⟨t,t,t⟩ tensor as [x, w, y] index triples (all values are 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const nz = matmulTensorNonzeros(2);
 * assert.equal(nz.length, 8);
 * assert.equal(nz[1]!.join(), "1,2,0"); // X[0][1]·W[1][0] → Y[0][0]
 * ```
 */
export function matmulTensorNonzeros(t: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let p = 0; p < t; p++) {
    for (let q = 0; q < t; q++) {
      for (let s = 0; s < t; s++) out.push([p * t + s, s * t + q, p * t + q]);
    }
  }
  return out;
}

/**
 * Relative Frobenius residual ‖T − Σ_ρ α_ρ⊗β_ρ⊗γ_ρ‖ / ‖T‖ of an encoder, computed entry by
 * entry in f64 (0 for an exact decomposition such as Strassen's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * assert.equal(tensorResidual(strassenEncoder()), 0);
 * ```
 */
export function tensorResidual(e: Encoder): number {
  const { t, r, alpha, beta, gamma } = e;
  const tt = t * t;
  const target = new Float64Array(tt * tt * tt);
  for (const [x, w, y] of matmulTensorNonzeros(t)) target[(x * tt + w) * tt + y] = 1;
  let err = 0;
  for (let x = 0; x < tt; x++) {
    for (let w = 0; w < tt; w++) {
      for (let y = 0; y < tt; y++) {
        let s = 0;
        for (let rho = 0; rho < r; rho++) {
          s += alpha[rho * tt + x]! * beta[rho * tt + w]! * gamma[y * r + rho]!;
        }
        const d = s - target[(x * tt + w) * tt + y]!;
        err += d * d;
      }
    }
  }
  return Math.sqrt(err / (t * t * t));
}
