/**
 * A seeded random encoder: the "no structure at all" baseline.
 *
 * @module
 */

import { Rng } from "../../harness/data/prng.ts";
import { type Encoder, roundEncoderToF32 } from "./encoder.ts";

/**
 * Random α, β uniform in [-1, 1) and γ uniform in [-c, c) with c = √(27 / (r·t³)), which gives
 * the STL output the same expected magnitude as X·W for i.i.d. inputs (so its approximation
 * error reads as "unrelated to X·W", not as a scale mismatch). Drawn from the seeded stream
 * `stl-random:t<t>:r<r>` of `seed`; coefficients rounded to f32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const a = randomEncoder(2, 5, 42);
 * const b = randomEncoder(2, 5, 42);
 * assert.ok(a.alpha.every((v, i) => v === b.alpha[i]));
 * ```
 */
export function randomEncoder(t: number, r: number, seed: number): Encoder {
  const rng = new Rng(seed, `stl-random:t${t}:r${r}`);
  const tt = t * t;
  const c = Math.sqrt(27 / (r * t * t * t));
  const draw = (n: number, scale: number) =>
    Float64Array.from({ length: n }, () => scale * (2 * rng.next() - 1));
  return roundEncoderToF32({
    t,
    r,
    source: "random",
    alpha: draw(r * tt, 1),
    beta: draw(r * tt, 1),
    gamma: draw(tt * r, c),
  });
}
