/**
 * Exact encoders: Strassen's rank-7 decomposition of ⟨2,2,2⟩ and its Kronecker square, a rank-49
 * decomposition of ⟨4,4,4⟩.
 *
 * @module
 */

import type { Encoder } from "./encoder.ts";

// Strassen (1969), with A11 = 0, A12 = 1, A21 = 2, A22 = 3 (row-major 2×2 tiles):
//   M1 = (A11 + A22)(B11 + B22)   M5 = (A11 + A12) B22
//   M2 = (A21 + A22) B11          M6 = (A21 − A11)(B11 + B12)
//   M3 = A11 (B12 − B22)          M7 = (A12 − A22)(B21 + B22)
//   M4 = A22 (B21 − B11)
//   C11 = M1 + M4 − M5 + M7   C12 = M3 + M5   C21 = M2 + M4   C22 = M1 − M2 + M3 + M6
const ALPHA = [
  [1, 0, 0, 1],
  [0, 0, 1, 1],
  [1, 0, 0, 0],
  [0, 0, 0, 1],
  [1, 1, 0, 0],
  [-1, 0, 1, 0],
  [0, 1, 0, -1],
];
const BETA = [
  [1, 0, 0, 1],
  [1, 0, 0, 0],
  [0, 1, 0, -1],
  [-1, 0, 1, 0],
  [0, 0, 0, 1],
  [1, 1, 0, 0],
  [0, 0, 1, 1],
];
const GAMMA = [
  [1, 0, 0, 1, -1, 0, 1],
  [0, 0, 1, 0, 1, 0, 0],
  [0, 1, 0, 1, 0, 0, 0],
  [1, -1, 1, 0, 0, 1, 0],
];

/**
 * Strassen's exact rank-7 encoder for 2×2 tiles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = strassenEncoder();
 * assert.ok(s.t === 2 && s.r === 7);
 * ```
 */
export function strassenEncoder(): Encoder {
  return {
    t: 2,
    r: 7,
    source: "strassen",
    alpha: Float64Array.from(ALPHA.flat()),
    beta: Float64Array.from(BETA.flat()),
    gamma: Float64Array.from(GAMMA.flat()),
  };
}

/**
 * Kronecker product of two encoders: tiles of size t1·t2 whose entry (p, s) splits as
 * p = p1·t2 + p0, s = s1·t2 + s0 — outer tile (p1, s1) from the first encoder, inner (p0, s0)
 * from the second; rank r1·r2, channel ρ = ρ1·r2 + ρ0. Exact encoders give an exact product.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s2 = kroneckerEncoder(strassenEncoder(), strassenEncoder());
 * assert.ok(s2.t === 4 && s2.r === 49);
 * ```
 */
export function kroneckerEncoder(outer: Encoder, inner: Encoder): Encoder {
  const t = outer.t * inner.t;
  const r = outer.r * inner.r;
  const tt = t * t;
  const to = outer.t;
  const ti = inner.t;
  // Index of tile entry (p, s) of the big tile in the outer and inner tiles.
  const split = (idx: number): [number, number] => {
    const p = Math.floor(idx / t);
    const s = idx % t;
    return [
      Math.floor(p / ti) * to + Math.floor(s / ti),
      (p % ti) * ti + (s % ti),
    ];
  };
  const alpha = new Float64Array(r * tt);
  const beta = new Float64Array(r * tt);
  const gamma = new Float64Array(tt * r);
  for (let r1 = 0; r1 < outer.r; r1++) {
    for (let r0 = 0; r0 < inner.r; r0++) {
      const rho = r1 * inner.r + r0;
      for (let e = 0; e < tt; e++) {
        const [eo, ei] = split(e);
        alpha[rho * tt + e] = outer.alpha[r1 * to * to + eo]! * inner.alpha[r0 * ti * ti + ei]!;
        beta[rho * tt + e] = outer.beta[r1 * to * to + eo]! * inner.beta[r0 * ti * ti + ei]!;
        gamma[e * r + rho] = outer.gamma[eo * outer.r + r1]! * inner.gamma[ei * inner.r + r0]!;
      }
    }
  }
  return { t, r, source: outer.source, alpha, beta, gamma };
}

/**
 * Strassen ⊗ Strassen: an exact rank-49 encoder for 4×4 tiles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s2 = strassen2Encoder();
 * assert.ok(s2.source === "strassen2" && s2.r === 49);
 * ```
 */
export function strassen2Encoder(): Encoder {
  return { ...kroneckerEncoder(strassenEncoder(), strassenEncoder()), source: "strassen2" };
}
