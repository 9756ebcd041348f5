/**
 * Deterministic elementary functions built from IEEE-754 +, −, ×, ÷ and sqrt only.
 *
 * `Math.log` and friends are "implementation-approximated" in ECMAScript and may differ in the
 * last bit between engines or platforms. The data generators use these instead so that the same
 * seed gives bit-identical matrices everywhere.
 *
 * @module
 */

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high 32-bit word of a double in `u32` (platform endianness). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * Natural logarithm of a positive finite double, accurate to a few ulp, deterministic.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detLn } from "./det_math.ts";
 * assert.ok(Math.abs(detLn(Math.E) - 1) < 1e-15);
 * ```
 */
export function detLn(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`detLn needs a positive finite number, got ${x}`);
  }
  // Split x = m · 2^e with m in [1, 2) by reading the IEEE bits (exact).
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: normalise subnormals
    e -= 54;
  }
  f64[0] = x;
  const hi = u32[HI]!;
  e += ((hi >>> 20) & 0x7ff) - 1023;
  u32[HI] = (hi & 0x800fffff) | 0x3ff00000;
  let m = f64[0]!;
  if (m > SQRT2) {
    m /= 2;
    e += 1;
  }
  // ln(m) = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.1716: the series converges fast.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  // Horner form of s·(1 + s²/3 + s⁴/5 + … + s²²/23); the next term is below 2^-56 relative.
  const p = 1 +
    s2 * (1 / 3 + s2 * (1 / 5 + s2 * (1 / 7 + s2 * (1 / 9 + s2 * (1 / 11 + s2 * (1 / 13 +
                            s2 *
                              (1 / 15 +
                                s2 *
                                  (1 / 17 + s2 * (1 / 19 + s2 * (1 / 21 + s2 * (1 / 23)))))))))));
  return 2 * s * p + e * LN2;
}
