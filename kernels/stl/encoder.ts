/**
 * The STL encoder triple (α, β, γ) and small helpers on it.
 *
 * Conventions (DESIGN.md §2): a t×t tile is flattened row-major, entry (a, b) → index a·t + b.
 * `alpha` and `beta` are r×t² (row ρ encodes a tile into channel ρ), `gamma` is t²×r (row e
 * decodes output entry e from the r channel products).
 *
 * @module
 */

/** Where an encoder came from. */
export type EncoderSource = "strassen" | "strassen2" | "cp-als" | "random" | "file";

/**
 * A rank-r encoder/decoder for t×t tiles. Coefficients are f32 values (stored in doubles) so
 * the GPU constants and the CPU reference use the very same numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e: Encoder = {
 *   t: 1, r: 1, source: "file",
 *   alpha: new Float64Array([1]), beta: new Float64Array([1]), gamma: new Float64Array([1]),
 * };
 * assert.deepEqual(encoderNonzeros(e), { alpha: 1, beta: 1, gamma: 1 });
 * ```
 */
export interface Encoder {
  /** Tile size t. */
  t: number;
  /** Rank r (number of channels). */
  r: number;
  /** Where it came from; "learned" for a trained layer's α and γ (its Ŵ is given, β unused). */
  source: EncoderSource | "learned";
  /** r×t², row-major: alpha[ρ·t² + e]. */
  alpha: Float64Array;
  /** r×t², row-major: beta[ρ·t² + e]. */
  beta: Float64Array;
  /** t²×r, row-major: gamma[e·r + ρ]. */
  gamma: Float64Array;
}

/**
 * Rounds every coefficient to f32 (in place) and returns the encoder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = roundEncoderToF32({
 *   t: 1, r: 1, source: "random",
 *   alpha: new Float64Array([0.1]), beta: new Float64Array([1]), gamma: new Float64Array([1]),
 * });
 * assert.equal(e.alpha[0], Math.fround(0.1));
 * ```
 */
export function roundEncoderToF32(e: Encoder): Encoder {
  for (const a of [e.alpha, e.beta, e.gamma]) {
    for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i]!);
  }
  return e;
}

/**
 * Nonzero coefficient counts of an encoder (what sparse encoders save).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const z = encoderNonzeros({
 *   t: 1, r: 2, source: "file",
 *   alpha: new Float64Array([1, 0]), beta: new Float64Array([1, 1]), gamma: new Float64Array([0, 2]),
 * });
 * assert.ok(z.alpha === 1 && z.beta === 2 && z.gamma === 1);
 * ```
 */
export function encoderNonzeros(e: Encoder): { alpha: number; beta: number; gamma: number } {
  const nz = (a: Float64Array) => a.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
  return { alpha: nz(e.alpha), beta: nz(e.beta), gamma: nz(e.gamma) };
}

/**
 * Largest absolute coefficient of an encoder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = maxAbsCoefficient({
 *   t: 1, r: 1, source: "file",
 *   alpha: new Float64Array([-3]), beta: new Float64Array([1]), gamma: new Float64Array([2]),
 * });
 * assert.equal(m, 3);
 * ```
 */
export function maxAbsCoefficient(e: Encoder): number {
  let m = 0;
  for (const a of [e.alpha, e.beta, e.gamma]) for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * Row ρ of α (the t² coefficients that encode an X tile into channel ρ).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = {
 *   t: 1, r: 2, source: "file" as const,
 *   alpha: new Float64Array([1, 2]), beta: new Float64Array(2), gamma: new Float64Array(2),
 * };
 * assert.equal(alphaRow(e, 1)[0], 2);
 * ```
 */
export function alphaRow(e: Encoder, rho: number): number[] {
  const tt = e.t * e.t;
  return Array.from(e.alpha.subarray(rho * tt, rho * tt + tt));
}

/**
 * Row e of γ (the r coefficients that decode output entry e).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = {
 *   t: 1, r: 2, source: "file" as const,
 *   alpha: new Float64Array(2), beta: new Float64Array(2), gamma: new Float64Array([3, 4]),
 * };
 * assert.equal(gammaRow(e, 0)[1], 4);
 * ```
 */
export function gammaRow(e: Encoder, entry: number): number[] {
  return Array.from(e.gamma.subarray(entry * e.r, entry * e.r + e.r));
}
