/**
 * The int8 quantisation rules shared by preparation, the activation pass's mirror and the f64
 * reference: symmetric, scale = absmax / 127, round half to even (as the WGSL `codesOf` of `quant_wgsl.ts` rounds), clamp ±127.
 *
 * @module
 */

/**
 * Rounds half to even, as WGSL's `round` does (JavaScript's `Math.round` rounds half up).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4].map(roundHalfEven), [0, 2, 2, 0, -2, 2]);
 * ```
 */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The int8 code of `v` under `scale`: round(v / scale) in f32, half to even, clamped to ±127;
 * 0 when the scale is 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(int8Code(1, 1 / 127), 127);
 * assert.equal(int8Code(-1.5, 1), -2);
 * assert.equal(int8Code(3, 0), 0);
 * ```
 */
export function int8Code(v: number, scale: number): number {
  if (scale === 0) return 0;
  return Math.max(-127, Math.min(127, roundHalfEven(Math.fround(v / scale))));
}

/**
 * Quantises one activation row as the WGSL pass does, every step in f32: x' = x·invS (per
 * feature dimension; 0 for an outlier dimension), s = max|x'| / 127, q = round(x' / s).
 * Returns the codes and the row scale.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { q, scale } = quantizeRow(new Float32Array([2, -1, 10]), new Float32Array([1, 1, 0]));
 * assert.equal(scale, Math.fround(2 / 127));
 * assert.deepEqual(Array.from(q), [127, -64, 0]);
 * ```
 */
export function quantizeRow(x: Float32Array, invS: Float32Array): { q: Int8Array; scale: number } {
  const k = x.length;
  const xs = new Float32Array(k);
  let amax = 0;
  for (let j = 0; j < k; j++) {
    xs[j] = Math.fround(x[j]! * invS[j]!);
    amax = Math.max(amax, Math.abs(xs[j]!));
  }
  const scale = Math.fround(amax / 127);
  const q = new Int8Array(k);
  for (let j = 0; j < k; j++) q[j] = int8Code(xs[j]!, scale);
  return { q, scale };
}
