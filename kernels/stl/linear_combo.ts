/**
 * Code generation of sparse linear combinations Σ cᵢ·termᵢ with the exact operation count, so
 * the FLOPs a result reports are the ones the generated WGSL executes.
 *
 * Zero coefficients are skipped, ±1 become additions/subtractions, anything else a
 * multiply-add. Counting: the first term costs 0 (+1), 1 (a multiply, or a negation when every
 * remaining coefficient is −1); each further term 1 (±1) or 2 (multiply + add).
 *
 * @module
 */

/**
 * A WGSL float literal for an f32 value (a double that is exactly an f32).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(wgslFloat(2), "2.0");
 * assert.equal(wgslFloat(-0.5), "-0.5");
 * ```
 */
export function wgslFloat(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`coefficient must be finite, got ${v}`);
  if (Math.fround(v) !== v) throw new RangeError(`coefficient ${v} is not an f32 value`);
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/**
 * A generated combination and the arithmetic operations it executes (per evaluation; for vector
 * terms multiply by the lane count).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: Combo = { expr: "a + b", ops: 1 };
 * assert.deepEqual(linearCombo([1, 1], ["a", "b"]), c);
 * ```
 */
export interface Combo {
  expr: string;
  ops: number;
}

/**
 * Σ coefs[i]·terms[i] as a WGSL expression. `zero` is the expression for an empty sum.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = linearCombo([1, 0, -1, 0.5], ["a", "b", "c", "d"]);
 * assert.ok(c.expr === "a - c + 0.5 * d" && c.ops === 3);
 * assert.equal(linearCombo([-1], ["a"]).expr, "-a");
 * ```
 */
export function linearCombo(
  coefs: readonly number[],
  terms: readonly string[],
  zero = "0.0",
): Combo {
  if (coefs.length !== terms.length) {
    throw new RangeError(`${coefs.length} coefficients for ${terms.length} terms`);
  }
  const nz = coefs.map((c, i) => [c, i] as const).filter(([c]) => c !== 0);
  if (nz.length === 0) return { expr: zero, ops: 0 };
  // Lead with a +1 term if there is one, else a general coefficient, else a −1 (negated).
  const lead = nz.find(([c]) => c === 1) ?? nz.find(([c]) => c !== -1) ?? nz[0]!;
  const [c0, i0] = lead;
  let expr: string;
  let ops: number;
  if (c0 === 1) {
    expr = terms[i0]!;
    ops = 0;
  } else if (c0 === -1) {
    expr = `-${terms[i0]!}`;
    ops = 1;
  } else {
    expr = `${wgslFloat(c0)} * ${terms[i0]!}`;
    ops = 1;
  }
  for (const [c, i] of nz) {
    if (i === i0) continue;
    if (c === 1) {
      expr += ` + ${terms[i]!}`;
      ops += 1;
    } else if (c === -1) {
      expr += ` - ${terms[i]!}`;
      ops += 1;
    } else if (c < 0) {
      expr += ` - ${wgslFloat(-c)} * ${terms[i]!}`;
      ops += 2;
    } else {
      expr += ` + ${wgslFloat(c)} * ${terms[i]!}`;
      ops += 2;
    }
  }
  return { expr, ops };
}

/**
 * Operations of {@link linearCombo} for these coefficients, without generating code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(comboOps([1, 1, 1]), 2);
 * assert.equal(comboOps([0.5, 0.25]), 3);
 * ```
 */
export function comboOps(coefs: readonly number[]): number {
  return linearCombo(coefs, coefs.map(() => "x")).ops;
}
