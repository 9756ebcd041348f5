/**
 * The standard normal distribution's tail, for large-sample approximations of test statistics.
 *
 * @module
 */

/**
 * Complementary error function erfc(x) = 1 − erf(x), with relative error below 1.2e-7 everywhere
 * (Chebyshev fit from Numerical Recipes, §6.2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(erfc(0) - 1) < 1e-7);
 * assert.ok(Math.abs(erfc(1) - 0.157299207) < 1e-7);
 * ```
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 +
      t * (1.00002368 +
          t * (0.37409196 +
              t * (0.09678418 +
                  t * (-0.18628806 +
                      t * (0.27886807 +
                          t *
                            (-1.13520398 +
                              t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? r : 2 - r;
}

/**
 * Upper tail of the standard normal distribution, P(Z > z).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(normalUpperTail(1.959964) - 0.025) < 1e-6);
 * ```
 */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
