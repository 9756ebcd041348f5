/**
 * STL layers with learned parameters: α, the encoded weights Ŵ and γ given directly (a trained
 * layer has no β and no dense W to encode), built into what `plan` and `reference` take.
 *
 * @module
 */

import { toDtypeArray } from "../../harness/gpu/buffers.ts";
import type { DType } from "../../harness/types.ts";
import { type Encoder, encoderNonzeros, maxAbsCoefficient } from "./encoder.ts";
import { planeGeometry } from "./geometry.ts";
import type { StlPrepared } from "./mod.ts";

/**
 * A learned STL layer: tile size t, rank r, α (r×t², `alpha[ρ·t² + a·t + b]`), Ŵ (r planes of
 * ⌈K/t⌉×⌈N/t⌉, zero-padded, `wh[ρ·Kt·Nt + κ·Nt + j]`) and γ (t²×r, `gamma[(a·t + b)·r + ρ]`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l: LearnedStl = {
 *   t: 1, r: 1, alpha: new Float32Array([1]), wh: new Float32Array([2]), gamma: new Float32Array([1]),
 * };
 * const p = learnedStlPrepared(1, 1, "f32", l);
 * assert.equal(p.wh[0], 2);
 * ```
 */
export interface LearnedStl {
  t: number;
  r: number;
  alpha: ArrayLike<number>;
  wh: ArrayLike<number>;
  gamma: ArrayLike<number>;
}

/**
 * The prepared STL layer for K×N weights from learned α, Ŵ, γ. Coefficients and Ŵ are rounded
 * to f32 (what the shaders' constants and an f32 upload hold) and Ŵ is uploaded in `dtype`. The
 * encoder's β is all zeros: it is never used once Ŵ is given (its source is "learned").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = learnedStlPrepared(1, 1, "f32", {
 *   t: 1, r: 1, alpha: [1], wh: [2], gamma: [3],
 * });
 * assert.equal(p.encoder.source, "learned");
 * assert.equal(p.wh[0], 2);
 * ```
 */
export function learnedStlPrepared(
  k: number,
  n: number,
  dtype: DType,
  l: LearnedStl,
): StlPrepared {
  const { t, r } = l;
  if (!(Number.isInteger(t) && t >= 1 && Number.isInteger(r) && r >= 1)) {
    throw new RangeError(`stl: t and r must be integers ≥ 1, got t = ${t}, r = ${r}`);
  }
  const tt = t * t;
  const geometry = planeGeometry({ m: t, k, n }, t);
  const planes = r * geometry.kt * geometry.nt;
  const sizes: [string, ArrayLike<number>, number][] = [
    ["alpha", l.alpha, r * tt],
    ["gamma", l.gamma, tt * r],
    ["wh", l.wh, planes],
  ];
  for (const [name, a, want] of sizes) {
    if (a.length !== want) {
      throw new RangeError(`stl: ${name} has ${a.length} values, expected ${want}`);
    }
  }
  const f32 = (a: ArrayLike<number>) => Float64Array.from(a, (v) => Math.fround(v));
  const encoder: Encoder = {
    t,
    r,
    source: "learned",
    alpha: f32(l.alpha),
    beta: new Float64Array(r * tt),
    gamma: f32(l.gamma),
  };
  const whF32 = Float32Array.from(l.wh);
  const upload = toDtypeArray(whF32, dtype);
  const wh = dtype === "f16" ? new Float32Array(upload) : whF32;
  const nz = encoderNonzeros(encoder);
  return {
    encoder,
    encoderNotes: {
      encoder: "learned",
      nonzeros: { alpha: nz.alpha, gamma: nz.gamma },
      maxAbsCoefficient: maxAbsCoefficient(encoder),
    },
    geometry,
    upload,
    wh,
  };
}
